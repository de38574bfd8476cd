"""The normalise stage: Unicode NFC, clean whitespace, and the text the later stages read."""

from __future__ import annotations

import unicodedata

from workers.pipeline.article import Article

# Odd spaces become spaces, odd line breaks newlines, invisibles vanish. Regex scans cost
# 20-60 us each on a 4 KB article and str.translate is slow on non-ASCII text, so the
# translation runs only when a substring test (memchr-fast) finds one of these characters.
_SPACES = "\t\u00a0\u1680\u202f\u205f\u3000" + "".join(chr(c) for c in range(0x2000, 0x200B))
_BREAKS = "\u2028\u2029\x0b\x0c\x85"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_SPECIAL = tuple(_SPACES + _BREAKS + _INVISIBLE)
_TABLE = str.maketrans(
    {**dict.fromkeys(_SPACES, " "), **dict.fromkeys(_BREAKS, "\n"), **dict.fromkeys(_INVISIBLE)}
)


def _squeeze(value: str, run: str, single: str) -> str:
    while run in value:
        value = value.replace(run, single)
    return value


def clean_text(value: str) -> str:
    """Return NFC text with invisible characters removed, spaces collapsed and lines trimmed."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    if any(char in value for char in _SPECIAL):
        value = value.translate(_TABLE)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _squeeze(value, "  ", " ")
    value = "\n".join(line.strip() for line in value.split("\n"))
    return _squeeze(value, "\n\n\n", "\n\n").strip()


def normalise(article: Article) -> Article:
    """Clean title and body and set ``article.text`` to the title, a blank line, then the body."""
    article.body = clean_text(article.body)
    if article.title is not None:
        article.title = clean_text(article.title).replace("\n", " ") or None
    article.text = f"{article.title}\n\n{article.body}" if article.title else article.body
    return article
