"""The one-call roles of an article's events (workers/native/src/events_parties.rs) against the
Python reference: each sentence's parties (events_roles.parties_of) and each trigger's roles."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpora import enrichment_fields_and_seeds
from tests.pipeline.enrich.test_events_roles_native import (
    _ASCII_SEPARATORS,
    _INERT,
    _ROLE_NAMES,
    _ROLE_PIECES,
    ASCII_SENTENCES,
    ROLE_SENTENCES,
    SENTENCES,
    SURROGATE_SENTENCES,
    read_natively,
)
from workers._native import EventParties
from workers.bench.corpus import default_sources, generate_articles
from workers.pipeline.article import Article, Entity, Organization, Person, Place, Weapon
from workers.pipeline.build import ENRICH_STAGES
from workers.pipeline.enrich.casualties import article_sentences
from workers.pipeline.enrich.events import (
    _ROLE_OPTIONS,
    _triggered_types,
    extract_events,
    extract_events_reference,
)
from workers.pipeline.enrich.events_roles import (
    _CHOICE,
    _FORMS,
    _SCANNER,
    _STRIP,
    _SURFACE,
    _TITLE_GAP_RE,
    _TITLE_PERSON_RE,
    _WORDS,
    EVENT_PARTIES,
    Trigger,
    _mention_of,
    article_names,
    event_roles,
    event_roles_reference,
)


def _before_events(article: Article) -> Article:
    for stage in ENRICH_STAGES:
        if stage.name == "events":
            break
        article = stage.fn(article)
    return article


@lru_cache(maxsize=1)
def _corpus_articles() -> list[Article]:
    """The team corpora and seeds after the stages before events (entities found)."""
    texts = enrichment_fields_and_seeds()
    return [
        _before_events(Article(id=str(i), source="test", body=text, text=text))
        for i, text in enumerate(texts)
    ]


@lru_cache(maxsize=1)
def _generated_articles() -> list[Article]:
    """Articles of the benchmark's generator after the stages before events."""
    articles = []
    for record in generate_articles(default_sources(), 120, seed=11):
        fields = json.loads(record.value)
        article = Article(id=fields["id"], source="bench", body=fields["body"])
        articles.append(_before_events(article))
    return articles


def _triggers(text: str) -> list[Trigger]:
    return [(start, end, _ROLE_OPTIONS[t.name]) for t, (start, end) in _triggered_types(text)]


def _assert_native_is_reference(article: Article) -> tuple[int, int]:
    """Every sentence with events gets the reference's rows from the compiled call (or None);
    returns how many sentences it answered and how many roles they name."""
    sentences = [s.text for s in article_sentences(article) if _triggered_types(s.text)]
    triggers = [_triggers(text) for text in sentences]
    rows = EVENT_PARTIES.events(sentences, triggers, article.entities)
    names = article_names(article.entities)
    answered = named = 0
    for text, sentence_triggers, row in zip(sentences, triggers, rows, strict=True):
        expected = event_roles_reference(text, names, sentence_triggers)
        if row is None:
            assert not read_natively(text), text
            continue
        assert row == expected, (article.id, text)
        answered += 1
        named += sum(1 for _, actor, target, _, _ in row if actor or target)
    return answered, named


def test_roles_are_the_reference_on_every_corpus_article() -> None:
    """On every team corpus article and seed, with the entities the stages before found, the
    one-call roles of every ASCII sentence with events are the Python reference's."""
    answered = named = 0
    for article in _corpus_articles():
        counts = _assert_native_is_reference(article)
        answered += counts[0]
        named += counts[1]
    assert answered > 500 and named > 300


def test_roles_are_the_reference_on_generated_articles() -> None:
    """On the benchmark generator's articles the one-call roles are the reference's."""
    answered = sum(_assert_native_is_reference(a)[0] for a in _generated_articles())
    assert answered > 500


def test_events_stage_is_the_reference_on_corpus_and_generated_articles() -> None:
    """The events stage codes every corpus and generated article as its per-sentence Python
    reference does, events and roles alike."""
    coded = 0
    for article in [*_corpus_articles(), *_generated_articles()]:
        expected = extract_events_reference(article).events
        found = extract_events(article).events
        assert found == expected, article.id
        coded += len(found)
    assert coded > 1000


_ENTITY_NAMES = [*_ROLE_NAMES, "U.S.", "Kharkiv", "Bakhmut", "Lavrov", "Sergei Lavrov", "Storm"]
# (Names and countries with lone surrogates are left out: the reference raises on them, as
# the per-sentence roles always have; the entity stage takes names from sentences, whose
# lone surrogates send them to the reference anyway.)
_ENTITY_NAMES += sorted(_SURFACE)[:40] + ["", "Kyïv", "Zelensky\u0301", "\n"]
_ENTITY_NAMES += ["O’Brien", "People’s Army", "Hamas’", "“Wagner”", "Côte d’Ivoire", "A\x01B"]
_NAME_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=6)
_SURFACE_LISTS = st.lists(st.sampled_from(_ENTITY_NAMES) | _NAME_TEXT, max_size=3)
_COUNTRIES = st.sampled_from([None, "", "RU", "ua", "Ukraine", "Israel", "Україна"])


