"""Tests of the named-stage runner."""

from __future__ import annotations

import pytest

from workers.errors import StageError
from workers.pipeline.article import Article
from workers.pipeline.stages import Pipeline, Stage


def _upper(article: Article) -> Article:
    article.body = article.body.upper()
    return article


def _explode(article: Article) -> Article:
    raise ValueError("bad lexicon entry")


def test_stages_run_in_order_and_report_their_timings() -> None:
    """Each stage runs once, in order, and its duration is reported under its name."""
    timings: list[str] = []
    pipeline = Pipeline([Stage("upper", _upper)], on_timing=lambda step, _: timings.append(step))
    assert pipeline.run(Article(id="1", source="s", body="calm")).body == "CALM"
    assert timings == ["upper"]


def test_a_failing_stage_raises_stage_error_naming_it() -> None:
    """A bug in a stage surfaces as StageError with the stage's name and the cause."""
    pipeline = Pipeline([Stage("upper", _upper), Stage("events", _explode)])
    with pytest.raises(StageError) as caught:
        pipeline.run(Article(id="1", source="s", body="calm"))
    assert caught.value.step == "events"
    assert isinstance(caught.value.cause, ValueError)
