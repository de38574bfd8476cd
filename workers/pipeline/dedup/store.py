"""Byte-keyed storage behind the dedup index: an in-memory dict or a tuned RocksDB."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

Put = tuple[bytes, bytes]


class IndexStore(Protocol):
    """The few operations the index needs; ``write`` applies puts and deletes atomically."""

    def get_many(self, keys: Sequence[bytes]) -> list[bytes | None]:
        """Values of ``keys`` in order, ``None`` where absent."""
        ...

    def write(self, puts: Sequence[Put], deletes: Sequence[bytes] = ()) -> None:
        """Apply deletes then puts as one atomic batch."""
        ...

    def scan(self, start: bytes, stop: bytes) -> Iterator[tuple[bytes, bytes]]:
        """Items with ``start <= key < stop`` in key order."""
        ...

    def flush(self) -> None:
        """Make every applied write durable on local disk."""
        ...

    def close(self) -> None:
        """Release resources; the store is unusable afterwards."""
        ...


class MemoryStore:
    """A dict-backed store for tests and the offline ``newsflow process`` command."""

    def __init__(self) -> None:
        self.data: dict[bytes, bytes] = {}

    def get_many(self, keys: Sequence[bytes]) -> list[bytes | None]:
        """Values of ``keys`` in order, ``None`` where absent."""
        return list(map(self.data.get, keys))

    def write(self, puts: Sequence[Put], deletes: Sequence[bytes] = ()) -> None:
        """Apply deletes then puts."""
        for key in deletes:
            self.data.pop(key, None)
        self.data.update(puts)

    def scan(self, start: bytes, stop: bytes) -> Iterator[tuple[bytes, bytes]]:
        """Items in ``[start, stop)`` in key order (a linear filter then a sort of the range)."""
        for key in sorted(key for key in self.data if start <= key < stop):
            yield key, self.data[key]

    def flush(self) -> None:
        """Nothing to persist."""

    def close(self) -> None:
        """Nothing to release."""


class RocksStore:
    """RocksDB (via rocksdict) tuned for point lookups: bloom filters, block cache, batches.

    ``write_ahead_log=False`` is for a store whose writes another durable log already holds
    (the dedup changelog): a crash then loses the writes not yet flushed to SST files, and
    what reopens is the database as it was after some earlier write (a prefix of the writes),
    so progress markers must be kept in the database itself. A clean :meth:`close` flushes.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        cache_mb: int = 64,
        write_buffer_mb: int = 8,
        write_ahead_log: bool = True,
    ) -> None:
        from rocksdict import (
            BlockBasedOptions,
            Cache,
            DBCompressionType,
            Options,
            Rdict,
            ReadOptions,
            WriteBatch,
            WriteOptions,
        )

        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        # Band keys are random, so data-block reads barely repeat and the OS page cache does
        # most of the caching; the block cache mainly keeps recent records (the candidates of
        # copies). At 1M articles: check mean 90 µs / RSS 360 MB with 64 MB, 104 µs / 296 MB
        # with 16 MB, 127 µs / 287 MB with 8 MB. Bloom filters and index blocks live in the
        # table readers (~40 MB at 1M articles with 10 bits per key). 14 bits per key cut the
        # false positives (each a data-block read) from 1.6 to 0.3 per check: ~34 keys miss
        # in ~5 sorted runs each (300k articles: check CPU 70 -> 59 µs with the ratio below).
        table = BlockBasedOptions()
        table.set_bloom_filter(14, False)
        table.set_block_cache(Cache(cache_mb << 20))
        table.set_format_version(5)
        table.set_block_size(8 << 10)
        options = Options(raw_mode=True)
        options.create_if_missing(True)
        options.set_block_based_table_factory(table)
        options.set_write_buffer_size(write_buffer_mb << 20)
        options.set_max_write_buffer_number(3)
        options.set_level_compaction_dynamic_level_bytes(True)
        options.set_max_background_jobs(2)
        options.set_memtable_whole_key_filtering(True)
        # A memtable bloom of 10 % of the write buffer (~8 bits per entry) instead of 1 %
        # (~3): a miss then rarely searches the skip list.
        options.set_memtable_prefix_bloom_ratio(0.1)
        # Values are hashes and sequence numbers, which do not compress; compressing them only
        # burns background CPU that the single decision thread competes with (p99 1.8 ms -> 0.3
        # ms at 200k articles on two cores).
        options.set_compression_type(DBCompressionType.none())
        write_options = WriteOptions()
        # A property in rocksdict 0.3.29, although its stub declares a method.
        write_options.disable_wal = not write_ahead_log  # type: ignore[method-assign,assignment]
        read_options = ReadOptions()
        read_options.set_verify_checksums(False)
        # Name the default column family's options explicitly: otherwise rocksdict reopens an
        # existing database with the options stored in its OPTIONS file, which lose the bloom
        # filter policy (every miss then reads a data block: 10x slower lookups).
        self._db = Rdict(str(self.path), options, column_families={"default": options})
        # Set once: options passed per call are converted to RocksDB's on every call.
        self._db.set_read_options(read_options)
        self._db.set_write_options(write_options)
        self._new_batch: Callable[[], Any] = lambda: WriteBatch(raw_mode=True)

    def get_many(self, keys: Sequence[bytes]) -> list[bytes | None]:
        """Values of ``keys`` in order (one RocksDB multi-get)."""
        values: list[bytes | None] = (
            self._db.get(keys if isinstance(keys, list) else list(keys)) or []
        )
        return values

    def write(self, puts: Sequence[Put], deletes: Sequence[bytes] = ()) -> None:
        """Apply deletes then puts in one WriteBatch."""
        batch = self._new_batch()
        for key in deletes:
            batch.delete(key)
        deque(itertools.starmap(batch.put, puts), maxlen=0)  # the loop in C
        self._db.write(batch)

    def scan(self, start: bytes, stop: bytes) -> Iterator[tuple[bytes, bytes]]:
        """Items in ``[start, stop)`` in key order."""
        for key, value in self._db.items(from_key=start):
            assert isinstance(key, bytes) and isinstance(value, bytes)
            if key >= stop:
                return
            yield key, value

    def flush(self) -> None:
        """Flush memtables to SST files: without a WAL, what a crash cannot lose."""
        self._db.flush()

    def close(self) -> None:
        """Close the database."""
        self._db.close()
