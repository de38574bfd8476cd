"""Fixtures that run real ``newsflow worker`` processes against the session's Kafka broker."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest

import workers.broker as local_broker
from workers.io.demo import http_get
from workers.io.kafka import read_topic
from workers.settings import Settings

pytestmark = pytest.mark.integration


@dataclass
class WorkerProcess:
    """A running worker: its process, web port, environment and log file."""

    process: subprocess.Popen[bytes]
    web_port: int
    env: dict[str, str]
    log_file: Path

    def metrics(self) -> str:
        status, body = http_get(f"http://127.0.0.1:{self.web_port}/metrics")
        assert status == 200, f"/metrics answered {status}"
        return body.decode()

    def metric(self, name: str, **labels: str) -> float:
        """The value of one sample of the worker's metrics (0 when absent)."""
        wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
        for line in self.metrics().splitlines():
            if line.startswith("#") or " " not in line:
                continue
            sample, value = line.rsplit(" ", 1)
            metric, _, rest = sample.partition("{")
            present = ",".join(sorted(rest.rstrip("}").split(","))) if rest else ""
            if metric == name and present == wanted:
                return float(value)
        return 0.0

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")[-4000:]


@dataclass
class Deployment:
    """The settings shared by the workers of one test: unique app id and topic names."""

    settings: Settings
    env: dict[str, str]
    workers: list[WorkerProcess] = field(default_factory=list)


def _wait_ready(worker: WorkerProcess, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            raise AssertionError(f"worker exited early:\n{worker.log()}")
        if http_get(f"http://127.0.0.1:{worker.web_port}/readyz")[0] == 200:
            return
        time.sleep(0.3)
    raise AssertionError(f"worker not ready in {timeout}s:\n{worker.log()}")


def stop_worker(worker: WorkerProcess, sig: int = signal.SIGTERM) -> None:
    """Stop a worker with the given signal and wait for it to exit."""
    if worker.process.poll() is None:
        worker.process.send_signal(sig)
        try:
            worker.process.wait(60)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


@pytest.fixture
def deployment(kafka_bootstrap: str, unique_name: str, tmp_path: Path) -> Iterator[Deployment]:
    """Settings with a unique app id and topics for this test; stops its workers at the end."""
    prefix = unique_name[-40:].lstrip("-_.")
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "NEWSFLOW_APP_ID": f"nf-{prefix}",
        "NEWSFLOW_BATCH_WITHIN_SECONDS": "0.05",
        "NEWSFLOW_LOG_LEVEL": "INFO",
    }
    for name in ("raw", "military", "diplomatic", "unclassified", "duplicates", "dead_letter"):
        env[f"NEWSFLOW_TOPIC_{name.upper()}"] = f"{prefix}.{name}"
    settings = Settings(
        **{  # type: ignore[arg-type]
            "bootstrap_servers": kafka_bootstrap,
            "app_id": env["NEWSFLOW_APP_ID"],
            **{
                f"topic_{n}": env[f"NEWSFLOW_TOPIC_{n.upper()}"]
                for n in (
                    "raw",
                    "military",
                    "diplomatic",
                    "unclassified",
                    "duplicates",
                    "dead_letter",
                )
            },
        }
    )
    deployed = Deployment(settings=settings, env=env)
    yield deployed
    for worker in deployed.workers:
        stop_worker(worker, signal.SIGKILL)


@pytest.fixture
def start_worker(deployment: Deployment, tmp_path: Path) -> Callable[..., WorkerProcess]:
    """Start a ``newsflow worker`` process of the test's deployment and wait until it is ready."""

    def start(
        name: str = "w1", *, extra_env: dict[str, str] | None = None, wait: bool = True
    ) -> WorkerProcess:
        web_port = local_broker.free_port()
        env = {
            **os.environ,
            **deployment.env,
            "NEWSFLOW_WEB_PORT": str(web_port),
            "NEWSFLOW_WORKER_NAME": name,
            "NEWSFLOW_DATA_DIR": str(tmp_path / f"state-{name}"),
            **(extra_env or {}),
        }
        log_file = tmp_path / f"{name}.log"
        with log_file.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "workers.cli.main", "worker"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        worker = WorkerProcess(process, web_port, env, log_file)
        deployment.workers.append(worker)
        if wait:
            _wait_ready(worker)
        return worker

    return start


def collect(
    settings: Settings,
    topics: list[str],
    until: Callable[[list[tuple[str, Any]]], bool],
    timeout: float = 60.0,
) -> list[tuple[str, Any]]:
    """Read the topics from the beginning until the predicate holds over (topic, message) pairs."""

    async def run() -> list[tuple[str, Any]]:
        seen: list[tuple[str, Any]] = []

        async def read(topic: str) -> None:
            async for message in read_topic(settings, topic, from_beginning=True):
                seen.append((topic, message))

        tasks = [asyncio.create_task(read(topic)) for topic in topics]
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and not until(seen):
                await asyncio.sleep(0.2)
            await asyncio.sleep(0.5)  # anything that should not come has a moment to show up
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        return seen

    return asyncio.run(run())


def values(messages: list[tuple[str, Any]], topic: str) -> list[dict[str, Any]]:
    """Decoded JSON values of the messages read from one topic."""
    return [orjson.loads(message.value) for name, message in messages if name == topic]
