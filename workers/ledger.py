"""Tells a redelivery of the same raw record from a new publication of an article id.

A crash makes Kafka deliver a record again: same id, same raw position. That must give
the same output (idempotent by key). Publishing the same article again (a second replay)
is a new raw position: that copy is reported as a duplicate of the first.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import replace

from workers.pipeline.article import DedupResult
from workers.pipeline.dedup.store import IndexStore

OccurrenceCheckFn = Callable[[str, str, float, DedupResult], DedupResult]
_PREFIX = b"occ:"
_BY_TIME = b"occt:"  # occt:<8-byte big-endian second><id>, so expiry is one ordered range scan
_SEPARATOR = b"\x1f"


def _key(article_id: str) -> bytes:
    return _PREFIX + article_id.encode()


def _time_key(timestamp: float, article_id: str) -> bytes:
    return _BY_TIME + struct.pack(">Q", max(0, int(timestamp))) + article_id.encode()


class OccurrenceLedger:
    """Remembers where each article id was first seen, in the dedup index's store."""

    def __init__(self, store: IndexStore) -> None:
        self._store = store

    def first_occurrence(self, article_id: str) -> str | None:
        """The raw position where this id was first seen, if it was."""
        raw = self._store.get_many([_key(article_id)])[0]
        return raw.split(_SEPARATOR, 1)[1].decode() if raw is not None else None

    def record(self, article_id: str, occurrence: str, timestamp: float) -> None:
        """Remember the first occurrence of an id."""
        value = f"{timestamp:.3f}".encode() + _SEPARATOR + occurrence.encode()
        self._store.write([(_key(article_id), value), (_time_key(timestamp, article_id), b"")])

    def evict(self, cutoff: float) -> int:
        """Forget ids first seen before ``cutoff`` (epoch seconds), reading only those."""
        stop = _BY_TIME + struct.pack(">Q", max(0, int(cutoff)))
        expired = [key for key, _ in self._store.scan(_BY_TIME, stop)]
        if expired:
            ids = [key[len(_BY_TIME) + 8 :] for key in expired]
            self._store.write([], deletes=[*expired, *(_PREFIX + i for i in ids)])
        return len(expired)


def as_republication(first: DedupResult, article_id: str) -> DedupResult:
    """The result for a new publication of an id already seen: a duplicate of its story root."""
    root = first.duplicate_of or article_id
    return replace(
        first, status="duplicate", duplicate_of=root, similarity=1.0, cluster=first.cluster or root
    )


def occurrence_checker(store: IndexStore) -> OccurrenceCheckFn:
    """A Finisher occurrence check over this store: first sight kept, new sightings duplicates."""
    ledger = OccurrenceLedger(store)

    def check(
        article_id: str, occurrence: str, timestamp: float, result: DedupResult
    ) -> DedupResult:
        first = ledger.first_occurrence(article_id)
        if first is None:
            ledger.record(article_id, occurrence, timestamp)
            return result
        if first == occurrence:
            return result
        return as_republication(result, article_id)

    return check
