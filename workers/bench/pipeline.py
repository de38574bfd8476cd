"""Benchmark of the in-process pipeline: articles per second per core and microseconds per stage.

The corpus is generated (``workers.bench.corpus``): sentences of the given documents, their
numbers and names varied, are shuffled into new articles of seed size (300 to 700 words), so no
article repeats, few sentences do, and dedup sees realistic unique traffic.
Run ``newsflow bench`` or ``python -m workers.bench.pipeline``; it prints figures, it asserts
nothing.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from workers.bench.corpus import default_sources, generate_articles
from workers.io.offline import OfflinePipeline
from workers.settings import Settings


@dataclass(slots=True)
class BenchResult:
    """Figures of one benchmark run."""

    articles: int
    seconds: float
    stage_micros: dict[str, list[float]] = field(default_factory=dict)
    max_rss_mb: float = 0.0

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


OUTSIDE_STAGES = "(outside)"


def run(sources: list[Path], count: int = 2000, warmup: int = 50) -> BenchResult:
    """Process a generated corpus offline and time each stage of every article.

    The ``(outside)`` row is each article's time outside the named stages: its whole
    ``process`` call minus the stage times recorded during it (validation, record
    building, serialisation, bookkeeping).
    """
    timings: dict[str, list[float]] = defaultdict(list)
    staged = [0.0]

    def on_timing(step: str, seconds: float) -> None:
        timings[step].append(seconds * 1e6)
        staged[0] += seconds

    pipeline = OfflinePipeline(Settings(), on_timing=on_timing)
    corpus = generate_articles(sources, count + warmup)
    for sequence, record in enumerate(corpus[:warmup]):
        pipeline.process(record, sequence)
    timings.clear()
    outside: list[float] = []
    clock = time.perf_counter
    started = time.process_time()
    for sequence, record in enumerate(corpus[warmup:], start=warmup):
        staged[0] = 0.0
        article_started = clock()
        pipeline.process(record, sequence)
        outside.append((clock() - article_started - staged[0]) * 1e6)
    seconds = time.process_time() - started
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings[OUTSIDE_STAGES] = outside
    return BenchResult(count, seconds, dict(timings), max_rss_mb)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(result: BenchResult) -> str:
    """The figures as a small table."""
    lines = [
        f"articles            {result.articles}",
        f"CPU seconds         {result.seconds:.2f}",
        f"articles/s/core     {result.per_second:,.0f}",
        f"us per article      {1e6 / result.per_second if result.per_second else 0:,.0f}",
        f"max RSS             {result.max_rss_mb:,.0f} MB",
        "",
        f"{'stage':<12}{'mean us':>10}{'p50 us':>10}{'p99 us':>10}",
    ]
    for stage, values in result.stage_micros.items():
        lines.append(
            f"{stage:<12}{statistics.fmean(values):>10.1f}"
            f"{_percentile(values, 0.5):>10.1f}{_percentile(values, 0.99):>10.1f}"
        )
    return "\n".join(lines)


def main(sources: list[Path] | None = None, count: int = 2000) -> None:
    """Run the benchmark on the default sources (or the given files) and print the figures."""
    print(report(run(sources or default_sources(), count)))


if __name__ == "__main__":
    main()
