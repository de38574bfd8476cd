"""Tests of the dedup changelog encoding and the changelog-backed store."""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from workers.pipeline.dedup.store import MemoryStore, RocksStore
from workers.stream.changelog import APPLIED_KEY, ChangelogStore, decode_batch, encode_batch

ROOT = Path(__file__).resolve().parents[2]

keys = st.binary(min_size=1, max_size=40)


@given(st.lists(st.tuples(keys, st.binary(max_size=200)), max_size=20), st.lists(keys, max_size=10))
def test_batch_round_trips(puts: list[tuple[bytes, bytes]], deletes: list[bytes]) -> None:
    """Any batch of puts and deletes decodes to exactly what was encoded."""
    assert decode_batch(encode_batch(puts, deletes)) == (puts, deletes)


def test_replaying_the_changelog_rebuilds_the_same_store(tmp_path: Path) -> None:
    """Applying the queued batches to an empty store reproduces the original store."""
    original = ChangelogStore(MemoryStore(), tmp_path / "a.offset")
    original.write([(b"k1", b"v1"), (b"k2", b"v2")])
    original.write([(b"k3", b"v3")], deletes=[b"k1"])
    replica_local = MemoryStore()
    replica = ChangelogStore(replica_local, tmp_path / "b.offset")
    for record in original.take_pending():
        replica.apply(record)
    assert replica_local.data == {b"k2": b"v2", b"k3": b"v3"}
    assert original.take_pending() == []


def test_applied_offset_persists_in_the_local_store(tmp_path: Path) -> None:
    """The applied offset starts at -1 and survives a new changelog store over the same data."""
    local = MemoryStore()
    store = ChangelogStore(local)
    assert store.applied_offset == -1
    store.mark_applied(41)
    assert ChangelogStore(local).applied_offset == 41
    assert store.take_pending() == []


def test_legacy_offset_file_counts_until_the_offset_key_is_written(tmp_path: Path) -> None:
    """An offset file of an earlier version is read while the store has no offset key, and
    removed once the key is written."""
    legacy = tmp_path / "changelog.offset"
    legacy.write_text("17")
    local = MemoryStore()
    assert ChangelogStore(local, legacy).applied_offset == 17
    ChangelogStore(local, legacy).mark_applied(18)
    assert not legacy.exists()
    assert ChangelogStore(local, legacy).applied_offset == 18


_CRASHING_WORKER = """
import os, signal, struct, sys
from workers.bench.dedup import ArticleGenerator, fingerprint_article
from workers.pipeline.dedup.index import Deduplicator
from workers.pipeline.dedup.store import RocksStore
from workers.stream.changelog import ChangelogStore

db, changelog_path, articles = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = ChangelogStore(RocksStore(db, write_buffer_mb=1, write_ahead_log=False))
dedup = Deduplicator(store, clock=lambda: 1.7e9)
generator = ArticleGenerator(seed=7)
offset = -1
with open(changelog_path, "wb", buffering=0) as changelog:
    for i in range(articles):
        article = generator(f"article-{i}")
        dedup.check_fingerprint(article.article_id, fingerprint_article(article), 1.7e9 + i)
        for record in store.take_pending():
            changelog.write(struct.pack(">I", len(record)) + record)
            offset += 1
        if i % 10 == 9:
            store.mark_applied(offset)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _changelog_records(path: Path) -> list[bytes]:
    data, records, position = path.read_bytes(), [], 0
    while position < len(data):
        (length,) = struct.unpack_from(">I", data, position)
        records.append(data[position + 4 : position + 4 + length])
        position += 4 + length
    return records


def _contents(store: RocksStore) -> dict[bytes, bytes]:
    return {key: value for key, value in store.scan(b"", b"\xff") if key != APPLIED_KEY}


def test_killed_worker_without_wal_reopens_at_its_offset_and_replay_restores_the_index(
    tmp_path: Path,
) -> None:
    """After SIGKILL of a worker whose RocksDB has no WAL, the database holds exactly the
    changelog up to some batch at or after the applied offset, and replaying the changelog
    after that offset rebuilds the index the worker had."""
    db, changelog = tmp_path / "db", tmp_path / "changelog"
    worker = subprocess.run(
        [sys.executable, "-c", _CRASHING_WORKER, str(db), str(changelog), "1500"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=False,
    )
    assert worker.returncode == -signal.SIGKILL, worker.stderr.decode()
    records = _changelog_records(changelog)
    assert len(records) == 1500

    local = RocksStore(db, write_ahead_log=False)
    reopened = ChangelogStore(local)
    applied = reopened.applied_offset
    held = _contents(local)
    expected = MemoryStore()
    held_through = None  # the last batch of the changelog prefix the database holds
    for offset, record in enumerate(records):
        ChangelogStore(expected).apply(record)
        if len(expected.data) == len(held) and expected.data == held:
            held_through = offset
    assert held_through is not None, "the reopened database is no prefix of the changelog"
    assert 0 <= applied <= held_through < len(records) - 1  # flushed some, lost the rest

    for record in records[applied + 1 :]:
        reopened.apply(record)
    assert _contents(local) == expected.data
    reopened.close()


_STOPPING_WORKER = """
import asyncio, os, signal, sys
from pathlib import Path
from workers.pipeline.dedup.store import RocksStore
from workers.settings import Settings
from workers.stream.app import create_app
from workers.stream.changelog import ChangelogStore

db, shutdown = sys.argv[1], sys.argv[2] == "shutdown"
built = create_app(Settings(data_dir=Path(db).parent, worker_name="flush-test"))
built.app.finalize()
store = ChangelogStore(RocksStore(db, write_ahead_log=False))
built.dedup_state.adopt(store)
for i in range(200):
    store.write([(b"k%d" % i, b"v%d" % i)])
store.mark_applied(199)
if shutdown:
    asyncio.run(built.app.on_before_shutdown.send())
os.kill(os.getpid(), signal.SIGKILL)
"""


def _stop_then_kill(db: Path, shutdown: bool) -> tuple[int, int]:
    """Run a worker that writes 200 batches, optionally shuts down, then dies by SIGKILL;
    return the applied offset and the number of keys the reopened database holds."""
    worker = subprocess.run(
        [sys.executable, "-c", _STOPPING_WORKER, str(db), "shutdown" if shutdown else "crash"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=False,
    )
    assert worker.returncode == -signal.SIGKILL, worker.stderr.decode()
    local = RocksStore(db, write_ahead_log=False)
    try:
        return ChangelogStore(local).applied_offset, len(_contents(local))
    finally:
        local.close()


def test_worker_shutdown_flushes_the_index_it_writes_without_a_wal(tmp_path: Path) -> None:
    """The app's shutdown signal persists the WAL-less index, so even a kill right after it
    loses nothing, where a kill without it loses the unflushed writes."""
    assert _stop_then_kill(tmp_path / "stopped" / "db", shutdown=True) == (199, 200)
    assert _stop_then_kill(tmp_path / "crashed" / "db", shutdown=False) == (-1, 0)
