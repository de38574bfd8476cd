"""``newsflow process``: the pipeline offline, one JSON line out per record in."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workers.io.offline import OfflinePipeline
from workers.io.sources import read_records
from workers.settings import Settings


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def process(paths: tuple[Path, ...]) -> None:
    """Run .txt and .jsonl records under PATHS through the pipeline and print JSON lines.

    Dedup state is kept across all inputs of one run. Records that fail come out as
    dead-letter records, so every input gives exactly one output line.
    """
    pipeline = OfflinePipeline(Settings())
    out = sys.stdout.buffer
    for line in pipeline.process_all(read_records(paths)):
        out.write(line + b"\n")
    out.flush()
