"""The native record writer against orjson over the generated converters (its reference)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workers.processor as processor
from workers import __version__, _native
from workers.deadletter import SourcePosition
from workers.ledger import occurrence_checker
from workers.pipeline.article import Article, DedupResult, Person, PipelineInfo
from workers.pipeline.dedup.index import Deduplicator
from workers.pipeline.dedup.store import MemoryStore
from workers.processor import (
    Enricher,
    Finisher,
    article_json,
    article_json_reference,
    article_record,
)
from workers.settings import Settings

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
NOW = "2026-11-22T10:00:00.000Z"
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | ANY_TEXT
)
JSON_LIKE = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(ANY_TEXT | st.integers(0, 3), inner, max_size=5)
        | st.tuples(inner, inner)
        | st.builds(DedupResult, st.sampled_from(["unique", "duplicate"]), ANY_TEXT, st.floats())
    ),
    max_leaves=20,
)


def _outcome(write: Any, value: Any) -> tuple[str, bytes | str]:
    try:
        return "bytes", write(value)
    except Exception as exc:  # the same refusal (type and message) is the expected outcome
        return type(exc).__name__, str(exc)


def _enriched(path: Path, index: int) -> Article:
    raw = orjson.dumps({"id": f"s{index}", "source": "seed", "body": path.read_text()})
    article = Enricher(Settings()).enrich(raw, key=None, position=SourcePosition(), ingested_at=NOW)
    assert isinstance(article, Article)
    return article


@settings(max_examples=400, deadline=None)
@given(JSON_LIKE)
def test_writer_writes_or_refuses_any_value_as_orjson_does(value: Any) -> None:
    """Any JSON-like value (odd floats, big ints, surrogates, tuples, non-str keys) gives
    orjson's bytes or orjson's error."""
    assert _outcome(processor._ARTICLE_JSON.dumps, value) == _outcome(
        lambda v: orjson.dumps(processor.json_object(v) if isinstance(v, DedupResult) else v),
        value,
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(), max_size=20), st.lists(ANY_TEXT, max_size=20))
def test_floats_and_strings_are_written_as_orjson_writes_them(
    floats: list[float], texts: list[str]
) -> None:
    """Every float's digits and layout and every string's escapes match orjson's."""
    value = [floats, [text for text in texts if not _has_surrogate(text)]]
    assert processor._ARTICLE_JSON.dumps(value) == orjson.dumps(value)


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(char) <= 0xDFFF for char in text)


def test_float_layout_switches_notation_where_orjson_does() -> None:
    """Fixed notation runs from 1e-5 to below 1e16; not finite numbers are null."""
    values = [1e-5, 9.99e-6, 1e15, 1e16, -0.0, 0.0, 5e-324, math.nan, -math.inf, 123.0]
    assert processor._ARTICLE_JSON.dumps(values) == orjson.dumps(values)
    assert processor._ARTICLE_JSON.dumps([1e-5, 1e16]) == b"[0.00001,1e+16]"


def test_enriched_articles_are_written_byte_for_byte_as_the_reference() -> None:
    """Real enriched seed articles give the bytes of orjson over their record dicts."""
    for index, path in enumerate(SEEDS[:8]):
        article = _enriched(path, index)
        assert article.sentences, "an enriched article"
        assert article_json(article) == article_json_reference(article)


def test_unregistered_dataclass_subclass_goes_through_its_converter() -> None:
    """A subclass of a record type is not read natively: its own converter writes it."""

    class Reporter(Person):
        pass

    value = [Reporter(name="A. Writer", mentions=["Writer"])]
    assert processor._ARTICLE_JSON.dumps(value) == orjson.dumps([processor.json_object(value[0])])


def test_finish_article_gives_the_bytes_of_finish_over_the_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Finishing the article itself writes what finishing its record dict writes, for a
    unique article, a redelivery and a republication."""
    monkeypatch.setattr(processor, "utc_now_iso", lambda: NOW)
    settings_ = Settings()

    def finisher() -> Finisher:
        store = MemoryStore()
        return Finisher(settings_, Deduplicator(store).check_fingerprint, occurrence_checker(store))

    by_record, by_article = finisher(), finisher()
    article = _enriched(SEEDS[0], 0)
    for occurrence in ("raw/0/1", "raw/0/1", "raw/1/9"):
        expected = by_record.finish(article_record(article), occurrence=occurrence).value
        assert by_article.finish_article(article, occurrence=occurrence) == expected
    assert article.pipeline == PipelineInfo(version=__version__, worker=settings_.worker_name)
    assert article.dedup.status == "duplicate"


def test_every_record_field_is_read_from_its_slot() -> None:
    """All fields of the article's record types are slots the writer reads directly."""
    classes = list(processor._ARTICLE_JSON_CLASSES)
    assert Article in classes and DedupResult in classes and PipelineInfo in classes
    fields = sum(len(dataclasses.fields(cls)) for cls in classes)
    assert processor._ARTICLE_JSON.slot_fields == fields


@dataclasses.dataclass(slots=True)
class _Pair:
    first: str
    second: int


class _Shouting(_Pair):
    __slots__ = ()

    def __getattribute__(self, name: str) -> object:
        value = object.__getattribute__(self, name)
        return value.upper() if isinstance(value, str) else value


