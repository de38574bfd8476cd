"""``newsflow bench``: benchmarks that print figures."""

from __future__ import annotations

from pathlib import Path

import click


def default_sources() -> list[Path]:
    """The seeds, plus the team's dev corpus when run from a checkout (more varied sentences)."""
    candidates = [Path("seeds"), Path("tests/data/classify/dev_articles.jsonl")]
    return [path for path in candidates if path.exists()]


@click.command()
@click.option(
    "--articles",
    default=2000,
    show_default=True,
    type=click.IntRange(min=10),
    help="Generated articles to process.",
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Files or directories whose sentences make the corpus (default: seeds/).",
)
@click.option(
    "--dedup-articles",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Also run the dedup index benchmark with this many articles (e.g. 1000000).",
)
def bench(articles: int, sources: tuple[Path, ...], dedup_articles: int) -> None:
    """Print articles/s/core of the whole in-process pipeline and microseconds per stage."""
    from workers.bench import pipeline

    pipeline.main(list(sources) or default_sources(), articles)
    if dedup_articles:
        import json

        from workers.bench import dedup

        click.echo("\ndedup index benchmark")
        click.echo(json.dumps(dedup.run(dedup_articles), indent=2))
