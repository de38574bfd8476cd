from __future__ import annotations

from typing import Any

import orjson

from workers.io.offline import OfflinePipeline
from workers.io.sources import RawRecord
from workers.io.summary import summarise
from workers.settings import Settings


def _processed(body: str) -> dict[str, Any]:
    raw = orjson.dumps({"id": "summary-test", "title": "Test", "body": body})
    line = OfflinePipeline(Settings()).process(RawRecord(b"summary-test", raw, "test"))
    record: dict[str, Any] = orjson.loads(line)
    return record


def test_summary_says_not_reported_when_an_article_gives_no_casualty_count() -> None:
    """An article without casualty figures reads 'not reported', not a null."""
    summary = summarise(_processed("Foreign ministers met in Geneva to discuss a ceasefire."))
    assert "casualties: killed not reported, injured not reported" in summary
    assert "None" not in summary


def test_summary_shows_the_counts_an_article_reports() -> None:
    """Reported counts appear as numbers, including a reported zero."""
    summary = summarise(
        _processed("Artillery shelled the town, killing three people. No one was injured.")
    )
    assert "casualties: killed 3, injured 0" in summary
