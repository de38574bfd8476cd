"""Entry point of the ``newsflow`` console script."""

from __future__ import annotations

import click

from workers import __version__
from workers.cli.bench import bench
from workers.cli.broker import broker
from workers.cli.demo import demo
from workers.cli.evaluate import evaluate
from workers.cli.process import process
from workers.cli.replay import replay
from workers.cli.tail import tail
from workers.cli.worker import worker


@click.group()
@click.version_option(__version__, prog_name="newsflow")
def cli() -> None:
    """newsflow: classify, deduplicate and enrich news articles on Kafka."""


for command in (broker, worker, replay, process, tail, demo, evaluate, bench):
    cli.add_command(command)

if __name__ == "__main__":
    cli()
