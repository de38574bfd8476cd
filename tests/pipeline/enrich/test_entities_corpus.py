"""Recall and precision of extract_entities on the hand-annotated entity corpus."""

from __future__ import annotations

import json
from pathlib import Path

from workers.pipeline.article import Person, Place, Weapon
from workers.pipeline.enrich.entities import find_entities

CORPUS = Path(__file__).resolve().parents[2] / "data" / "enrich" / "entities.jsonl"
KINDS = {"people": Person, "places": Place, "weapons": Weapon}


def score_corpus() -> dict[str, tuple[float, float]]:
    """Micro-averaged (recall, precision) per entity kind over the corpus."""
    counts = {kind: [0, 0, 0] for kind in KINDS}  # true positives, gold, predicted
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        entities = find_entities(row["text"])
        for kind, cls in KINDS.items():
            gold = set(row[kind])
            found = {e.name for e in entities if isinstance(e, cls)}
            counts[kind][0] += len(gold & found)
            counts[kind][1] += len(gold)
            counts[kind][2] += len(found)
    return {k: (tp / max(g, 1), tp / max(p, 1)) for k, (tp, g, p) in counts.items()}


def test_corpus_has_enough_articles() -> None:
    """The corpus holds at least forty annotated articles."""
    assert len(CORPUS.read_text(encoding="utf-8").splitlines()) >= 40


def test_recall_and_precision_floors() -> None:
    """People, places and weapons are found with high recall and reasonable precision."""
    scores = score_corpus()
    for kind in KINDS:
        recall, precision = scores[kind]
        assert recall >= 0.85, (kind, scores)
        assert precision >= 0.75, (kind, scores)
