"""Tests of the validate stage: raw bytes to Article, or a reasoned rejection."""

from __future__ import annotations

import orjson
import pytest

from workers.errors import InvalidArticle
from workers.pipeline.validate import REASONS, article_id_for, validate

NOW = "2026-11-22T10:00:00.000Z"


def _reason(raw: bytes, max_bytes: int = 10_000) -> str:
    with pytest.raises(InvalidArticle) as caught:
        validate(raw, ingested_at=NOW, max_bytes=max_bytes)
    assert caught.value.reason in REASONS
    return caught.value.reason


def test_valid_record_becomes_article_with_its_fields() -> None:
    """A well-formed record keeps its id, source, title, body, url and timestamp."""
    raw = orjson.dumps(
        {
            "id": "a1",
            "source": "wire",
            "title": "Talks resume",
            "body": "Envoys met.",
            "url": "https://example.org/a1",
            "published_at": "2026-11-21T09:30:00Z",
        }
    )
    article = validate(raw, ingested_at=NOW, max_bytes=10_000)
    assert (article.id, article.source, article.title, article.body) == (
        "a1",
        "wire",
        "Talks resume",
        "Envoys met.",
    )
    assert article.url == "https://example.org/a1"
    assert article.ingested_at == NOW


def test_missing_id_is_derived_stably_from_content() -> None:
    """Two records with the same content and no id get the same derived id."""
    raw = orjson.dumps({"source": "wire", "body": "Shelling hit the town."})
    first = validate(raw, ingested_at=NOW, max_bytes=10_000)
    second = validate(raw, ingested_at=NOW, max_bytes=10_000)
    assert first.id == second.id == article_id_for("wire", None, "Shelling hit the town.")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "malformed_json"),
        (b"\xff\xfe\x00body", "invalid_utf8"),
        (b'{"body": "caf\xc3"}', "invalid_utf8"),
        (b'{"body": "\xed\xa0\x80"}', "invalid_utf8"),
        (b"[1, 2, 3]", "not_an_object"),
        (b'"just a string"', "not_an_object"),
        (b'{"title": "no body"}', "missing_body"),
        (b'{"body": "   "}', "missing_body"),
        (b'{"body": 42}', "wrong_type"),
        (b'{"body": "ok", "title": ["a"]}', "wrong_type"),
        (b'{"body": "ok", "published_at": "yesterday"}', "invalid_timestamp"),
    ],
)
def test_bad_input_is_rejected_with_its_reason(raw: bytes, reason: str) -> None:
    """Each kind of bad input raises InvalidArticle with the matching reason code."""
    assert _reason(raw) == reason


def test_oversize_record_is_rejected_before_parsing() -> None:
    """A record over the byte limit is rejected as oversize even if it is valid JSON."""
    raw = orjson.dumps({"body": "x" * 5000})
    assert _reason(raw, max_bytes=1024) == "oversize"
