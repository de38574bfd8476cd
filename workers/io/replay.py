"""Publishes raw article records to Kafka at a chosen rate."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from tqdm import tqdm

from workers.io.kafka import ensure_topics, make_producer
from workers.io.sources import RawRecord
from workers.settings import Settings


@dataclass(slots=True)
class ReplaySummary:
    sent: int = 0
    failed: int = 0
    seconds: float = 0.0


async def replay(
    records: Sequence[RawRecord],
    settings: Settings,
    *,
    topic: str,
    rate: float | None = None,
    loops: int = 1,
    progress: bool | None = None,
) -> ReplaySummary:
    """Publish the records ``loops`` times, at most ``rate`` per second, and count the outcomes."""
    await ensure_topics(settings, {topic: settings.raw_partitions})
    summary = ReplaySummary()
    total = len(records) * loops
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=total, unit="rec", disable=not show, file=sys.stderr)
    producer = make_producer(settings)
    await producer.start()
    started = time.monotonic()
    try:
        pending = []
        for index in range(total):
            record = records[index % len(records)]
            if rate:
                delay = started + index / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            pending.append(await producer.send(topic, value=record.value, key=record.key))
        for future in pending:
            try:
                await future
                summary.sent += 1
            except Exception as exc:  # counted and reported; one bad record does not stop a replay
                summary.failed += 1
                print(f"failed to publish a record: {exc}", file=sys.stderr)
            bar.update(1)
    finally:
        await producer.stop()
        bar.close()
    summary.seconds = time.monotonic() - started
    return summary
