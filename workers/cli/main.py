"""Entry point of the ``newsflow`` console script."""

from __future__ import annotations

import click


@click.group()
def cli() -> None:
    """newsflow: classify, deduplicate and enrich news articles on Kafka."""
