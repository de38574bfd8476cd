"""Tests of reading seed text files and JSON-lines files into raw records."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from workers.errors import NewsflowError
from workers.io.sources import read_records, reads_as_headline, text_record

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_headline_detection() -> None:
    """Short lines without sentence punctuation read as headlines; sentences do not."""
    assert reads_as_headline("Drone strikes hit Odesa port overnight")
    assert not reads_as_headline("Drone strikes hit Odesa port overnight, officials said.")
    assert not reads_as_headline(" ".join(["word"] * 40))


def test_text_file_with_headline_splits_title_and_body(tmp_path: Path) -> None:
    """A .txt file whose first line is a headline becomes title + body with the file as source."""
    path = tmp_path / "story.txt"
    path.write_text(
        "Ceasefire talks open in Doha\nEnvoys met on Monday.\nThey agreed to meet again.\n"
    )
    record = orjson.loads(text_record(path).value)
    assert record["title"] == "Ceasefire talks open in Doha"
    assert record["body"] == "Envoys met on Monday.\nThey agreed to meet again."
    assert record["source"] == "story.txt"


def test_text_file_id_is_stable_across_reads() -> None:
    """Reading the same seed file twice gives the same id and key."""
    path = sorted(SEEDS.glob("*.txt"))[0]
    first, second = text_record(path), text_record(path)
    assert first.key == second.key
    assert orjson.loads(first.value)["id"] == first.key.decode()  # type: ignore[union-attr]


def test_jsonl_lines_are_published_byte_for_byte(tmp_path: Path) -> None:
    """JSON-lines records keep their exact bytes, invalid ones included, blank lines skipped."""
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "x1", "body": "a"}\n\n{broken\n\xff\xfe\n')
    records = list(read_records([path]))
    assert [r.value for r in records] == [b'{"id": "x1", "body": "a"}', b"{broken", b"\xff\xfe"]
    assert [r.key for r in records] == [b"x1", None, None]


def test_directory_is_read_in_sorted_order() -> None:
    """A directory yields its .txt files in name order."""
    names = [Path(r.origin).name for r in read_records([SEEDS])]
    assert names == sorted(p.name for p in SEEDS.glob("*.txt"))


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    """A path that does not exist raises a NewsflowError naming it."""
    with pytest.raises(NewsflowError, match="no such file"):
        list(read_records([tmp_path / "nope.jsonl"]))
