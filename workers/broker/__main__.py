"""Run the broker CLI as ``python -m workers.broker start|stop|install``."""

from __future__ import annotations

from workers.cli.broker import broker

if __name__ == "__main__":
    broker(prog_name="python -m workers.broker")
