"""The dedup index benchmark on a small run."""

from __future__ import annotations

from pathlib import Path

from workers.bench.dedup import run


def test_small_run_decides_every_article_and_reopens_its_index(tmp_path: Path) -> None:
    """Every article gets one decision, copies are found, and the closed index reopens."""
    figures = run(3000, path=tmp_path)
    statuses = figures["statuses"]
    assert sum(statuses.values()) == 3000
    assert statuses["duplicate"] > 0 and statuses["near_duplicate"] > 0
    assert 0 < figures["restart_to_ready_seconds"] < 5
    assert figures["index_bytes_per_article"] > 0
