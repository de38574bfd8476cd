"""The offline ``newsflow process`` command, run as a user would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "workers.cli.main", "process", *args],
        capture_output=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    return [orjson.loads(line) for line in done.stdout.splitlines()]


def test_process_prints_one_schema_valid_record_per_input_and_dedups_a_second_pass() -> None:
    """Seeds given twice give four records: two unique routed articles, then two duplicates."""
    records = _run("seeds", "seeds")
    schema = json.loads((ROOT / "schemas" / "enriched-article.schema.json").read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert len(records) == 4
    for record in records:
        assert not list(validator.iter_errors(record))
    first, second = records[:2], records[2:]
    assert all(r["dedup"]["status"] == "unique" for r in first)  # type: ignore[index]
    assert all(r["routed_to"] == ["duplicates"] for r in second)
    assert [r["id"] for r in second] == [r["id"] for r in first]


def test_process_turns_bad_lines_into_dead_letters_in_place(tmp_path: Path) -> None:
    """A bad JSON line gives a dead-letter record at its position; good lines still process."""
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(
        b'{"id": "ok-1", "body": "The ministers met in Vienna to discuss the ceasefire."}\n'
        b'{"id": "bad", "body": 7}\n'
        b"not json at all\n"
    )
    records = _run(str(source))
    assert [r.get("reason") for r in records] == [None, "wrong_type", "malformed_json"]
    assert records[0]["id"] == "ok-1"
