"""Tests of the occurrence ledger that tells redeliveries from republications."""

from __future__ import annotations

from workers.ledger import OccurrenceLedger, occurrence_checker
from workers.pipeline.article import DedupResult
from workers.pipeline.dedup.store import MemoryStore

UNIQUE = DedupResult(status="unique", cluster="a1")


def test_same_occurrence_keeps_its_decision_and_a_new_one_is_a_duplicate() -> None:
    """A redelivery keeps the first decision; a new publication of the id is its duplicate."""
    check = occurrence_checker(MemoryStore())
    assert check("a1", "raw/0/5", 100.0, UNIQUE) == UNIQUE
    assert check("a1", "raw/0/5", 101.0, UNIQUE) == UNIQUE
    again = check("a1", "raw/2/9", 102.0, UNIQUE)
    assert (again.status, again.duplicate_of, again.cluster) == ("duplicate", "a1", "a1")


def test_republished_near_duplicate_points_to_its_story_root() -> None:
    """A republished copy of a near duplicate points to the story's first article."""
    check = occurrence_checker(MemoryStore())
    near = DedupResult("near_duplicate", "root", 0.8, "root")
    check("copy", "raw/1/1", 5.0, near)
    assert check("copy", "raw/1/2", 6.0, near).duplicate_of == "root"


def test_eviction_forgets_only_ids_first_seen_before_the_cutoff() -> None:
    """Evicting at a cutoff drops older ids and their time keys, and keeps newer ones."""
    store = MemoryStore()
    ledger = OccurrenceLedger(store)
    ledger.record("old", "raw/0/1", 1_000.0)
    ledger.record("new", "raw/0/2", 5_000.0)
    assert ledger.evict(cutoff=2_000.0) == 1
    assert ledger.first_occurrence("old") is None
    assert ledger.first_occurrence("new") == "raw/0/2"
    assert len(store.data) == 2, "one id key and one time key remain"
