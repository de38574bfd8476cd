"""One article's whole journey, shared by the Kafka agents and the offline ``process`` command."""

from __future__ import annotations

import dataclasses
import gc
import time
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from workers import __version__, _native
from workers.deadletter import DeadLetter, SourcePosition, make_dead_letter
from workers.errors import InvalidArticle, StageError
from workers.pipeline.article import Article, DedupResult, PipelineInfo
from workers.pipeline.build import enrich_pipeline
from workers.pipeline.dedup.fingerprint import Fingerprint, fingerprint
from workers.pipeline.route import route_topics
from workers.pipeline.stages import TimingSink, ignore_timing
from workers.pipeline.validate import STEP as VALIDATE_STEP
from workers.pipeline.validate import article_from_record, validate
from workers.settings import Settings
from workers.timeutil import seconds_from_iso, utc_now_iso

DedupCheck = Callable[[str, Fingerprint, float], DedupResult]
OccurrenceCheck = Callable[[str, str, float, DedupResult], DedupResult]
# Allocations between two collections of the young generation once the worker is warm.
YOUNG_COLLECTION_THRESHOLD = 10_000


def _first_is_final(
    article_id: str, occurrence: str, timestamp: float, result: DedupResult
) -> DedupResult:
    return result


@dataclass(frozen=True, slots=True)
class Routed:
    """A finished output record and the topics it must be written to."""

    key: bytes
    value: bytes
    topics: list[str]
    record: dict[str, Any]


class Enricher:
    """Validates raw bytes and runs the enrich stages; failures come back as dead letters."""

    def __init__(self, settings: Settings, on_timing: TimingSink = ignore_timing) -> None:
        self._settings = settings
        self._pipeline = enrich_pipeline(on_timing)
        self._on_timing = on_timing

    def enrich(
        self, raw: bytes, *, key: bytes | None, position: SourcePosition, ingested_at: str
    ) -> Article | DeadLetter:
        """Return the enriched article, or the dead letter that says which step failed and why."""
        try:
            article = validate(
                raw, ingested_at=ingested_at, max_bytes=self._settings.max_record_bytes
            )
        except InvalidArticle as exc:
            return self._dead_letter(VALIDATE_STEP, exc.reason, exc.detail, raw, key, position)
        try:
            return self._pipeline.run(article)
        except StageError as exc:
            return self._dead_letter(exc.step, "stage_error", str(exc), raw, key, position)

    def warm_up(self) -> None:
        """Run one article through every stage so lexicons and gazetteers load before traffic.

        It uses an untimed copy of the pipeline: the warm-up must not show in the metrics.
        """
        sample = {
            "id": "warm-up",
            "body": "Envoys met in Geneva. Artillery shelled Kherson, killing two people.",
        }
        article = article_from_record(sample, ingested_at="1970-01-01T00:00:00Z")
        enrich_pipeline().run(article)
        # The lexicons and gazetteers are ~400k objects that live as long as the process.
        # Left to the collector, each full collection walks them all: a 0.2-0.3 s pause on
        # whichever article triggers it. Frozen, they are skipped by every collection.
        gc.collect()
        gc.freeze()
        # An article allocates tens of thousands of short-lived containers; at the default
        # threshold (700) the young generation is collected dozens of times per article. Less
        # often cost 10-15 % less CPU per article in the bench, with the same memory.
        gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])

    def _dead_letter(
        self,
        step: str,
        reason: str,
        detail: str,
        raw: bytes,
        key: bytes | None,
        position: SourcePosition,
    ) -> DeadLetter:
        return make_dead_letter(
            step=step,
            reason=reason,
            detail=detail,
            original=raw,
            key=key,
            position=position,
            worker=self._settings.worker_name,
        )


