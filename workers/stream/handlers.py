"""What the agents do with one batch of records; plain async functions over an Outbox."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from workers import metrics
from workers.deadletter import (
    DeadLetter,
    SourcePosition,
    dead_letter_bytes,
    dead_letter_headers,
    make_dead_letter,
)
from workers.pipeline.dedup.fingerprint import fingerprint
from workers.processor import Enricher, Finisher, Routed, article_json
from workers.settings import Settings
from workers.stream.outbox import Outbox
from workers.timeutil import iso_from_seconds, seconds_from_iso

log = logging.getLogger(__name__)
OCCURRENCE_HEADER = "newsflow-occurrence"
FINGERPRINT_HEADER = "newsflow-fingerprint"


@dataclass(frozen=True, slots=True)
class InRecord:
    """A consumed Kafka record, independent of the client library that read it."""

    key: bytes | None
    value: bytes
    topic: str
    partition: int
    offset: int
    timestamp: float
    headers: tuple[tuple[str, bytes], ...] = ()

    def header(self, name: str) -> bytes | None:
        """The value of the first header with this name."""
        return next((value for key, value in self.headers if key == name), None)

    @property
    def position(self) -> SourcePosition:
        return SourcePosition(
            self.topic, self.partition, self.offset, iso_from_seconds(self.timestamp)
        )


async def _publish_dead_letter(
    letter: DeadLetter, key: bytes | None, outbox: Outbox, settings: Settings
) -> Awaitable[Any]:
    metrics.DEAD_LETTERS.labels(step=letter.step, reason=letter.reason).inc()
    log.warning("dead letter: step=%s reason=%s %s", letter.step, letter.reason, letter.detail)
    return await outbox.send(
        settings.topic_dead_letter,
        key or b"",
        dead_letter_bytes(letter),
        dead_letter_headers(letter),
    )


async def handle_raw_batch(
    records: Sequence[InRecord], enricher: Enricher, outbox: Outbox, settings: Settings
) -> None:
    """Validate and enrich raw records; articles go to the dedup topic, failures to dead-letter."""
    pending: list[Awaitable[Any]] = []
    for record in records:
        metrics.ARTICLES_CONSUMED.labels(topic=record.topic).inc()
        outcome = enricher.enrich(
            record.value,
            key=record.key,
            position=record.position,
            ingested_at=iso_from_seconds(record.timestamp),
        )
        if isinstance(outcome, DeadLetter):
            pending.append(await _publish_dead_letter(outcome, record.key, outbox, settings))
            continue
        occurrence = f"{record.topic}/{record.partition}/{record.offset}".encode()
        started = time.perf_counter()
        body_fingerprint = fingerprint(outcome.body).to_bytes()
        metrics.observe_step("fingerprint", time.perf_counter() - started)
        headers = [(OCCURRENCE_HEADER, occurrence), (FINGERPRINT_HEADER, body_fingerprint)]
        pending.append(
            await outbox.send(
                settings.topic_dedup,
                outcome.id.encode(),
                article_json(outcome),
                headers,
            )
        )
    await asyncio.gather(*pending)


async def _nothing() -> None:
    return None


async def handle_dedup_batch(
    records: Sequence[InRecord],
    finisher: Finisher,
    outbox: Outbox,
    settings: Settings,
    before_outputs: Callable[[], Awaitable[None]] = _nothing,
) -> None:
    """Deduplicate enriched records in arrival order and publish each to its output topics.

    ``before_outputs`` runs once all decisions are made and before any output is sent: the
    worker publishes the dedup index changelog there, so no output exists without its index.
    """
    decided: list[Routed] = []
    pending: list[Awaitable[Any]] = []
    for record in records:
        try:
            occurrence = (record.header(OCCURRENCE_HEADER) or b"").decode()
            routed = finisher.finish(
                orjson.loads(record.value),
                occurrence=occurrence,
                fingerprint_bytes=record.header(FINGERPRINT_HEADER),
            )
        except Exception as exc:  # a bad internal record must not stop the stream
            letter = make_dead_letter(
                step="dedup",
                reason="stage_error",
                detail=f"{type(exc).__name__}: {exc}",
                original=record.value,
                key=record.key,
                position=record.position,
                worker=settings.worker_name,
            )
            pending.append(await _publish_dead_letter(letter, record.key, outbox, settings))
            continue
        decided.append(routed)
    await before_outputs()
    for routed in decided:
        status = routed.record["dedup"]["status"]
        if status != "unique":
            metrics.DUPLICATES.labels(kind="exact" if status == "duplicate" else "near").inc()
        for topic in routed.topics:
            pending.append(await outbox.send(topic, routed.key, routed.value))
            metrics.ARTICLES_ROUTED.labels(topic=topic).inc()
    await asyncio.gather(*pending)
    ingested = [seconds_from_iso(routed.record["ingested_at"]) for routed in decided]
    now = time.time()
    for started in ingested:
        metrics.INGEST_TO_OUTPUT_SECONDS.observe(max(0.0, now - started))
