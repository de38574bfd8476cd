"""Shared helpers for reading the shipped enrichment data files and normalising keys."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a tab-separated data file, skipping blank and ``#`` comment lines."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def split_list(field: str, sep: str = ";") -> list[str]:
    """Non-empty items of a separator-joined field."""
    return [item.strip() for item in field.split(sep) if item.strip()]


def column(row: list[str], index: int) -> str:
    """A row's field, or "" when the row is shorter."""
    return row[index] if index < len(row) else ""


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, accent-free, apostrophe-free form used as a place / person key."""
    text = text.replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(text.lower().replace("'", "").split())


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """Key ignoring case, spaces, hyphens and slashes: "Kh-101" == "KH 101" == "kh101"."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def char_class(char: str) -> int:
    """Bits of Python's own predicates on a character, for the compiled scanners:
    ``isalnum`` 1, ``isspace`` 2, ``isdecimal`` 4, ``isdigit`` 8."""
    return char.isalnum() * 1 + char.isspace() * 2 + char.isdecimal() * 4 + char.isdigit() * 8


@lru_cache(maxsize=1)
def char_classes() -> bytes:
    """``char_class`` of every code point of the Basic Multilingual Plane, one byte each."""
    return bytes(char_class(chr(code)) for code in range(0x10000))


def strip_possessive(text: str) -> str:
    """Drop a trailing possessive ("Russia's" -> "Russia")."""
    for suffix in ("'s", "’s", "s'", "s’"):
        if text.endswith(suffix):
            return text[:-2] if suffix[0] in "'’" else text[:-1]
    return text


def add_start(starts: dict[str, int], key: str) -> None:
    """Remember that a folded key starts with its first word and spans that many words."""
    words = key.split()
    if words:
        starts[words[0]] = max(starts.get(words[0], 0), len(words))


CALENDAR_WORDS = frozenset(
    (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    )
)
"""Capitalised month and day names: never a person or a place."""
