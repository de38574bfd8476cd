"""``newsflow demo``: see the whole product work on a real broker in about a minute."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--seeds",
    type=click.Path(exists=True, path_type=Path),
    default=Path("seeds"),
    show_default=True,
    help="Seed documents to replay.",
)
@click.option(
    "--workdir",
    type=click.Path(path_type=Path),
    default=Path("var/demo"),
    show_default=True,
    help="Scratch directory, wiped before and after.",
)
def demo(seeds: Path, workdir: Path) -> None:
    """Start Kafka and a worker, replay the seeds twice, print what came out, stop everything."""
    from workers.io.demo import run_demo

    if not run_demo(seeds, workdir):
        raise SystemExit(1)
