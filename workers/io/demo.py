"""The demo: a real broker and worker, the seeds replayed twice, what came out, then clean-up."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

import workers.broker as local_broker
from workers.errors import NewsflowError
from workers.io.kafka import read_topic
from workers.io.replay import replay
from workers.io.sources import RawRecord, read_records
from workers.io.summary import summarise
from workers.settings import Settings

Say = Callable[[str], None]
_METRIC_PREFIXES = (
    "newsflow_articles_consumed_total",
    "newsflow_articles_routed_total",
    "newsflow_duplicates_total",
    "newsflow_dead_letters_total",
    "newsflow_ingest_to_output_seconds_count",
    "newsflow_ingest_to_output_seconds_sum",
)


def start_worker(settings_env: dict[str, str], log_file: Path) -> subprocess.Popen[bytes]:
    """Start ``newsflow worker`` as a child process with these environment settings."""
    env = {**os.environ, **settings_env}
    with log_file.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "workers.cli.main", "worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_worker(process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Stop a worker with SIGTERM, and SIGKILL if it does not exit in time."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    """Status and body of a GET request (status 0 when nothing answers)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), bytes(error.read())
    except (urllib.error.URLError, OSError):
        return 0, b""


def wait_ready(web_port: int, process: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    """Wait until the worker's /readyz answers 200, failing early if the worker exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise NewsflowError(f"worker exited with code {process.returncode}")
        if http_get(f"http://127.0.0.1:{web_port}/readyz")[0] == 200:
            return
        time.sleep(0.5)
    raise NewsflowError(f"worker not ready after {timeout:.0f}s")


class OutputCollector:
    """Reads every output topic from the beginning in the background, keeping the records."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.records: list[tuple[str, dict[str, Any]]] = []
        self._tasks: list[asyncio.Task[None]] = []

    async def _read(self, topic: str) -> None:
        async for message in read_topic(self._settings, topic, from_beginning=True):
            self.records.append((topic, orjson.loads(message.value)))

    def start(self) -> None:
        """Start one reader per output topic."""
        for topic in self._settings.output_topics:
            self._tasks.append(asyncio.create_task(self._read(topic)))

    async def stop(self) -> None:
        """Stop the readers."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def wait_for(
        self, predicate: Callable[[list[tuple[str, dict[str, Any]]]], bool], timeout: float
    ) -> bool:
        """Wait until the predicate holds over the records collected so far."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.records):
                await asyncio.sleep(0.5)  # let the other label topic of the same article arrive
                return True
            await asyncio.sleep(0.2)
        return False


def _ids(records: list[RawRecord]) -> set[str]:
    return {record.key.decode() for record in records if record.key}


def _latest_by_id(
    collected: list[tuple[str, dict[str, Any]]], ids: set[str], duplicates_only: bool
) -> dict[str, dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for _, record in collected:
        if record.get("id") not in ids:
            continue
        if duplicates_only and record.get("dedup", {}).get("status") == "unique":
            continue
        latest[record["id"]] = record
    return latest


async def _replay_pass(
    number: int,
    records: list[RawRecord],
    settings: Settings,
    collector: OutputCollector,
    say: Say,
    *,
    expect_duplicates: bool,
) -> bool:
    ids = _ids(records)
    summary = await replay(records, settings, topic=settings.topic_raw, progress=False)
    say(
        f"\n== pass {number}: replayed {summary.sent} seed documents "
        f"({summary.failed} failed) to {settings.topic_raw}"
    )
    done = await collector.wait_for(
        lambda collected: len(_latest_by_id(collected, ids, expect_duplicates)) == len(ids), 60.0
    )
    for record in _latest_by_id(collector.records, ids, expect_duplicates).values():
        say("\n" + summarise(record))
    if not done:
        say("!! not every article came out within 60s")
    return done


def _metric_lines(web_port: int) -> list[str]:
    status, body = http_get(f"http://127.0.0.1:{web_port}/metrics")
    if status != 200:
        return [f"(metrics unavailable: HTTP {status})"]
    return [line for line in body.decode().splitlines() if line.startswith(_METRIC_PREFIXES)]


async def _run(seeds: Path, root: Path, say: Say) -> bool:
    kafka_dir = root / "kafka"
    say(f"== starting Apache Kafka {local_broker.KAFKA_VERSION} (KRaft, single node)")
    bootstrap = local_broker.start(port=local_broker.free_port(), data_dir=kafka_dir)
    say(f"   broker at {bootstrap}")
    web_port = local_broker.free_port()
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "NEWSFLOW_DATA_DIR": str(root / "worker"),
        "NEWSFLOW_WEB_PORT": str(web_port),
        "NEWSFLOW_WORKER_NAME": "demo-worker",
        "NEWSFLOW_LOG_LEVEL": "WARNING",
    }
    settings = Settings(bootstrap_servers=bootstrap)
    say("== starting the newsflow worker")
    worker = start_worker(env, root / "worker.log")
    collector = OutputCollector(settings)
    try:
        wait_ready(web_port, worker)
        say(f"   ready; metrics at http://127.0.0.1:{web_port}/metrics")
        collector.start()
        records = list(read_records([seeds]))
        first = await _replay_pass(1, records, settings, collector, say, expect_duplicates=False)
        second = await _replay_pass(2, records, settings, collector, say, expect_duplicates=True)
        say("\n== worker metrics")
        for line in _metric_lines(web_port):
            say("   " + line)
        return first and second
    finally:
        await collector.stop()
        say("\n== stopping the worker and the broker")
        stop_worker(worker)
        local_broker.stop(kafka_dir)


def run_demo(seeds: Path, root: Path, say: Say = print) -> bool:
    """Run the whole demo in ``root`` (wiped before and after); True when every article came out."""
    if root.exists():
        local_broker.stop(root / "kafka")
        shutil.rmtree(root)
    root.mkdir(parents=True)
    succeeded = False
    try:
        succeeded = asyncio.run(_run(seeds, root, say))
        return succeeded
    finally:
        log = root / "worker.log"
        if not succeeded and log.exists():
            kept = root.parent / "demo-worker.log"
            shutil.copy(log, kept)
            say(f"!! the demo did not finish; the worker's log is kept in {kept}")
        shutil.rmtree(root, ignore_errors=True)
