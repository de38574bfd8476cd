"""Who did what to whom, and where: actor, target, location and weapons of one event.

Mentions come from the article's entities (Person/Organization/Place/Weapon) when the
entity stage found them in the sentence, else from a small fallback lexicon shipped in
``data/events`` (country names, demonyms, capitals, armed groups, titled people, named
weapon systems). The actor is the agent before the trigger (or after a passive "by"),
the target the first other party after it, the location a place after a preposition.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple, cast

from workers._native import EventParties, RoleChoice, RoleScanner, RoleWords, SentenceRoles
from workers.pipeline.article import Entity, Organization, Person, Place, Weapon
from workers.pipeline.enrich._data import CALENDAR_WORDS, char_class, char_classes

MentionKind = Literal["country", "group", "person", "place"]
DATA_DIR = Path(__file__).parent / "data" / "events"

_SPEAKER_AFTER_RE = re.compile(
    r"^[’'s\s]*(?:\w+\s+){0,3}?(?:said|says|told|stated|reported|confirmed|noted|added|"
    r"wrote|claimed|insisted|asserted)\b"
)
_OWN_ACTION_RE = re.compile(
    r"[’'s\s]*(?:\w+\s+){0,3}?(?:(?:said|says|claimed|claims|reported|announced)\s+"
    r"(?:that\s+)?(?:it|its|they|their|we|our)\b|(?:claimed|claims)\s+(?:responsibility|"
    r"(?:an?|the)\s+(?:\w+\s+)?(?:attack|strike|bombing)))"
)
_PREPOSITIONS = frozenset(
    {
        "in",
        "on",
        "at",
        "near",
        "over",
        "across",
        "outside",
        "around",
        "toward",
        "towards",
        "into",
        "from",
        "of",
        "inside",
        "throughout",
        "within",
    }
)
_LOCATED_PREPOSITIONS = frozenset(
    {
        "in",
        "across",
        "throughout",
        "inside",
        "within",
        "near",
        "around",
        "over",
        "from",
        "of",
    }
)
_OBJECT_VERBS = frozenset(
    {"targeted", "targeting", "struck", "hit", "attacked", "against", "on", "at", "toward",
     "towards", "penetrated", "into", "destroyed", "damaged", "sank", "shelled", "bombed",
     "downed", "captured", "seized"}
)  # fmt: skip
_PLACE_CONTEXT = _PREPOSITIONS | _OBJECT_VERBS
_NOT_AGENT_BEFORE_BY = frozenset(
    {
        "reported",
        "developed",
        "made",
        "produced",
        "built",
        "supplied",
        "confirmed",
        "echoed",
        "inspired",
        "overseen",
        "manufactured",
        "mediated",
        "brokered",
        "hosted",
        "organised",
        "organized",
        "facilitated",
        "said",
        "announced",
    }
)
_AGENT_ADJECTIVES = frozenset(
    {"paramilitary", "rebel", "militant", "armed", "separatist", "pro-russian", "pro-government",
     "allied", "enemy", "hostile", "jihadist", "islamist"}
)  # fmt: skip
_SPEAKER_WORDS = frozenset({"cited", "quoted", "told"})
_SPEAKER_WORDS_BEFORE = frozenset(
    {"according", "reported", "confirmed", "said", "announced", "echoed", "stated", "noted",
     "conveyed"}
)  # fmt: skip
_INFRA_ADJECTIVES = frozenset(
    {
        "energy",
        "power",
        "civilian",
        "military",
        "residential",
        "critical",
        "port",
        "rail",
        "railway",
        "gas",
        "oil",
        "water",
        "chemical",
        "industrial",
        "electricity",
        "heating",
        "transport",
        "air",
        "naval",
        "fuel",
        "ammunition",
        "russian",
        "ukrainian",
        "israeli",
    }
)
_INFRA_NOUN_RE = re.compile(
    r"(?:infrastructure|facilities|facility|plant|power\s+station|substation|grid|refinery|"
    r"depot|airfield|air\s+base|airport|port|bridge|hospital|school|apartment\s+(?:block|"
    r"building)|residential\s+(?:building|districts?|areas?)|positions|base|warehouse|"
    r"railway\s+station|oil\s+terminal)\b"
)
_CLAUSE_BREAK_RE = re.compile(
    r"[;:—–]| (?:as|while|when|but|which|who|whereas|although|though|even|after|"
    r"before|because|amid|since|that|follows|following)\b"
)
_TERRITORY_AFTER_RE = re.compile(
    r"\s+(?:territory|soil|land|border|borders|airspace|regions?|cities|towns|villages|"
    r"positions|frontline|front)\b"
)
_COORDINATION_GAP_RE = re.compile(
    r"[’'s]*\s*(?:,\s*|\s+and\s+|,\s*and\s+)(?:(?:former|then)\s+)?(?:[A-Z][\w.-]*\s+){0,4}"
)
_TITLE_GAP_RE = re.compile(r"[’'s]*\s+(?:(?:former|then)\s+)?(?:[A-Z][\w.-]*\s+){0,4}")
_NOT_NAMES = frozenset({"Staff", "Assembly", "Council", "Secretariat", "Directorate", "Command"})
_TITLE_PERSON_RE = re.compile(
    r"(?:President|Prime\s+Minister|Foreign\s+Minister|Defen[cs]e\s+Minister|"
    r"Secretary\s+of\s+State|Secretary|Senator|Chancellor|Minister|Governor|Mayor|"
    r"General|Gen\.|King|Crown\s+Prince|Supreme\s+Leader|Premier|Envoy|Ambassador|"
    r"Spokesperson|Commander|Leader)\s+((?:[A-Z][\w'’-]+\s+){0,2}[A-Z][\w'’-]+)"
)
_PLACE_WORDS = frozenset(
    {
        "in",
        "near",
        "outside",
        "at",
        "over",
        "across",
        "around",
        "on",
        "hit",
        "struck",
        "targeted",
        "attacked",
        "shelled",
        "pounded",
        "bombed",
        "into",
        "toward",
        "towards",
    }
)
_PLACE_NOUNS = frozenset(
    {
        "area",
        "areas",
        "outskirts",
        "centre",
        "center",
        "city",
        "town",
        "village",
        "suburbs",
        "district",
        "districts",
        "port",
        "province",
        "region",
    }
)
_NOT_PLACES = CALENDAR_WORDS | frozenset(
    {
        "The",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "His",
        "Her",
        "Their",
        "Its",
        "Our",
        "Reuters",
        "AFP",
        "AP",
        "Telegram",
    }
)
_MILITARY_ORG_KINDS = frozenset({"military", "government", "intelligence", "law enforcement"})


class Mention(NamedTuple):
    """A party or place named in a sentence, with its canonical name (a tuple: sentence keys
    of the caches hash and compare them)."""

    start: int
    end: int
    name: str
    kind: MentionKind
    country: str | None = None


class Roles(NamedTuple):
    """The roles of one event (a tuple: one is made per trigger)."""

    actor: str | None
    target: str | None
    location: str | None
    weapons: list[str]


def _load_json(name: str) -> dict[str, object]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        data: dict[str, object] = json.load(handle)
    return data


def _build_lexicon() -> tuple[dict[str, tuple[str, MentionKind]], frozenset[str]]:
    """Surface form -> (canonical name, kind), and the capitals (places or metonyms)."""
    data = _load_json("actors.json")
    surface: dict[str, tuple[str, MentionKind]] = {}
    capitals: set[str] = set()
    countries = data["countries"]
    groups = data["groups"]
    assert isinstance(countries, dict) and isinstance(groups, dict)
    for name, forms in countries.items():
        for form in forms:
            surface[form] = (name, "country")
    listed = data["capitals"]
    assert isinstance(listed, list)
    capitals.update(str(form) for form in listed)
    for name, forms in groups.items():
        for form in forms:
            surface[form] = (name, "group")
    return surface, frozenset(capitals)


def _build_weapons() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """Cue word -> the (name, pattern) of the weapon systems it may announce."""
    data = _load_json("weapons.json")
    table = data["weapons"]
    assert isinstance(table, dict)
    by_cue: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for name, spec in table.items():
        pattern = re.compile(rf"\b(?:{spec['pattern']})(?![\w])", re.IGNORECASE)
        for cue in spec["cues"]:
            by_cue.setdefault(cue, []).append((name, pattern))
    return by_cue


_SURFACE, _CAPITALS = _build_lexicon()
_FIRST_WORDS = frozenset(form.split()[0] for form in _SURFACE if " " in form)
# Every capitalised word that can start a lexicon form, as written (with possessives).
_LEXICON_WORDS = frozenset(
    word.rstrip(".") + suffix
    for form in _SURFACE
    for word in (form.split()[0],)
    for suffix in ("", "'s", "’s", "'", "’")
)
_CAPITALISED_RE = re.compile(r"[A-Z][\w.'’-]*")
_FORMS = tuple(_SURFACE)
_SCANNER = RoleScanner(
    forms=list(_FORMS),
    first_words=sorted(_FIRST_WORDS),
    lexicon_words=sorted(_LEXICON_WORDS),
    classes=char_classes(),
    classify=char_class,
)
_WORDS = RoleWords(
    speaker_after=_SPEAKER_AFTER_RE.pattern,
    own_action=_OWN_ACTION_RE.pattern,
    territory_after=_TERRITORY_AFTER_RE.pattern,
    located=sorted(_LOCATED_PREPOSITIONS),
    object_verbs=sorted(_OBJECT_VERBS),
    agent_adjectives=sorted(_AGENT_ADJECTIVES),
    not_agent_before_by=sorted(_NOT_AGENT_BEFORE_BY),
    speaker_words=sorted(_SPEAKER_WORDS),
    speaker_words_before=sorted(_SPEAKER_WORDS_BEFORE),
    place_words=sorted(_PLACE_WORDS),
    place_nouns=sorted(_PLACE_NOUNS),
    not_places=sorted(_NOT_PLACES),
    forms=list(_FORMS),
)
_CHOICE = RoleChoice(
    clause_break=_CLAUSE_BREAK_RE.pattern,
    coordination_gap=_COORDINATION_GAP_RE.pattern,
    infra_noun=_INFRA_NOUN_RE.pattern,
    infra_adjectives=sorted(_INFRA_ADJECTIVES),
)
_WEAPONS = _build_weapons()
_WEAPON_CUES = frozenset(_WEAPONS)
_WEAPON_TOKENS = frozenset(
    cue + suffix for cue in _WEAPONS for suffix in ("", ",", ".", ";", ":", ")", "'s", "’s")
)
_STRIP = ",.;:()'’\"”“!?"
_COUNTRY_BY_ISO2: dict[str, str] = {
    "RU": "Russia", "UA": "Ukraine", "US": "United States", "GB": "United Kingdom",
    "FR": "France", "DE": "Germany", "PL": "Poland", "BY": "Belarus", "CN": "China",
    "TW": "Taiwan", "JP": "Japan", "KP": "North Korea", "KR": "South Korea", "IN": "India",
    "PK": "Pakistan", "AF": "Afghanistan", "IR": "Iran", "IQ": "Iraq", "SY": "Syria",
    "LB": "Lebanon", "IL": "Israel", "PS": "Palestine", "JO": "Jordan", "EG": "Egypt",
    "SA": "Saudi Arabia", "QA": "Qatar", "AE": "United Arab Emirates", "YE": "Yemen",
    "TR": "Turkey", "SD": "Sudan", "SS": "South Sudan", "ET": "Ethiopia", "SO": "Somalia",
    "NG": "Nigeria", "ML": "Mali", "LY": "Libya", "CD": "Democratic Republic of the Congo",
    "MM": "Myanmar", "IT": "Italy", "ES": "Spain", "CA": "Canada", "AZ": "Azerbaijan",
    "AM": "Armenia", "MD": "Moldova", "RO": "Romania", "HU": "Hungary",
}  # fmt: skip


def _words_before(text: str, start: int, width: int = 40) -> list[str]:
    """The lower-cased words just before ``start`` (the last one nearest), article dropped."""
    words = text[max(0, start - width) : start].lower().split()
    if width < start and words:
        words.pop(0)  # possibly cut in the middle
    if words and words[-1] in ("the", "a", "an"):
        words.pop()
    return words


def _after_preposition(text: str, start: int, prepositions: frozenset[str]) -> bool:
    words = _words_before(text, start, 24)
    return bool(words) and words[-1] in prepositions


def _after_agent_by(text: str, start: int) -> bool:
    """'struck by Russian drones': a passive agent, unless 'reported by', 'developed by'..."""
    words = _words_before(text, start, 32)
    while words and words[-1] in _AGENT_ADJECTIVES:
        words.pop()  # 'by the paramilitary Rapid Support Forces'
    if words and words[-1] in ("the", "a", "an"):
        words.pop()
    return (
        len(words) >= 1
        and words[-1] == "by"
        and (len(words) < 2 or words[-2] not in _NOT_AGENT_BEFORE_BY)
    )


def _after_speaker_cue(text: str, start: int) -> bool:
    """'according to X', 'reported by Mayor X', 'told X'."""
    words = _words_before(text, start, 40)[-3:]
    for index, word in enumerate(words):
        if word in _SPEAKER_WORDS or (
            word in ("to", "by") and index > 0 and words[index - 1] in _SPEAKER_WORDS_BEFORE
        ):
            return True
    return False


def country_name(code: str | None) -> str | None:
    """A canonical country name for an ISO alpha-2 code (or the value itself)."""
    if not code:
        return None
    return _COUNTRY_BY_ISO2.get(code.upper(), code)


Surfaces = list[tuple[Entity, tuple[str, ...]]]


# What a mention of an entity is: its name, kind and country, and the state it stands for
# when it is a capital named outside a prepositional phrase (None if it is no place).
MentionOf = tuple[str, MentionKind, str | None, str | None]


@dataclass(frozen=True, slots=True)
class ArticleNames:
    """The names of an article's entities, computed once for all of its sentences:
    parties and places, and weapons, each with its distinct non-empty surface forms."""

    named: Surfaces
    weapons: Surfaces
    # Entity index in ``named`` -> what a mention of it is (:func:`_mention_of`), once named.
    mentions: dict[int, MentionOf]


def article_names(entities: list[Entity]) -> ArticleNames:
    """Split the entities into parties/places and weapons, with their surface forms in order."""
    named: Surfaces = []
    weapons: Surfaces = []
    for entity in entities:
        surfaces = dict.fromkeys((entity.name, *entity.mentions))
        surfaces.pop("", None)
        (weapons if isinstance(entity, Weapon) else named).append((entity, tuple(surfaces)))
    return ArticleNames(named, weapons, {})


# Per sentence: (entity index, start, end) of the entities of ``ArticleNames.named`` it names
# (each at the first start of its first surface found there as a whole word), in entity
# order; and the indices of the ``ArticleNames.weapons`` it names.
SurfaceHits = tuple[list[tuple[int, int, int]], list[int]]


def sentence_surfaces(names: ArticleNames, texts: list[str]) -> list[SurfaceHits]:
    """Where the article's entities and weapons are named in each of ``texts``, from one
    compiled pass per surface over all of them (the reference where it cannot read a text)."""
    named = [surfaces for _, surfaces in names.named]
    weapons = [surfaces for _, surfaces in names.weapons]
    hits = _SCANNER.sentence_surfaces(texts, named, weapons)
    if hits is None:
        return [_sentence_surfaces_reference(names, text) for text in texts]
    return hits


def _sentence_surfaces_reference(names: ArticleNames, text: str) -> SurfaceHits:
    """:func:`sentence_surfaces` of one text, in Python: the compiled scan's reference."""
    entities: list[tuple[int, int, int]] = []
    for index, (_, surfaces) in enumerate(names.named):
        for surface in surfaces:
            start = text.find(surface)
            if start >= 0 and _is_word_boundary(text, start, start + len(surface)):
                entities.append((index, start, start + len(surface)))
                break
    contains = text.__contains__
    weapons = [i for i, (_, surfaces) in enumerate(names.weapons) if any(map(contains, surfaces))]
    return entities, weapons


