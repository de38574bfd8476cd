"""The entity passes after the walk agree with their references."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from workers.pipeline.enrich.entities import walked
from workers.pipeline.enrich.gazetteer import load_gazetteer
from workers.pipeline.enrich.places import (
    CountryContext,
    PlaceMention,
    choose,
    place_key,
    place_plan,
    planned_choice,
)

_DATA = Path(__file__).resolve().parents[2] / "data" / "enrich"


def _corpus_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(_DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            parts = [record.get(name) for name in ("title", "body", "text")]
            texts.append("\n\n".join(part for part in parts if isinstance(part, str) and part))
    return texts


def _state(walk: object) -> object:
    """Everything a pass can change: the collector's records, order, spans and claims."""
    collector = walk.collector  # type: ignore[attr-defined]
    return (
        list(collector.records.items()),
        dict(collector.first_seen),
        list(collector.spans),
        bytes(collector.claimed),
        walk.context,  # type: ignore[attr-defined]
    )


def test_resolve_places_is_the_reference_on_the_corpora() -> None:
    """Places resolved through the memoised plans are the reference's, mention for mention."""
    texts = _corpus_texts()
    assert texts
    for text in texts:
        fast, slow = walked(text), walked(text)
        fast.resolve_places()
        slow.resolve_places_reference()
        assert _state(fast) == _state(slow)


# Every folded name with several candidates (cities of several countries, countries, curated
# areas) and every 97th of the rest.
_INDEX = load_gazetteer().index
_KEYS = [key for n, key in enumerate(sorted(_INDEX)) if len(_INDEX[key]) > 1 or n % 97 == 0]
_CODES = ["US", "GE", "RU", "UA", "FR", "GB", "JO"]


@st.composite
def _cases(draw: st.DrawFn) -> tuple[PlaceMention, CountryContext]:
    gazetteer = load_gazetteer()
    key = draw(st.sampled_from(_KEYS))
    candidates = gazetteer.index[key]
    pool = st.sampled_from([e.country_code or "US" for e, _ in candidates] + _CODES)
    surface = draw(st.sampled_from([key.title(), key, "Jordan", "Paris", "Victoria"]))
    area = draw(st.sampled_from([None, "region", "river"]))
    mention = PlaceMention(surface, 0, len(surface), candidates, draw(st.booleans()), area)
    context = CountryContext(
        set(draw(st.lists(pool, max_size=3))), set(draw(st.lists(pool, max_size=3)))
    )
    return mention, context


@settings(max_examples=3000, deadline=None)
@given(_cases())
def test_planned_choice_is_choose(case: tuple[PlaceMention, CountryContext]) -> None:
    """The plan's choice for any candidate list, surface, flags and context is ``choose``'s."""
    mention, context = case
    expected = choose(mention, context)
    found = planned_choice(place_plan(load_gazetteer(), mention.candidates), mention, context)
    if expected is None:
        assert found is None
    else:
        assert found == (expected, place_key(expected))
        assert found[0] is expected


def test_planned_choice_follows_the_context() -> None:
    """ "Georgia" names the US state or the country depending on which the article is about."""
    gazetteer = load_gazetteer()
    candidates = gazetteer.lookup("Georgia")
    plan = place_plan(gazetteer, candidates)
    mention = PlaceMention("Georgia", 0, 7, candidates, True)
    for code in ("US", "GE"):
        context = CountryContext({code}, set())
        found = planned_choice(plan, mention, context)
        assert found is not None
        assert found[0].country_code == code
