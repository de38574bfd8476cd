"""The whole pipeline without Kafka: what ``newsflow process`` runs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from workers.deadletter import DeadLetter, SourcePosition, dead_letter_bytes, make_dead_letter
from workers.io.sources import RawRecord
from workers.ledger import occurrence_checker
from workers.pipeline.dedup.index import Deduplicator
from workers.pipeline.dedup.store import MemoryStore
from workers.pipeline.stages import TimingSink, ignore_timing
from workers.processor import Enricher, Finisher
from workers.settings import Settings
from workers.timeutil import utc_now_iso


class OfflinePipeline:
    """Validate, enrich, deduplicate (state kept for this run) and route, record by record."""

    def __init__(self, settings: Settings, on_timing: TimingSink = ignore_timing) -> None:
        self.enricher = Enricher(settings, on_timing=on_timing)
        self.enricher.warm_up()
        store = MemoryStore()
        self.deduplicator = Deduplicator(
            store, retention_seconds=settings.dedup_retention_days * 86400
        )
        self.finisher = Finisher(
            settings,
            self.deduplicator.check_fingerprint,
            on_timing=on_timing,
            occurrence_check=occurrence_checker(store),
        )

    def process(self, record: RawRecord, sequence: int = 0) -> bytes:
        """One output line: the enriched article, or the dead letter saying why it failed.

        ``sequence`` numbers the inputs of a run, so that reading the same file twice is two
        publications (the second a duplicate), as replaying it twice to Kafka would be.
        """
        position = SourcePosition(topic=record.origin)
        outcome = self.enricher.enrich(
            record.value,
            key=record.key,
            position=position,
            ingested_at=utc_now_iso(),
        )
        if isinstance(outcome, DeadLetter):
            return dead_letter_bytes(outcome)
        try:
            return self.finisher.finish_article(outcome, occurrence=f"{sequence}:{record.origin}")
        except Exception as exc:  # same contract as the worker: a failure is a record, not a crash
            return dead_letter_bytes(
                make_dead_letter(
                    step="dedup",
                    reason="stage_error",
                    detail=f"{type(exc).__name__}: {exc}",
                    original=record.value,
                    key=record.key,
                    position=position,
                    worker="offline",
                )
            )

    def process_all(self, records: Iterable[RawRecord]) -> Iterator[bytes]:
        """Output lines for every record, in input order."""
        for sequence, record in enumerate(records):
            yield self.process(record, sequence)
