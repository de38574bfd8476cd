"""The compiled scans behind event roles (workers/native/src/events_roles.rs) against their
Python references in events_roles.py."""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpora import enrichment_fields_and_seeds
from workers._native import RoleScanner
from workers.pipeline.article import Article, Entity, Person, Place, Weapon
from workers.pipeline.build import ENRICH_STAGES
from workers.pipeline.enrich.casualties import article_sentences
from workers.pipeline.enrich.events import _triggered_types
from workers.pipeline.enrich.events_roles import (
    _AGENT_ADJECTIVES,
    _CAPITALISED_RE,
    _FIRST_WORDS,
    _LEXICON_WORDS,
    _LOCATED_PREPOSITIONS,
    _NOT_AGENT_BEFORE_BY,
    _OBJECT_VERBS,
    _PLACE_NOUNS,
    _PLACE_WORDS,
    _SPEAKER_WORDS,
    _SPEAKER_WORDS_BEFORE,
    _SURFACE,
    _WORDS,
    ArticleNames,
    Mention,
    SentenceParties,
    _fallback_place,
    _fallback_place_reference,
    _lexicon_forms,
    _lexicon_forms_reference,
    _mention_flags,
    _mention_flags_reference,
    _resolve_roles_reference,
    _sentence_surfaces_reference,
    article_names,
    parties_of,
    party_key,
    resolve_roles,
    sentence_surfaces,
)

_INERT = RoleScanner.inert_characters()


def read_natively(text: str) -> bool:
    """Whether the compiled roles read ``text``: ASCII without the bytes 1 to 8 (which stand
    for the inert characters), and the inert characters."""
    return all(c in _INERT or (c.isascii() and not "\x01" <= c <= "\x08") for c in text)


@lru_cache(maxsize=1)
def _real_articles() -> list[Article]:
    """The seeds and event corpus articles after the stages before events (entities found)."""
    articles = []
    for index, text in enumerate(enrichment_fields_and_seeds()[::3]):
        article = Article(id=str(index), source="test", body=text, text=text)
        for stage in ENRICH_STAGES:
            if stage.name == "events":
                break
            article = stage.fn(article)
        articles.append(article)
    return articles


# Lexicon forms and their pieces, with possessives, full stops, gaps and odd characters.
_FORMS = sorted(_SURFACE)
_FORM_WORDS = sorted({word for form in _FORMS for word in form.split()} | _FIRST_WORDS)
_ODD = [
    "’s", "'s", "'", "’", ".", "-", "_", "of", "the", "of the", "\u0301", "\u0130", "é",
    "\U0001d400", "\U00010400", "\u00b2", "\u2167", "\xa0", "\n", "A", "Z", "9", ",",
]  # fmt: skip
_PIECES = st.sampled_from(_FORMS) | st.sampled_from(_FORM_WORDS) | st.sampled_from(_ODD)
_PIECES = _PIECES | st.text(max_size=3)
_SEPARATORS = st.sampled_from([" ", " ", " of ", " of the ", "", ", ", "’s ", ". ", "\u2009"])
SENTENCES = st.lists(st.tuples(_PIECES, _SEPARATORS), max_size=30).map(
    lambda parts: "".join(piece + separator for piece, separator in parts)
)


def test_lexicon_forms_are_the_reference_on_real_sentences() -> None:
    """On every sentence of the test corpora and seeds the compiled scan finds the lexicon
    forms, at the spans, that the Python reference finds."""
    sentences = [s.text for a in _real_articles() for s in article_sentences(a)]
    assert len(sentences) > 300
    found = 0
    for text in sentences:
        expected = _lexicon_forms_reference(text)
        assert _lexicon_forms(text) == expected, text
        found += bool(expected)
    assert found > 100