def _entity_mentions(text: str, names: ArticleNames, hits: SurfaceHits) -> list[Mention]:
    known = names.mentions
    found: list[Mention] = []
    for index, start, end in hits[0]:
        mention_of = known.get(index)
        if mention_of is None:
            mention_of = known[index] = _mention_of(names.named[index][0])
        found.append(_entity_mention(mention_of, start, end, text))
    return found


def _all_mentions(text: str, found: list[Mention]) -> list[Mention]:
    """The entity mentions ``found`` in ``text`` with the lexicon's and titled people added."""
    found += _lexicon_mentions(text, found)
    found += _titled_people(text, found)
    found.sort(key=lambda m: (m.start, -m.end))
    return _absorb_titles(text, found)


def _absorb_titles(text: str, mentions: list[Mention]) -> list[Mention]:
    """'U.S. Senator Marco Rubio' is one person: drop the country named in his title."""
    dropped: set[int] = set()
    for index, mention in enumerate(mentions):
        if mention.kind != "person" or index == 0:
            continue
        before = mentions[index - 1]
        if before.kind == "country" and _TITLE_GAP_RE.fullmatch(text, before.end, mention.start):
            dropped.add(index - 1)
            if mention.country is None:
                mentions[index] = Mention(
                    mention.start, mention.end, mention.name, "person", before.country
                )
    return [m for i, m in enumerate(mentions) if i not in dropped] if dropped else mentions


