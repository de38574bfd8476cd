"""``newsflow worker``: the Faust worker process."""

from __future__ import annotations

import asyncio

import click

from workers.settings import Settings


@click.command()
@click.option("--web-port", type=int, default=None, help="Port of /metrics, /healthz, /readyz.")
def worker(web_port: int | None) -> None:
    """Run the stream worker until interrupted (SIGINT/SIGTERM stop it cleanly)."""
    from faust.worker import Worker

    from workers.io.kafka import ensure_topics
    from workers.stream.app import create_app, topic_plan

    overrides = {"web_port": web_port} if web_port is not None else {}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    # Topics are created before Faust subscribes, or a broker that auto-creates topics would
    # make the raw topic with its default partition count.
    partitions, configs = topic_plan(settings)
    asyncio.run(ensure_topics(settings, partitions, configs))
    newsflow = create_app(settings)
    runner = Worker(newsflow.app, loglevel=settings.log_level.lower())
    try:
        runner.execute_from_commandline()
    finally:
        newsflow.dedup_state.close()