@settings(max_examples=500, deadline=None)
@given(SENTENCES)
def test_lexicon_forms_are_the_reference_on_generated_sentences(text: str) -> None:
    """On sentences made of lexicon forms, their words, gaps, possessives and odd characters
    the compiled scan finds what the reference finds."""
    assert _lexicon_forms(text) == _lexicon_forms_reference(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_lexicon_forms_are_the_reference_on_arbitrary_text(text: str) -> None:
    """On arbitrary text (lone surrogates included) the compiled scan finds what the
    reference finds and raises nothing."""
    assert _lexicon_forms(text) == _lexicon_forms_reference(text)


# The bytes that stand for the inert characters in the compiled roles, alone and in the
# stand-in spelling of lexicon words ('Russia\x01s' for 'Russia’s').
_STAND_INS = [chr(byte) for byte in range(1, 9)]
_STOOD_IN_WORDS = sorted(
    {word.translate({ord(c): i + 1 for i, c in enumerate(_INERT)}) for word in _LEXICON_WORDS}
    - set(_LEXICON_WORDS)
)
_WITH_STAND_INS = st.lists(
    st.tuples(
        _PIECES | st.sampled_from(_STAND_INS) | st.sampled_from(_STOOD_IN_WORDS),
        _SEPARATORS | st.sampled_from(_STAND_INS),
    ),
    max_size=30,
).map(lambda parts: "".join(piece + separator for piece, separator in parts))


def test_lexicon_forms_read_the_stand_in_bytes_as_any_other_character() -> None:
    """A text holding the stand-in bytes itself gets the reference's forms from the compiled
    scan, a stand-in spelling of a possessive naming no form of its own."""
    for text in ("Russia\x01s army and Iran", "Kyiv\x08 Russia\x01 Ukraine\x01s", "\x01Israel"):
        found = _lexicon_forms(text)
        assert found == _lexicon_forms_reference(text), text
        assert found, text


@settings(max_examples=500, deadline=None)
@given(_WITH_STAND_INS)
def test_lexicon_forms_are_the_reference_on_text_with_stand_in_bytes(text: str) -> None:
    """On sentences of lexicon forms mixed with the bytes 1 to 8 and the stand-in spellings
    of lexicon words, the compiled scan (which leaves no text to Python) finds what the
    reference finds."""
    assert _lexicon_forms(text) == _lexicon_forms_reference(text)


def _reference_hits(names: ArticleNames, texts: list[str]) -> list[object]:
    return [_sentence_surfaces_reference(names, text) for text in texts]


def test_sentence_surfaces_are_the_reference_on_real_articles() -> None:
    """On the corpus articles with their found entities, every sentence names the same
    entities at the same spans, and the same weapons, natively as in the reference."""
    named = weapons = 0
    for article in _real_articles():
        names = article_names(article.entities)
        texts = [s.text for s in article_sentences(article)]
        hits = sentence_surfaces(names, texts)
        assert hits == _reference_hits(names, texts), article.id
        named += sum(len(entities) for entities, _ in hits)
        weapons += sum(len(found) for _, found in hits)
    assert named > 200 and weapons > 5


_SURFACES = st.lists(
    st.sampled_from(["Russia", "Kyiv", "Putin", "a", "ab", "é", "\n", "Kyiv\nRussia", "Ru"])
    | st.text(max_size=4),
    max_size=4,
)


def _entities(named: list[list[str]], weapons: list[list[str]]) -> list[Entity]:
    entities: list[Entity] = []
    for index, surfaces in enumerate(named):
        name = surfaces[0] if surfaces else ""
        kind = Person if index % 2 else Place
        entities.append(kind(name=name, mentions=surfaces[1:]))
    entities += [Weapon(name=s[0] if s else "", mentions=s[1:], weapon_type="x") for s in weapons]
    return entities


@settings(max_examples=300, deadline=None)
@given(
    st.lists(SENTENCES | st.text(max_size=40), min_size=1, max_size=6),
    st.lists(_SURFACES, max_size=5),
    st.lists(_SURFACES, max_size=3),
)
def test_sentence_surfaces_are_the_reference_on_generated_articles(
    texts: list[str], named: list[list[str]], weapons: list[list[str]]
) -> None:
    """For arbitrary sentences and entity surfaces (overlapping, repeated, empty, across
    newlines, non-ASCII, lone surrogates) the compiled scan names what the reference names."""
    names = article_names(_entities(named, weapons))
    assert sentence_surfaces(names, texts) == _reference_hits(names, texts)


@pytest.mark.parametrize(
    ("texts", "surfaces"),
    [
        (["aaa", "aa"], ["aa"]),
        (["xa", "ax"], ["a\na"]),
        (["Kyivé strike", "in Kyiv"], ["Kyiv"]),
        (["é Kyiv, é", "Kyiv\udc80"], ["Kyiv"]),
        (["\U0001d400Kyiv", "Kyiv\U0001d400 Kyiv"], ["Kyiv"]),
    ],
)
def test_sentence_surfaces_handle_edge_texts(texts: list[str], surfaces: list[str]) -> None:
    """Overlapping finds, a surface across the joined texts, non-ASCII neighbours, a lone
    surrogate and characters outside the BMP give the reference's answer."""
    names = article_names([Place(name=surfaces[0], mentions=surfaces[1:])])
    assert sentence_surfaces(names, texts) == _reference_hits(names, texts)


# Words of the mention predicates and of the fallback place, and mention-like names.
_ROLE_WORDS = sorted(
    _LOCATED_PREPOSITIONS | _OBJECT_VERBS | _AGENT_ADJECTIVES | _NOT_AGENT_BEFORE_BY
    | _SPEAKER_WORDS | _SPEAKER_WORDS_BEFORE | _PLACE_WORDS | _PLACE_NOUNS
    | {"by", "to", "the", "a", "an", "of", "said", "it", "that", "claimed", "responsibility",
       "territory", "regions", "attack", "their", "The", "March", "AFP"}
)  # fmt: skip
_NAMES = ["Russia", "Kyiv", "Bryansk", "Hamas", "Moscow's", "U.S.", "Gaza", "Rafah", "Sudan'"]
_ASCII_PIECES = (
    st.sampled_from(_ROLE_WORDS)
    | st.sampled_from([w.capitalize() for w in _ROLE_WORDS])
    | st.sampled_from(_NAMES)
    | st.text(alphabet=st.characters(max_codepoint=127), max_size=3)
)
_ASCII_SEPARATORS = st.sampled_from([" ", " ", " ", ", ", ". ", "\t", "\x1c", "  ", "-", ""])
ASCII_SENTENCES = st.lists(st.tuples(_ASCII_PIECES, _ASCII_SEPARATORS), max_size=30).map(
    lambda parts: "".join(piece + separator for piece, separator in parts)
)


def _spans(text: str, data: st.DataObject) -> list[tuple[int, int]]:
    """Spans at the capitalised words of ``text`` and a few arbitrary ones inside it."""
    spans = [(m.start(), m.end()) for m in _CAPITALISED_RE.finditer(text)]
    bound = st.integers(0, len(text))
    extra = data.draw(st.lists(st.tuples(bound, bound), max_size=4))
    return spans + [(min(a, b), max(a, b)) for a, b in extra]


@settings(max_examples=500, deadline=None)
@given(ASCII_SENTENCES, st.data())
def test_mention_flags_are_the_reference_on_ascii_sentences(text: str, data: st.DataObject) -> None:
    """On ASCII sentences made of the predicates' words and names, the compiled flags of
    every span are the Python predicates' answers."""
    spans = _spans(text, data)
    native = _WORDS.flags(text, spans)
    if native is None:
        assert not read_natively(text), text
        return
    assert list(native) == [_mention_flags_reference(text, start, end) for start, end in spans]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.data())
