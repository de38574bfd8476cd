"""The same input gives the same output in every process, whatever its hash seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ["seeds", "tests/data/classify/holdout_articles.jsonl"]
VOLATILE = ("processed_at", "ingested_at", "pipeline")


def _outputs(hash_seed: str) -> list[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-m", "workers.cli.main", "process", *INPUTS],
        capture_output=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    lines = []
    for line in done.stdout.splitlines():
        record = orjson.loads(line)
        for key in VOLATILE:
            record.pop(key, None)
        lines.append(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
    return lines


def test_output_does_not_depend_on_the_hash_seed() -> None:
    """Two processes with different hash seeds produce byte-identical records."""
    first, second = _outputs("1"), _outputs("2")
    assert len(first) == len(second) > 50
    differing = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
    assert differing == [], f"records {differing[:5]} differ between processes"
