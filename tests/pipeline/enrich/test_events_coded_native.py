"""The events of an article coded in one compiled call (workers/native/src/events_coded.rs)
against the events built in Python from the same roles (events.extract_events_by_rows)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.pipeline.enrich.test_events_parties_native import (
    _corpus_articles,
    _entity,
    _generated_articles,
)
from tests.pipeline.enrich.test_events_roles_native import (
    ASCII_SENTENCES,
    ROLE_SENTENCES,
    SENTENCES,
    SURROGATE_SENTENCES,
)
from workers._native import EventCoder
from workers.pipeline.article import Article, Entity, Event, Sentence
from workers.pipeline.enrich.casualties import article_sentences
from workers.pipeline.enrich.events import (
    _CODER,
    _ROLE_OPTIONS,
    CATALOGUE,
    _coded_event,
    _reference_triggers,
    _triggered_types,
    extract_events,
    extract_events_by_rows,
    extract_events_by_types,
)
from workers.pipeline.enrich.events_roles import (
    EVENT_PARTIES,
    EventRoles,
    Trigger,
    event_roles,
    event_roles_fallback,
)


def _coded_by_both(article: Article) -> tuple[list[Event], list[Event]]:
    """The events of ``article`` coded natively and by rows in Python (each on a copy)."""
    native = extract_events(copy.copy(article)).events
    by_rows = extract_events_by_rows(copy.copy(article)).events
    return native, by_rows


def test_coded_events_are_the_rows_events_on_corpus_and_generated_articles() -> None:
    """On every corpus and generated article, the compiled coding gives the events the
    Python coding of the roles gives, sentences not ASCII included."""
    coded = 0
    for article in [*_corpus_articles(), *_generated_articles()]:
        native, by_rows = _coded_by_both(article)
        assert native == by_rows, article.id
        coded += len(native)
    assert coded > 1000


def test_events_of_rows_are_the_events_of_types_on_corpus_and_generated_articles() -> None:
    """On every corpus and generated article, the coder reading the compiled triggers' rows
    gives the events it gives from the triggers' event types and spans."""
    coded = 0
    for article in [*_corpus_articles(), *_generated_articles()]:
        of_rows = extract_events(copy.copy(article)).events
        assert of_rows == extract_events_by_types(copy.copy(article)).events, article.id
        coded += len(of_rows)
    assert coded > 1000


@pytest.mark.parametrize("text", SURROGATE_SENTENCES)
def test_a_row_left_to_the_reference_is_coded_from_the_reference_triggers(text: str) -> None:
    """A sentence the compiled triggers leave to Python (None row) gets the events of the
    reference's triggers, and is refused when no reference is given."""
    sentences = _sentences(["No trigger here.", text])
    assert CATALOGUE.triggers is not None
    rows = CATALOGUE.triggers.find_all([s.text for s in sentences])
    assert rows == [(1, None)]
    expected = _CODER.events([(sentences[1], _triggered_types(text))], [])
    assert expected
    assert _CODER.events_of_rows(sentences, rows, [], _reference_triggers) == expected
    with pytest.raises(ValueError, match="reference"):
        _CODER.events_of_rows(sentences, rows, [])


def test_a_sentence_the_reference_finds_no_trigger_in_has_no_events() -> None:
    """A None row whose reference triggers are none gives no events and no empty sentence to
    the roles."""
    struck = "Russian drones struck Kharkiv overnight, Governor Oleh Syniehubov said."
    sentences = _sentences([struck, "Nothing happened."])
    rows: list[tuple[int, list[tuple[int, int, int]] | None]] = [(1, None), (0, None)]
    by_types = _CODER.events([(sentences[0], _triggered_types(sentences[0].text))], [])
    assert by_types
    assert _CODER.events_of_rows(sentences, rows, [], _reference_triggers) == by_types


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(2, [(0, 7, 13)])], "sentence index out of range"),
        ([(0, [(len(CATALOGUE.ordered), 7, 13)])], "outside the catalogue"),
    ],
)
def test_rows_outside_the_sentences_or_the_catalogue_are_refused(
    rows: list[tuple[int, list[tuple[int, int, int]] | None]], message: str
) -> None:
    """A row naming a sentence the article lacks, or a type index past the catalogue's,
    raises ValueError."""
    sentences = _sentences(["Russia struck Kyiv.", "Nothing happened."])
    with pytest.raises(ValueError, match=message):
        _CODER.events_of_rows(sentences, rows, [])


def test_events_share_their_types_codes_and_carry_fresh_weapon_lists() -> None:
    """A coded event carries its type's own code objects and a weapons list of its own."""
    events = [e for a in _generated_articles() for e in extract_events(copy.copy(a)).events]
    assert events
    for event in events:
        acled, cameo, plover = CATALOGUE.types[event.type].codes
        assert event.cameo is cameo and event.plover is plover and event.acled is acled
    lists = [id(e.weapons) for e in events]
    assert len(set(lists)) == len(lists)


