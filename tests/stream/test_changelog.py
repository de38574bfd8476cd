"""Tests of the dedup changelog encoding and the changelog-backed store."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from workers.pipeline.dedup.store import MemoryStore
from workers.stream.changelog import ChangelogStore, decode_batch, encode_batch

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


def test_applied_offset_persists_in_its_file(tmp_path: Path) -> None:
    """The applied offset starts at -1 and survives a new store over the same file."""
    store = ChangelogStore(MemoryStore(), tmp_path / "x.offset")
    assert store.applied_offset == -1
    store.mark_applied(41)
    assert ChangelogStore(MemoryStore(), tmp_path / "x.offset").applied_offset == 41