@st.composite
def _entity(draw: st.DrawFn) -> Entity:
    name = draw(st.sampled_from(_ENTITY_NAMES) | _NAME_TEXT)
    mentions = draw(_SURFACE_LISTS)
    country = draw(_COUNTRIES)
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return Person(name=name, mentions=mentions, country=country)
    if kind == 1:
        org_kind = draw(st.sampled_from([None, "military", "government", "ngo"]))
        return Organization(name=name, mentions=mentions, kind=org_kind, country=country)
    if kind == 2:
        return Weapon(name=name, mentions=mentions, weapon_type="missile")
    place_kind = draw(st.sampled_from(["country", "city", "region"]))
    return Place(name=name, mentions=mentions, kind=place_kind, country=country)


@st.composite
def _sentence_triggers(draw: st.DrawFn, text: str) -> list[Trigger]:
    bound = st.integers(0, len(text) + 3)
    spans = draw(st.lists(st.tuples(bound, bound, st.integers(0, 7)), min_size=1, max_size=3))
    return [(min(a, b), max(a, b), options) for a, b, options in spans]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(ROLE_SENTENCES | ASCII_SENTENCES | SENTENCES, min_size=1, max_size=4),
    st.lists(_entity(), max_size=8),
    st.data(),
)
def test_roles_are_the_reference_on_generated_sentences_and_entities(
    texts: list[str], entities: list[Entity], data: st.DataObject
) -> None:
    """For sentences of parties, titles, lexicon forms and role words, arbitrary entities of
    every kind (empty, repeated, non-ASCII names) and arbitrary trigger spans and options,
    the compiled rows are the reference's, and the events' roles (compiled or not) too."""
    triggers = [data.draw(_sentence_triggers(text)) for text in texts]
    names = article_names(entities)
    rows = EVENT_PARTIES.events(texts, triggers, entities)
    expected = [event_roles_reference(t, names, tr) for t, tr in zip(texts, triggers, strict=True)]
    for text, spans, row, reference in zip(texts, triggers, rows, expected, strict=True):
        assert row is None or row == reference, text
        inside = all(end <= len(text) for _, end, _ in spans)
        assert row is not None or not read_natively(text) or not inside, text
    assert event_roles(texts, triggers, entities) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.lists(_entity(), max_size=4), st.data())
def test_roles_are_the_reference_on_arbitrary_text(
    text: str, entities: list[Entity], data: st.DataObject
) -> None:
    """On arbitrary text (lone surrogates included) the roles are the reference's."""
    triggers = [data.draw(_sentence_triggers(text))]
    expected = [event_roles_reference(text, article_names(entities), triggers[0])]
    assert event_roles([text], triggers, entities) == expected


@pytest.mark.parametrize("text", SURROGATE_SENTENCES)
def test_a_sentence_with_a_lone_surrogate_is_left_to_the_reference(text: str) -> None:
    """A sentence holding a lone surrogate is answered None by the compiled call, and its
    events get the reference's roles."""
    triggers = [_triggers(text)]
    assert triggers[0]
    assert EVENT_PARTIES.events([text], triggers, []) == [None]
    assert event_roles([text], triggers, []) == [
        event_roles_reference(text, article_names([]), triggers[0])
    ]


def test_an_entity_with_a_non_ascii_name_is_named_natively() -> None:
    """An entity whose canonical name is not ASCII, mentioned in an ASCII sentence, is named
    by the compiled call as by the reference."""
    texts = ["Russian drones struck Kyiv overnight.", "Ukraine shelled Belgorod on Monday."]
    entities: list[Entity] = [Place(name="Kyïv", mentions=["Kyiv"], kind="city", country="UA")]
    triggers = [_triggers(text) for text in texts]
    assert all(triggers)
    rows = EVENT_PARTIES.events(texts, triggers, entities)
    names = article_names(entities)
    expected = [event_roles_reference(t, names, tr) for t, tr in zip(texts, triggers, strict=True)]
    assert rows == expected
    assert any("Kyïv" in (target, location) for _, _, target, location, _ in rows[0])


