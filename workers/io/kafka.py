"""Plain aiokafka clients for the command line tools: topic creation, publishing, reading."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from workers.settings import Settings
from workers.stream.security import aiokafka_security

_MAX_REQUEST_BYTES = 8 * 1024 * 1024


async def ensure_topics(
    settings: Settings,
    topics: dict[str, int],
    configs: dict[str, dict[str, str]] | None = None,
) -> None:
    """Create the named topics with these partition counts (and configs) where they do not exist."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers, **aiokafka_security(settings)
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(
                name,
                partitions,
                settings.replication_factor,
                topic_configs=(configs or {}).get(name, {}),
            )
            for name, partitions in topics.items()
            if name not in existing
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another worker was quicker
                await admin.create_topics(missing)
    finally:
        await admin.close()


def make_producer(settings: Settings) -> AIOKafkaProducer:
    """A producer that waits for all in-sync replicas and never duplicates on retry."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        max_request_size=_MAX_REQUEST_BYTES,
        linger_ms=5,
        **aiokafka_security(settings),
    )


async def read_topic(
    settings: Settings,
    topic: str,
    *,
    from_beginning: bool,
    idle_timeout: float | None = None,
) -> AsyncIterator[Any]:
    """Yield records of every partition of a topic, without a consumer group or commits."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=settings.bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
        max_partition_fetch_bytes=_MAX_REQUEST_BYTES,
        fetch_max_bytes=_MAX_REQUEST_BYTES * 2,
        metadata_max_age_ms=5000,
        **aiokafka_security(settings),
    )
    await consumer.start()
    try:
        last_seen = time.monotonic()
        while idle_timeout is None or time.monotonic() - last_seen < idle_timeout:
            batches = await consumer.getmany(timeout_ms=200)
            for messages in batches.values():
                for message in messages:
                    last_seen = time.monotonic()
                    yield message
    finally:
        await consumer.stop()
