"""Decisions, idempotency, retention and persistence of the dedup index."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.pipeline.dedup import Deduplicator, MemoryStore, RocksStore
from workers.pipeline.dedup.index import Record

DAY = 86400.0
STORY = (
    "Ukrainian naval drones struck a Russian patrol ship near the port of Novorossiysk early on "
    "Sunday, a source in Ukraine's SBU security service told reporters.\n"
    "The source said five Sea Baby drones took part in the attack and that at least two hit the "
    "vessel, causing serious damage. The claim could not be independently verified.\n"
    "Russia's defence ministry said its forces had destroyed six unmanned boats heading for "
    "Novorossiysk but did not mention any damage to ships.\n"
    "Residents posted videos on social media showing flashes and tracer fire over the bay."
)
OTHER = (
    "Finnish police said on Sunday they had seized a tanker suspected of damaging an undersea "
    "power cable between Finland and Estonia by dragging its anchor along the seabed.\n"
    "The Estlink 2 cable was disconnected on Christmas Day, and repairs are expected to take "
    "several months, grid operator Fingrid said."
)
DAY1 = (
    "Russian air defence systems destroyed 57 Ukrainian drones overnight over the Bryansk and "
    "Kursk regions, the defence ministry said on Tuesday. There was no immediate information "
    "about damage or casualties."
)
DAY2 = (
    "Russian air defence systems destroyed 43 Ukrainian drones overnight over the Belgorod and "
    "Voronezh regions, the defence ministry said on Wednesday. There was no immediate "
    "information about damage or casualties."
)


@pytest.fixture
def dedup() -> Deduplicator:
    return Deduplicator(MemoryStore(), clock=lambda: 1000.0)


def test_first_article_is_unique_and_roots_its_cluster(dedup: Deduplicator) -> None:
    """The first article of a story is unique and is its own cluster."""
    result = dedup.check("a", STORY, 1000.0)
    assert (result.status, result.duplicate_of, result.cluster) == ("unique", None, "a")


def test_exact_copy_with_new_dateline_is_duplicate(dedup: Deduplicator) -> None:
    """A copy that differs only by dateline, byline and credit is an exact duplicate (sim 1)."""
    dedup.check("a", STORY, 1000.0)
    copy = "By Anna Shevchuk\nKYIV (Reuters) - " + STORY + "\nReporting by X; Editing by Y"
    result = dedup.check("b", copy, 1010.0)
    assert (result.status, result.duplicate_of, result.similarity) == ("duplicate", "a", 1.0)


def test_copies_point_to_the_first_article_not_the_nearest(dedup: Deduplicator) -> None:
    """A copy of a copy gets the story's first article as duplicate_of and cluster."""
    dedup.check("a", STORY, 1000.0)
    trimmed = "\n".join(STORY.splitlines()[:3])
    assert dedup.check("b", trimmed, 1001.0).duplicate_of == "a"
    reworded = trimmed.replace("took part in", "were used in").replace("Residents", "People")
    result = dedup.check("c", reworded + "\nThe port is a key oil terminal.", 1002.0)
    assert (result.status, result.duplicate_of, result.cluster) == ("near_duplicate", "a", "a")
    assert 0.0 < result.similarity <= 1.0


def test_different_stories_stay_apart(dedup: Deduplicator) -> None:
    """Unrelated stories are both unique."""
    dedup.check("a", STORY, 1000.0)
    assert dedup.check("b", OTHER, 1001.0).status == "unique"


def test_template_reports_of_different_days_are_not_merged(dedup: Deduplicator) -> None:
    """Daily reports from one template with other numbers and places are different stories."""
    dedup.check("d1", DAY1, 1000.0)
    assert dedup.check("d2", DAY2, 1000.0 + DAY).status == "unique"
    again = dedup.check("d1-copy", "MOSCOW (Reuters) - " + DAY1, 1000.0 + DAY + 60)
    assert again.duplicate_of == "d1"


