"""``newsflow broker``: install, start and stop the real local Kafka broker."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from workers.broker import DEFAULT_PORT, default_data_dir, install, start, stop
from workers.errors import BrokerError

_DATA_DIR_HELP = "Broker data dir (server.properties, pid file, logs); default ./var/kafka."


def _data_dir(value: Path | None) -> Path:
    """Return the data dir the user chose, or the default ``var/kafka``."""
    return value if value is not None else default_data_dir()


@click.group()
def broker() -> None:
    """Run a real single-node Apache Kafka broker (KRaft) on this machine."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")


@broker.command("install")
def install_cmd() -> None:
    """Download the Kafka broker jars with Maven (once; cached)."""
    try:
        libs = install()
    except BrokerError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Kafka jars in {libs}")


@broker.command("start")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="PLAINTEXT port on localhost.")  # fmt: skip
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=_DATA_DIR_HELP)  # fmt: skip
def start_cmd(port: int, data_dir: Path | None) -> None:
    """Start the broker (or reuse the running one) and print its bootstrap address last."""
    try:
        bootstrap = start(port=port, data_dir=_data_dir(data_dir))
    except BrokerError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(bootstrap)


@broker.command("stop")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=_DATA_DIR_HELP)  # fmt: skip
def stop_cmd(data_dir: Path | None) -> None:
    """Stop the broker started from the data dir; do nothing if none is running."""
    directory = _data_dir(data_dir)
    try:
        stopped = stop(directory)
    except BrokerError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"stopped the Kafka broker of {directory}" if stopped
               else f"no Kafka broker running for {directory}")  # fmt: skip
