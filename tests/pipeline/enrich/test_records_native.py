"""Records the compiled stages make by storing their slots (workers/native/src/records.rs) are
the records calling their class makes, and any class that is not a plain slots dataclass is
called."""

from __future__ import annotations

import copy
import gc
import sys
from dataclasses import MISSING, InitVar, dataclass, field, fields
from typing import Any

import pytest

from tests.corpora import enrichment_texts
from tests.pipeline.enrich.test_events_parties_native import _generated_articles
from workers import _native
from workers.pipeline.article import Event, Place
from workers.pipeline.enrich.entities import walked_runs
from workers.pipeline.enrich.events import _CODER, extract_events, extract_events_by_rows
from workers.pipeline.enrich.gazetteer import load_gazetteer
from workers.pipeline.enrich.places import place_resolver


def test_the_pipeline_makes_places_and_events_by_storing_slots() -> None:
    """The pipeline's place resolver and event coder take the slot-storing path."""
    assert place_resolver(load_gazetteer()).stores_place_slots
    assert _CODER.stores_event_slots


def _resolved_places(text: str) -> list[Place]:
    walk = walked_runs(text)
    walk.resolve_places()
    return [r for r in walk.collector.records.values() if isinstance(r, Place)]


def test_resolved_places_are_whole_places_with_their_own_mentions() -> None:
    """Every resolved place is an exact ``Place`` with every field set, ``type`` its default,
    and a mentions list of its own."""
    places = [place for text in enrichment_texts() for place in _resolved_places(text)]
    assert len(places) > 100
    for place in places:
        assert type(place) is Place
        assert all(hasattr(place, f.name) for f in fields(Place))
        assert place.type == "location"
        assert copy.copy(place) == place
    lists = [id(place.mentions) for place in places]
    assert len(set(lists)) == len(lists)


def test_resolved_places_release_their_class() -> None:
    """Dropping the resolved places gives back every reference they held on ``Place``."""
    text = "Shelling hit Kharkiv, Mariupol and Bakhmut; talks in Paris and Ankara."
    _resolved_places(text)  # fills the resolver's caches
    gc.collect()
    before = sys.getrefcount(Place)
    places = _resolved_places(text)
    assert len(places) >= 3
    assert sys.getrefcount(Place) == before + len(places)
    del places
    gc.collect()
    assert sys.getrefcount(Place) == before


def test_coded_events_are_whole_events_equal_to_the_python_ones() -> None:
    """Coded events are exact ``Event``s with every field set, equal to those the Python
    coding builds by calling ``Event``."""
    events = 0
    for article in _generated_articles()[:80]:
        native = extract_events(copy.copy(article)).events
        assert native == extract_events_by_rows(copy.copy(article)).events
        for event in native:
            assert type(event) is Event
            assert all(hasattr(event, f.name) for f in fields(Event))
        events += len(native)
    assert events > 50


def test_coded_events_release_their_class() -> None:
    """Dropping coded events gives back every reference they held on ``Event``."""
    articles = [a for a in _generated_articles()[:40] if extract_events(copy.copy(a)).events]
    assert articles
    gc.collect()
    before = sys.getrefcount(Event)
    events = [e for a in articles for e in extract_events(copy.copy(a)).events]
    assert sys.getrefcount(Event) == before + len(events)
    del events
    gc.collect()
    assert sys.getrefcount(Event) == before


@dataclass(slots=True)
class _Plain:
    name: str
    count: int
    kind: str = "plain"
    tags: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class _Frozen:
    name: str
    count: int
    extra: tuple[int, ...] = ()


@dataclass(slots=True)
class _Derived(_Plain):
    rank: int = 0


def test_a_plain_slots_dataclass_is_made_as_calling_it_makes_it() -> None:
    """Slots dataclasses (plain, frozen, derived) are made by storing slots, equal to the
    instance the class makes, defaults the field's own objects."""
    for cls in (_Plain, _Frozen, _Derived):
        factory = _native.RecordFactory(cls, ("name", "count"))
        assert factory.stores_slots
        made = factory.make("a", 3)
        assert type(made) is cls
        assert made == cls("a", 3)
        for f in fields(cls)[2:]:
            if f.default is not MISSING:
                assert getattr(made, f.name) is f.default


def test_a_default_factory_gives_each_instance_a_fresh_object() -> None:
    """A field with a default factory gets a new object for every instance made."""
    factory = _native.RecordFactory(_Plain, ("name", "count"))
    first, second = factory.make("a", 1), factory.make("b", 2)
    assert first.tags == [] and second.tags == []
    assert first.tags is not second.tags
    first.tags.append("x")
    assert second.tags == []


