"""The Faust app: two thin agents over the pure pipeline, plus health and metrics endpoints.

raw-articles (N partitions) --enrich agent--> newsflow-dedup (1 partition) --dedup agent-->
military / diplomatic / unclassified / duplicates, and dead-letter from either agent.

Enrichment is the costly part and scales with raw partitions and worker processes. Every
dedup decision passes through the single dedup partition, owned by one worker at a time, so
"first seen" is one order for the whole cluster and a reprint is caught whichever raw
partition or worker it came through. The index lives in a local RocksDB with a Kafka changelog
(see :mod:`workers.stream.changelog`), so it survives restarts and moves with the partition.
"""

from __future__ import annotations

import functools
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, cast

import faust
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from workers import metrics
from workers.errors import NewsflowError
from workers.ledger import OccurrenceCheckFn, OccurrenceLedger, occurrence_checker
from workers.pipeline.article import DedupResult
from workers.pipeline.dedup.fingerprint import Fingerprint
from workers.pipeline.dedup.index import Deduplicator
from workers.pipeline.dedup.store import RocksStore
from workers.processor import Enricher, Finisher
from workers.settings import Settings
from workers.stream.changelog import ChangelogStore
from workers.stream.handlers import InRecord, handle_dedup_batch, handle_raw_batch
from workers.stream.outbox import KafkaOutbox, Outbox
from workers.stream.recovery import catch_up
from workers.stream.security import faust_credentials

_RECORD_HEADROOM = 64 * 1024


@dataclass(slots=True)
class NewsflowApp:
    """The Faust app and the parts tests and commands need to reach."""

    app: faust.App
    settings: Settings
    enrich_agent: Any
    dedup_agent: Any
    dedup_state: DedupState
    kafka_outbox: KafkaOutbox
    outbox_holder: dict[str, Outbox]


def _max_message_bytes(settings: Settings) -> int:
    # Records over the processing limit must still be accepted so they can be dead-lettered
    # with their original bytes, which base64 makes a third larger.
    return 2 * settings.max_record_bytes + _RECORD_HEADROOM


def _topic_configs(settings: Settings) -> dict[str, dict[str, Any]]:
    big = {"max.message.bytes": str(_max_message_bytes(settings))}
    configs: dict[str, dict[str, Any]] = {
        name: {"partitions": settings.output_partitions} for name in settings.output_topics
    }
    configs[settings.topic_dead_letter]["config"] = big
    configs[settings.topic_raw] = {"partitions": settings.raw_partitions, "config": big}
    configs[settings.topic_dedup] = {"partitions": 1, "config": big}
    retention_ms = int((settings.dedup_retention_days + 1) * 86400 * 1000)
    configs[dedup_changelog_topic(settings)] = {
        "partitions": 1,
        "config": {**big, "retention.ms": str(retention_ms)},
    }
    return configs


def topic_plan(settings: Settings) -> tuple[dict[str, int], dict[str, dict[str, str]]]:
    """Every topic the worker uses, with its partition count and broker configs."""
    configs = _topic_configs(settings)
    partitions = {name: int(spec["partitions"]) for name, spec in configs.items()}
    return partitions, {name: dict(spec.get("config", {})) for name, spec in configs.items()}


def dedup_changelog_topic(settings: Settings) -> str:
    """The changelog topic of the dedup index."""
    return f"{settings.app_id}-dedup-index-changelog"


