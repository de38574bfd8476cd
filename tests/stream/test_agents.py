"""Agent tests with Faust's ``Agent.test_context()``: no broker, outputs captured in memory."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from workers.pipeline.dedup.store import MemoryStore
from workers.settings import Settings
from workers.stream.app import NewsflowApp, create_app
from workers.stream.changelog import ChangelogStore
from workers.stream.handlers import OCCURRENCE_HEADER
from workers.stream.outbox import MemoryOutbox

SEED = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))[-1]


@pytest.fixture
def newsflow(tmp_path: Path) -> Iterator[tuple[NewsflowApp, MemoryOutbox]]:
    """An app whose agents publish into memory and whose dedup index lives in memory."""
    settings = Settings(data_dir=tmp_path, worker_name="test-worker")
    built = create_app(settings)
    built.app.finalize()
    outbox = MemoryOutbox()
    built.outbox_holder["outbox"] = outbox
    built.dedup_state.adopt(ChangelogStore(MemoryStore(), tmp_path / "offset"))
    yield built, outbox


async def _until(condition: object, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the agent")
        await asyncio.sleep(0.02)


async def test_enrich_agent_sends_articles_to_dedup_topic_and_bad_input_to_dead_letter(
    newsflow: tuple[NewsflowApp, MemoryOutbox],
) -> None:
    """The enrich agent forwards a valid article with its occurrence and dead-letters bad JSON."""
    built, outbox = newsflow
    settings = built.settings
    article = {"id": "a-1", "source": "t", "title": "Summit", "body": SEED.read_text()}
    async with built.enrich_agent.test_context() as agent:
        await agent.put(orjson.dumps(article), key=b"a-1")
        await agent.put(b"{broken", key=b"bad-1")
        await _until(lambda: len(outbox.sent) >= 2)
    forwarded = outbox.on_topic(settings.topic_dedup)
    assert [record.key for record in forwarded] == [b"a-1"]
    enriched = orjson.loads(forwarded[0].value)
    assert enriched["id"] == "a-1" and enriched["sentences"]
    assert any(name == OCCURRENCE_HEADER for name, _ in forwarded[0].headers)
    letters = outbox.on_topic(settings.topic_dead_letter)
    assert [orjson.loads(letter.value)["reason"] for letter in letters] == ["malformed_json"]


async def test_dedup_agent_routes_a_first_copy_and_sends_a_reprint_to_duplicates(
    newsflow: tuple[NewsflowApp, MemoryOutbox],
) -> None:
    """The dedup agent routes the original by its labels and a reprint to duplicates."""
    built, outbox = newsflow
    settings = built.settings
    body = SEED.read_text()
    base = {
        "source": "t",
        "ingested_at": "2026-11-22T10:00:00.000Z",
        "body": body,
        "topics": ["military"],
    }
    original = orjson.dumps({**base, "id": "orig"})
    reprint = orjson.dumps({**base, "id": "copy", "body": "By Staff Writer\n" + body})
    async with built.dedup_agent.test_context() as agent:
        await agent.put(original, key=b"orig", headers={OCCURRENCE_HEADER: b"raw/0/1"})
        await agent.put(reprint, key=b"copy", headers={OCCURRENCE_HEADER: b"raw/3/7"})
        await _until(lambda: len(outbox.sent) >= 2)
    assert [r.key for r in outbox.on_topic(settings.topic_military)] == [b"orig"]
    duplicates = outbox.on_topic(settings.topic_duplicates)
    assert [r.key for r in duplicates] == [b"copy"]
    assert orjson.loads(duplicates[0].value)["dedup"]["duplicate_of"] == "orig"