class Finisher:
    """Deduplicates an enriched record, stamps it and decides its output topics."""

    def __init__(
        self,
        settings: Settings,
        dedup_check: DedupCheck,
        occurrence_check: OccurrenceCheck,
        on_timing: TimingSink = ignore_timing,
    ) -> None:
        self._settings = settings
        self._dedup_check = dedup_check
        self._on_timing = on_timing
        self._occurrence_check = occurrence_check

    def finish(
        self, record: dict[str, Any], occurrence: str = "", fingerprint_bytes: bytes | None = None
    ) -> Routed:
        """Set ``dedup``, ``topics``, ``routed_to``, ``processed_at`` and ``pipeline``.

        ``occurrence`` names the raw record (e.g. topic/partition/offset): a redelivery of the
        same occurrence gets the same decision, a new occurrence of a seen id is a duplicate.
        ``fingerprint_bytes`` is the body's fingerprint when a parallel stage computed it.
        """
        result = self._dedup(
            record["id"], record["body"], record["ingested_at"], occurrence, fingerprint_bytes
        )
        started = time.perf_counter()
        label_topics, all_topics = self._route(record.get("topics") or [], result)
        record["dedup"] = json_object(result)
        record["topics"] = label_topics
        record["routed_to"] = all_topics
        record["processed_at"] = utc_now_iso()
        record["pipeline"] = {"version": __version__, "worker": self._settings.worker_name}
        self._on_timing("route", time.perf_counter() - started)
        # Serialising the whole record is output overhead, not routing: it stays untimed.
        return Routed(
            key=record["id"].encode(), value=orjson.dumps(record), topics=all_topics, record=record
        )

    def finish_article(self, article: Article, occurrence: str = "") -> bytes:
        """``finish(article_record(article), occurrence).value`` without the record's dicts.

        The article itself takes the ``dedup``, ``topics``, ``routed_to``, ``processed_at``
        and ``pipeline`` values, and is written by :func:`article_json`.
        """
        # None fails in seconds_from_iso, as it does for a record without the stamp.
        ingested_at = typing.cast(str, article.ingested_at)
        result = self._dedup(article.id, article.body, ingested_at, occurrence, None)
        started = time.perf_counter()
        label_topics, all_topics = self._route(article.topics or [], result)
        article.dedup = result
        article.topics = label_topics
        article.routed_to = all_topics
        article.processed_at = utc_now_iso()
        article.pipeline = PipelineInfo(version=__version__, worker=self._settings.worker_name)
        self._on_timing("route", time.perf_counter() - started)
        return article_json(article)

    def _dedup(
        self,
        article_id: str,
        body: str,
        ingested_at: str,
        occurrence: str,
        fingerprint_bytes: bytes | None,
    ) -> DedupResult:
        """The dedup decision, after the occurrence check (timed as ``dedup``)."""
        started = time.perf_counter()
        timestamp = seconds_from_iso(ingested_at)
        if fingerprint_bytes is None:
            body_fingerprint = fingerprint(body)
        else:
            body_fingerprint = Fingerprint.from_bytes(fingerprint_bytes)
        result = self._dedup_check(article_id, body_fingerprint, timestamp)
        result = self._occurrence_check(article_id, occurrence, timestamp, result)
        self._on_timing("dedup", time.perf_counter() - started)
        return result

    def _route(self, labels: list[str], result: DedupResult) -> tuple[list[str], list[str]]:
        settings = self._settings
        return route_topics(
            labels,
            result.status,
            label_topics=settings.label_topics,
            unclassified_topic=settings.topic_unclassified,
            duplicates_topic=settings.topic_duplicates,
            forward_duplicates=settings.forward_duplicates,
        )


def article_record(article: Article) -> dict[str, Any]:
    """The article as the JSON object the output topics carry.

    Nested records become dicts; lists and dicts of plain JSON values (a sentence's labels,
    scores and cues) are shared with the article rather than copied.
    """
    return json_object(article)


def article_json(article: Article) -> bytes:
    """``orjson.dumps(article_record(article))``, written in one pass without the dicts."""
    return _ARTICLE_JSON.dumps(article)


def article_json_reference(article: Article) -> bytes:
    """:func:`article_json` through the generated converters and orjson."""
    return orjson.dumps(article_record(article))


# orjson serialises a slotted dataclass about six times slower than the equivalent dict, and
# the JSON round trip (dumps then loads) costs more again. So each dataclass gets a converter
# generated once from its fields and type hints: one expression, as the dataclasses module itself
# generates code, in which nested dataclasses are dict displays and lists of them comprehensions
# (a function call per sentence, entity or event cost a third of the conversion). Only the
# fields whose type can hold a dataclass are converted further.

_PLAIN_TYPES: frozenset[Any] = frozenset((str, int, float, bool, type(None), Any))
_UNION_ORIGINS: frozenset[Any] = frozenset((typing.Union, types.UnionType))
_OBJECT_CONVERTERS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def json_object(value: Any) -> dict[str, Any]:
    """A dataclass instance as the dict that ``orjson.dumps`` would write for it."""
    converter = _OBJECT_CONVERTERS.get(type(value))
    if converter is None:
        converter = _converter_of(type(value))
    return converter(value)


def _converter_of(cls: type) -> Callable[[Any], dict[str, Any]]:
    converter = _OBJECT_CONVERTERS.get(cls)
    if converter is None:
        converter = _OBJECT_CONVERTERS[cls] = _object_converter(cls)
    return converter


