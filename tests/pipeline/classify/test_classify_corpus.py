"""The classifier against the hand-labelled development corpus, and the corpus files' shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workers.evaluate import evaluate_file, read_records
from workers.pipeline.article import LABELS

DATA = Path(__file__).resolve().parents[2] / "data" / "classify"
CORPUS_FILES = ["dev_articles", "dev_sentences", "holdout_articles", "holdout_sentences"]


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_records_are_well_formed(name: str) -> None:
    """Every record has a unique id, a body and gold labels drawn from LABELS."""
    records = read_records(DATA / f"{name}.jsonl")
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids))
    for record in records:
        assert isinstance(record["body"], str) and record["body"].strip()
        assert set(_gold(record)) <= set(LABELS)


def _gold(record: dict[str, object]) -> list[str]:
    gold = record["gold"]
    assert isinstance(gold, list)
    return [str(label) for label in gold]


def test_corpus_is_large_and_balanced() -> None:
    """At least 150 articles and 300 sentences, with all four label combinations present."""
    articles = read_records(DATA / "dev_articles.jsonl") + read_records(
        DATA / "holdout_articles.jsonl"
    )
    sentences = read_records(DATA / "dev_sentences.jsonl") + read_records(
        DATA / "holdout_sentences.jsonl"
    )
    assert len(articles) >= 150 and len(sentences) >= 300
    combinations = {json.dumps(sorted(_gold(record))) for record in articles}
    assert len(combinations) == 4


def test_dev_articles_macro_f1_floor() -> None:
    """Article-level macro-F1 on the development articles stays at or above 0.93."""
    report = evaluate_file(DATA / "dev_articles.jsonl")
    assert report.macro_f1 >= 0.93, report.misclassified


def test_dev_sentences_macro_f1_floor() -> None:
    """Stand-alone sentence macro-F1 on the development sentences stays at or above 0.90."""
    report = evaluate_file(DATA / "dev_sentences.jsonl")
    assert report.macro_f1 >= 0.90, report.misclassified


def test_holdout_floor() -> None:
    """The holdout, never used for tuning, stays above a looser floor (a regression alarm)."""
    assert evaluate_file(DATA / "holdout_articles.jsonl").macro_f1 >= 0.85
    assert evaluate_file(DATA / "holdout_sentences.jsonl").macro_f1 >= 0.80
