"""The dedup index's durable form: a local RocksDB plus a Kafka changelog of its write batches.

Every ``write`` the index makes is applied locally and queued as one changelog record. The
dedup agent publishes the queue (acks=all) before it publishes the batch's outputs, and notes
the last changelog offset it has applied under the key ``m:applied`` of the local database
itself. A worker that gets the dedup partition replays the changelog after that offset, so a
restart on the same disk replays only the tail, and a worker on another host rebuilds the
index from the topic.

The changelog is the durable log, so the local RocksDB runs without its write-ahead log: a
crash loses the memtables not yet flushed. Without a WAL, RocksDB recovers a prefix of the
writes (memtables are flushed whole and in order), so the applied offset read back after a
crash is the one written together with the data it describes: it never claims a batch the
database lost, and replaying from it re-applies any batch the database still holds, which
leaves every key with the value of its last batch, as without the crash.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from pathlib import Path

from workers.pipeline.dedup.store import IndexStore, Put

_PUT = 1
_DELETE = 2
_HEADER = struct.Struct(">BII")
_OFFSET = struct.Struct(">q")
APPLIED_KEY = b"m:applied"


def encode_batch(puts: Sequence[Put], deletes: Sequence[bytes]) -> bytes:
    """Serialise one write batch: deletes first, then puts, as length-prefixed entries."""
    parts: list[bytes] = []
    for key in deletes:
        parts += (_HEADER.pack(_DELETE, len(key), 0), key)
    for key, value in puts:
        parts += (_HEADER.pack(_PUT, len(key), len(value)), key, value)
    return b"".join(parts)


def decode_batch(data: bytes) -> tuple[list[Put], list[bytes]]:
    """Parse a batch written by :func:`encode_batch`."""
    puts: list[Put] = []
    deletes: list[bytes] = []
    position = 0
    while position < len(data):
        kind, key_len, value_len = _HEADER.unpack_from(data, position)
        position += _HEADER.size
        key = data[position : position + key_len]
        position += key_len
        if kind == _DELETE:
            deletes.append(key)
            continue
        puts.append((key, data[position : position + value_len]))
        position += value_len
    return puts, deletes


class ChangelogStore:
    """An IndexStore that applies writes locally and queues them for the Kafka changelog.

    ``legacy_offset_file`` is where earlier versions kept the applied offset (written after
    the data, which a WAL kept): it is read only while the database has no ``m:applied`` key
    yet, and removed once the key is written.
    """

    def __init__(self, local: IndexStore, legacy_offset_file: Path | None = None) -> None:
        self._local = local
        self._legacy_offset_file = legacy_offset_file
        self._pending: list[bytes] = []

    def get_many(self, keys: Sequence[bytes]) -> list[bytes | None]:
        """Values of ``keys`` from the local database."""
        return self._local.get_many(keys)

    def write(self, puts: Sequence[Put], deletes: Sequence[bytes] = ()) -> None:
        """Apply a batch locally and queue it for the changelog."""
        self._local.write(puts, deletes)
        self._pending.append(encode_batch(puts, deletes))

    def scan(self, start: bytes, stop: bytes) -> Iterator[tuple[bytes, bytes]]:
        """Items in ``[start, stop)`` from the local database."""
        return self._local.scan(start, stop)

    def flush(self) -> None:
        """Persist the local database (its writes have no WAL)."""
        self._local.flush()

    def close(self) -> None:
        """Close the local database."""
        self._local.close()

    def take_pending(self) -> list[bytes]:
        """The queued changelog records, emptying the queue."""
        pending, self._pending = self._pending, []
        return pending

    def apply(self, record: bytes) -> None:
        """Apply a batch read back from the changelog (no re-queueing)."""
        puts, deletes = decode_batch(record)
        self._local.write(puts, deletes)

    @property
    def applied_offset(self) -> int:
        """The last changelog offset reflected in the local database, -1 if none."""
        (raw,) = self._local.get_many([APPLIED_KEY])
        if raw is not None:
            return int(_OFFSET.unpack(raw)[0])
        return self._legacy_offset()

    def mark_applied(self, offset: int) -> None:
        """Record, in the local database's own write stream (not the changelog), that it
        reflects the changelog up to ``offset``."""
        self._local.write([(APPLIED_KEY, _OFFSET.pack(offset))])
        if self._legacy_offset_file is not None:
            self._legacy_offset_file.unlink(missing_ok=True)
            self._legacy_offset_file = None

    def _legacy_offset(self) -> int:
        if self._legacy_offset_file is None:
            return -1
        try:
            return int(self._legacy_offset_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return -1
