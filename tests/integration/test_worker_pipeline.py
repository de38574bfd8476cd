"""End-to-end behaviour of the worker on the real broker: routing, dedup, dead letters, metrics."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from jsonschema import Draft202012Validator

from tests.integration.conftest import Deployment, WorkerProcess, collect, values
from workers.io.demo import http_get
from workers.io.kafka import make_producer
from workers.io.replay import replay
from workers.io.sources import read_records

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / name).read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _publish(
    deployment: Deployment, items: list[tuple[bytes | None, bytes]], partition: int | None = None
) -> None:
    async def run() -> None:
        producer = make_producer(deployment.settings)
        await producer.start()
        try:
            for key, value in items:
                await producer.send_and_wait(
                    deployment.settings.topic_raw, value=value, key=key, partition=partition
                )
        finally:
            await producer.stop()

    asyncio.run(run())


def _replay_seeds(deployment: Deployment) -> list[str]:
    records = list(read_records([SEEDS]))
    summary = asyncio.run(replay(records, deployment.settings, topic=deployment.settings.topic_raw))
    assert (summary.sent, summary.failed) == (len(records), 0)
    return [record.key.decode() for record in records if record.key]


def _output_topics(deployment: Deployment) -> list[str]:
    return deployment.settings.output_topics


def test_seeds_reach_both_label_topics_then_a_replay_goes_to_duplicates(
    deployment: Deployment, start_worker: Callable[..., WorkerProcess]
) -> None:
    """Both seeds reach military and diplomatic; replaying them again routes both to duplicates."""
    settings = deployment.settings
    worker = start_worker()
    ids = _replay_seeds(deployment)

    def both_routed(seen: list[tuple[str, Any]]) -> bool:
        got = {(topic, orjson.loads(m.value)["id"]) for topic, m in seen}
        return all(
            (t, i) in got for i in ids for t in (settings.topic_military, settings.topic_diplomatic)
        )

    first = collect(settings, _output_topics(deployment), both_routed)
    for topic in (settings.topic_military, settings.topic_diplomatic):
        records = values(first, topic)
        assert sorted(r["id"] for r in records) == sorted(ids)
        assert all(r["dedup"]["status"] == "unique" for r in records)
    assert values(first, settings.topic_duplicates) == []
    assert values(first, settings.topic_unclassified) == []

    _replay_seeds(deployment)
    second = collect(
        settings,
        _output_topics(deployment),
        lambda seen: len(values(seen, settings.topic_duplicates)) >= len(ids),
    )
    duplicates = values(second, settings.topic_duplicates)
    assert sorted(r["id"] for r in duplicates) == sorted(ids)
    assert all(
        r["dedup"]["status"] == "duplicate" and r["dedup"]["duplicate_of"] == r["id"]
        for r in duplicates
    )
    for topic in (settings.topic_military, settings.topic_diplomatic):
        assert len(values(second, topic)) == len(ids), "the replay must add nothing to label topics"

    schema = _validator("enriched-article.schema.json")
    for topic, message in second:
        errors = list(schema.iter_errors(orjson.loads(message.value)))
        assert not errors, f"{topic}: {errors[0].message}"
        assert message.key.decode() == orjson.loads(message.value)["id"]

    assert worker.metric("newsflow_articles_consumed_total", topic=settings.topic_raw) == 2 * len(
        ids
    )
    assert worker.metric("newsflow_duplicates_total", kind="exact") == len(ids)
    assert worker.metric("newsflow_articles_routed_total", topic=settings.topic_military) == len(
        ids
    )
    assert worker.metric("newsflow_ingest_to_output_seconds_count") == 2 * len(ids)
    assert worker.metric("newsflow_step_seconds_count", step="classify") == 2 * len(ids)
    assert worker.metric("newsflow_worker_ready") == 1
    assert http_get(f"http://127.0.0.1:{worker.web_port}/healthz")[0] == 200


BAD_INPUTS: list[tuple[str, bytes]] = [
    ("malformed_json", b'{"body": "unterminated'),
    ("invalid_utf8", b'{"body": "caf\xe9 strike"}'),
    ("not_an_object", b'["body", "list"]'),
    ("missing_body", b'{"title": "Headline only"}'),
    ("missing_body", b'{"body": "   "}'),
    ("wrong_type", b'{"body": ["not", "a", "string"]}'),
    ("oversize", orjson.dumps({"body": "Shelling continued. " * 400})),
]


def test_each_bad_input_becomes_one_dead_letter_and_the_worker_keeps_going(
    deployment: Deployment, start_worker: Callable[..., WorkerProcess]
) -> None:
    """Each bad input yields one dead letter with its reason and bytes; good input flows on."""
    settings = deployment.settings
    worker = start_worker(extra_env={"NEWSFLOW_MAX_RECORD_BYTES": "4096"})
    good = orjson.dumps({"id": "good-1", "source": "t", "body": "A quiet day at the bakery."})
    _publish(
        deployment,
        [(f"bad-{i}".encode(), raw) for i, (_, raw) in enumerate(BAD_INPUTS)] + [(b"good-1", good)],
        partition=0,
    )

    seen = collect(
        settings,
        _output_topics(deployment),
        lambda s: (
            len(values(s, settings.topic_dead_letter)) >= len(BAD_INPUTS)
            and any(r["id"] == "good-1" for r in values(s, settings.topic_unclassified))
        ),
    )
    letters = values(seen, settings.topic_dead_letter)
    assert sorted(letter["reason"] for letter in letters) == sorted(r for r, _ in BAD_INPUTS)
    schema = _validator("dead-letter.schema.json")
    by_key = {m.key: m for t, m in seen if t == settings.topic_dead_letter}
    for index, (reason, raw) in enumerate(BAD_INPUTS):
        message = by_key[f"bad-{index}".encode()]
        letter = orjson.loads(message.value)
        assert letter["reason"] == reason
        assert letter["step"] == "validate"
        assert base64.b64decode(letter["original_base64"]) == raw
        headers = dict(message.headers)
        assert headers["newsflow-reason"] == reason.encode()
        assert headers["newsflow-step"] == b"validate"
        assert not list(schema.iter_errors(letter))
    assert worker.process.poll() is None
    assert worker.metric("newsflow_dead_letters_total", step="validate", reason="missing_body") == 2
    assert worker.metric("newsflow_dead_letters_total", step="validate", reason="oversize") == 1
