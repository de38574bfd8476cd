"""Benchmark of the dedup index over RocksDB: ``python -m workers.bench.dedup --n 1000000``.

Articles are synthetic and seed-sized (~450 tokens drawn from a Zipf vocabulary, plus numbers
and names); a share of them are exact or edited copies of recent ones so that the candidate
and verification paths run too. Token arrays are generated outside the timed region and
fingerprinted by the numpy reference path (``fingerprint_tokens``); that synthetic figure is
reported apart, since real text takes the compiled path of ``fingerprint``, whose cost is
measured separately on the seed articles.

The total dedup cost per article is reported as the full text fingerprint (mean over the seed
articles) plus the mean index check at scale (last ``steady_fraction`` of the run).

The RocksStore runs as the worker runs it: without a write-ahead log (the Kafka changelog is
the durable log, see :mod:`workers.stream.changelog`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from workers.pipeline.dedup.fingerprint import (
    Fingerprint,
    fingerprint,
    fingerprint_tokens,
)
from workers.pipeline.dedup.index import Deduplicator
from workers.pipeline.dedup.store import RocksStore

VOCABULARY = 60_000
TOKENS_PER_ARTICLE = (300, 650)
RECENT = 2_000
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

Tokens = npt.NDArray[np.uint32]


@dataclass(frozen=True, slots=True)
class SyntheticArticle:
    """Pre-generated inputs of one check: tokens, numbers, names and the content digest."""

    article_id: str
    tokens: Tokens
    numbers: list[str]
    names: list[str]


class ArticleGenerator:
    """Seed-sized synthetic articles; ``copy_rate`` of them edit or repeat a recent one."""

    def __init__(self, seed: int = 0, copy_rate: float = 0.2) -> None:
        self.rng = np.random.default_rng(seed)
        self.vocabulary = self.rng.integers(0, 2**32, VOCABULARY, dtype=np.uint64).astype(np.uint32)
        ranks = np.arange(1, VOCABULARY + 1, dtype=np.float64)
        weights = 1.0 / ranks**1.05
        self.cdf = np.cumsum(weights / weights.sum())
        self.names = [f"Name{i}" for i in range(20_000)]
        self.copy_rate = copy_rate
        self.recent: list[SyntheticArticle] = []

    def _fresh(self, article_id: str) -> SyntheticArticle:
        length = int(self.rng.integers(*TOKENS_PER_ARTICLE))
        picks = np.searchsorted(self.cdf, self.rng.random(length))
        tokens = self.vocabulary[np.minimum(picks, VOCABULARY - 1)]
        numbers = [str(n) for n in self.rng.integers(0, 5000, int(self.rng.integers(2, 12)))]
        names = [self.names[i] for i in self.rng.integers(0, len(self.names), 20)]
        return SyntheticArticle(article_id, tokens, numbers, names)

    def _copy(self, article_id: str) -> SyntheticArticle:
        source = self.recent[int(self.rng.integers(0, len(self.recent)))]
        tokens = source.tokens.copy()
        if self.rng.random() < 0.7:  # edited copy: replace ~8 % of tokens, trim the tail
            edits = self.rng.integers(0, len(tokens), len(tokens) // 12)
            tokens[edits] = self.vocabulary[self.rng.integers(0, VOCABULARY, len(edits))]
            tokens = tokens[: int(len(tokens) * self.rng.uniform(0.75, 1.0))]
        return SyntheticArticle(article_id, tokens, source.numbers, source.names)

    def __call__(self, article_id: str) -> SyntheticArticle:
        """The next article."""
        if self.recent and self.rng.random() < self.copy_rate:
            article = self._copy(article_id)
        else:
            article = self._fresh(article_id)
            self.recent.append(article)
            if len(self.recent) > RECENT:
                self.recent = self.recent[RECENT // 2 :]
        return article


def fingerprint_article(article: SyntheticArticle) -> Fingerprint:
    """Fingerprint pre-tokenised text (what :func:`fingerprint` does after tokenising)."""
    digest = hashlib.blake2b(article.tokens.tobytes(), digest_size=16).digest()
    return fingerprint_tokens(
        article.tokens.astype(np.uint64), article.numbers, article.names, digest
    )


def rss_mb() -> float:
    """Current resident set size of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def directory_bytes(path: Path) -> int:
    """Total size of the files under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _percentiles(samples_ns: npt.NDArray[np.int64]) -> dict[str, float]:
    micros = samples_ns / 1000.0
    return {
        "p50": round(float(np.percentile(micros, 50)), 1),
        "p99": round(float(np.percentile(micros, 99)), 1),
        "mean": round(float(micros.mean()), 1),
    }


def _ids(n: int) -> Iterator[str]:
    return (f"article-{i:09d}" for i in range(n))


def text_fingerprint_micros(repeat: int = 100, batches: int = 7) -> float:
    """Mean µs of the full text path (boilerplate, tokenising, hashing) on the seed articles.

    The median of ``batches`` batches, so that background compaction of the index just built
    does not skew it.
    """
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        return float("nan")
    for text in texts:
        fingerprint(text)
    means = []
    for _ in range(batches):
        started = time.perf_counter()
        for _ in range(repeat):
            for text in texts:
                fingerprint(text)
        means.append((time.perf_counter() - started) / (repeat * len(texts)) * 1e6)
    return round(float(np.median(means)), 1)


def run(
    n: int = 1_000_000,
    *,
    path: Path | None = None,
    seed: int = 0,
    copy_rate: float = 0.2,
    steady_fraction: float = 0.2,
) -> dict[str, Any]:
    """Index ``n`` synthetic articles in a RocksStore and return the measured figures."""
    workdir = Path(tempfile.mkdtemp(prefix="dedup-bench-")) if path is None else path
    db_path = workdir / "index"
    shutil.rmtree(db_path, ignore_errors=True)
    generator = ArticleGenerator(seed, copy_rate)
    store = RocksStore(db_path, write_ahead_log=False)
    dedup = Deduplicator(store, clock=lambda: 1_700_000_000.0)
    steady_from = int(n * (1 - steady_fraction))
    check_ns = np.zeros(n - steady_from, dtype=np.int64)
    total_ns = np.zeros(n - steady_from, dtype=np.int64)
    statuses: dict[str, int] = {}
    started = time.perf_counter()
    for i, article_id in enumerate(_ids(n)):
        article = generator(article_id)
        t0 = time.perf_counter_ns()
        fp = fingerprint_article(article)
        t1 = time.perf_counter_ns()
        result = dedup.check_fingerprint(article_id, fp, 1_700_000_000.0 + i * 0.5)
        t2 = time.perf_counter_ns()
        if i >= steady_from:
            check_ns[i - steady_from] = t2 - t1
            total_ns[i - steady_from] = t2 - t0
        statuses[result.status] = statuses.get(result.status, 0) + 1
    elapsed = time.perf_counter() - started
    rss = rss_mb()
    store.flush()
    size_flushed = directory_bytes(db_path)
    restart = _restart_seconds(store, db_path, generator, n)
    text_us = text_fingerprint_micros()
    check = _percentiles(check_ns)
    figures: dict[str, Any] = {
        "n": n,
        "dedup_cost_us_per_article": {
            "text_fingerprint_mean": text_us,
            "check_mean": check["mean"],
            "total_mean": round(text_us + check["mean"], 1),
        },
        "wall_seconds": round(elapsed, 1),
        "statuses": statuses,
        "synthetic_fingerprint_plus_check_us": _percentiles(total_ns),
        "check_only_us": check,
        "text_fingerprint_us_per_seed_article": text_us,
        "index_bytes_per_article": round(size_flushed / n, 1),
        "rss_mb": round(rss, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "restart_to_ready_seconds": round(restart, 3),
        "path": str(db_path),
    }
    if path is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return figures


def _restart_seconds(
    store: RocksStore, db_path: Path, generator: ArticleGenerator, n: int
) -> float:
    """Close the store, reopen it and time until the first decision is made."""
    article = generator(f"article-{n:09d}")
    store.close()
    started = time.perf_counter()
    reopened = RocksStore(db_path, write_ahead_log=False)
    dedup = Deduplicator(reopened)
    dedup.check_fingerprint(article.article_id, fingerprint_article(article), 1_700_000_000.0 + n)
    seconds = time.perf_counter() - started
    reopened.close()
    return seconds


def main() -> None:
    """Run the benchmark and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000, help="articles to index")
    parser.add_argument("--path", type=Path, default=None, help="keep the index in this directory")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--copy-rate", type=float, default=0.2)
    args = parser.parse_args()
    figures = run(args.n, path=args.path, seed=args.seed, copy_rate=args.copy_rate)
    print(json.dumps(figures, indent=2))
    cost = figures["dedup_cost_us_per_article"]
    print(
        f"dedup cost per article at n={figures['n']:,}: "
        f"{cost['total_mean']} µs = fingerprint {cost['text_fingerprint_mean']} µs "
        f"+ check {cost['check_mean']} µs (mean); RSS {figures['rss_mb']} MB "
        f"(peak {figures['peak_rss_mb']} MB); restart {figures['restart_to_ready_seconds']} s"
    )


if __name__ == "__main__":
    main()
