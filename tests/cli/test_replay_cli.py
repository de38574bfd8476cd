"""``newsflow replay`` and ``newsflow tail`` against the real broker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import orjson
import pytest

from workers.cli.replay import parse_rate

ROOT = Path(__file__).resolve().parents[2]


def _cli(bootstrap: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": bootstrap}
    return subprocess.run(
        [sys.executable, "-m", "workers.cli.main", *args],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_rate_accepts_plain_and_per_second_forms() -> None:
    """Rates like 50 and 2.5/s parse; zero and words are rejected."""
    assert parse_rate("50") == 50.0
    assert parse_rate("2.5/s") == 2.5
    for bad in ("0", "fast", "-3/s"):
        with pytest.raises(click.BadParameter):
            parse_rate(bad)


@pytest.mark.integration
def test_replay_loops_at_a_rate_and_tail_reads_it_back(
    kafka_bootstrap: str, unique_name: str
) -> None:
    """Replaying the seeds three times at 20/s sends six records that tail prints as JSON."""
    replayed = _cli(
        kafka_bootstrap, "replay", "seeds", "--topic", unique_name, "--loop", "3", "--rate", "20/s"
    )
    assert replayed.returncode == 0, replayed.stderr.decode()
    assert replayed.stdout.decode().startswith("sent 6, failed 0")
    tailed = _cli(kafka_bootstrap, "tail", unique_name, "--from-beginning", "--max", "6")
    assert tailed.returncode == 0, tailed.stderr.decode()
    records = [orjson.loads(line) for line in tailed.stdout.splitlines()]
    assert len(records) == 6
    assert {record["source"] for record in records} == {
        p.name for p in (ROOT / "seeds").glob("*.txt")
    }


def test_replay_of_a_missing_path_fails_clearly(kafka_bootstrap: str) -> None:
    """A path that does not exist is a usage error naming it, not a traceback."""
    result = _cli(kafka_bootstrap, "replay", "no/such/dir")
    assert result.returncode == 2
    assert b"no/such/dir" in result.stderr and b"Traceback" not in result.stderr