def _event_parties(
    forms: list[str],
    mention_of: Callable[[Entity], tuple[str, str, str | None, str | None]] = _mention_of,
    form_roles: list[tuple[str, str]] | None = None,
) -> EventParties:
    """``EventParties`` over the module's role scanner with ``forms`` and their roles."""
    return EventParties(
        scanner=_SCANNER,
        words=_WORDS,
        choice=_CHOICE,
        forms=forms,
        form_roles=[_SURFACE[form] for form in forms] if form_roles is None else form_roles,
        capitals=[],
        place_context=[],
        title_person=_TITLE_PERSON_RE.pattern,
        title_gap=_TITLE_GAP_RE.pattern,
        not_names=[],
        weapons=[],
        weapon_tokens=[],
        strip=_STRIP,
        weapon_class=Weapon,
        mention_of=mention_of,
        person_class=Person,
        organization_class=Organization,
        place_class=Place,
        military_kinds=[],
        country_by_iso2=[],
    )


def test_parties_refuse_forms_the_role_scanner_does_not_number_alike() -> None:
    """Forms differing in number from the role scanner's are refused, the scanner's own kept."""
    _event_parties(list(_FORMS))
    for forms in (list(_FORMS[:-1]), [*_FORMS, _FORMS[0]], []):
        with pytest.raises(ValueError, match="role scanner"):
            _event_parties(forms)


class _TitledPerson(Person):
    """A subclass the compiled call does not read itself: it asks ``_mention_of``."""


def test_parties_refuse_a_form_of_a_kind_no_mention_has() -> None:
    """A lexicon form whose kind is not one of ``MentionKind`` is refused at construction."""
    forms = list(_FORMS)
    roles: list[tuple[str, str]] = [_SURFACE[form] for form in forms]
    roles[0] = (roles[0][0], "militia")
    with pytest.raises(ValueError, match="unknown kind"):
        _event_parties(forms, form_roles=roles)


def test_a_mention_of_a_kind_no_mention_has_is_left_to_python() -> None:
    """A sentence naming an entity that Python's ``mention_of`` gives a kind outside
    ``MentionKind`` is answered None; a sentence not naming it is still answered."""
    parties = _event_parties(list(_FORMS), mention_of=lambda e: (e.name, "militia", None, None))
    texts = ["Sergei Lavrov met Hamas officials in Doha on Monday.", "Ukraine shelled Belgorod."]
    entities: list[Entity] = [_TitledPerson(name="Sergei Lavrov", mentions=["Lavrov"])]
    triggers = [_triggers(text) for text in texts]
    assert all(triggers)
    rows = parties.events(texts, triggers, entities)
    names = article_names(entities)
    assert rows[0] is None
    assert rows[1] == event_roles_reference(texts[1], names, triggers[1])


def test_mentions_held_in_a_tuple_are_read_as_from_a_list() -> None:
    """An entity whose mentions are a tuple instead of a list is named as with the list."""
    texts = ["Russian drones struck Kyiv overnight.", "Ukraine shelled Belgorod on Monday."]
    triggers = [_triggers(text) for text in texts]
    listed: list[Entity] = [Place(name="Kyïv", mentions=["Kyiv"], kind="city", country="UA")]
    tupled: list[Entity] = [Place(name="Kyïv", mentions=("Kyiv",), kind="city", country="UA")]  # type: ignore[arg-type]
    rows = EVENT_PARTIES.events(texts, triggers, tupled)
    assert rows == EVENT_PARTIES.events(texts, triggers, listed)
    assert rows[0] is not None
    assert any("Kyïv" in (target, location) for _, _, target, location, _ in rows[0])


class _IteratedMentions(list[str]):
    """A list whose iteration (what ``article_names`` reads) differs from its storage."""

    def __iter__(self) -> Iterator[str]:
        return iter(["Kyiv"])


def test_mentions_in_a_list_subclass_are_read_through_its_iteration() -> None:
    """An entity whose mentions are a list subclass is named by what iterating it gives, as
    the reference names it, not by the list's storage."""
    texts = ["Russian drones struck Kyiv overnight."]
    triggers = [_triggers(text) for text in texts]
    iterated: list[Entity] = [
        Place(name="Kyïv", mentions=_IteratedMentions(["Lutsk"]), kind="city", country="UA")
    ]
    listed: list[Entity] = [Place(name="Kyïv", mentions=["Kyiv"], kind="city", country="UA")]
    rows = EVENT_PARTIES.events(texts, triggers, iterated)
    assert rows == EVENT_PARTIES.events(texts, triggers, listed)
    assert rows[0] is not None
    assert any("Kyïv" in (target, location) for _, _, target, location, _ in rows[0])