def _mention_of(entity: Entity) -> MentionOf:
    if isinstance(entity, Person):
        return entity.name, "person", country_name(entity.country), None
    if isinstance(entity, Organization):
        if entity.kind in _MILITARY_ORG_KINDS and entity.country:
            return entity.name, "group", country_name(entity.country), None
        return entity.name, "group", None, None
    assert isinstance(entity, Place)
    if entity.kind == "country":
        return entity.name, "country", entity.name, None
    return entity.name, "place", entity.country, entity.country or None


def _entity_mention(mention_of: MentionOf, start: int, end: int, text: str) -> Mention:
    name, kind, country, state = mention_of
    if (
        state is not None
        and text[start:end] in _CAPITALS
        and not _after_preposition(text, start, _PLACE_CONTEXT)
    ):
        # "Moscow accused Kyiv": a capital outside a prepositional phrase stands for its state
        return Mention(start, end, state, "country", state)
    return Mention(start, end, name, kind, country)


def _is_word_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _overlaps(start: int, end: int, taken: list[Mention]) -> bool:
    return any(m.start < end and start < m.end for m in taken)


def _lexicon_mentions(text: str, taken: list[Mention]) -> list[Mention]:
    """Countries, capitals and groups of the fallback lexicon (capitalised words only)."""
    out: list[Mention] = []
    for start, end, form in _lexicon_forms(text):
        if _overlaps(start, end, taken):
            continue
        name, kind = _SURFACE[form]
        if form in _CAPITALS and _after_preposition(text, start, _PLACE_CONTEXT):
            out.append(Mention(start, end, form, "place", name))
        else:
            out.append(Mention(start, end, name, kind, name))
    return out


