"""Tests of the Enricher and Finisher that the agents and the offline command share."""

from __future__ import annotations

import gc
import re
import time
from pathlib import Path

import orjson

from workers.deadletter import DeadLetter, SourcePosition
from workers.ledger import occurrence_checker
from workers.pipeline.article import Article
from workers.pipeline.dedup.index import Deduplicator
from workers.pipeline.dedup.store import MemoryStore
from workers.processor import Enricher, Finisher, article_record
from workers.settings import Settings
from workers.timeutil import iso_from_seconds, seconds_from_iso, utc_now_iso

SEED = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))[0]
NOW = "2026-11-22T10:00:00.000Z"


def test_warm_up_leaves_no_timing_behind() -> None:
    """Warming the stages up records no step timings, so metrics count only real articles."""
    steps: list[str] = []
    Enricher(Settings(), on_timing=lambda step, _: steps.append(step)).warm_up()
    assert steps == []


def test_warm_up_moves_the_loaded_lexicons_out_of_the_collectors_reach() -> None:
    """After warm-up the long-lived lexicon objects are frozen, so full collections skip them."""
    gc.unfreeze()
    Enricher(Settings()).warm_up()
    assert gc.get_freeze_count() > 100_000


def test_warm_up_collects_the_young_generation_less_often() -> None:
    """After warm-up, thousands of short-lived containers pass without a young collection."""
    Enricher(Settings()).warm_up()
    before = gc.get_stats()[0]["collections"]
    kept = [[index] for index in range(5_000)]
    assert gc.get_stats()[0]["collections"] == before
    assert len(kept) == 5_000


def test_enricher_turns_bad_bytes_into_a_dead_letter_at_validate() -> None:
    """Bytes that are not an article come back as a dead letter naming the validate step."""
    outcome = Enricher(Settings()).enrich(
        b"[]", key=b"k", position=SourcePosition("raw", 2, 40), ingested_at=NOW
    )
    assert isinstance(outcome, DeadLetter)
    assert (outcome.step, outcome.reason, outcome.source_offset) == (
        "validate",
        "not_an_object",
        40,
    )


def test_finisher_routes_the_first_copy_and_flags_the_second_publication() -> None:
    """The first publication is unique; the same article published again is its duplicate."""
    settings = Settings()
    enricher = Enricher(settings)
    raw = orjson.dumps({"id": "s1", "source": "seed", "body": SEED.read_text()})
    article = enricher.enrich(raw, key=None, position=SourcePosition(), ingested_at=NOW)
    assert isinstance(article, Article)
    store = MemoryStore()
    finisher = Finisher(settings, Deduplicator(store).check_fingerprint, occurrence_checker(store))
    first = finisher.finish(article_record(article), occurrence="raw/0/1")
    again = finisher.finish(article_record(article), occurrence="raw/0/1")
    later = finisher.finish(article_record(article), occurrence="raw/1/9")
    assert first.record["dedup"]["status"] == "unique"
    assert again.record["dedup"] == first.record["dedup"], "a redelivery gets the same decision"
    assert later.record["dedup"]["status"] == "duplicate"
    assert later.topics == ["duplicates"]


def test_article_record_is_the_json_object_of_the_article() -> None:
    """The record dict serialises to exactly the bytes of the article, key order included."""
    raw = orjson.dumps({"id": "s1", "source": "seed", "title": "Seed", "body": SEED.read_text()})
    article = Enricher(Settings()).enrich(raw, key=None, position=SourcePosition(), ingested_at=NOW)
    assert isinstance(article, Article)
    assert article.sentences and article.entities and article.events, "a fully enriched article"
    record = article_record(article)
    assert orjson.dumps(record) == orjson.dumps(article)
    assert record == orjson.loads(orjson.dumps(article))


def test_utc_now_iso_is_the_current_time_in_the_iso_format() -> None:
    """The cheap stamp has the datetime formatter's shape and tells the same time, to the ms."""
    before = time.time()
    stamp = utc_now_iso()
    reference = iso_from_seconds(time.time())
    after = time.time()
    shape = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
    assert re.fullmatch(shape, stamp) and re.fullmatch(shape, reference)
    assert before - 0.001 <= seconds_from_iso(stamp) <= seconds_from_iso(reference) <= after
