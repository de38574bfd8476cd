"""``newsflow bench``: benchmarks that print figures."""

from __future__ import annotations

from pathlib import Path

import click


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
    help="Files or directories whose sentences make the corpus (default: seeds/, dev corpus).",
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
    from workers.bench.corpus import default_sources

    pipeline.main(list(sources) or default_sources(), articles)
    if dedup_articles:
        import json

        from workers.bench import dedup

        click.echo("\ndedup index benchmark")
        click.echo(json.dumps(dedup.run(dedup_articles), indent=2))
