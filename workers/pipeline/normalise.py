"""The normalise stage: Unicode NFC, clean whitespace, and the article text the later stages read."""

from __future__ import annotations

import re
import unicodedata

from workers.pipeline.article import Article

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_BLANK_RUNS = re.compile(r"\n{3,}")


def clean_text(value: str) -> str:
    """Return NFC text with invisible characters removed, spaces collapsed and lines trimmed."""
    value = unicodedata.normalize("NFC", value)
    value = _LINE_BREAKS.sub("\n", value)
    value = _INVISIBLE.sub("", value)
    value = _SPACES.sub(" ", value)
    lines = (line.strip() for line in value.split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def normalise(article: Article) -> Article:
    """Clean title and body and set ``article.text`` to the title, a blank line, then the body."""
    article.body = clean_text(article.body)
    if article.title is not None:
        article.title = clean_text(article.title).replace("\n", " ") or None
    article.text = f"{article.title}\n\n{article.body}" if article.title else article.body
    return article
