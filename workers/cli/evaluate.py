"""``newsflow evaluate``: how the pipeline scores against gold annotations in JSON lines."""

from __future__ import annotations

from pathlib import Path

import click
import orjson


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def evaluate(path: Path) -> None:
    """Score FILE.jsonl against its gold annotations.

    Lines with ``gold`` (a label list) score the classifier: precision, recall, F1 per label,
    macro-F1 and the misclassified ids. Lines with ``people``/``places``/``weapons``,
    ``killed``/``injured`` or ``events`` also score enrichment. Lines with ``story`` and
    ``order`` are a reprint set and score deduplication.
    """
    from workers.scorecard import format_dedup, format_scorecard, score_dedup, score_enrichment

    records = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    if any("gold" in record for record in records):
        from workers.evaluate import evaluate_file, format_report

        click.echo(format_report(evaluate_file(path)))
    enrichment_fields = ("people", "places", "weapons", "killed", "injured", "events")
    if any(key in record for record in records for key in enrichment_fields):
        click.echo("\n" + format_scorecard(score_enrichment(records)))
    if records and all("story" in record and "order" in record for record in records):
        click.echo(format_dedup(score_dedup(records)))
