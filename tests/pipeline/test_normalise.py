"""Tests of the normalise stage."""

from __future__ import annotations

from workers.pipeline.article import Article
from workers.pipeline.normalise import clean_text, normalise


def test_clean_text_composes_unicode_and_collapses_spaces() -> None:
    """Decomposed accents are composed, odd spaces collapse, invisible characters go."""
    raw = "Zaporizhzhia\u00a0 region:  cafe\u0301\u200b  closed\r\n\r\n\r\n\r\nNext line  "
    assert clean_text(raw) == "Zaporizhzhia region: caf\u00e9 closed\n\nNext line"


def test_normalise_sets_text_to_title_blank_line_body() -> None:
    """The article text is the cleaned title, a blank line, then the cleaned body."""
    article = normalise(Article(id="1", source="s", title=" Strike  on port ", body="Body  text."))
    assert article.title == "Strike on port"
    assert article.text == "Strike on port\n\nBody text."


def test_normalise_without_title_uses_body_alone() -> None:
    """Without a title the text is just the body."""
    article = normalise(Article(id="1", source="s", body=" Only body. "))
    assert article.text == "Only body."


def test_odd_characters_go_from_short_and_long_text_alike() -> None:
    """Odd spaces and invisible characters are cleaned the same in a title and in a body."""
    short = "a\u2009b\u200bc\u3000d"
    assert clean_text(short) == "a bc d"
    assert clean_text((short + " ") * 40) == " ".join(["a bc d"] * 40)