def test_mention_flags_are_the_reference_on_arbitrary_text(text: str, data: st.DataObject) -> None:
    """On arbitrary text the flags of a mention are the reference's, compiled or not."""
    mentions = [Mention(start, end, "", "group") for start, end in _spans(text, data)]
    flags = _mention_flags(text, mentions)
    for mention in mentions:
        assert flags[mention] == _mention_flags_reference(text, mention.start, mention.end)


@settings(max_examples=500, deadline=None)
@given(ASCII_SENTENCES | st.text(max_size=80))
def test_fallback_place_is_the_reference(text: str) -> None:
    """The compiled fallback place of a sentence is the reference's (the reference itself
    for text that is not ASCII)."""
    assert _fallback_place(text) == _fallback_place_reference(text)


def test_mention_flags_and_places_are_the_reference_on_real_sentences() -> None:
    """On the corpus sentences, the flags of every capitalised word and the fallback place
    are the Python reference's, and some of each predicate hold."""
    seen = 0
    for article in _real_articles():
        for sentence in article_sentences(article):
            text = sentence.text
            spans = [(m.start(), m.end()) for m in _CAPITALISED_RE.finditer(text)]
            expected = [_mention_flags_reference(text, start, end) for start, end in spans]
            native = _WORDS.flags(text, spans)
            assert native is None or list(native) == expected, text
            for bits in expected:
                seen |= bits
            assert _fallback_place(text) == _fallback_place_reference(text), text
    assert seen == 127