def _lexicon_forms(text: str) -> list[tuple[int, int, str]]:
    """(start, end, form) of the lexicon forms among the capitalised words of ``text`` (the
    compiled scan; :func:`_lexicon_forms_reference` is its reference)."""
    forms = _FORMS
    return [(start, end, forms[form]) for start, end, form in _SCANNER.lexicon_forms(text)]


def _lexicon_forms_reference(text: str) -> list[tuple[int, int, str]]:
    """:func:`_lexicon_forms` in Python: the compiled scan's reference."""
    out: list[tuple[int, int, str]] = []
    words = [(m.start(), m.end()) for m in _CAPITALISED_RE.finditer(text)]
    index = 0
    while index < len(words):
        start, end = words[index]
        if text[start:end].rstrip(".") not in _LEXICON_WORDS:
            index += 1
            continue
        found = _longest_form(text, words, index)
        if found is None:
            index += 1
            continue
        form, start, end, used = found
        index += used
        out.append((start, end, form))
    return out


def _longest_form(
    text: str, words: list[tuple[int, int]], index: int
) -> tuple[str, int, int, int] | None:
    """The longest lexicon form made of up to four capitalised words from ``index``."""
    start = words[index][0]
    first = text[start : words[index][1]]
    longest = min(4, len(words) - index) if first in _FIRST_WORDS else 1
    for count in range(longest, 0, -1):
        last = words[index + count - 1]
        if count > 1 and not _adjacent(text, words, index, count):
            continue
        for form in _surface_variants(text[start : last[1]]):
            if form in _SURFACE:
                return form, start, start + len(form), count
    return None


