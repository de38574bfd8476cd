"""``newsflow tail``: print the records of a topic as JSON lines."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import sys

import click
import orjson

from workers.io.kafka import read_topic
from workers.settings import Settings


def render(value: bytes | None) -> bytes:
    """A record value as one JSON line: itself when it is JSON, else wrapped in base64."""
    if value is None:
        return b"null"
    try:
        return orjson.dumps(orjson.loads(value))
    except orjson.JSONDecodeError:
        return orjson.dumps({"value_base64": base64.b64encode(value).decode("ascii")})


async def _tail(topic: str, from_beginning: bool, limit: int | None, idle: float | None) -> int:
    count = 0
    out = sys.stdout.buffer
    async for message in read_topic(
        Settings(), topic, from_beginning=from_beginning, idle_timeout=idle
    ):
        out.write(render(message.value) + b"\n")
        out.flush()
        count += 1
        if limit is not None and count >= limit:
            break
    return count


@click.command()
@click.argument("topic")
@click.option("--from-beginning", is_flag=True, help="Start at the oldest record, not the newest.")
@click.option(
    "--max", "limit", type=click.IntRange(min=1), default=None, help="Stop after N records."
)
@click.option(
    "--idle-timeout",
    type=float,
    default=None,
    help="Stop after this many seconds without a record.",
)
def tail(topic: str, from_beginning: bool, limit: int | None, idle_timeout: float | None) -> None:
    """Print records of TOPIC, one JSON per line."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_tail(topic, from_beginning, limit, idle_timeout))
