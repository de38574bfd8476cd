"""The Python passes after the compiled walk agree with their references."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpora import enrichment_texts
from workers.pipeline.enrich.collect import Collector
from workers.pipeline.enrich.entities import collected_walk
from workers.pipeline.enrich.gazetteer import load_gazetteer
from workers.pipeline.enrich.lexicon import load_lexicon
from workers.pipeline.enrich.orgs import _NAMED, add_institutions, add_institutions_reference
from workers.pipeline.enrich.spans import capitalised_runs

_INSTITUTION_PIECES = st.sampled_from(
    [
        "Russia's Defense Ministry",
        "Russia’s defence ministry",
        "Ukraine's army",
        "Ukrainian military",
        "the Israeli Army",
        "Israeli army",
        "Former Soviet Army",
        "U.S. Navy",
        "US Navy",
        "France's Foreign Ministry",
        "Chinese Foreign Ministry",
        "the Kremlin",
        "Syrian Armed Forces General Staff",
        "Iran's parliament",
        "Kenyan troops",
        "Moscow Security Service",
        " ",
        "\t",
        ", ",
        ". ",
        "\n",
        "'",
        "-",
    ]
)
_TEXTS = st.lists(_INSTITUTION_PIECES | st.text(max_size=4), max_size=20).map("".join)


def _institutions(text: str, reference: bool) -> tuple[object, ...]:
    """The collector's state after the institutions of ``text``."""
    lexicon, gazetteer = load_lexicon(), load_gazetteer()
    collector = Collector(len(text))
    runs = capitalised_runs(text)
    if reference:
        add_institutions_reference(text, collector, lexicon, gazetteer, runs)
    else:
        add_institutions(text, collector, lexicon, gazetteer, runs)
    return (
        list(collector.records.items()),
        dict(collector.first_seen),
        list(collector.spans),
        bytes(collector.claimed),
    )


@settings(max_examples=1000, deadline=None)
@given(_TEXTS)
def test_memoised_institutions_are_the_reference(text: str) -> None:
    """Institutions recorded through the per-text memo are those judged anew, first and again."""
    expected = _institutions(text, reference=True)
    assert _institutions(text, reference=False) == expected
    assert _institutions(text, reference=False) == expected


def test_memoised_institutions_are_the_reference_on_the_corpora() -> None:
    """On every shipped enrichment article, cold and warm memo alike, institutions are the
    reference's."""
    found = 0
    for warm in (False, True):
        if not warm:
            _NAMED.clear()
        for text in enrichment_texts():
            expected = _institutions(text, reference=True)
            found += len(expected[2])  # type: ignore[arg-type]
            assert _institutions(text, reference=False) == expected
    assert found


@dataclass(slots=True)
class _Record:
    name: str
    mentions: list[str]


# Small pools, so keys and surfaces repeat; each value is built anew when drawn, so equal keys
# and surfaces are often distinct objects (as a dict or ``in`` would still match them).
_KEY_PARTS = st.sampled_from(["person", "location", "weapon"])
_KEY_NAMES = st.sampled_from(["a", "b", "Kyiv", "Mosul", "é", ""])
_SURFACES = st.sampled_from(["A", "a", "Kyiv", "Kyiv's", "é", ""]).map(lambda s: (s + "!")[:-1])


@st.composite
def _collectors(draw: st.DrawFn) -> Collector:
    """A collector filled through ``add``, now and then with a record that no span names, a
    span whose key has no record or its first mentions stored in another order."""
    collector = Collector(0)
    for _ in range(draw(st.integers(0, 25))):
        key = (draw(_KEY_PARTS), (draw(_KEY_NAMES) + "!")[:-1])
        start = draw(st.integers(-3, 40))
        surface = draw(_SURFACES)
        record = _Record(key[1], [])
        collector.add(key, record, surface, start, start + draw(st.integers(-1, 3)))  # type: ignore[arg-type]
        if draw(st.integers(0, 9)) == 0:
            lone = ("organization", (draw(_KEY_NAMES) + "!")[:-1])
            if lone not in collector.records:
                collector.records[lone] = _Record(lone[1], [])  # type: ignore[assignment]
                collector.first_seen[lone] = draw(st.integers(-3, 40))
        if draw(st.integers(0, 9)) == 0:
            collector.spans.append((start, start, ("stray", "x"), surface))
    reorder = draw(st.booleans())
    if reorder and collector.first_seen:
        # ``first_seen`` in another order than ``records``.
        moved = next(iter(collector.first_seen))
        collector.first_seen[moved] = collector.first_seen.pop(moved)
    return collector


def _finished(entities: list[Any]) -> list[tuple[int, list[str]]]:
    return [(id(entity), list(entity.mentions)) for entity in entities]


@settings(max_examples=1500, deadline=None)
@given(_collectors())
def test_collected_entities_are_the_reference(collector: Collector) -> None:
    """The compiled entities are the reference's records, in its order, with its mentions."""
    expected = _finished(collector.entities_reference())
    assert _finished(collector.entities()) == expected


def test_collected_entities_are_the_reference_on_the_corpora() -> None:
    """On every shipped enrichment article the compiled entities are the reference's."""
    found = 0
    for text in enrichment_texts():
        walk = collected_walk(text)
        expected = _finished(walk.collector.entities_reference())
        found += len(expected)
        assert _finished(walk.collector.entities()) == expected
    assert found


def test_collected_entities_refuse_malformed_spans() -> None:
    """A span that is not a four-item tuple is an error, not a crash."""
    collector = Collector(4)
    collector.add(("person", "a"), _Record("a", []), "A", 0, 1)  # type: ignore[arg-type]
    collector.spans.append((0, 1, ("person", "a")))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="span"):
        collector.entities()