class DedupState:
    """The dedup index of this worker: opened on first use, caught up from the changelog."""

    def __init__(self, settings: Settings, factory: Callable[[ChangelogStore], Deduplicator]):
        self._settings = settings
        self._factory = factory
        self.store: ChangelogStore | None = None
        self.deduplicator: Deduplicator | None = None
        self._occurrences: OccurrenceCheckFn | None = None
        self.needs_recovery = True
        self._last_eviction = time.monotonic()

    def _open_store(self) -> ChangelogStore:
        if self.store is None:
            directory = self._settings.data_dir / "dedup-index"
            directory.mkdir(parents=True, exist_ok=True)
            # The changelog is the durable log: the local database needs no WAL of its own.
            self.store = ChangelogStore(
                RocksStore(directory / "db", write_ahead_log=False), directory / "changelog.offset"
            )
            self._occurrences = occurrence_checker(self.store)
        return self.store

    def adopt(self, store: ChangelogStore) -> None:
        """Use a store that is already caught up (agent tests, tools), skipping recovery."""
        self.store = store
        self._occurrences = occurrence_checker(store)
        self.deduplicator = self._factory(store)
        self.needs_recovery = False

    async def recover_if_needed(self) -> None:
        """Replay changelog records other owners wrote since this worker last applied it."""
        store = self._open_store()
        if self.needs_recovery or self.deduplicator is None:
            await catch_up(store, self._settings, dedup_changelog_topic(self._settings))
            # The index keeps counters in memory, so it is rebuilt over the caught-up store.
            self.deduplicator = self._factory(store)
            self.needs_recovery = False

    def check_occurrence(
        self, article_id: str, occurrence: str, timestamp: float, result: DedupResult
    ) -> DedupResult:
        """Tell a redelivery (same raw position) from a new publication of a seen id."""
        if self._occurrences is None:
            raise NewsflowError("the dedup index is used before recovery")
        return self._occurrences(article_id, occurrence, timestamp, result)

    def check(self, article_id: str, body: Fingerprint, timestamp: float) -> DedupResult:
        """Decide one article's dedup status (after :meth:`recover_if_needed`)."""
        if self.deduplicator is None:
            raise NewsflowError("the dedup index is used before recovery")
        return self.deduplicator.check_fingerprint(article_id, body, timestamp)

    def evict_if_due(self, every_seconds: float = 60.0) -> int:
        """Drop entries older than the retention window, at most once a minute."""
        if self.deduplicator is None or time.monotonic() - self._last_eviction < every_seconds:
            return 0
        self._last_eviction = time.monotonic()
        cutoff = time.time() - self._settings.dedup_retention_days * 86400
        return self.deduplicator.evict() + OccurrenceLedger(self._open_store()).evict(cutoff)

    def flush(self) -> None:
        """Persist the local index, so that a restart on this disk replays only new records."""
        if self.store is not None:
            self.store.flush()

    def close(self) -> None:
        """Close the local database."""
        if self.store is not None:
            self.store.close()
            self.store = None
            self.deduplicator = None
            self._occurrences = None


def _make_faust_app(settings: Settings) -> faust.App:
    servers = [f"kafka://{server.strip()}" for server in settings.bootstrap_servers.split(",")]
    return faust.App(
        settings.app_id,
        broker=servers,
        broker_credentials=faust_credentials(settings),
        key_serializer="raw",
        value_serializer="raw",
        datadir=str(settings.data_dir / "faust"),
        web_enabled=True,
        web_port=settings.web_port,
        web_bind=settings.web_host,
        topic_partitions=settings.output_partitions,
        topic_replication_factor=settings.replication_factor,
        producer_acks=-1,
        broker_commit_interval=settings.commit_interval_seconds,
        producer_max_request_size=_max_message_bytes(settings) + _RECORD_HEADROOM,
        consumer_max_fetch_size=_max_message_bytes(settings) + _RECORD_HEADROOM,
        consumer_auto_offset_reset="earliest",
        stream_wait_empty=False,
        autodiscover=False,
        loghandlers=[],
    )


def _headers(headers: Any) -> list[tuple[str, bytes]]:
    if not headers:
        return []
    items = headers.items() if isinstance(headers, dict) else headers
    return [(str(key), bytes(value or b"")) for key, value in items]


def _in_records(events: Any) -> list[InRecord]:
    return [
        InRecord(
            key=event.message.key,
            value=event.message.value,
            topic=event.message.topic,
            partition=event.message.partition,
            offset=event.message.offset,
            timestamp=event.message.timestamp,
            headers=tuple(_headers(event.message.headers)),
        )
        for event in events
    ]


def _update_lag(app: faust.App, records: list[InRecord]) -> None:
    last: dict[tuple[str, int], int] = {}
    for record in records:
        last[(record.topic, record.partition)] = record.offset
    for (topic, partition), offset in last.items():
        try:
            highwater = app.consumer.highwater(faust.types.TP(topic, partition))
        except Exception:  # the consumer may be rebalancing; the next batch updates it
            continue
        if highwater is not None:
            metrics.CONSUMER_LAG.labels(topic=topic, partition=str(partition)).set(
                max(0, highwater - offset - 1)
            )


def is_ready(app: faust.App) -> bool:
    """True when the worker has partitions assigned and its tables are recovered."""
    try:
        assigned = bool(app.consumer.assignment())
    except Exception:
        return False
    tables: Any = app.tables
    recovered = tables.recovery.completed.is_set()
    return assigned and recovered and not app.rebalancing