def _adjacent(text: str, words: list[tuple[int, int]], index: int, count: int) -> bool:
    return all(
        text[words[i][1] : words[i + 1][0]] in (" ", " of the ", " of ")
        for i in range(index, index + count - 1)
    )


def _surface_variants(token: str) -> tuple[str, ...]:
    """A token as written, without a possessive, and without a final full stop."""
    for suffix in ("'s", "’s", "'", "’"):
        if token.endswith(suffix):
            token = token[: -len(suffix)]
            break
    return (token, token[:-1]) if token.endswith(".") else (token,)


def _titled_people(text: str, taken: list[Mention]) -> list[Mention]:
    """People introduced by a title ('Foreign Minister Sergei Lavrov'), with their country."""
    out: list[Mention] = []
    for match in _TITLE_PERSON_RE.finditer(text):
        if match.start() > 0 and text[match.start() - 1].isalnum():
            continue
        start, end = match.span(1)
        name = match.group(1)
        if _overlaps(start, end, taken) or name.split()[-1] in _NOT_NAMES:
            continue
        country = _absorb_nationality(text, match.start(), taken)
        out.append(Mention(start, end, name, "person", country))
    return out


def _absorb_nationality(text: str, title_start: int, taken: list[Mention]) -> str | None:
    """Drop the country adjective right before a title and return it as the person's country."""
    for index, mention in enumerate(taken):
        gap = text[mention.end : title_start]
        if mention.kind == "country" and len(gap) <= 10 and gap.strip() in ("", "former"):
            del taken[index]
            return mention.country
    return None


class SentenceParties(NamedTuple):
    """What one sentence names, computed once for all of its events (a tuple: one is made
    per sentence)."""

    text: str
    parties: list[Mention]
    self_reporting: list[Mention]
    located: list[Mention]
    location: str | None
    weapons: list[str]
    # Per mention, the bits of the predicates that hold for it (see :func:`_mention_flags`).
    flags: dict[Mention, int]
    # The sentence and its parties compiled for :func:`resolve_roles` (None: not ASCII).
    choice: SentenceRoles | None


# A sentence, the mentions of the article's entities in it and the names of the article's
# weapons it names: all that its parties depend on (see :func:`parties_of`).
PartyKey = tuple[str, tuple[Mention, ...], tuple[str, ...]]
# Sentences recur (wire copy, reprints enriched before dedup, boilerplate), each time with
# the same entity mentions: their parties are looked up instead of recomputed.
_CACHE_SIZE = 4096


def sentence_parties(
    text: str, entities: list[Entity], names: ArticleNames | None = None
) -> SentenceParties:
    """Parties (possible actors/targets), places and weapons named in one sentence;
    ``names`` (from :func:`article_names`) saves recomputing the entities' surface forms."""
    return parties_of(party_key(text, names or article_names(entities)))


def party_key(text: str, names: ArticleNames, hits: SurfaceHits | None = None) -> PartyKey:
    """What the parties of sentence ``text`` depend on, as a hashable key."""
    if hits is None:
        hits = _sentence_surfaces_reference(names, text)
    weapons = names.weapons
    return (
        text,
        tuple(_entity_mentions(text, names, hits)),
        tuple(weapons[index][0].name for index in hits[1]),
    )


@lru_cache(maxsize=_CACHE_SIZE)
def parties_of(key: PartyKey) -> SentenceParties:
    """The parties of a sentence from its :func:`party_key`."""
    text, entity_mentions, weapon_names = key
    mentions = _all_mentions(text, list(entity_mentions))
    flags = _mention_flags(text, mentions)
    speakers = [m for m in mentions if m.kind != "place" and flags[m] & _SPEAKER]
    parties = [m for m in mentions if m.kind != "place" and m not in speakers]
    located = [m for m in parties if flags[m] & _LOCATED]
    parties = [m for m in parties if m not in located]
    self_reporting = [m for m in speakers if flags[m] & _OWN_ACTION]
    return SentenceParties(
        text=text,
        parties=parties,
        self_reporting=self_reporting,
        located=located,
        location=_location(text, mentions, located, flags),
        weapons=list(weapon_names) if weapon_names else _lexicon_weapons(text),
        flags=flags,
        choice=_CHOICE.sentence(
            text,
            [(*m, flags[m]) for m in parties],
            (*self_reporting[0], flags[self_reporting[0]]) if self_reporting else None,
        ),
    )


# Bits of :func:`_mention_flags`, one per predicate on a mention.
_SPEAKER, _LOCATED, _OWN_ACTION, _TERRITORY = 1, 2, 4, 8
_AFTER_OBJECT_VERB, _AGENT_BY, _AFTER_BY = 16, 32, 64


