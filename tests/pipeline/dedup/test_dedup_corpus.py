"""The quality bar on the labelled reprint corpus (dev and holdout splits)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from workers.pipeline.dedup import Deduplicator, MemoryStore

CORPUS = Path(__file__).parents[2] / "data" / "dedup" / "reprints.jsonl"


@dataclass
class Score:
    """Counts of one split: copies linked to their first article, and wrong merges."""

    copies: int = 0
    linked: int = 0
    merged: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.linked / self.copies


def score_corpus() -> dict[str, Score]:
    """Run the corpus through one index in arrival order and score each split."""
    records = sorted(
        (json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()),
        key=lambda r: r["order"],
    )
    dedup = Deduplicator(MemoryStore())
    roots: dict[str, str] = {}
    scores: dict[str, Score] = {"dev": Score(), "holdout": Score()}
    for record in records:
        result = dedup.check(record["id"], record["body"], 1_700_000_000.0 + 60 * record["order"])
        score = scores[record["split"]]
        root = roots.setdefault(record["story"], record["id"])
        if root == record["id"]:
            if result.status != "unique":
                score.merged.append(f"{record['id']} -> {result.duplicate_of}")
            continue
        score.copies += 1
        if result.duplicate_of == root and result.cluster == root:
            score.linked += 1
        elif result.duplicate_of is not None:
            score.merged.append(f"{record['id']} -> {result.duplicate_of}")
    return scores


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    return score_corpus()


def test_corpus_shape() -> None:
    """The corpus has ≥25 multi-copy stories, ≥3 template series of 4 days, and two splits."""
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    by_story: dict[str, int] = {}
    for record in records:
        by_story[record["story"]] = by_story.get(record["story"], 0) + 1
    assert sum(1 for n in by_story.values() if n >= 3) >= 25
    assert sum(1 for story in by_story if story.endswith("-day4")) >= 3
    assert {r["split"] for r in records} == {"dev", "holdout"}


@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_copies_point_to_their_first_article(scores: dict[str, Score], split: str) -> None:
    """At least 95 % of copies name their story's first article as duplicate_of and cluster."""
    assert scores[split].recall >= 0.95, scores[split]


@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_no_distinct_stories_merged(scores: dict[str, Score], split: str) -> None:
    """No original is marked a duplicate and no copy is linked to another story."""
    assert scores[split].merged == []


if __name__ == "__main__":
    for name, result in score_corpus().items():
        print(f"{name}: {result.linked}/{result.copies} linked, merged={result.merged}")
