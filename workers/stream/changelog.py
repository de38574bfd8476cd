"""The dedup index's durable form: a local RocksDB plus a Kafka changelog of its write batches.

Every ``write`` the index makes is applied locally and queued as one changelog record. The
dedup agent publishes the queue (acks=all) before it publishes the batch's outputs, and notes
the last changelog offset it has applied in a file beside the database. A worker that gets
the dedup partition replays the changelog from that offset, so a restart on the same disk
replays only the tail, and a worker on another host rebuilds the index from the topic.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from pathlib import Path

from workers.pipeline.dedup.store import IndexStore, Put

_PUT = 1
_DELETE = 2
_HEADER = struct.Struct(">BII")


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
    """An IndexStore that applies writes locally and queues them for the Kafka changelog."""

    def __init__(self, local: IndexStore, offset_file: Path) -> None:
        self._local = local
        self._offset_file = offset_file
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
        try:
            return int(self._offset_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return -1

    def mark_applied(self, offset: int) -> None:
        """Record that the local database reflects the changelog up to ``offset``."""
        temporary = self._offset_file.with_suffix(".tmp")
        temporary.write_text(str(offset))
        temporary.replace(self._offset_file)
