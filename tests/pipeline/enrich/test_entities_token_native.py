"""The compiled scanner and walker make ``Token``s and ``PlaceMention``s by storing their slots,
exactly as calling the class would."""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass, fields

from tests.corpora import enrichment_texts
from workers import _native
from workers.pipeline.enrich._data import char_class, char_classes, fold
from workers.pipeline.enrich.entities import _native_walker, _walker_tables, walked_runs
from workers.pipeline.enrich.gazetteer import load_gazetteer
from workers.pipeline.enrich.lexicon import load_lexicon
from workers.pipeline.enrich.places import PlaceMention
from workers.pipeline.enrich.spans import (
    _ABBREVIATIONS,
    _ARABIC_PREFIXES,
    _SCANNER,
    CONNECTORS,
    Token,
    capitalised_runs,
    capitalised_runs_reference,
)


def _scanner(token: object) -> _native.CapitalScanner:
    return _native.CapitalScanner(
        classes=char_classes(),
        classify=char_class,
        token=token,  # type: ignore[arg-type]
        fold=fold,
        connectors=sorted(CONNECTORS),
        arabic_prefixes=list(_ARABIC_PREFIXES),
        abbreviations=list(_ABBREVIATIONS),
    )


def test_the_pipeline_scanner_stores_token_slots() -> None:
    """The scanner ``spans`` builds takes the slot-storing path for its ``Token`` class."""
    assert _SCANNER.stores_token_slots


def test_stored_tokens_are_whole_tokens_on_the_corpora() -> None:
    """Tokens made by storing slots are ``Token``s equal, field by field, to the reference's."""
    for text in enrichment_texts():
        native = capitalised_runs(text)
        reference = capitalised_runs_reference(text)
        assert native == reference
        for run in native:
            for token in run:
                assert type(token) is Token
                assert all(getattr(token, f.name) is not None for f in fields(Token))
                assert token.is_connector == (token.text in CONNECTORS)


def test_stored_tokens_can_be_changed_and_are_freed() -> None:
    """A stored token's slots can be reassigned, and dropping tokens releases the class."""
    gc.collect()
    before = sys.getrefcount(Token)
    runs = _SCANNER.runs("Talks in New York and Paris ended.")
    assert runs is not None
    assert sys.getrefcount(Token) == before + 5
    token = runs[0][0]
    token.start = 99
    assert token == Token("Talks", 99, 5, False, "talks")
    assert sys.getrefcount(token) == 3
    del runs, token
    assert sys.getrefcount(Token) == before


@dataclass(slots=True)
class _Checked:
    text: str
    start: int
    end: int
    possessive: bool
    key: str

    def __post_init__(self) -> None:
        self.key = f"checked:{self.key}"


@dataclass(slots=True)
class _Reordered:
    start: int
    text: str
    end: int
    possessive: bool
    key: str


class _Written:
    __slots__ = ("text", "start", "end", "possessive", "key")

    def __init__(self, text: str, start: int, end: int, possessive: bool, key: str) -> None:
        self.text, self.start, self.end = text.upper(), start, end
        self.possessive, self.key = possessive, key


def test_other_token_classes_are_called() -> None:
    """A class that is not a plain five-field slots dataclass is called, so its own code runs."""
    text = "Talks in New York"
    for cls, first in (
        (_Checked, _Checked("Talks", 0, 5, False, "talks")),
        (_Reordered, _Reordered("Talks", 0, 5, False, "talks")),  # type: ignore[arg-type]
        (_Written, None),
    ):
        scanner = _scanner(cls)
        assert not scanner.stores_token_slots
        runs = scanner.runs(text)
        assert runs is not None
        if first is not None:
            assert runs[0][0] == first
        else:
            assert runs[0][0].text == "TALKS"


def test_a_plain_function_is_called() -> None:
    """A token factory that is not a class is called with the five fields."""
    scanner = _scanner(lambda *values: values)
    assert not scanner.stores_token_slots
    assert scanner.runs("Talks in New York") == [
        [("Talks", 0, 5, False, "talks")],
        [("New", 9, 12, False, "new"), ("York", 13, 17, False, "york")],
    ]


def test_the_pipeline_walker_stores_mention_slots() -> None:
    """The walker ``entities`` builds takes the slot-storing path for its ``PlaceMention``
    class, and one given a class that is not a slots dataclass calls it instead."""
    lexicon, gazetteer = load_lexicon(), load_gazetteer()
    walker, _ = _native_walker(lexicon, gazetteer)
    assert walker.stores_mention_slots
    tables, _ = _walker_tables(lexicon, gazetteer)
    tables["place_mention"] = lambda *fields: PlaceMention(*fields)
    assert not _native.EntityWalker(**tables).stores_mention_slots


def test_walked_place_mentions_are_whole_mentions_sharing_the_entries() -> None:
    """The walk's place mentions are ``PlaceMention``s whose candidates are the entries' lists."""
    lexicon, gazetteer = load_lexicon(), load_gazetteer()
    _, entries = _native_walker(lexicon, gazetteer)
    shared = {id(candidates) for candidates in entries.places}
    text = (
        "Shelling hit Kharkiv region, Mariupol district, Bakhmut and the Kakhovka dam near Kherson."
    )
    walked_runs(text)  # builds whatever the first walk builds once
    gc.collect()
    before = sys.getrefcount(PlaceMention)
    walk = walked_runs(text)
    assert [m.surface for m in walk.places] == [
        "Kharkiv region",
        "Mariupol district",
        "Bakhmut",
        "Kakhovka dam",
        "Kherson",
    ]
    assert walk.places[1].area == "district"
    assert walk.places == walked_runs(text, reference=True).places
    for mention in walk.places:
        assert type(mention) is PlaceMention
        assert id(mention.candidates) in shared
        assert isinstance(mention.locative, bool)
        assert mention.end - mention.start == len(mention.surface)
    assert sys.getrefcount(PlaceMention) == before + len(walk.places)
    del walk, mention
    assert sys.getrefcount(PlaceMention) == before
