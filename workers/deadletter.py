"""Dead-letter records: the original bytes, the step that failed and why, as fields and headers."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import orjson

from workers.timeutil import utc_now_iso

_MAX_HEADER_DETAIL = 512


@dataclass(slots=True)
class SourcePosition:
    """Where a record was read from; absent fields are unknown (e.g. offline processing)."""

    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    timestamp: str | None = None


@dataclass(slots=True)
class DeadLetter:
    """A record that could not be processed, with everything needed to replay it."""

    step: str
    reason: str
    detail: str
    source_topic: str | None
    source_partition: int | None
    source_offset: int | None
    source_timestamp: str | None
    key_base64: str | None
    original_base64: str
    original_size: int
    failed_at: str
    worker: str


def make_dead_letter(
    *,
    step: str,
    reason: str,
    detail: str,
    original: bytes,
    key: bytes | None,
    position: SourcePosition,
    worker: str,
) -> DeadLetter:
    """Build the dead-letter record for one failed input."""
    return DeadLetter(
        step=step,
        reason=reason,
        detail=detail,
        source_topic=position.topic,
        source_partition=position.partition,
        source_offset=position.offset,
        source_timestamp=position.timestamp,
        key_base64=base64.b64encode(key).decode("ascii") if key is not None else None,
        original_base64=base64.b64encode(original).decode("ascii"),
        original_size=len(original),
        failed_at=utc_now_iso(),
        worker=worker,
    )


def dead_letter_headers(letter: DeadLetter) -> list[tuple[str, bytes]]:
    """The headers that repeat the failure, so consumers can filter without decoding the value."""
    headers = [
        ("newsflow-step", letter.step.encode()),
        ("newsflow-reason", letter.reason.encode()),
        ("newsflow-error", letter.detail[:_MAX_HEADER_DETAIL].encode("utf-8", "replace")),
        ("newsflow-worker", letter.worker.encode()),
    ]
    if letter.source_topic is not None:
        headers.append(("newsflow-source-topic", letter.source_topic.encode()))
    if letter.source_partition is not None:
        headers.append(("newsflow-source-partition", str(letter.source_partition).encode()))
    if letter.source_offset is not None:
        headers.append(("newsflow-source-offset", str(letter.source_offset).encode()))
    return headers


def dead_letter_bytes(letter: DeadLetter) -> bytes:
    """Serialise a dead letter as JSON."""
    return orjson.dumps(letter)


def original_bytes(letter_json: dict[str, object]) -> bytes:
    """Recover the original record bytes from a decoded dead-letter record."""
    return base64.b64decode(str(letter_json["original_base64"]))
