"""The validate stage: raw record bytes become an Article, or an InvalidArticle with a reason."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import orjson

from workers.errors import InvalidArticle
from workers.pipeline.article import Article

STEP = "validate"

REASONS: tuple[str, ...] = (
    "oversize",
    "invalid_utf8",
    "malformed_json",
    "not_an_object",
    "missing_body",
    "wrong_type",
    "invalid_timestamp",
)

_OPTIONAL_STRINGS = ("id", "title", "url", "published_at", "language", "source")


def article_id_for(source: str, title: str | None, body: str) -> str:
    """Derive a stable id from an article's content: a replay of the same content keeps its id."""
    digest = hashlib.blake2b(digest_size=10)
    for part in (source, title or "", body):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def decode_record(raw: bytes, *, max_bytes: int) -> dict[str, Any]:
    """Decode raw bytes to a JSON object, raising InvalidArticle with a stable reason code."""
    if len(raw) > max_bytes:
        raise InvalidArticle("oversize", f"record is {len(raw)} bytes, limit is {max_bytes}")
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        # orjson rejects invalid UTF-8 too; decoding only on failure tells the two apart.
        _check_utf8(raw)
        raise InvalidArticle("malformed_json", str(exc)) from exc
    if not isinstance(value, dict):
        raise InvalidArticle("not_an_object", f"expected a JSON object, got {type(value).__name__}")
    return value


def _check_utf8(raw: bytes) -> None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidArticle("invalid_utf8", str(exc)) from exc


def _check_types(record: dict[str, Any]) -> None:
    body = record.get("body")
    if body is None or (isinstance(body, str) and not body.strip()):
        raise InvalidArticle("missing_body", "field 'body' is missing or empty")
    if not isinstance(body, str):
        raise InvalidArticle(
            "wrong_type", f"field 'body' must be a string, got {type(body).__name__}"
        )
    for name in _OPTIONAL_STRINGS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise InvalidArticle(
                "wrong_type", f"field {name!r} must be a string, got {type(value).__name__}"
            )


def _check_timestamp(value: str | None) -> None:
    if value is None:
        return
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidArticle(
            "invalid_timestamp", f"published_at {value!r} is not an RFC 3339 timestamp"
        ) from exc


def article_from_record(record: dict[str, Any], *, ingested_at: str) -> Article:
    """Build an Article from a decoded raw record, checking field presence and types."""
    _check_types(record)
    _check_timestamp(record.get("published_at"))
    source = record.get("source") or "unknown"
    title = record.get("title") or None
    body: str = record["body"]
    return Article(
        id=record.get("id") or article_id_for(source, title, body),
        source=source,
        title=title,
        body=body,
        url=record.get("url") or None,
        published_at=record.get("published_at") or None,
        language=record.get("language") or None,
        ingested_at=ingested_at,
    )


def validate(raw: bytes, *, ingested_at: str, max_bytes: int) -> Article:
    """Turn raw record bytes into an Article or raise InvalidArticle saying why not."""
    return article_from_record(decode_record(raw, max_bytes=max_bytes), ingested_at=ingested_at)
