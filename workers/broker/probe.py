"""Ask a broker, with aiokafka, whether it really answers Kafka requests."""

from __future__ import annotations

import asyncio
import logging
import threading

REQUEST_TIMEOUT_MS = 3000


async def _describe(bootstrap: str) -> bool:
    """Return True if the cluster at ``bootstrap`` describes itself with at least one broker."""
    from aiokafka.admin import AIOKafkaAdminClient  # imported late: keeps workers.broker light

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=REQUEST_TIMEOUT_MS)
    try:
        await asyncio.wait_for(admin.start(), REQUEST_TIMEOUT_MS / 1000)
        cluster = await asyncio.wait_for(admin.describe_cluster(), REQUEST_TIMEOUT_MS / 1000)
        return bool(cluster.get("brokers"))
    except Exception:  # any failure means "not answering yet"
        return False
    finally:
        await admin.close()


def answers(bootstrap: str) -> bool:
    """Tell whether the broker at ``bootstrap`` answers a metadata request (safe inside a loop)."""
    result: list[bool] = []
    aiokafka_log = logging.getLogger("aiokafka")
    previous = aiokafka_log.level
    aiokafka_log.setLevel(logging.CRITICAL)  # connection refusals are expected while booting
    try:
        thread = threading.Thread(target=lambda: result.append(asyncio.run(_describe(bootstrap))))
        thread.start()
        thread.join()
    finally:
        aiokafka_log.setLevel(previous)
    return bool(result and result[0])