def test_made_instances_hold_and_release_their_values() -> None:
    """A made instance holds one reference on the class and each value, given back when it
    dies, and its slots can be reassigned."""
    factory = _native.RecordFactory(_Plain, ("name", "count"))
    name = "".join(["na", "me"])
    gc.collect()
    before_class, before_name = sys.getrefcount(_Plain), sys.getrefcount(name)
    made = factory.make(name, 7)
    assert sys.getrefcount(_Plain) == before_class + 1
    assert sys.getrefcount(name) == before_name + 1
    assert sys.getrefcount(made) == 2
    made.count = 8
    assert made == _Plain("name", 8)
    del made
    assert sys.getrefcount(_Plain) == before_class
    assert sys.getrefcount(name) == before_name


def _failing_factory() -> list[str]:
    raise RuntimeError("no tags today")


@dataclass(slots=True)
class _FailingDefault:
    name: str
    count: int
    tags: list[str] = field(default_factory=_failing_factory)


def test_a_failing_default_factory_raises_and_leaks_nothing() -> None:
    """When a default factory raises, making the instance raises it and holds nothing."""
    factory = _native.RecordFactory(_FailingDefault, ("name", "count"))
    assert factory.stores_slots
    gc.collect()
    before = sys.getrefcount(_FailingDefault)
    with pytest.raises(RuntimeError, match="no tags today"):
        factory.make("a", 1)
    assert sys.getrefcount(_FailingDefault) == before


@dataclass(slots=True)
class _PostInit:
    name: str
    count: int

    def __post_init__(self) -> None:
        self.name = self.name.upper()


@dataclass(slots=True)
class _WithInitVar:
    name: str
    count: int
    scale: InitVar[int] = 1


@dataclass(slots=True)
class _KeywordOnly:
    name: str
    count: int
    note: str = field(default="", kw_only=True)


@dataclass(slots=True)
class _NotInInit:
    name: str
    count: int
    seen: int = field(default=0, init=False)


@dataclass(slots=True)
class _OwnSetattr:
    name: str
    count: int

    def __setattr__(self, key: str, value: Any) -> None:
        object.__setattr__(self, key, value.upper() if isinstance(value, str) else value)


@dataclass
class _WithDict:
    name: str
    count: int


@dataclass(slots=True)
class _Reordered:
    count: int
    name: str


@dataclass(slots=True)
class _ThreeRequired:
    name: str
    count: int
    kind: str


class _Meta(type):
    def __call__(cls, *args: Any) -> Any:
        return ("made by the metaclass", *args)


@dataclass(slots=True)
class _WithMeta(metaclass=_Meta):
    name: str
    count: int


@pytest.mark.parametrize(
    "cls",
    [_PostInit, _WithInitVar, _KeywordOnly, _NotInInit, _OwnSetattr, _WithDict, _WithMeta],
)
def test_other_dataclasses_are_called(cls: type) -> None:
    """A class whose construction does more than store its fields is called, so what it
    does still happens."""
    factory = _native.RecordFactory(cls, ("name", "count"))
    assert not factory.stores_slots
    assert factory.make("a", 1) == cls("a", 1)


def test_fields_given_out_of_order_or_missing_make_the_class_called() -> None:
    """A class whose first fields are not the names given, or that has a field without a
    default beyond them, is called with the two values."""
    reordered = _native.RecordFactory(_Reordered, ("name", "count"))
    assert not reordered.stores_slots
    assert reordered.make(1, "a") == _Reordered(1, "a")
    three = _native.RecordFactory(_ThreeRequired, ("name", "count"))
    assert not three.stores_slots
    with pytest.raises(TypeError):
        three.make("a", 1)


def test_a_plain_function_is_called() -> None:
    """A record factory that is not a class is called with the two values."""
    factory = _native.RecordFactory(lambda *values: values, ("name", "count"))
    assert not factory.stores_slots
    assert factory.make("a", 1) == ("a", 1)


@dataclass(slots=True)
class _Lender:
    label: str
    total: int


def test_a_slot_descriptor_lent_by_an_unrelated_class_is_not_trusted() -> None:
    """A class whose field descriptor belongs to an unrelated class is not slot-filled."""

    @dataclass(slots=True)
    class Borrower:
        name: str
        count: int

    assert _native.RecordFactory(Borrower, ("name", "count")).stores_slots
    Borrower.count = _Lender.total  # type: ignore[assignment]
    assert not _native.RecordFactory(Borrower, ("name", "count")).stores_slots