def _default_deduplicator(settings: Settings) -> Callable[[ChangelogStore], Deduplicator]:
    retention = settings.dedup_retention_days * 86400
    return lambda store: Deduplicator(store, retention_seconds=retention)


async def _publish_changelog(state: DedupState, outbox: Outbox, topic: str) -> None:
    if state.store is None:
        return
    pending = [await outbox.send(topic, b"", record) for record in state.store.take_pending()]
    if not pending:
        return
    offsets = [getattr(await future, "offset", None) for future in pending]
    known = [offset for offset in offsets if isinstance(offset, int)]
    if known:
        state.store.mark_applied(max(known))


def create_app(settings: Settings) -> NewsflowApp:
    """Build the Faust app for these settings: topics, dedup table, agents and web views."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = _make_faust_app(settings)
    configs = _topic_configs(settings)
    kafka_outbox = KafkaOutbox(app, configs)
    outbox_holder: dict[str, Outbox] = {"outbox": kafka_outbox}
    raw_topic = kafka_outbox.topic(settings.topic_raw)
    dedup_topic = kafka_outbox.topic(settings.topic_dedup)
    enricher = Enricher(settings, on_timing=metrics.observe_step)
    enricher.warm_up()
    dedup_state = DedupState(settings, _default_deduplicator(settings))
    finisher = Finisher(
        settings,
        dedup_state.check,
        on_timing=metrics.observe_step,
        occurrence_check=dedup_state.check_occurrence,
    )
    changelog = dedup_changelog_topic(settings)
    dedup_tp = faust.types.TP(settings.topic_dedup, 0)

    async def on_assigned(sender: Any, assigned: Any, **kwargs: Any) -> None:
        if dedup_tp in assigned:
            dedup_state.needs_recovery = True

    async def on_revoked(sender: Any, revoked: Any, **kwargs: Any) -> None:
        if dedup_tp in revoked:
            dedup_state.needs_recovery = True

    @app.agent(raw_topic, concurrency=1, name="enrich")
    async def enrich_agent(stream: Any) -> AsyncIterator[None]:
        async for events in stream.take_events(settings.batch_size, settings.batch_within_seconds):
            records = _in_records(events)
            await handle_raw_batch(records, enricher, outbox_holder["outbox"], settings)
            _update_lag(app, records)
            yield None

    @app.agent(dedup_topic, concurrency=1, name="dedup")
    async def dedup_agent(stream: Any) -> AsyncIterator[None]:
        async for events in stream.take_events(settings.batch_size, settings.batch_within_seconds):
            records = _in_records(events)
            await dedup_state.recover_if_needed()
            outbox = outbox_holder["outbox"]
            await handle_dedup_batch(
                records,
                finisher,
                outbox,
                settings,
                before_outputs=functools.partial(
                    _publish_changelog, dedup_state, outbox, changelog
                ),
            )
            if dedup_state.evict_if_due():
                await _publish_changelog(dedup_state, outbox, changelog)
            _update_lag(app, records)
            yield None

    @app.page("/metrics")
    async def metrics_view(web: Any, request: Any) -> Any:
        return web.bytes(generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @app.page("/healthz")
    async def healthz_view(web: Any, request: Any) -> Any:
        return web.json({"status": "ok", "worker": settings.worker_name})

    @app.page("/readyz")
    async def readyz_view(web: Any, request: Any) -> Any:
        ready = is_ready(app)
        metrics.WORKER_READY.set(1 if ready else 0)
        body = {"ready": ready, "worker": settings.worker_name}
        return web.json(body, status=200 if ready else 503)

    async def on_shutdown(sender: Any, **kwargs: Any) -> None:
        # The index writes without a WAL: a stop that skipped this flush would cost the next
        # start a replay of the unflushed changelog tail (correct, but slower).
        dedup_state.flush()

    app.on_partitions_assigned.connect(cast(Any, on_assigned))
    app.on_partitions_revoked.connect(cast(Any, on_revoked))
    app.on_before_shutdown.connect(cast(Any, on_shutdown))

    @app.timer(interval=5.0)  # type: ignore[untyped-decorator]
    async def refresh_readiness() -> None:
        metrics.WORKER_READY.set(1 if is_ready(app) else 0)

    return NewsflowApp(
        app=app,
        settings=settings,
        enrich_agent=enrich_agent,
        dedup_agent=dedup_agent,
        dedup_state=dedup_state,
        kafka_outbox=kafka_outbox,
        outbox_holder=outbox_holder,
    )
