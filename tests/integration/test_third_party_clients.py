"""Real third-party tools read what the worker produces: kcat the topics, Prometheus the metrics."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest

import workers.broker as local_broker
from tests.integration.conftest import Deployment, WorkerProcess, collect, values
from tests.integration.test_worker_pipeline import _replay_seeds
from workers.io.demo import http_get

pytestmark = pytest.mark.integration


@pytest.fixture
def seeded_worker(
    deployment: Deployment, start_worker: Callable[..., WorkerProcess]
) -> tuple[WorkerProcess, list[str]]:
    """A worker that has routed the seed articles to the label topics."""
    worker = start_worker()
    ids = _replay_seeds(deployment)
    topic = deployment.settings.topic_military
    collect(deployment.settings, [topic], lambda seen: len(values(seen, topic)) >= len(ids))
    return worker, ids


@pytest.mark.skipif(shutil.which("kcat") is None, reason="kcat is not installed (CI installs it)")
def test_kcat_reads_output_records_keyed_by_article_id(
    deployment: Deployment, seeded_worker: tuple[WorkerProcess, list[str]]
) -> None:
    """kcat, a third-party Kafka client, reads JSON records keyed by their article id."""
    _, ids = seeded_worker
    output = subprocess.run(
        [
            "kcat",
            "-C",
            "-q",
            "-e",
            "-b",
            deployment.settings.bootstrap_servers,
            "-t",
            deployment.settings.topic_military,
            "-o",
            "beginning",
            "-f",
            "%k\t%s\n",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    rows = [line.split(b"\t", 1) for line in output.splitlines() if line.strip()]
    assert sorted(key.decode() for key, _ in rows) == sorted(ids)
    for key, value in rows:
        record = orjson.loads(value)
        assert record["id"] == key.decode()
        assert deployment.settings.topic_military in record["routed_to"]


@pytest.fixture
def prometheus(tmp_path: Path, seeded_worker: tuple[WorkerProcess, list[str]]) -> Iterator[int]:
    """A real Prometheus scraping the worker every second; yields its port."""
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip("prometheus is not installed (CI installs the Debian package)")
    worker, _ = seeded_worker
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
        "scrape_configs:\n"
        "  - job_name: newsflow\n"
        f"    static_configs: [{{targets: ['127.0.0.1:{worker.web_port}']}}]\n"
    )
    port = local_broker.free_port()
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "prometheus.log").open("wb"),
    )
    try:
        yield port
    finally:
        process.terminate()
        process.wait(30)


def _query(port: int, expression: str) -> list[dict[str, object]]:
    url = f"http://127.0.0.1:{port}/api/v1/query?query={urllib.parse.quote(expression)}"
    status, body = http_get(url)
    if status != 200:
        return []
    result: list[dict[str, object]] = json.loads(body)["data"]["result"]
    return result


def test_prometheus_scrapes_the_worker_metrics(
    deployment: Deployment, seeded_worker: tuple[WorkerProcess, list[str]], prometheus: int
) -> None:
    """Prometheus scrapes the worker and sees the articles it consumed and its readiness."""
    _, ids = seeded_worker
    raw = deployment.settings.topic_raw
    expression = f'newsflow_articles_consumed_total{{job="newsflow",topic="{raw}"}}'
    deadline = time.monotonic() + 60
    result = _query(prometheus, expression)
    while not result and time.monotonic() < deadline:
        time.sleep(1)
        result = _query(prometheus, expression)
    assert result, "Prometheus never scraped the worker's consumed-articles counter"
    assert float(result[0]["value"][1]) == len(ids)  # type: ignore[index]
    assert float(_query(prometheus, 'up{job="newsflow"}')[0]["value"][1]) == 1  # type: ignore[index]
    ready = _query(prometheus, "newsflow_worker_ready")
    assert ready and float(ready[0]["value"][1]) == 1  # type: ignore[index]
