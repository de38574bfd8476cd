"""At-least-once through a crash: a worker killed mid-stream loses nothing and stays idempotent."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.integration.conftest import Deployment, WorkerProcess, collect, stop_worker, values
from tests.integration.test_worker_pipeline import _publish

pytestmark = pytest.mark.integration
CORPUS = Path(__file__).resolve().parents[1] / "data" / "classify" / "dev_articles.jsonl"


def _articles() -> list[tuple[bytes, bytes]]:
    items = []
    for line in CORPUS.read_bytes().splitlines():
        record = orjson.loads(line)
        raw = {k: record[k] for k in ("id", "source", "title", "body") if k in record}
        items.append((record["id"].encode(), orjson.dumps(raw)))
    return items


def _ids_out(seen: list[tuple[str, Any]], topics: list[str]) -> set[str]:
    return {record["id"] for topic in topics for record in values(seen, topic)}


def test_worker_killed_mid_stream_loses_nothing_and_redelivery_is_not_a_duplicate(
    deployment: Deployment, start_worker: Callable[..., WorkerProcess]
) -> None:
    """After SIGKILL and restart every article comes out, none a duplicate of itself."""
    settings = deployment.settings
    outputs = [
        settings.topic_military,
        settings.topic_diplomatic,
        settings.topic_unclassified,
        settings.topic_duplicates,
    ]
    articles = _articles()
    expected = {key.decode() for key, _ in articles}
    # Offsets are committed only every 30 s here, so the kill always leaves work to redeliver.
    slow_commits = {"NEWSFLOW_COMMIT_INTERVAL_SECONDS": "30"}
    first = start_worker("w1", extra_env=slow_commits)
    _publish(deployment, articles)
    collect(settings, outputs, lambda seen: len(_ids_out(seen, outputs)) >= 20, timeout=120)
    stop_worker(first, signal.SIGKILL)
    start_worker("w1", extra_env=slow_commits)
    seen = collect(
        settings,
        [*outputs, settings.topic_dead_letter],
        lambda s: _ids_out(s, outputs) >= expected,
        timeout=180,
    )
    assert _ids_out(seen, outputs) == expected, "every article must come out after the crash"
    assert values(seen, settings.topic_dead_letter) == []
    keys = [(topic, message.key) for topic, message in seen if topic in outputs]
    assert len(keys) > len(set(keys)), "the crash should have made the worker redeliver records"
    for topic in outputs:
        for record in values(seen, topic):
            assert record["dedup"]["duplicate_of"] != record["id"], (
                f"{record['id']} was redelivered and wrongly called a duplicate of itself"
            )