def _mention_flags(text: str, mentions: list[Mention]) -> dict[Mention, int]:
    """Per mention, the bits of the predicates on it that hold: computed in one compiled call
    for an ASCII sentence (by :func:`_mention_flags_reference` for any other)."""
    spans = [(m.start, m.end) for m in mentions]
    flags = _WORDS.flags(text, spans)
    if flags is None:
        return {m: _mention_flags_reference(text, m.start, m.end) for m in mentions}
    return dict(zip(mentions, flags, strict=True))


def _mention_flags_reference(text: str, start: int, end: int) -> int:
    """The bits of :func:`_mention_flags` for a mention at ``start:end``, in Python."""
    mention = Mention(start, end, "", "group")
    predicates = (
        (_SPEAKER, _is_speaker(text, mention)),
        (_LOCATED, _is_located(text, mention)),
        (_OWN_ACTION, _reports_own_action(text, mention)),
        (_TERRITORY, _TERRITORY_AFTER_RE.match(text, end) is not None),
        (_AFTER_OBJECT_VERB, _after_preposition(text, start, _OBJECT_VERBS)),
        (_AGENT_BY, _after_agent_by(text, start)),
        (_AFTER_BY, _words_before(text, start, 16)[-1:] == ["by"]),
    )
    return sum(bit for bit, holds in predicates if holds)


def _reports_own_action(text: str, mention: Mention) -> bool:
    """'The Israeli military said it intercepted...': the speaker is also the agent."""
    return bool(_OWN_ACTION_RE.match(text, mention.end, mention.end + 60))


def _is_located(text: str, mention: Mention) -> bool:
    """A country named after 'in/across/of' is where things happen, not who acts."""
    return _after_preposition(text, mention.start, _LOCATED_PREPOSITIONS)


def resolve_roles(
    context: SentenceParties,
    trigger: tuple[int, int],
    *,
    prefer_people: bool,
    inside_is_actor: bool = True,
) -> Roles:
    """Actor, target, location and weapons of the event whose trigger spans ``trigger``.

    ``inside_is_actor``: a party named inside the trigger ('Russian missiles') is the
    actor; otherwise ('expelled three Russian diplomats') it is the target. The compiled
    sentence chooses them (:func:`_resolve_roles_reference` where there is none)."""
    choice = context.choice
    chosen = None if choice is None else choice.choose(trigger[0], trigger[1], inside_is_actor)
    if choice is None or chosen is None:
        return _resolve_roles_reference(
            context, trigger, prefer_people=prefer_people, inside_is_actor=inside_is_actor
        )
    actor_index, target_index = chosen
    parties = context.parties
    actor_mention: Mention | None = None
    if actor_index is not None:
        speaker = actor_index == len(parties)
        actor_mention = context.self_reporting[0] if speaker else parties[actor_index]
    target_mention = None if target_index is None else parties[target_index]
    target = _party_name(target_mention, prefer_people)
    if target is None and not prefer_people:
        target = choice.infrastructure(trigger[0], trigger[1]) or context.location
    return Roles(
        actor=_party_name(actor_mention, prefer_people),
        target=target,
        location=context.location,
        weapons=list(context.weapons),
    )


def _resolve_roles_reference(
    context: SentenceParties,
    trigger: tuple[int, int],
    *,
    prefer_people: bool,
    inside_is_actor: bool = True,
) -> Roles:
    """:func:`resolve_roles` in Python: the compiled choice's reference."""
    text, parties, location = context.text, context.parties, context.location
    flags = context.flags
    pair = _between_pair(text, trigger, parties)
    actor_mention: Mention | None
    target_mention: Mention | None
    if pair is not None:
        actor_mention, target_mention = pair
    else:
        inside = [
            m
            for m in parties
            if trigger[0] <= m.start < trigger[1] and not flags[m] & _AFTER_OBJECT_VERB
        ]
        outside = [m for m in parties if m not in inside]
        actor_mention = inside[-1] if inside and inside_is_actor else None
        if actor_mention is None and _is_participle_clause(text, trigger) and outside:
            actor_mention = outside[0]  # ', urging him to ...': the main clause's subject
        actor_mention = actor_mention or _actor(text, trigger, outside, flags)
        if actor_mention is None and context.self_reporting:
            actor_mention = context.self_reporting[0]
        target_mention = _target(text, trigger, parties, actor_mention, flags)
    target = _party_name(target_mention, prefer_people)
    if target is None and not prefer_people:
        target = _infrastructure(text, trigger) or location
    return Roles(
        actor=_party_name(actor_mention, prefer_people),
        target=target,
        location=location,
        weapons=list(context.weapons),
    )


def _is_speaker(text: str, mention: Mention) -> bool:
    return bool(
        _SPEAKER_AFTER_RE.match(text[mention.end : mention.end + 40])
        or _after_speaker_cue(text, mention.start)
    )


