"""Prometheus metrics of a newsflow process, all prefixed ``newsflow_``."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

_STEP_BUCKETS = (
    0.00001,
    0.000025,
    0.00005,
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.05,
    0.25,
    1.0,
)
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

ARTICLES_CONSUMED = Counter(
    "newsflow_articles_consumed", "Raw records consumed from the input topic.", ["topic"]
)
ARTICLES_ROUTED = Counter(
    "newsflow_articles_routed", "Articles written to an output topic.", ["topic"]
)
DUPLICATES = Counter("newsflow_duplicates", "Articles found to duplicate an earlier one.", ["kind"])
DEAD_LETTERS = Counter(
    "newsflow_dead_letters", "Records sent to the dead-letter topic.", ["step", "reason"]
)
STEP_SECONDS = Histogram(
    "newsflow_step_seconds",
    "Time spent in one pipeline step per article.",
    ["step"],
    buckets=_STEP_BUCKETS,
)
INGEST_TO_OUTPUT_SECONDS = Histogram(
    "newsflow_ingest_to_output_seconds",
    "From the raw record's Kafka timestamp to its output being acknowledged.",
    buckets=_LATENCY_BUCKETS,
)
CONSUMER_LAG = Gauge(
    "newsflow_consumer_lag",
    "Records behind the partition's high watermark.",
    ["topic", "partition"],
)
WORKER_READY = Gauge("newsflow_worker_ready", "1 when partitions are assigned and state recovered.")
DEDUP_INDEX_ARTICLES = Gauge(
    "newsflow_dedup_index_articles", "Articles currently held in the dedup index."
)


def observe_step(step: str, seconds: float) -> None:
    """Record one step duration; the Pipeline's timing sink in the worker."""
    STEP_SECONDS.labels(step=step).observe(seconds)
