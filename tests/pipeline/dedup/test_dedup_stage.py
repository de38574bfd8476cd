"""The dedup pipeline stage."""

from __future__ import annotations

from workers.pipeline.article import Article
from workers.pipeline.dedup import Deduplicator, DedupStage, MemoryStore, make_memory_stage
from workers.pipeline.dedup.stage import parse_timestamp

BODY = (
    "Ukraine and Russia exchanged 84 prisoners of war each on Thursday in a swap mediated by "
    "the United Arab Emirates, officials in both countries said."
)


def test_stage_sets_dedup_from_body_not_title() -> None:
    """The stage checks the body, so a copy with a different headline is a duplicate."""
    stage = make_memory_stage()
    first = stage(Article(id="a", source="s", body=BODY, title="Swap", text=f"Swap\n\n{BODY}"))
    copy = stage(Article(id="b", source="s", body=BODY, title="Prisoners freed"))
    assert first.dedup.status == "unique"
    assert (copy.dedup.status, copy.dedup.duplicate_of) == ("duplicate", "a")


def test_stage_uses_ingested_at_for_retention() -> None:
    """ingested_at decides the article's time: an old original does not match a copy 30 days on."""
    stage = DedupStage(Deduplicator(MemoryStore(), clock=lambda: 0.0))
    stage(Article(id="a", source="s", body=BODY, ingested_at="2025-01-01T00:00:00Z"))
    late = stage(Article(id="b", source="s", body=BODY, ingested_at="2025-01-31T00:00:00+00:00"))
    assert late.dedup.status == "unique"


def test_parse_timestamp_falls_back_to_clock() -> None:
    """RFC 3339 strings are parsed; missing or invalid ones give the clock's time."""
    assert parse_timestamp("1970-01-01T00:01:00Z") == 60.0
    assert parse_timestamp(None, clock=lambda: 7.0) == 7.0
    assert parse_timestamp("yesterday", clock=lambda: 7.0) == 7.0
