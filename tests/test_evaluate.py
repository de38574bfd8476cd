"""Precision, recall, F1 and the misclassified list of workers.evaluate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workers.evaluate import evaluate, evaluate_file, format_report, record_to_article


def _predicted(record: dict[str, object]) -> list[str]:
    labels = record["predict"]
    assert isinstance(labels, list)
    return [str(label) for label in labels]


def test_metrics_on_a_hand_computed_example() -> None:
    """Counts, precision, recall and F1 match a worked example; wrong sets are listed by id."""
    records: list[dict[str, object]] = [
        {"id": "a", "gold": ["military"], "predict": ["military"]},
        {"id": "b", "gold": ["military", "diplomatic"], "predict": ["military"]},
        {"id": "c", "gold": [], "predict": ["diplomatic"]},
        {"id": "d", "gold": ["diplomatic"], "predict": ["diplomatic"]},
        {"id": "e", "gold": [], "predict": ["military"]},
    ]
    report = evaluate(records, _predicted)
    military, diplomatic = report.labels["military"], report.labels["diplomatic"]
    # military: tp a,b; fp e; fn none -> P 2/3, R 1, F1 0.8
    assert (military.true_positives, military.false_positives, military.false_negatives) == (
        2,
        1,
        0,
    )
    assert military.precision == pytest.approx(2 / 3)
    assert military.recall == pytest.approx(1.0)
    assert military.f1 == pytest.approx(0.8)
    # diplomatic: tp d; fp c; fn b -> P 1/2, R 1/2, F1 0.5
    assert diplomatic.f1 == pytest.approx(0.5)
    assert report.macro_f1 == pytest.approx(0.65)
    assert report.misclassified == ["b", "c", "e"]
    assert report.records == 5


def test_label_never_predicted_nor_gold_scores_zero() -> None:
    """With no positives at all a label's precision, recall and F1 are 0, not a crash."""
    report = evaluate([{"id": "x", "gold": []}], lambda record: [])
    assert report.labels["military"].f1 == 0.0
    assert report.misclassified == []


def test_format_report_lists_every_label_and_the_macro_f1() -> None:
    """The text report names both labels, the macro-F1 and the misclassified ids."""
    report = evaluate([{"id": "x", "gold": ["military"]}], lambda record: [])
    text = format_report(report)
    assert "military" in text and "diplomatic" in text
    assert "macro-F1 0.000" in text and "x" in text.splitlines()[-1]


def test_record_to_article_joins_title_and_body() -> None:
    """The article text is title, blank line, body; without a title it is the body."""
    article = record_to_article({"id": "1", "source": "wire", "title": "T", "body": "B."})
    assert article.text == "T\n\nB." and article.title == "T"
    assert record_to_article({"id": "2", "body": "Only."}).text == "Only."


def test_evaluate_file_runs_the_pipeline(tmp_path: Path) -> None:
    """evaluate_file segments and classifies each JSON line and scores its topics."""
    path = tmp_path / "tiny.jsonl"
    lines = [
        {
            "id": "m",
            "title": "Shelling",
            "body": "Artillery pounded the town overnight.",
            "gold": ["military"],
        },
        {"id": "n", "body": "The bakery sold out of bread by noon.", "gold": []},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    report = evaluate_file(path)
    assert report.records == 2
    assert report.misclassified == []
    assert report.labels["military"].true_positives == 1