# Parties, titles, clause breaks, coordination, passive agents and infrastructure nouns.
_ROLE_NAMES = [
    "Russia", "Ukraine", "Kyiv", "Moscow", "Hamas", "Israel", "Qatar", "Egypt", "Putin",
    "President Vladimir Putin", "Foreign Minister Sergei Lavrov", "U.S. Senator Marco Rubio",
    "Egyptian and Qatari mediators", "Macron and Scholz", "the Russian military",
]  # fmt: skip
_ROLE_VERBS = [
    "struck", "attacked", "targeted", "met", "held talks with", "a call between",
    "killing", ", killing", "said it", "claimed responsibility for", "was struck by",
    "by the paramilitary", "reported by", "power facilities", "energy infrastructure",
    "a bridge", "; ", " while ", " as ", " and ", ", ", " of the ", " in ", " near ",
]  # fmt: skip
_ROLE_PIECES = st.sampled_from(_ROLE_NAMES) | st.sampled_from(_ROLE_VERBS) | _ASCII_PIECES
ROLE_SENTENCES = st.lists(st.tuples(_ROLE_PIECES, _ASCII_SEPARATORS), max_size=24).map(
    lambda parts: "".join(piece + separator for piece, separator in parts)
)


def _assert_same_roles(context: SentenceParties, trigger: tuple[int, int]) -> None:
    for prefer_people in (False, True):
        for inside_is_actor in (False, True):
            options = {"prefer_people": prefer_people, "inside_is_actor": inside_is_actor}
            expected = _resolve_roles_reference(context, trigger, **options)
            assert resolve_roles(context, trigger, **options) == expected, (context, trigger)


@settings(max_examples=500, deadline=None)
@given(ROLE_SENTENCES, st.data())
def test_roles_are_the_reference_on_generated_sentences(text: str, data: st.DataObject) -> None:
    """For sentences of parties, role words, breaks and odd characters and any trigger span
    in them, the compiled choice gives the actor and target the reference gives."""
    context = parties_of((text, (), ()))
    bound = st.integers(0, len(text))
    for a, b in data.draw(st.lists(st.tuples(bound, bound), min_size=1, max_size=4)):
        _assert_same_roles(context, (min(a, b), max(a, b)))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.integers(0, 90), st.integers(0, 90))
def test_roles_are_the_reference_on_arbitrary_text(text: str, start: int, end: int) -> None:
    """On arbitrary text and spans (outside it too) the roles are the reference's."""
    _assert_same_roles(parties_of((text, (), ())), (min(start, end), max(start, end)))


def test_roles_are_the_reference_on_real_sentences() -> None:
    """On the corpus sentences, with their entities, every trigger gets the reference's actor
    and target, and the compiled choice names actors and targets."""
    actors = targets = 0
    for article in _real_articles():
        names = article_names(article.entities)
        texts = [s.text for s in article_sentences(article)]
        for text, hits in zip(texts, sentence_surfaces(names, texts), strict=True):
            context = parties_of(party_key(text, names, hits))
            for _, trigger in _triggered_types(text):
                _assert_same_roles(context, trigger)
                roles = resolve_roles(context, trigger, prefer_people=False)
                actors += roles.actor is not None
                targets += roles.target is not None
    assert actors > 100 and targets > 100


SURROGATE_SENTENCES = [
    "Russian drones struck Kharkiv\udc80 overnight, Governor Oleh Syniehubov said.",
    "\ud800Ukraine's army shelled Russian positions near Bakhmut on Monday.",
]


@pytest.mark.parametrize("text", SURROGATE_SENTENCES)
def test_roles_of_a_sentence_with_a_lone_surrogate_are_the_reference(text: str) -> None:
    """A sentence holding a lone surrogate (not UTF-8) gets the reference's flags, fallback
    place and roles from the compiled wrappers, which decline it instead of raising."""
    mentions = [Mention(m.start(), m.end(), "", "group") for m in _CAPITALISED_RE.finditer(text)]
    assert _WORDS.flags(text, [(m.start, m.end) for m in mentions]) is None
    flags = _mention_flags(text, mentions)
    assert flags == {m: _mention_flags_reference(text, m.start, m.end) for m in mentions}
    assert _fallback_place(text) == _fallback_place_reference(text)
    triggers = _triggered_types(text)
    assert triggers
    context = parties_of((text, (), ()))
    for _, span in triggers:
        _assert_same_roles(context, span)


def test_events_stage_codes_an_article_with_a_lone_surrogate() -> None:
    """The events stage codes the strike of an article whose text holds a lone surrogate."""
    from workers.pipeline.enrich.events import extract_events

    text = SURROGATE_SENTENCES[0]
    events = extract_events(Article(id="t", source="test", body=text, text=text)).events
    assert [e.type for e in events] == ["drone_strike"]
