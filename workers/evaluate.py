"""Score a labelled JSON-lines corpus against the pipeline's topic prediction.

Each record is ``{"id", "body", "gold": [...]}`` plus optional ``source`` and ``title``.
"""

from __future__ import annotations

import importlib
import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workers.pipeline.article import LABELS, Article
from workers.pipeline.classify import classify
from workers.pipeline.segment import segment

Predict = Callable[[dict[str, object]], list[str]]
StageFn = Callable[[Article], Article]


@dataclass(frozen=True, slots=True)
class LabelMetrics:
    """Precision, recall and F1 of one label, with the counts they come from."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    """Per-label metrics, their macro-F1 and the ids whose predicted label set was wrong."""

    records: int
    labels: dict[str, LabelMetrics]
    misclassified: list[str] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return sum(m.f1 for m in self.labels.values()) / len(self.labels) if self.labels else 0.0


def evaluate(records: Iterable[dict[str, object]], predict: Predict) -> Report:
    """Compare ``predict(record)`` with each record's ``gold`` labels."""
    counts = {label: [0, 0, 0] for label in LABELS}
    misclassified: list[str] = []
    total = 0
    for record in records:
        total += 1
        gold = set(_gold_labels(record))
        predicted = set(predict(record))
        for label, (tp_fp_fn) in counts.items():
            tp_fp_fn[0] += label in gold and label in predicted
            tp_fp_fn[1] += label not in gold and label in predicted
            tp_fp_fn[2] += label in gold and label not in predicted
        if gold != predicted:
            misclassified.append(str(record.get("id", total - 1)))
    labels = {label: LabelMetrics(*values) for label, values in counts.items()}
    return Report(total, labels, misclassified)


def format_report(report: Report) -> str:
    """A plain-text table of the report."""
    lines = [f"{'label':<12} {'precision':>9} {'recall':>7} {'f1':>6}   tp  fp  fn"]
    for label, m in report.labels.items():
        lines.append(
            f"{label:<12} {m.precision:>9.3f} {m.recall:>7.3f} {m.f1:>6.3f}  "
            f"{m.true_positives:>3} {m.false_positives:>3} {m.false_negatives:>3}"
        )
    lines.append(f"macro-F1 {report.macro_f1:.3f} over {report.records} records")
    if report.misclassified:
        lines.append(
            f"misclassified ({len(report.misclassified)}): " + ", ".join(report.misclassified)
        )
    return "\n".join(lines)


def read_records(path: Path) -> list[dict[str, object]]:
    """Read a JSON-lines corpus, skipping blank lines."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def record_to_article(record: dict[str, object]) -> Article:
    """Build the article the pipeline would receive for a corpus record."""
    title = str(record["title"]) if record.get("title") else None
    body = str(record["body"])
    article = Article(
        id=str(record.get("id", "")), source=str(record.get("source", "")), body=body, title=title
    )
    article.text = f"{title}\n\n{body}" if title else body
    return article


def predict_topics(record: dict[str, object]) -> list[str]:
    """Run normalise (if present), segment and classify; return the article topics."""
    article = _normalise_stage()(record_to_article(record))
    return classify(segment(article)).topics


def evaluate_file(path: Path) -> Report:
    """Evaluate the pipeline's topics on a JSON-lines corpus file."""
    return evaluate(read_records(path), predict_topics)


def _gold_labels(record: dict[str, object]) -> list[str]:
    gold = record.get("gold", [])
    if not isinstance(gold, list):
        raise ValueError(f"record {record.get('id')!r}: gold must be a list of labels")
    return [str(label) for label in gold]


def _nfc_normalise(article: Article) -> Article:
    article.text = unicodedata.normalize("NFC", article.text)
    if article.title is not None:
        article.title = unicodedata.normalize("NFC", article.title)
    return article


def _normalise_stage() -> StageFn:
    """The project's normalise stage when it exists, else plain NFC normalisation."""
    try:
        module = importlib.import_module("workers.pipeline.normalise")
    except ImportError:
        return _nfc_normalise
    stage = getattr(module, "normalise", None)
    return stage if callable(stage) else _nfc_normalise
