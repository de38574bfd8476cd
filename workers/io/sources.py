"""Turns seed text files and JSON-lines files into raw article records."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from workers.errors import NewsflowError
from workers.pipeline.validate import article_id_for

SUPPORTED_SUFFIXES = (".txt", ".jsonl")
_HEADLINE_MAX_CHARS = 160
_HEADLINE_MAX_WORDS = 24
_SENTENCE_END = re.compile(r"[.!;,]['\"\u2019\u201d)]?$")


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record to publish: its key, its exact bytes, and where it came from."""

    key: bytes | None
    value: bytes
    origin: str


def reads_as_headline(line: str) -> bool:
    """True for a short line that does not end like a sentence."""
    line = line.strip()
    return (
        0 < len(line) <= _HEADLINE_MAX_CHARS
        and len(line.split()) <= _HEADLINE_MAX_WORDS
        and not _SENTENCE_END.search(line)
    )


def text_record(path: Path) -> RawRecord:
    """A seed document: title is the first line when it reads as a headline, body the rest."""
    text = path.read_text(encoding="utf-8")
    first, _, rest = text.strip().partition("\n")
    title: str | None = None
    body = text.strip()
    if rest.strip() and reads_as_headline(first):
        title, body = first.strip(), rest.strip()
    source = path.name
    article_id = article_id_for(source, title, body)
    record = {"id": article_id, "source": source, "title": title, "body": body}
    return RawRecord(article_id.encode(), orjson.dumps(record), str(path))


def _key_of(line: bytes) -> bytes | None:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if isinstance(value, dict) and isinstance(value.get("id"), str) and value["id"]:
        return str(value["id"]).encode()
    return None


def jsonl_records(path: Path) -> Iterator[RawRecord]:
    """Each non-blank line, byte for byte: invalid lines reach the worker and its dead letters."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield RawRecord(_key_of(line), line, f"{path}:{number}")


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to read: given files as they are, directories searched for .txt and .jsonl files."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in SUPPORTED_SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise NewsflowError(f"no such file or directory: {path}")
    return files


def read_records(paths: Iterable[Path]) -> Iterator[RawRecord]:
    """All raw records from files and directories, in a stable order."""
    for path in expand_paths(paths):
        if path.suffix == ".txt":
            yield text_record(path)
        elif path.suffix == ".jsonl":
            yield from jsonl_records(path)
        else:
            raise NewsflowError(f"unsupported file type (use .txt or .jsonl): {path}")
