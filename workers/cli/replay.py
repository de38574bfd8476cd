"""``newsflow replay``: publish seed documents and JSON-lines files to Kafka."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import click

from workers.io.replay import replay as publish
from workers.io.sources import read_records
from workers.settings import Settings


def parse_rate(value: str | None) -> float | None:
    """Parse ``N`` or ``N/s`` into records per second."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:/s)?\s*", value)
    if not match or float(match.group(1)) <= 0:
        raise click.BadParameter(f"expected a positive rate like 50 or 50/s, got {value!r}")
    return float(match.group(1))


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--topic", default=None, help="Topic to publish to (default: the raw topic).")
@click.option(
    "--rate", default=None, help="Records per second, e.g. 50/s (default: as fast as possible)."
)
@click.option(
    "--loop",
    "loops",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Publish everything this many times.",
)
def replay(paths: tuple[Path, ...], topic: str | None, rate: str | None, loops: int) -> None:
    """Publish .txt seed documents and .jsonl raw articles under PATHS to Kafka."""
    settings = Settings()
    records = list(read_records(paths))
    if not records:
        raise click.ClickException("no .txt or .jsonl records found")
    summary = asyncio.run(
        publish(
            records, settings, topic=topic or settings.topic_raw, rate=parse_rate(rate), loops=loops
        )
    )
    click.echo(
        f"sent {summary.sent}, failed {summary.failed} "
        f"to {topic or settings.topic_raw} in {summary.seconds:.2f}s"
    )
    if summary.failed:
        raise SystemExit(1)
