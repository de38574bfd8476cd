"""``newsflow evaluate``: precision, recall and F1 of the classifier on labelled JSON lines."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def evaluate(path: Path) -> None:
    """Score FILE.jsonl, whose lines carry a ``gold`` label list, against the classifier."""
    from workers.evaluate import evaluate_file, format_report

    click.echo(format_report(evaluate_file(path)))