def _between_pair(
    text: str, trigger: tuple[int, int], parties: list[Mention]
) -> tuple[Mention, Mention] | None:
    """'a call between A and B': A is the actor, B the target."""
    at = text.find("between ", trigger[0], trigger[1] + 12)
    if at < 0:
        return None
    after = [m for m in parties if m.start > at]
    people = [m for m in after if m.kind == "person"]
    if len(people) >= 2:
        after = people
    if len(after) >= 2 and " and " in text[after[0].end : after[1].start + 1]:
        return after[0], after[1]
    return None


def _same_clause(text: str, start: int, end: int) -> bool:
    return not _CLAUSE_BREAK_RE.search(text, start, end)


def _is_participle_clause(text: str, trigger: tuple[int, int]) -> bool:
    """Whether the trigger opens a participial clause after a comma (', killing ...')."""
    words = text[trigger[0] : trigger[1]].split()
    return bool(words) and words[0].endswith("ing") and text[: trigger[0]].rstrip().endswith(",")


def _is_passive_agent(
    text: str, trigger: tuple[int, int], mention: Mention, flags: dict[Mention, int]
) -> bool:
    """'was struck by Russian drones': a 'by' party right after the trigger, same clause."""
    return (
        trigger[1] <= mention.start <= trigger[1] + 40
        and bool(flags[mention] & _AGENT_BY)
        and _same_clause(text, trigger[1], mention.start)
    )


def _actor(
    text: str, trigger: tuple[int, int], parties: list[Mention], flags: dict[Mention, int]
) -> Mention | None:
    for mention in parties:
        if _is_passive_agent(text, trigger, mention, flags):
            return mention
    before = [
        m
        for m in parties
        if m.end <= trigger[0]
        and _same_clause(text, m.end, trigger[0])
        and not flags[m] & _AFTER_OBJECT_VERB
    ]
    return _first_of_coordination(text, before) if before else None


def _first_of_coordination(text: str, before: list[Mention]) -> Mention:
    """'Macron and Scholz held a call': the first of coordinated parties is the actor."""
    index = len(before) - 1
    while index > 0 and _COORDINATION_GAP_RE.fullmatch(
        text, before[index - 1].end, before[index].start
    ):
        index -= 1
    return before[index]


def _target(
    text: str,
    trigger: tuple[int, int],
    parties: list[Mention],
    actor: Mention | None,
    flags: dict[Mention, int],
) -> Mention | None:
    start = actor.end if actor is not None and actor.end <= trigger[0] else trigger[1]
    co_actor: Mention | None = None
    if actor is not None and actor in parties:
        index = parties.index(actor)
        while index + 1 < len(parties) and _COORDINATION_GAP_RE.fullmatch(
            text, parties[index].end, parties[index + 1].start
        ):
            index += 1  # 'Egyptian and Qatari mediators met Hamas': skip the co-actors
            co_actor = parties[index]
            start = max(start, co_actor.end)
    for mention in parties:
        if mention.start < start or mention is actor:
            continue
        if actor is not None and mention.name == actor.name:
            continue
        if flags[mention] & _AFTER_BY:
            continue
        if not _same_clause(text, min(start, trigger[1]), mention.start):
            continue
        return mention
    # 'Ukraine and Russia exchanged prisoners': a reciprocal event; the other side is the target
    if co_actor is not None and actor is not None and co_actor.name != actor.name:
        return co_actor
    return None


def _infrastructure(text: str, trigger: tuple[int, int]) -> str | None:
    """'targeted power facilities' -> 'power facilities' (what was hit, when no party is)."""
    lowered = text.lower()
    end = min(len(text), trigger[1] + 80)
    clause_end = _CLAUSE_BREAK_RE.search(text, trigger[1], end)
    match = _INFRA_NOUN_RE.search(lowered, trigger[0], clause_end.start() if clause_end else end)
    if match is None or (match.start() > 0 and lowered[match.start() - 1].isalnum()):
        return None
    start = match.start()
    for word in reversed(lowered[max(0, start - 40) : start].split()[-2:]):
        if word not in _INFRA_ADJECTIVES:
            break
        start = lowered.rindex(word, 0, start)
    return text[start : match.end()]


def _party_name(mention: Mention | None, prefer_people: bool) -> str | None:
    if mention is None:
        return None
    if mention.kind == "person" and not prefer_people and mention.country:
        return mention.country
    if mention.kind == "group" and not prefer_people and mention.country:
        return mention.country
    return mention.name


def _fallback_place(text: str) -> str | None:
    """A capitalised name after 'in/near/at/hit...' ('in the Bryansk region' -> Bryansk):
    compiled for an ASCII sentence, :func:`_fallback_place_reference` for any other."""
    handled, place = _WORDS.fallback_place(text)
    return place if handled else _fallback_place_reference(text)


def _fallback_place_reference(text: str) -> str | None:
    """:func:`_fallback_place` in Python: the compiled one's reference."""
    words = [(m.start(), m.end()) for m in _CAPITALISED_RE.finditer(text)]
    for index, (start, end) in enumerate(words):
        if start == 0 or not _follows_place_word(text, start):
            continue
        name_end = end
        for next_start, next_end in words[index + 1 : index + 3]:
            if text[name_end:next_start] not in (" ", " of ", " of the "):
                break
            name_end = next_end
        name = _surface_variants(text[start:name_end].rstrip(".,"))[0]
        if name.split()[0] not in _NOT_PLACES and name not in _SURFACE:
            return name
    return None