def test_a_choice_of_parties_of_unknown_kind_is_left_to_python() -> None:
    """``RoleChoice.sentence`` answers None for a party or speaker whose kind is no
    ``MentionKind``, and a choice for the same parties of known kinds."""
    text = "Russia struck Ukraine."
    russia, ukraine = (
        (0, 6, "Russia", "country", "Russia", 0),
        (14, 21, "Ukraine", "country", None, 0),
    )
    assert _CHOICE.sentence(text, [russia, ukraine], None) is not None
    assert _CHOICE.sentence(text, [russia, (*ukraine[:3], "militia", None, 0)], None) is None
    assert _CHOICE.sentence(text, [russia], (14, 21, "Ukraine", "rebels", None, 1)) is None


def test_entities_of_every_class_are_named_as_by_the_reference() -> None:
    """People, military and other organisations and places, read by the compiled call, and an
    entity of a subclass it leaves to Python, give the reference's roles."""
    texts = [
        "Russian Defence Ministry troops shelled Kharkiv, Lavrov said.",
        "Sergei Lavrov met Hamas officials in Doha on Monday.",
    ]
    entities: list[Entity] = [
        Organization(name="Russian Defence Ministry", mentions=[], kind="military", country="ru"),
        Organization(name="Hamas", mentions=[], kind="militant", country="PS"),
        Place(name="Kharkiv", mentions=[], kind="city", country="Ukraine"),
        Place(name="Doha", mentions=[], kind="city", country=""),
        _TitledPerson(name="Sergei Lavrov", mentions=["Lavrov"], country="RU"),
    ]
    triggers = [_triggers(text) for text in texts]
    assert all(triggers)
    names = article_names(entities)
    expected = [event_roles_reference(t, names, tr) for t, tr in zip(texts, triggers, strict=True)]
    assert EVENT_PARTIES.events(texts, triggers, entities) == expected
    assert any(actor == "Russia" for _, actor, _, _, _ in expected[0])


# Curly quotes, dashes and bullets (and a stand-in byte written as is) among parties,
# titles, possessives and role words.
_INERT_PIECES = st.sampled_from(
    [*_INERT, "’s", "O’Brien", "People’s Army", "President O’Brien", "Hamas’", "“Wagner”",
     "Russia’s", "Kyiv’s", "\x01", "\x01s", "—claims", "Côte d’Ivoire"]
)  # fmt: skip
_INERT_SEPARATORS = st.sampled_from([" — ", "’s ", "” ", " “", " – ", "… ", " • ", "‘"])
INERT_SENTENCES = st.lists(
    st.tuples(_ROLE_PIECES | _INERT_PIECES, _ASCII_SEPARATORS | _INERT_SEPARATORS), max_size=24
).map(lambda parts: "".join(piece + separator for piece, separator in parts))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(INERT_SENTENCES, min_size=1, max_size=4),
    st.lists(_entity(), max_size=8),
    st.data(),
)
def test_sentences_with_curly_quotes_and_dashes_are_answered_as_by_the_reference(
    texts: list[str], entities: list[Entity], data: st.DataObject
) -> None:
    """Sentences holding curly quotes, dashes and bullets get the reference's rows from the
    compiled call, which answers every one of them but those holding other characters
    outside ASCII or the bytes that stand for them."""
    triggers = [data.draw(_sentence_triggers(text)) for text in texts]
    names = article_names(entities)
    rows = EVENT_PARTIES.events(texts, triggers, entities)
    for text, spans, row in zip(texts, triggers, rows, strict=True):
        inside = all(end <= len(text) for _, end, _ in spans)
        assert (row is not None) == (read_natively(text) and inside), text
        assert row is None or row == event_roles_reference(text, names, spans), text


def test_real_sentences_with_curly_quotes_are_answered_natively() -> None:
    """The corpus and generator sentences with events that hold curly quotes or dashes get
    their rows from the compiled call, equal to the reference's."""
    answered = 0
    for article in [*_corpus_articles(), *_generated_articles()]:
        names = article_names(article.entities)
        sentences = [s.text for s in article_sentences(article) if _triggered_types(s.text)]
        inert = [text for text in sentences if not text.isascii()]
        triggers = [_triggers(text) for text in inert]
        rows = EVENT_PARTIES.events(inert, triggers, article.entities)
        for text, spans, row in zip(inert, triggers, rows, strict=True):
            if read_natively(text):
                assert row == event_roles_reference(text, names, spans), text
                answered += 1
    assert answered > 10


def test_inert_characters_and_their_stand_ins_are_alike_for_python() -> None:
    """Each inert character and the byte standing for it are neither word, space, digit nor
    capital characters for re and str, and lower case keeps them."""
    assert len(_INERT) == 8
    for byte, char in enumerate(_INERT, start=1):
        for c in (char, chr(byte)):
            assert re.fullmatch(r"[\w\s\d]", c) is None, c
            assert not (c.isalnum() or c.isupper() or c.isspace()), c
            assert c.lower() == c and c.casefold() == c, c
