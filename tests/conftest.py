"""Shared fixtures: one real Kafka broker for the test session and unique topic/group names."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator

import pytest

import workers.broker as local_broker


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield ``$KAFKA_BOOTSTRAP_SERVERS``, or the address of a broker started for this session."""
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        yield external
        return
    data_dir = tmp_path_factory.mktemp("kafka")
    local_broker.install()
    address = local_broker.start(port=local_broker.free_port(), data_dir=data_dir)
    try:
        yield address
    finally:
        local_broker.stop(data_dir)


@pytest.fixture
def unique_name(request: pytest.FixtureRequest) -> str:
    """Return a topic/group name unique to this test: the test name plus a short uuid."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", request.node.name).strip("-")[:200]
    return f"{base}-{uuid.uuid4().hex[:8]}"