def _sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(index=i, text=t, start=0, end=len(t)) for i, t in enumerate(texts)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(ROLE_SENTENCES | ASCII_SENTENCES | SENTENCES, min_size=1, max_size=4),
    st.lists(_entity(), max_size=6),
)
def test_coded_events_are_the_rows_events_on_generated_sentences(
    texts: list[str], entities: list[Entity]
) -> None:
    """For sentences of parties, titles and role words, ASCII or not, and arbitrary entities,
    the compiled events are the Python coding's, in the stage and for the triggers of the
    Python trigger search alike."""
    sentences = _sentences(texts)
    article = Article(id="a", source="test", body=" ".join(texts), sentences=sentences)
    article.entities = entities
    native, by_rows = _coded_by_both(article)
    assert native == by_rows
    with_events = [(s, found) for s in sentences if (found := _triggered_types(s.text))]
    triggers = [[(a, b, _ROLE_OPTIONS[t.name]) for t, (a, b) in f] for _, f in with_events]
    rows = event_roles([s.text for s, _ in with_events], triggers, entities)
    expected = [
        _coded_event(event_type, roles, sentence)
        for (sentence, found), row in zip(with_events, rows, strict=True)
        for (event_type, _), roles in zip(found, row, strict=True)
    ]
    assert _CODER.events(with_events, entities) == expected


@pytest.mark.parametrize("text", SURROGATE_SENTENCES)
def test_a_sentence_with_a_lone_surrogate_is_coded_by_the_fallback(text: str) -> None:
    """A sentence holding a lone surrogate gets the events the Python coding gives it."""
    [sentence] = _sentences([text])
    found = _triggered_types(text)
    assert found
    native = _CODER.events([(sentence, found)], [])
    assert [(e.type, e.trigger, e.actor, e.target) for e in native] == [
        (t.name, text[a:b].strip(), e.actor, e.target)
        for (t, (a, b)), e in zip(found, native, strict=True)
    ]
    article = Article(id="s", source="test", body=text, sentences=[sentence])
    assert native == extract_events_by_rows(article).events


def _coder_answering(extra: int) -> EventCoder:
    """The catalogue's coder whose fallback adds ``extra`` rows to its answer (or drops
    ``-extra``)."""

    def fallback(
        texts: list[str], triggers: list[list[Trigger]], entities: list[Entity]
    ) -> list[list[EventRoles]]:
        rows = event_roles_fallback(texts, triggers, entities)
        return rows + rows[:1] * extra if extra >= 0 else rows[:extra]

    return EventCoder(
        parties=EVENT_PARTIES,
        types=[(t, t.name, *t.codes, _ROLE_OPTIONS[t.name]) for t in CATALOGUE.ordered],
        event_class=Event,
        fallback=fallback,
    )


@pytest.mark.parametrize(("extra", "message"), [(1, "too many"), (-1, "too few")])
def test_a_fallback_answering_the_wrong_number_of_rows_is_refused(extra: int, message: str) -> None:
    """A fallback answering more or fewer rows than the sentences it was given raises
    ValueError."""
    [sentence] = _sentences([SURROGATE_SENTENCES[0]])
    found = _triggered_types(sentence.text)
    assert found
    assert _coder_answering(0).events([(sentence, found)], [])
    with pytest.raises(ValueError, match=message):
        _coder_answering(extra).events([(sentence, found)], [])


def test_an_event_type_outside_the_catalogue_is_refused() -> None:
    """A trigger whose type is not one of the catalogue's objects raises ValueError."""
    event_type = copy.copy(CATALOGUE.ordered[0])
    [sentence] = _sentences(["Russia struck Kyiv."])
    with pytest.raises(ValueError, match="outside the catalogue"):
        _CODER.events([(sentence, ((event_type, (7, 13)),))], [])


def test_sentences_with_events_in_other_sequences_are_coded_alike() -> None:
    """The sentences with events given as a tuple, with lists of triggers or as a list
    subclass (read through the sequence protocol, not in place) give the events of the exact
    list of tuples."""
    article = next(a for a in _corpus_articles() if len(extract_events(copy.copy(a)).events) > 2)
    sentences = article_sentences(article)
    with_events = [(s, found) for s in sentences if (found := _triggered_types(s.text))]
    coded = _CODER.events(with_events, article.entities)
    assert coded == extract_events(copy.copy(article)).events

    class Sentences(list[tuple[Sentence, object]]):
        pass

    shapes: list[Any] = [
        tuple(with_events),
        [(s, list(found)) for s, found in with_events],
        Sentences(with_events),
    ]
    for shape in shapes:
        assert _CODER.events(shape, article.entities) == coded


def test_malformed_sentences_with_events_are_refused() -> None:
    """A trigger without its span or with a span of three numbers raises ValueError, a
    negative offset OverflowError, a text in place of the list or a list in place of a
    (sentence, triggers) pair TypeError."""
    [sentence] = _sentences(["Russia struck Kyiv."])
    event_type = CATALOGUE.ordered[0]
    malformed: list[tuple[Any, type[Exception]]] = [
        ([(sentence, ((event_type,),))], ValueError),
        ([(sentence, ((event_type, (7, 13, 1)),))], ValueError),
        ([(sentence, ((event_type, (-1, 13)),))], OverflowError),
        ("Russia struck Kyiv.", TypeError),
        ([[sentence, ((event_type, (7, 13)),)]], TypeError),
    ]
    for with_events, error in malformed:
        with pytest.raises(error):
            _CODER.events(with_events, [])