def _follows_place_word(text: str, start: int) -> bool:
    before = text[max(0, start - 24) : start].lower().split()
    if before and before[-1] == "the":
        before.pop()
    if not before:
        return False
    if before[-1] == "of":
        return len(before) > 1 and before[-2] in _PLACE_NOUNS
    return before[-1] in _PLACE_WORDS


def _location(
    text: str, mentions: list[Mention], located: list[Mention], flags: dict[Mention, int]
) -> str | None:
    places = [m for m in mentions if m.kind == "place"]
    if places:
        return places[0].name
    fallback = _fallback_place(text)
    if fallback is not None:
        return fallback
    for mention in located:
        if text[mention.start : mention.end] == mention.name or flags[mention] & _TERRITORY:
            return mention.name
    return None


def _lexicon_weapons(text: str) -> list[str]:
    """Weapon systems of the fallback lexicon named in ``text``."""
    names: list[str] = []
    lowered = text.lower().split()
    if _WEAPON_TOKENS.isdisjoint(lowered):
        return names
    cues = _WEAPON_CUES.intersection(word.strip(_STRIP) for word in lowered)
    for cue in sorted(cues):
        for name, pattern in _WEAPONS[cue]:
            if name not in names and pattern.search(text):
                names.append(name)
    return names


# Bits of a trigger's options for :func:`event_roles`: the event's roles name people (see
# :func:`resolve_roles`' ``prefer_people``), a party inside the trigger is its actor
# (``inside_is_actor``), the event carries the sentence's weapons.
PREFER_PEOPLE, INSIDE_IS_ACTOR, WITH_WEAPONS = 1, 2, 4
# A trigger of a sentence: (start, end, options).
Trigger = tuple[int, int, int]
# The roles of one event: its trigger's text, actor, target, location and weapons.
EventRoles = tuple[str, str | None, str | None, str | None, list[str]]

EVENT_PARTIES = EventParties(
    scanner=_SCANNER,
    words=_WORDS,
    choice=_CHOICE,
    forms=list(_FORMS),
    form_roles=[_SURFACE[form] for form in _FORMS],
    capitals=sorted(_CAPITALS),
    place_context=sorted(_PLACE_CONTEXT),
    title_person=_TITLE_PERSON_RE.pattern,
    title_gap=_TITLE_GAP_RE.pattern,
    not_names=sorted(_NOT_NAMES),
    weapons=[
        (cue, [(name, p.pattern, bool(p.flags & re.IGNORECASE)) for name, p in systems])
        for cue, systems in _WEAPONS.items()
    ],
    weapon_tokens=sorted(_WEAPON_TOKENS),
    strip=_STRIP,
    weapon_class=Weapon,
    mention_of=_mention_of,
    person_class=Person,
    organization_class=Organization,
    place_class=Place,
    military_kinds=sorted(_MILITARY_ORG_KINDS),
    country_by_iso2=sorted(_COUNTRY_BY_ISO2.items()),
)


def event_roles(
    texts: list[str], triggers: list[list[Trigger]], entities: list[Entity]
) -> list[list[EventRoles]]:
    """Per sentence of ``texts``, the roles of each of its ``triggers``, the parties coming
    from the article's ``entities``: one compiled call for the article's ASCII sentences
    (curly quotes, dashes and bullets allowed), :func:`event_roles_reference` for the others."""
    rows = EVENT_PARTIES.events(texts, triggers, entities)
    if None not in rows:
        return cast("list[list[EventRoles]]", rows)
    names: ArticleNames | None = None
    answered: list[list[EventRoles]] = []
    for text, sentence_triggers, row in zip(texts, triggers, rows, strict=True):
        if row is None:
            names = names or article_names(entities)
            row = event_roles_reference(text, names, sentence_triggers)
        answered.append(row)
    return answered


def event_roles_fallback(
    texts: list[str], triggers: list[list[Trigger]], entities: list[Entity]
) -> list[list[EventRoles]]:
    """:func:`event_roles_reference` of the sentences the compiled call leaves to Python
    (other characters than ASCII and curly quotes or dashes), the article's names found once."""
    names = article_names(entities)
    return [
        event_roles_reference(text, names, sentence_triggers)
        for text, sentence_triggers in zip(texts, triggers, strict=True)
    ]


def event_roles_reference(
    text: str, names: ArticleNames, triggers: list[Trigger]
) -> list[EventRoles]:
    """:func:`event_roles` of one sentence in Python: its parties, then each trigger's roles."""
    context = parties_of(party_key(text, names))
    return [_trigger_roles(context, trigger) for trigger in triggers]


def _trigger_roles(context: SentenceParties, trigger: Trigger) -> EventRoles:
    start, end, options = trigger
    roles = resolve_roles(
        context,
        (start, end),
        prefer_people=bool(options & PREFER_PEOPLE),
        inside_is_actor=bool(options & INSIDE_IS_ACTOR),
    )
    weapons = roles.weapons if options & WITH_WEAPONS else []
    return context.text[start:end].strip(), roles.actor, roles.target, roles.location, weapons
