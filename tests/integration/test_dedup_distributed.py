"""Dedup holds across partitions, worker processes and restarts on the real broker."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from tests.integration.conftest import Deployment, WorkerProcess, collect, stop_worker, values
from tests.integration.test_worker_pipeline import _publish

pytestmark = pytest.mark.integration
SEED = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))[-1]


def _original_and_reprint() -> tuple[bytes, bytes]:
    lines = SEED.read_text().strip().splitlines()
    title, paragraphs = lines[0], [line for line in lines[1:] if line.strip()]
    original = {"id": "orig-1", "source": "wire", "title": title, "body": "\n".join(paragraphs)}
    trimmed = paragraphs[:-2]  # a syndicated copy: new headline, dateline, last paragraphs cut
    reprint = {
        "id": "reprint-1",
        "source": "portal",
        "title": "Storm Shadow strike and a summit called off",
        "body": "LONDON (Newswire) - " + "\n".join(trimmed),
    }
    return orjson.dumps(original), orjson.dumps(reprint)


def _dedup_of(deployment: Deployment, article_id: str) -> dict[str, object]:
    settings = deployment.settings
    seen = collect(
        settings,
        settings.output_topics,
        lambda s: any(orjson.loads(m.value).get("id") == article_id for _, m in s),
    )
    records = [
        r for t in settings.output_topics for r in values(seen, t) if r.get("id") == article_id
    ]
    assert records, f"{article_id} never came out"
    return dict(records[-1]["dedup"])


def test_reprint_on_another_partition_and_worker_points_to_the_original(
    deployment: Deployment, start_worker: Callable[..., WorkerProcess]
) -> None:
    """With two workers, a reprint on partition 3 points to its original on partition 0."""
    start_worker("w1")
    start_worker("w2")
    original, reprint = _original_and_reprint()
    _publish(deployment, [(b"orig-1", original)], partition=0)
    assert _dedup_of(deployment, "orig-1")["status"] == "unique"
    _publish(deployment, [(b"reprint-1", reprint)], partition=3)
    dedup = _dedup_of(deployment, "reprint-1")
    assert dedup["status"] == "near_duplicate"
    assert dedup["duplicate_of"] == "orig-1"
    assert dedup["cluster"] == "orig-1"


@pytest.mark.parametrize("same_disk", [True, False], ids=["restart-same-disk", "new-host"])
def test_index_survives_a_killed_worker(
    deployment: Deployment,
    start_worker: Callable[..., WorkerProcess],
    tmp_path: Path,
    same_disk: bool,
) -> None:
    """A worker killed after the original catches the reprint after restart or on a new host."""
    first = start_worker("w1")
    original, reprint = _original_and_reprint()
    _publish(deployment, [(b"orig-1", original)], partition=1)
    assert _dedup_of(deployment, "orig-1")["status"] == "unique"
    stop_worker(first, signal.SIGKILL)
    start_worker("w1" if same_disk else "w-new-host")
    _publish(deployment, [(b"reprint-1", reprint)], partition=2)
    dedup = _dedup_of(deployment, "reprint-1")
    assert (dedup["status"], dedup["duplicate_of"]) == ("near_duplicate", "orig-1")