def test_fields_not_found_generically_are_read_by_attribute_access() -> None:
    """A class with its own attribute lookup is read through it, not from its slots."""
    writer = _native.RecordJson([(_Shouting, ["first", "second"])], orjson.dumps)
    assert writer.slot_fields == 0
    assert writer.dumps(_Shouting("quiet", 2)) == b'{"first":"QUIET","second":2}'


def test_an_unset_slot_fails_as_attribute_access_does() -> None:
    """A field never set raises the AttributeError that reading it raises."""
    writer = _native.RecordJson([(_Pair, ["first", "second"])], orjson.dumps)
    assert writer.slot_fields == 2
    pair = _Pair("a", 1)
    del pair.second
    with pytest.raises(AttributeError) as native:
        writer.dumps(pair)
    with pytest.raises(AttributeError) as reference:
        processor.json_object(pair)
    assert str(native.value) == str(reference.value)


class _Resizing(_Pair):
    """A pair whose second field, when read, adds an entry to a dict being written."""

    __slots__ = ()
    target: dict[str, object] = {}

    def __getattribute__(self, name: str) -> object:
        if name == "second":
            _Resizing.target[f"k{len(_Resizing.target)}"] = 0
        return object.__getattribute__(self, name)


def test_a_dict_resized_while_written_is_written_as_it_was() -> None:
    """Python code that grows a dict while it is written changes neither the output nor
    stops the writer: the items are those it had when its writing began."""
    writer = _native.RecordJson([(_Resizing, ["first", "second"])], orjson.dumps)
    _Resizing.target = {"a": _Resizing("x", 1)}
    assert writer.dumps(_Resizing.target) == b'{"a":{"first":"x","second":1}}'
    assert len(_Resizing.target) == 2


def test_strings_of_every_length_with_an_escape_at_every_position() -> None:
    """Strings of 0 to 40 bytes, plain or with one byte to escape at any position (the edges
    of the 16- and 8-byte blocks the writer tests at once), are written as orjson writes them."""
    values: list[str] = []
    for length in range(41):
        plain = "".join("abcdé日x"[index % 7] for index in range(length))
        values.append(plain)
        for position in range(length):
            for special in ('"', "\\", "\n", "\x00", "\x1f", "\x7f"):
                values.append(plain[:position] + special + plain[position + 1 :])
    assert processor._ARTICLE_JSON.dumps(values) == orjson.dumps(values)


def test_long_strings_of_escapes_are_written_as_orjson_writes_them() -> None:
    """Strings of up to 300,000 characters, every one escaped (six bytes each) or only some,
    are written as orjson writes them, and again by the next call (which reuses the buffer)."""
    values = [
        "\x01" * 300_000,
        "\n" * 200_000,
        ("word \u2019s" * 20 + "\x1f") * 2_000,
        "plain text " * 30_000 + '"',
    ]
    for value in [*values, *values]:
        assert processor._ARTICLE_JSON.dumps([value, {"k": value}]) == orjson.dumps(
            [value, {"k": value}]
        )


def test_integers_at_the_ends_of_64_bits_are_written_as_orjson_writes_them() -> None:
    """The smallest and largest 64-bit integers and their neighbours keep every digit."""
    values = [-(2**63), -(2**63) + 1, 2**63 - 1, -1, 0, 9, 10, -10, 10**18, 2**64 - 1]
    assert processor._ARTICLE_JSON.dumps(values) == orjson.dumps(values)


@dataclasses.dataclass(slots=True)
class _LongNames:
    a_field_name_longer_than_the_block_of_a_short_key: str
    b: int


def test_long_field_names_are_written_whole() -> None:
    """A field whose key does not fit a short block is written in full."""
    writer = _native.RecordJson(
        [(_LongNames, ["a_field_name_longer_than_the_block_of_a_short_key", "b"])], orjson.dumps
    )
    value = _LongNames("v", 1)
    assert writer.dumps(value) == orjson.dumps(dataclasses.asdict(value))


def test_a_writer_called_from_its_own_fallback_writes_both_values() -> None:
    """A fallback that calls the same writer again (its buffer then in use) gets its own bytes
    and leaves the outer output intact."""
    writers: list[_native.RecordJson] = []

    def fallback(value: Any) -> bytes:
        return writers[0].dumps(list(value))

    writer = _native.RecordJson([(_Pair, ["first", "second"])], fallback)
    writers.append(writer)
    value = {"pairs": [_Pair("x" * 50, 1), (_Pair("y", 2), "z" * 40)]}
    expected = orjson.dumps(
        {"pairs": [{"first": "x" * 50, "second": 1}, [{"first": "y", "second": 2}, "z" * 40]]}
    )
    assert writer.dumps(value) == expected
    assert writer.dumps(value) == expected


@pytest.mark.parametrize("depth", [199, 230, 260, 500])
def test_deep_nesting_is_written_or_refused_as_orjson_does_from_the_root(depth: int) -> None:
    """A value nested past the writer's own depth is written whole by orjson, so orjson's
    recursion limit counts from the root: written below it, refused above it."""
    value: Any = ["leaf"]
    for _ in range(depth):
        value = [{"inner": value}] if depth % 2 else [value]
    assert _outcome(processor._ARTICLE_JSON.dumps, value) == _outcome(orjson.dumps, value)
