"""Tests of the event codes shared by every event of a type."""

from __future__ import annotations

import dataclasses

import pytest

from workers.pipeline.article import AcledCode, Article, CameoCode, Event, PloverCode
from workers.pipeline.enrich.events import CATALOGUE, extract_events


def events_of(text: str) -> list[Event]:
    item = Article(id="t", source="test", body=text, text=text)
    return extract_events(item).events


def test_codes_match_their_event_type() -> None:
    """Every event type's shared codes carry exactly the type's ACLED, CAMEO and PLOVER values."""
    for event_type in CATALOGUE.types.values():
        acled, cameo, plover = event_type.codes
        expected_acled = AcledCode(*event_type.acled) if event_type.acled else None
        assert acled == expected_acled
        assert cameo == CameoCode(*event_type.cameo)
        assert plover == PloverCode(*event_type.plover)


def test_events_of_one_type_share_their_codes() -> None:
    """Two drone strikes in different articles carry the same code objects, not copies."""
    first = events_of("Russian drones struck port infrastructure in Odesa overnight.")
    second = events_of("Ukrainian drones struck an oil depot in Bryansk on Sunday.")
    strikes = [e for e in first + second if e.type == "drone_strike"]
    assert len(strikes) == 2
    assert strikes[0].cameo is strikes[1].cameo
    assert strikes[0].plover is strikes[1].plover
    assert strikes[0].acled is strikes[1].acled


def test_shared_codes_cannot_be_changed() -> None:
    """A shared code is frozen: changing it for one event would change it for all."""
    event = events_of("Russian drones struck port infrastructure in Odesa overnight.")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.cameo.code = "000"  # type: ignore[misc]
