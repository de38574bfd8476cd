"""The normalise stage: Unicode NFC, clean whitespace, and the text the later stages read."""

from __future__ import annotations

import re
import unicodedata

from workers import _native
from workers.pipeline.article import Article

# Odd spaces become spaces, odd line breaks newlines, invisibles vanish. A character-class
# regex scan costs ~10 us on a 4 KB article and str.translate is slow on non-ASCII text, so
# the translation runs only when substring tests (memchr-fast) find one of these characters.
# A title is short: there one regex search beats 28 substring tests and their loop.
_SPACES = "\t\u00a0\u1680\u202f\u205f\u3000" + "".join(chr(c) for c in range(0x2000, 0x200B))
_BREAKS = "\u2028\u2029\x0b\x0c\x85"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_SPECIAL = tuple(_SPACES + _BREAKS + _INVISIBLE)
_SPECIAL_CHAR = re.compile(f"[{re.escape(''.join(_SPECIAL))}]")
_SHORT_TEXT = 256
_TABLE = str.maketrans(
    {**dict.fromkeys(_SPACES, " "), **dict.fromkeys(_BREAKS, "\n"), **dict.fromkeys(_INVISIBLE)}
)
# Spaces are frequent, so ``"  " in text`` keeps stopping on false starts; sre's literal
# search finds a double space in about 60% of the time.
_DOUBLE_SPACE = re.compile("  ")


# NFC leaves a text alone when each of its characters is a starter (combining class 0) that is
# its own NFC and never the second of a canonical composition. The compiled core checks the
# characters below _NFC_TABLE_END against this table, computed from Python's unicodedata (so
# its Unicode version); a text with any other non-ASCII character takes the Python path.
# Hangul jamo compose algorithmically, outside the decomposition table: they are left out.
_NFC_TABLE_END = 0x2100
_HANGUL_JAMO = range(0x1100, 0x1200)


def _composition_seconds(end: int) -> frozenset[int]:
    """The characters below ``end`` that are the second of a canonical decomposition pair."""
    seconds: set[int] = set()
    for code in range(end):
        decomposition = unicodedata.decomposition(chr(code))
        parts = decomposition.split()
        if len(parts) == 2 and not decomposition.startswith("<"):
            seconds.add(int(parts[1], 16))
    return frozenset(seconds)


def _nfc_stable_table(end: int) -> bytes:
    seconds = _composition_seconds(end)

    def stable(code: int) -> bool:
        char = chr(code)
        return code < 0x80 or (
            unicodedata.combining(char) == 0
            and unicodedata.normalize("NFC", char) == char
            and code not in seconds
            and code not in _HANGUL_JAMO
        )

    return bytes(map(stable, range(end)))


_NATIVE_CLEAN = _native.CleanText(_nfc_stable_table(_NFC_TABLE_END), "".join(_SPECIAL))


def _squeeze(value: str, run: str, single: str) -> str:
    while run in value:
        value = value.replace(run, single)
    return value


def _has_special(value: str) -> bool:
    if len(value) < _SHORT_TEXT:
        return _SPECIAL_CHAR.search(value) is not None
    return any(char in value for char in _SPECIAL)


def clean_text(value: str) -> str:
    """Return NFC text with invisible characters removed, spaces collapsed and lines trimmed.

    Most texts are clean already: the compiled core recognises them in one pass, and
    :func:`clean_text_reference` (the definition) cleans the others.
    """
    return value if _NATIVE_CLEAN.is_clean(value) else clean_text_reference(value)


def clean_text_reference(value: str) -> str:
    """:func:`clean_text` in Python, for any text."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    if _has_special(value):
        value = value.translate(_TABLE)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _DOUBLE_SPACE.search(value) is not None:
        value = _squeeze(value, "  ", " ")
    lines = value.split("\n")
    stripped = list(map(str.strip, lines))
    if stripped != lines:  # str.strip returns the line itself when there is nothing to strip
        value = "\n".join(stripped)
    # Three newlines in a row need two empty lines next to each other.
    if stripped.count("") >= 2:
        value = _squeeze(value, "\n\n\n", "\n\n")
    return value.strip()


def normalise(article: Article) -> Article:
    """Clean title and body and set ``article.text`` to the title, a blank line, then the body."""
    article.body = clean_text(article.body)
    if article.title is not None:
        article.title = clean_text(article.title).replace("\n", " ") or None
    article.text = f"{article.title}\n\n{article.body}" if article.title else article.body
    return article
