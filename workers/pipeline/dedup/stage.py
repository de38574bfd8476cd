"""The pipeline stage that stamps each article with its dedup decision."""

from __future__ import annotations

import time
from datetime import datetime

from workers.pipeline.article import Article
from workers.pipeline.dedup.index import Clock, Deduplicator
from workers.pipeline.dedup.store import MemoryStore


def parse_timestamp(value: str | None, clock: Clock = time.time) -> float:
    """Seconds since the epoch of an RFC 3339 timestamp, or ``clock()`` if missing/invalid."""
    if not value:
        return clock()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return clock()
    if parsed.tzinfo is None:
        return clock()
    return parsed.timestamp()


class DedupStage:
    """Callable ``Article -> Article`` setting ``article.dedup`` from the body text."""

    def __init__(self, deduplicator: Deduplicator) -> None:
        self.deduplicator = deduplicator

    def __call__(self, article: Article) -> Article:
        """Check the body (headline excluded) at the article's ingestion time."""
        timestamp = parse_timestamp(article.ingested_at, self.deduplicator.clock)
        article.dedup = self.deduplicator.check(article.id, article.body, timestamp)
        return article


def make_memory_stage(*, retention_seconds: float = 7 * 86400) -> DedupStage:
    """A dedup stage over an in-memory index, for the offline ``newsflow process`` command."""
    return DedupStage(Deduplicator(MemoryStore(), retention_seconds=retention_seconds))
