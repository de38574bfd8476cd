"""Replays the dedup changelog into the local index up to the topic's end."""

from __future__ import annotations

import logging
import time

from aiokafka import AIOKafkaConsumer, TopicPartition

from workers.settings import Settings
from workers.stream.changelog import ChangelogStore
from workers.stream.security import aiokafka_security

log = logging.getLogger(__name__)


async def changelog_end(settings: Settings, topic: str) -> int:
    """The next offset to be written to the changelog partition."""
    consumer = _consumer(settings)
    await consumer.start()
    try:
        partition = TopicPartition(topic, 0)
        ends = await consumer.end_offsets([partition])
        return int(ends[partition])
    finally:
        await consumer.stop()


def _consumer(settings: Settings) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_bytes=16 * 1024 * 1024,
        **aiokafka_security(settings),
    )


async def catch_up(store: ChangelogStore, settings: Settings, topic: str) -> int:
    """Apply every changelog record after the store's applied offset; return how many."""
    started = time.monotonic()
    consumer = _consumer(settings)
    await consumer.start()
    applied = 0
    try:
        partition = TopicPartition(topic, 0)
        consumer.assign([partition])
        end = int((await consumer.end_offsets([partition]))[partition])
        next_offset = store.applied_offset + 1
        if next_offset >= end:
            return 0
        beginning = int((await consumer.beginning_offsets([partition]))[partition])
        consumer.seek(partition, max(next_offset, beginning))
        while next_offset < end:
            batches = await consumer.getmany(partition, timeout_ms=1000)
            for message in batches.get(partition, []):
                if message.value is not None:
                    store.apply(message.value)
                    applied += 1
                next_offset = message.offset + 1
            store.mark_applied(next_offset - 1)
    finally:
        await consumer.stop()
    log.info(
        "dedup index caught up: %d changelog records in %.2fs", applied, time.monotonic() - started
    )
    return applied
