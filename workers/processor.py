"""One article's whole journey, shared by the Kafka agents and the offline ``process`` command."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import orjson

from workers import __version__
from workers.deadletter import DeadLetter, SourcePosition, make_dead_letter
from workers.errors import InvalidArticle, StageError
from workers.pipeline.article import Article, DedupResult
from workers.pipeline.build import enrich_pipeline
from workers.pipeline.dedup.fingerprint import Fingerprint, fingerprint
from workers.pipeline.route import route_topics
from workers.pipeline.stages import TimingSink, ignore_timing
from workers.pipeline.validate import STEP as VALIDATE_STEP
from workers.pipeline.validate import article_from_record, validate
from workers.settings import Settings
from workers.timeutil import seconds_from_iso, utc_now_iso

DedupCheck = Callable[[str, Fingerprint, float], DedupResult]
OccurrenceCheck = Callable[[str, str, float, DedupResult], DedupResult]


def _first_is_final(
    article_id: str, occurrence: str, timestamp: float, result: DedupResult
) -> DedupResult:
    return result


@dataclass(frozen=True, slots=True)
class Routed:
    """A finished output record and the topics it must be written to."""

    key: bytes
    value: bytes
    topics: list[str]
    record: dict[str, Any]


class Enricher:
    """Validates raw bytes and runs the enrich stages; failures come back as dead letters."""

    def __init__(self, settings: Settings, on_timing: TimingSink = ignore_timing) -> None:
        self._settings = settings
        self._pipeline = enrich_pipeline(on_timing)
        self._on_timing = on_timing

    def enrich(
        self, raw: bytes, *, key: bytes | None, position: SourcePosition, ingested_at: str
    ) -> Article | DeadLetter:
        """Return the enriched article, or the dead letter that says which step failed and why."""
        try:
            article = validate(
                raw, ingested_at=ingested_at, max_bytes=self._settings.max_record_bytes
            )
        except InvalidArticle as exc:
            return self._dead_letter(VALIDATE_STEP, exc.reason, exc.detail, raw, key, position)
        try:
            return self._pipeline.run(article)
        except StageError as exc:
            return self._dead_letter(exc.step, "stage_error", str(exc), raw, key, position)

    def warm_up(self) -> None:
        """Run one article through every stage so lexicons and gazetteers load before traffic.

        It uses an untimed copy of the pipeline: the warm-up must not show in the metrics.
        """
        sample = {
            "id": "warm-up",
            "body": "Envoys met in Geneva. Artillery shelled Kherson, killing two people.",
        }
        article = article_from_record(sample, ingested_at="1970-01-01T00:00:00Z")
        enrich_pipeline().run(article)

    def _dead_letter(
        self,
        step: str,
        reason: str,
        detail: str,
        raw: bytes,
        key: bytes | None,
        position: SourcePosition,
    ) -> DeadLetter:
        return make_dead_letter(
            step=step,
            reason=reason,
            detail=detail,
            original=raw,
            key=key,
            position=position,
            worker=self._settings.worker_name,
        )


class Finisher:
    """Deduplicates an enriched record, stamps it and decides its output topics."""

    def __init__(
        self,
        settings: Settings,
        dedup_check: DedupCheck,
        occurrence_check: OccurrenceCheck,
        on_timing: TimingSink = ignore_timing,
    ) -> None:
        self._settings = settings
        self._dedup_check = dedup_check
        self._on_timing = on_timing
        self._occurrence_check = occurrence_check

    def finish(
        self, record: dict[str, Any], occurrence: str = "", fingerprint_bytes: bytes | None = None
    ) -> Routed:
        """Set ``dedup``, ``topics``, ``routed_to``, ``processed_at`` and ``pipeline``.

        ``occurrence`` names the raw record (e.g. topic/partition/offset): a redelivery of the
        same occurrence gets the same decision, a new occurrence of a seen id is a duplicate.
        ``fingerprint_bytes`` is the body's fingerprint when a parallel stage computed it.
        """
        settings = self._settings
        started = time.perf_counter()
        timestamp = seconds_from_iso(record["ingested_at"])
        if fingerprint_bytes is None:
            body_fingerprint = fingerprint(record["body"])
        else:
            body_fingerprint = Fingerprint.from_bytes(fingerprint_bytes)
        result = self._dedup_check(record["id"], body_fingerprint, timestamp)
        result = self._occurrence_check(record["id"], occurrence, timestamp, result)
        self._on_timing("dedup", time.perf_counter() - started)
        started = time.perf_counter()
        label_topics, all_topics = route_topics(
            record.get("topics") or [],
            result.status,
            label_topics=settings.label_topics,
            unclassified_topic=settings.topic_unclassified,
            duplicates_topic=settings.topic_duplicates,
            forward_duplicates=settings.forward_duplicates,
        )
        record["dedup"] = asdict(result)
        record["topics"] = label_topics
        record["routed_to"] = all_topics
        record["processed_at"] = utc_now_iso()
        record["pipeline"] = {"version": __version__, "worker": settings.worker_name}
        routed = Routed(
            key=record["id"].encode(), value=orjson.dumps(record), topics=all_topics, record=record
        )
        self._on_timing("route", time.perf_counter() - started)
        return routed


def article_record(article: Article) -> dict[str, Any]:
    """The article as the JSON object the output topics carry."""
    record: dict[str, Any] = orjson.loads(orjson.dumps(article))
    return record