class _Source:
    """The namespace and fresh local names of one generated converter."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {"json_object": json_object}
        self._count = 0

    def fresh(self, stem: str) -> str:
        self._count += 1
        return f"{stem}{self._count}"

    def bind(self, value: Any) -> str:
        name = self.fresh("ref")
        self.namespace[name] = value
        return name


def _object_converter(cls: type) -> Callable[[Any], dict[str, Any]]:
    code = _Source()
    source = f"def convert(value):\n    return {_object_expr(cls, 'value', code, (cls,))}\n"
    exec(compile(source, f"<json_object {cls.__qualname__}>", "exec"), code.namespace)
    convert: Callable[[Any], dict[str, Any]] = code.namespace["convert"]
    return convert


def _object_expr(cls: type, read: str, code: _Source, outer: tuple[type, ...]) -> str:
    """A dict display of the dataclass instance that the expression ``read`` evaluates to."""
    hints = typing.get_type_hints(cls)
    items = []
    for field in dataclasses.fields(cls):
        attribute = f"{read}.{field.name}"
        converted = _value_expr(hints[field.name], attribute, cls, code, outer)
        items.append(f"{field.name!r}: {converted or attribute}")
    return f"{{{', '.join(items)}}}"


def _value_expr(
    hint: Any, read: str, owner: type, code: _Source, outer: tuple[type, ...]
) -> str | None:
    """How to convert the value ``read`` of type ``hint``; None when orjson writes it as it is.

    ``read`` is a name or an attribute chain, cheap to evaluate more than once.
    """
    if hint in _PLAIN_TYPES:
        return None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if hint in outer:  # a recursive type: call its converter rather than expand forever
            return f"{code.bind(_converter_of(hint))}({read})"
        return _object_expr(hint, read, code, (*outer, hint))
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Literal:
        return None
    if origin in _UNION_ORIGINS:
        return _union_expr(hint, args, read, owner, code, outer)
    if origin is list and len(args) == 1:
        item = code.fresh("item")
        converted = _value_expr(args[0], item, owner, code, outer)
        return None if converted is None else f"[{converted} for {item} in {read}]"
    if origin is dict and len(args) == 2 and args[0] is str:
        key, item = code.fresh("key"), code.fresh("item")
        converted = _value_expr(args[1], item, owner, code, outer)
        if converted is None:
            return None
        return f"{{{key}: {converted} for {key}, {item} in {read}.items()}}"
    raise TypeError(f"{owner.__name__}: no JSON conversion for field type {hint!r}")


def _union_expr(
    hint: Any,
    members: tuple[Any, ...],
    read: str,
    owner: type,
    code: _Source,
    outer: tuple[type, ...],
) -> str | None:
    """A union of dataclasses (and None): a dict display chosen by the value's exact type,
    ``json_object`` for any other type (e.g. a subclass)."""
    if all(_value_expr(member, read, owner, code, outer) is None for member in members):
        return None
    if not all(dataclasses.is_dataclass(member) or member is type(None) for member in members):
        raise TypeError(f"{owner.__name__}: no JSON conversion for field type {hint!r}")
    expr = f"json_object({read})"
    for member in reversed([m for m in members if m is not type(None)]):
        converted = _value_expr(member, read, owner, code, outer)
        expr = f"{converted} if type({read}) is {code.bind(member)} else {expr}"
    if type(None) in members:
        expr = f"None if {read} is None else {expr}"
    return f"({expr})"


def _dataclasses_under(cls: type, found: dict[type, None]) -> None:
    """``cls`` and every dataclass its field types name, in first-seen order."""
    found[cls] = None
    for hint in typing.get_type_hints(cls).values():
        for named in _types_named(hint):
            if dataclasses.is_dataclass(named) and named not in found:
                _dataclasses_under(named, found)


def _types_named(hint: Any) -> list[type]:
    if isinstance(hint, type):
        return [hint]
    return [named for arg in typing.get_args(hint) for named in _types_named(arg)]


def _record_writer(classes: list[type]) -> _native.RecordJson:
    fields = [(cls, [field.name for field in dataclasses.fields(cls)]) for cls in classes]
    return _native.RecordJson(fields, _dumps_other)


def _dumps_other(value: Any) -> bytes:
    """What the record writer does not write itself: a dataclass it does not know (e.g. a
    subclass) through its generated converter, anything else through orjson."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return orjson.dumps(json_object(value))
    return orjson.dumps(value)


_ARTICLE_JSON_CLASSES: dict[type, None] = {}
_dataclasses_under(Article, _ARTICLE_JSON_CLASSES)
_ARTICLE_JSON = _record_writer(list(_ARTICLE_JSON_CLASSES))
