"""Named pipeline stages and the runner that turns stage failures into data."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from workers.errors import StageError
from workers.pipeline.article import Article

StageFn = Callable[[Article], Article]
TimingSink = Callable[[str, float], None]


@dataclass(frozen=True, slots=True)
class Stage:
    """A step of the pipeline: its name is used in logs, metrics and dead-letter headers."""

    name: str
    fn: StageFn


def ignore_timing(step: str, seconds: float) -> None:
    return None


class Pipeline:
    """Runs stages in order on one article; a failing stage raises StageError naming it."""

    def __init__(self, stages: Sequence[Stage], on_timing: TimingSink = ignore_timing) -> None:
        self.stages = tuple(stages)
        self._on_timing = on_timing

    @property
    def names(self) -> list[str]:
        """The stage names, in order."""
        return [stage.name for stage in self.stages]

    def run(self, article: Article) -> Article:
        """Pass the article through every stage, recording each stage's duration."""
        for stage in self.stages:
            started = time.perf_counter()
            try:
                article = stage.fn(article)
            except Exception as exc:  # a stage bug must not kill the worker
                raise StageError(stage.name, exc) from exc
            finally:
                self._on_timing(stage.name, time.perf_counter() - started)
        return article