def test_threshold_controls_near_duplicate_decision() -> None:
    """A lightly re-worded copy matches at the default threshold but not at a strict one."""
    half = STORY.replace("took part in", "were used in").replace("Residents", "People")
    loose, strict = Deduplicator(MemoryStore()), Deduplicator(MemoryStore(), threshold=0.99)
    for index in (loose, strict):
        index.check("a", STORY, 1000.0)
    assert loose.check("b", half, 1001.0).status == "near_duplicate"
    strict_result = strict.check("b", half, 1001.0)
    assert strict_result.status == "unique"


def test_redelivery_returns_first_result_and_adds_nothing(dedup: Deduplicator) -> None:
    """Checking the same id and content again returns the original result and writes nothing."""
    dedup.check("a", STORY, 1000.0)
    first = dedup.check("b", STORY, 1001.0)
    store = dedup.store
    assert isinstance(store, MemoryStore)
    before = dict(store.data)
    assert dedup.check("b", STORY, 1002.0) == first
    assert dedup.check("a", STORY, 1003.0).status == "unique"
    assert store.data == before


def test_entries_older_than_retention_are_evicted() -> None:
    """evict() removes every key of expired articles, and later copies no longer match them."""
    store = MemoryStore()
    dedup = Deduplicator(store, retention_seconds=DAY, clock=lambda: 0.0)
    dedup.check("old", STORY, 0.0)
    dedup.check("new", OTHER, 0.5 * DAY)
    assert dedup.evict(now=1.2 * DAY) == 1
    records = [key for key in store.data if key.startswith(b"r:")]
    assert records == [b"r:" + (1).to_bytes(8, "big")]
    assert dedup.check("copy", STORY, 1.3 * DAY).status == "unique"
    assert dedup.evict(now=10 * DAY) == 2
    assert set(store.data) == {b"m:seq", b"m:low"}


def test_expired_entries_are_ignored_before_eviction() -> None:
    """An article older than the window never matches, even if evict() has not run yet."""
    dedup = Deduplicator(MemoryStore(), retention_seconds=DAY)
    dedup.check("old", STORY, 0.0)
    assert dedup.check("copy", STORY, 2 * DAY).status == "unique"


def test_record_round_trip() -> None:
    """A stored record decodes to the same fields it was encoded from."""
    dedup = Deduplicator(MemoryStore())
    dedup.check("a", STORY, 5.0)
    dedup.check("é-b", STORY, 6.0)
    store = dedup.store
    assert isinstance(store, MemoryStore)
    record = Record.decode(1, store.data[b"r:" + (1).to_bytes(8, "big")])
    assert (record.article_id, record.root_id, record.status) == ("é-b", "a", "duplicate")
    assert Record.decode(1, record.encode()).encode() == record.encode()


@pytest.mark.parametrize("write_ahead_log", [True, False], ids=["wal", "no-wal"])
def test_rocks_store_persists_across_reopen(tmp_path: Path, write_ahead_log: bool) -> None:
    """After closing and reopening RocksDB, copies still match and sequence numbers continue."""
    path = tmp_path / "index"
    store = RocksStore(path, write_ahead_log=write_ahead_log)
    dedup = Deduplicator(store)
    dedup.check("a", STORY, 1000.0)
    store.close()
    reopened = RocksStore(path, write_ahead_log=write_ahead_log)
    dedup = Deduplicator(reopened)
    assert dedup.check("b", "KYIV (AP) - " + STORY, 1001.0).duplicate_of == "a"
    assert dedup.check("c", OTHER, 1002.0).status == "unique"
    assert dedup.check("a", STORY, 1003.0).status == "unique"
    assert dedup.evict(now=1003.0 + 30 * DAY) == 3
    reopened.close()


def test_rocks_store_keeps_bloom_filters_after_reopen(tmp_path: Path) -> None:
    """Reopening an existing RocksStore keeps the bloom filter policy (fast misses)."""
    RocksStore(tmp_path / "db").close()
    RocksStore(tmp_path / "db").close()
    options = sorted((tmp_path / "db").glob("OPTIONS-*"))[-1].read_text()
    assert "filter_policy=bloomfilter" in options
