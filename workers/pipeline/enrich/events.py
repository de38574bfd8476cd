"""Stage ``extract_events``: reported events coded against ACLED, CAMEO and PLOVER.

The event types, their codes in the three codebooks and their English trigger
patterns live in ``data/events/event_types.json`` (with a note on sources and coding
choices). For each sentence, the words of the sentence select the candidate types
through their anchor words; only those types' precompiled patterns are run. A match
is dropped when the sentence lacks the type's context (military or diplomatic cue
words, against metaphors like "dock strike"), when the trigger is hypothetical or
future ("could strike"), attributed ("accused Ukraine of launching drones"), or
background ("the war began in 2022"). At most one event per (type, sentence).

All of that per-sentence scan runs in the compiled core (``_native.EventTriggers``, built
from this module's catalogue, patterns, word lists and windows); ``_sentence_types_reference``
is its Python reference, also used for the rare texts the core leaves to Python.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from workers._native import EventCoder, EventTriggers
from workers.pipeline.article import (
    AcledCode,
    Article,
    CameoCode,
    Entity,
    Event,
    PloverCode,
    Sentence,
)
from workers.pipeline.enrich.casualties import article_sentences
from workers.pipeline.enrich.events_roles import (
    EVENT_PARTIES,
    INSIDE_IS_ACTOR,
    PREFER_PEOPLE,
    WITH_WEAPONS,
    ArticleNames,
    EventRoles,
    PartyKey,
    Roles,
    SentenceParties,
    article_names,
    event_roles,
    event_roles_fallback,
    parties_of,
    party_key,
    resolve_roles,
    sentence_parties,
    sentence_surfaces,
)
from workers.pipeline.enrich.events_triggers import (
    StartFinder,
    literal_prefixes,
    matches_at,
    required_literals,
)

DATA_FILE = Path(__file__).parent / "data" / "events" / "event_types.json"
# An event's ACLED (None for types outside ACLED), CAMEO and PLOVER codes.
EventCodes = tuple[AcledCode | None, CameoCode, PloverCode]
_TOKEN_SUFFIXES = ("", ",", ".", ";", ":", "'s", "’s", ")", "!", "?", "”", '"')

# Types that are statements of intent, proposals or threats: future tense is their nature.
_INTENT_TYPES = frozenset(
    {"intent_to_meet", "peace_proposal", "military_threat", "threat", "appeal", "demand",
     "military_aid_pledge", "accusation", "condemnation"}
)  # fmt: skip
# Non-violent types whose sentence's weapons are what the event is about.
_ARMS_TYPES = frozenset({"military_aid", "military_aid_pledge", "military_aid_cut", "interception"})
# Diplomatic categories name people as actor/target ("Rubio", "Lavrov"); force names countries.
_PEOPLE_CATEGORIES = frozenset({"CONSULT", "AGREE", "REJECT", "ACCUSE", "REQUEST", "THREATEN"})
# A trigger preceded (within four words) by one of these is hypothetical or future.
_MODAL_WORDS = frozenset(
    {
        "could",
        "would",
        "might",
        "may",
        "will",
        "shall",
        "should",
        "must",
        "can",
        "cannot",
        "if",
        "unless",
        "whether",
        "risk",
        "risks",
        "any",
        "possible",
        "potential",
        "future",
        "no",
        "warn",
        "warned",
        "warns",
        "warning",
        "fear",
        "feared",
        "fears",
        "hope",
        "hopes",
        "want",
        "wants",
        "seek",
        "seeks",
        "sought",
        "end",
        "ending",
        "halt",
        "stop",
        "prevent",
        "avoid",
        "simulating",
        "simulate",
        "simulated",
        "rehearsing",
        "rehearse",
    }
)
_MODAL_PHRASES = (
    "plans to", "plan to", "planning to", "intends to", "intend to", "aims to", "aim to",
    "ready to", "prepared to", "threatened to", "threatens to", "threaten to",
    "offered to", "offers to", "proposed to", "willing to", "invited to", "in the event of",
)  # fmt: skip
_MODAL_PHRASE_RE = re.compile("|".join(map(re.escape, _MODAL_PHRASES)))
# Modal words inside a trigger's own span ('missiles were ready to strike', 'drones could hit'):
# the gap between a weapon noun and its verb is as hypothetical as the words before it.
# (Every alternative starts after a space: the engine tries them only at spaces.)
_SPAN_MODAL_RE = re.compile(
    r"\s(?:could|would|might|may|will|shall|should|must|can|cannot|if"
    r"|(?:plans?|planning|intends?|aims?|ready|prepared|threaten(?:ed|s)?|offer(?:ed|s)"
    r"|proposed|willing|invited)\s+to|in\s+the\s+event\s+of)\s"
)
# A trigger after one of these is someone's claim ("accused Ukraine of launching drones").
_ATTRIBUTION_RE = re.compile(
    r"(?:accus|alleg|denied|denies|blamed|claimed that|claims that|responsible for|to blame for)"
)
# The background pattern is searched only in sentences with one of these (or these words).
_BACKGROUND_HINTS = ("19", "20", "began", "started", "decade", "years")
_BACKGROUND_TOKEN_HINTS = frozenset({"has"})
# The modal words among the last four of the six words in the 60 characters before a trigger.
_MODAL_WINDOW, _MODAL_WORDS_KEPT, _MODAL_WORDS_CHECKED = 60, 6, 4
# A preceded match looks back this many characters per word of its window.
_PRECEDED_CHARS_PER_WORD = 12
_BACKGROUND_RE = re.compile(
    r"(?:since|began\s+(?:in|on)|started\s+(?:in|on)|launched\s+in|back\s+in|in)\s+"
    r"(?:early\s+|late\s+|mid-?)?(?:[a-z]+\s+)?(?:\d{1,2},?\s+)?(?:19|20)\d\d\b"
    r"|the\s+(?:war|invasion|conflict|fighting)\s+(?:began|started|erupted|broke\s+out)\b"
    r"|has\s+(?:long|repeatedly)\b"
    # 'A decade after IS fighters massacred...', 'two years ago', 'ten years on': retrospectives
    r"|\b(?:a\s+decade|decades|(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+"
    r"(?:years|decades))\s+(?:after|ago\b|on,|since)\b"
)

_FILTERS = {
    "span_modal": _SPAN_MODAL_RE.pattern,
    "attribution": _ATTRIBUTION_RE.pattern,
    "background": _BACKGROUND_RE.pattern,
    "background_hints": list(_BACKGROUND_HINTS),
    "background_token_hints": sorted(_BACKGROUND_TOKEN_HINTS),
    "modal_words": sorted(_MODAL_WORDS),
    "modal_phrase": _MODAL_PHRASE_RE.pattern,
    "modal_window": _MODAL_WINDOW,
    "modal_words_kept": _MODAL_WORDS_KEPT,
    "modal_words_checked": _MODAL_WORDS_CHECKED,
    "preceded_chars_per_word": _PRECEDED_CHARS_PER_WORD,
}


@dataclass(frozen=True, slots=True)
class EventType:
    """One newsflow event type: its codes and its compiled trigger patterns.

    Patterns are compiled one by one with their leading ``\\b`` removed, so that the regex
    engine can scan for their first literal; the word boundary is checked after a match."""

    name: str
    acled: tuple[str, str] | None
    cameo: tuple[str, str, int]
    plover: tuple[str, str | None]
    context: str | None
    # (pattern, lead words, context the sentence needs for this pattern alone, or None)
    patterns: tuple[tuple[re.Pattern[str], tuple[str, ...], str | None], ...]
    preceded: tuple[re.Pattern[str], frozenset[str], int] | None
    unless: frozenset[str]
    has_capitals: bool
    requires: tuple[str, ...] = ()
    excluded: frozenset[str] = frozenset()
    # Words that lift the exclusion ('tech executives' at a summit of world 'leaders').
    excluded_unless: frozenset[str] = frozenset()
    # Per pattern, its id in the catalogue's StartFinder, or -1 (no literal prefixes).
    pattern_ids: tuple[int, ...] = ()
    preceded_id: int = -1
    # The ACLED, CAMEO and PLOVER codes as the events carry them: built once, shared by every
    # event of this type (they are frozen).
    codes: EventCodes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        acled = AcledCode(self.acled[0], self.acled[1]) if self.acled else None
        cameo = CameoCode(self.cameo[0], self.cameo[1], self.cameo[2])
        plover = PloverCode(self.plover[0], self.plover[1])
        object.__setattr__(self, "codes", (acled, cameo, plover))

    @property
    def prefixed_only(self) -> bool:
        """Whether every pattern (and the preceded one) starts with known literal prefixes."""
        plain = any(i < 0 for i in self.pattern_ids)
        return not plain and (self.preceded is None or self.preceded_id >= 0)

    @property
    def prefix_ids(self) -> frozenset[int]:
        ids = {i for i in self.pattern_ids if i >= 0}
        return frozenset(ids | ({self.preceded_id} if self.preceded_id >= 0 else set()))

    @property
    def is_verbal(self) -> bool:
        return self.name in _INTENT_TYPES


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All event types, the anchor-word index and the context cue words."""

    types: dict[str, EventType]
    by_anchor: dict[str, tuple[int, ...]]  # anchor word -> indices into ``ordered``
    anchors: frozenset[str]
    military_cues: frozenset[str]
    diplomatic_cues: frozenset[str]
    ordered: tuple[EventType, ...] = ()  # the types in table order
    finder: StartFinder = StartFinder(())
    prefixed_only: frozenset[int] = frozenset()  # indices of types whose patterns all are
    prefix_ids: tuple[frozenset[int], ...] = ()  # per type, its patterns' StartFinder ids
    triggers: EventTriggers | None = None  # all of the above compiled (see _sentence_types)


CAMEO_NAMES: dict[str, str] = {
    "020": "Make an appeal or request, not specified below",
    "036": "Express intent to meet or negotiate",
    "037": "Express intent to settle dispute",
    "040": "Consult, not specified below",
    "041": "Discuss by telephone",
    "042": "Make a visit",
    "043": "Host a visit",
    "045": "Mediate",
    "046": "Engage in negotiation",
    "057": "Sign formal agreement",
    "062": "Cooperate militarily",
    "072": "Provide military aid",
    "073": "Provide humanitarian aid",
    "0332": "Express intent to provide military aid",
    "0841": "Return, release person(s)",
    "0871": "Declare truce, ceasefire",
    "0874": "Retreat or surrender militarily",
    "100": "Demand, not specified below",
    "111": "Criticize or denounce",
    "112": "Accuse, not specified below",
    "114": "Complain officially",
    "125": "Reject proposal to meet, discuss, or negotiate",
    "127": "Reject plan, agreement to settle dispute",
    "129": "Veto",
    "130": "Threaten, not specified below",
    "138": "Threaten with military force, not specified below",
    "141": "Demonstrate or rally, not specified below",
    "145": "Protest violently, riot, not specified below",
    "150": "Demonstrate military or police power, not specified below",
    "154": "Mobilize or increase armed forces",
    "161": "Reduce or break diplomatic relations",
    "1622": "Reduce or stop military assistance",
    "163": "Impose embargo, boycott, or sanctions",
    "164": "Halt negotiations",
    "173": "Arrest, detain, or charge with legal action",
    "180": "Use unconventional violence, not specified below",
    "181": "Abduct, hijack, or take hostage",
    "183": "Conduct suicide, car, or other non-military bombing, not specified below",
    "1831": "Carry out suicide bombing",
    "186": "Assassinate",
    "190": "Use conventional military force, not specified below",
    "192": "Occupy territory",
    "194": "Fight with artillery and tanks",
    "195": "Employ aerial weapons, not specified below",
    "1952": "Employ remotely piloted aerial munitions",
    "196": "Violate ceasefire",
}


def quad_class(code: str) -> int:
    """CAMEO quad class of a code: 1 verbal coop, 2 material coop, 3 verbal, 4 material conflict."""
    root = int(code[:2])
    if root <= 5:
        return 1
    if root <= 9:
        return 2
    return 3 if root <= 14 else 4


def load_catalogue(path: Path = DATA_FILE) -> Catalogue:
    """Read and compile the event-type table."""
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    macros: dict[str, str] = data["macros"]
    types: dict[str, EventType] = {}
    by_anchor: dict[str, list[int]] = {}
    prefixes: list[tuple[int, frozenset[str]]] = []
    for index, (name, spec) in enumerate(data["types"].items()):
        types[name] = _event_type(name, spec, macros, prefixes)
        for word in _with_suffixes(spec["anchors"]):
            indices = by_anchor.setdefault(word, [])
            if index not in indices:
                indices.append(index)
    military_cues = _with_suffixes(data["military_cues"])
    diplomatic_cues = _with_suffixes(data["diplomatic_cues"])
    ordered = tuple(types.values())
    triggers = EventTriggers(
        anchors=by_anchor,
        military_cues=military_cues,
        diplomatic_cues=diplomatic_cues,
        types=[_type_gates(t) for t in ordered],
        prefixes=[(i, sorted(strings)) for i, strings in prefixes],
        required=_required_literals(ordered),
        triggers=[_type_triggers(t, ordered) for t in ordered],
        filters=_FILTERS,
        classes=_python_classes(),
    )
    return Catalogue(
        types=types,
        ordered=ordered,
        by_anchor={word: tuple(indices) for word, indices in by_anchor.items()},
        anchors=frozenset(by_anchor),
        military_cues=frozenset(military_cues),
        diplomatic_cues=frozenset(diplomatic_cues),
        finder=StartFinder(prefixes),
        prefixed_only=frozenset(i for i, t in enumerate(ordered) if t.prefixed_only),
        prefix_ids=tuple(t.prefix_ids for t in ordered),
        triggers=triggers,
    )


def _required_literals(ordered: tuple[EventType, ...]) -> list[tuple[int, list[str]]]:
    """Per pattern tried at its prefixes' starts (by its prefix id), strings one of which
    each of its matches contains: where none occurs at or after a start, no try there."""
    tried = [
        (pattern_id, pattern.pattern)
        for event_type in ordered
        for (pattern, _, _), pattern_id in zip(
            event_type.patterns, event_type.pattern_ids, strict=True
        )
    ]
    tried += [(t.preceded_id, t.preceded[0].pattern) for t in ordered if t.preceded is not None]
    return [
        (pattern_id, sorted(strings))
        for pattern_id, source in tried
        if pattern_id >= 0 and (strings := required_literals(source)) is not None
    ]


def _type_gates(event_type: EventType) -> dict[str, object]:
    """What the compiled gates need of a type to tell whether it is a candidate."""
    return {
        "context": event_type.context,
        "excluded": sorted(event_type.excluded),
        "excluded_unless": sorted(event_type.excluded_unless),
        "requires": list(event_type.requires),
        "prefixed_only": event_type.prefixed_only,
        "prefix_ids": sorted(event_type.prefix_ids),
    }


def _type_triggers(event_type: EventType, ordered: tuple[EventType, ...]) -> dict[str, object]:
    """What the compiled triggers need of a type to find its first real trigger."""
    preceded = event_type.preceded
    return {
        "patterns": [
            (pattern.pattern, pattern_id, list(leads), guard)
            for (pattern, leads, guard), pattern_id in zip(
                event_type.patterns, event_type.pattern_ids, strict=True
            )
        ],
        "preceded": None
        if preceded is None
        else (preceded[0].pattern, sorted(preceded[1]), preceded[2], event_type.preceded_id),
        "has_capitals": event_type.has_capitals,
        "is_verbal": event_type.is_verbal,
        "unless": [i for i, other in enumerate(ordered) if other.name in event_type.unless],
    }


def _python_classes() -> dict[str, list[tuple[int, int]]]:
    """The code points of ``re``'s ``\\w``, ``\\d`` and ``\\s`` and of ``str.isupper``, as
    ranges: the compiled triggers test characters exactly as Python does."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    classes = {
        name: [(m.start(), m.end() - 1) for m in re.finditer(pattern, every)]
        for name, pattern in (("word", r"\w+"), ("digit", r"\d+"), ("space", r"\s+"))
    }
    upper: list[tuple[int, int]] = []
    for code in (i for i, c in enumerate(every) if c.isupper()):
        if upper and upper[-1][1] == code - 1:
            upper[-1] = (upper[-1][0], code)
        else:
            upper.append((code, code))
    classes["upper"] = upper
    return classes


def _event_type(
    name: str,
    spec: dict[str, object],
    macros: dict[str, str],
    prefixes: list[tuple[int, frozenset[str]]],
) -> EventType:
    """Compile one type; the literal prefixes of its patterns are appended to ``prefixes``."""
    patterns = spec["patterns"]
    assert isinstance(patterns, list)
    # A pattern is a string, or {"p": pattern, "context": field} when only that pattern
    # needs the sentence's cue words ('sat down with' is a meeting among diplomats only).
    guarded = [(p, None) if isinstance(p, str) else (p["p"], p["context"]) for p in patterns]
    sources = [_expand(str(p), macros) for p, _ in guarded]
    code = str(spec["cameo"])
    acled = spec["acled"]
    plover = spec["plover"]
    assert isinstance(plover, list)
    unless = spec.get("unless", [])
    assert isinstance(unless, list)
    requires = spec.get("requires", [])
    assert isinstance(requires, list)
    excluded = spec.get("exclude", [])
    assert isinstance(excluded, list)
    excluded_unless = spec.get("exclude_unless", [])
    assert isinstance(excluded_unless, list)
    preceded = _preceded(spec.get("preceded"))
    return EventType(
        name=name,
        acled=(str(acled[0]), str(acled[1])) if isinstance(acled, list) else None,
        cameo=(code, CAMEO_NAMES[code], quad_class(code)),
        plover=(str(plover[0]), None if plover[1] is None else str(plover[1])),
        context=None if spec["context"] is None else str(spec["context"]),
        patterns=tuple(
            (
                re.compile(_strip_boundary(source)),
                _lead_words(_strip_boundary(source)),
                None if guard is None else str(guard),
            )
            for source, (_, guard) in zip(sources, guarded, strict=True)
        ),
        preceded=preceded,
        unless=frozenset(str(u) for u in unless),
        has_capitals=any("(?P<cap" in source for source in sources),
        requires=tuple(str(r) for r in requires),
        excluded=frozenset(_with_suffixes(str(e) for e in excluded)),
        excluded_unless=frozenset(_with_suffixes(str(e) for e in excluded_unless)),
        pattern_ids=tuple(_prefix_id(_strip_boundary(s), prefixes) for s in sources),
        preceded_id=-1 if preceded is None else _prefix_id(preceded[0].pattern, prefixes),
    )


def _prefix_id(source: str, prefixes: list[tuple[int, frozenset[str]]]) -> int:
    found = literal_prefixes(source)
    if found is None:
        return -1
    prefixes.append((len(prefixes), found))
    return len(prefixes) - 1


def _preceded(spec: object) -> tuple[re.Pattern[str], frozenset[str], int] | None:
    if not isinstance(spec, dict):
        return None
    return re.compile(str(spec["pattern"])), frozenset(spec["words"]), int(spec["window"])


_LEAD_RE = re.compile(r"[a-z][a-z'-]*")


def _lead_words(source: str) -> tuple[str, ...]:
    """Words one of which must occur for the pattern to match ('strike' for 'strikes?\\s+on');
    empty when the pattern does not start with plain words (then it is always tried)."""
    if source.startswith("(?:"):
        end = source.find(")")
        alternatives = source[3:end].split("|")
        if "(" in source[3:end]:
            return ()
    else:
        alternatives = [source]
    leads = []
    for alternative in alternatives:
        match = _LEAD_RE.match(alternative)
        if match is None:
            return ()
        word = match.group()
        # 'strikes?' -> 'strike': the optional last letter is not required
        rest = alternative[match.end() :]
        leads.append(word[:-1] if rest.startswith(("?", "*", "{0")) else word)
    return (
        tuple(lead for lead in leads if len(lead) >= 2) if all(len(x) >= 2 for x in leads) else ()
    )


def _strip_boundary(source: str) -> str:
    return source[2:] if source.startswith("\\b") else source


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for key in sorted(macros, key=len, reverse=True):
        pattern = pattern.replace("{" + key + "}", macros[key])
    return pattern


def _with_suffixes(words: Iterable[str]) -> list[str]:
    return [word + suffix for word in words for suffix in _TOKEN_SUFFIXES]


CATALOGUE = load_catalogue()


# An event of a sentence before it is placed in an article: its type, trigger and roles.
EventTemplate = tuple[EventType, str, str | None, str | None, str | None, tuple[str, ...]]
# Sentences recur (wire copy, reprints enriched before dedup, boilerplate): what depends only
# on a sentence (and the entity mentions in it) is looked up instead of recomputed.
_CACHE_SIZE = 4096


def extract_events(article: Article) -> Article:
    """Fill ``article.events`` with the events reported in the article's sentences: the
    triggers of each sentence, then all the events, roles and codes, in one compiled call
    (:func:`extract_events_by_rows` codes them in Python). The coder reads the compiled
    triggers' rows as they are (:func:`extract_events_by_types` gives it event types)."""
    triggers = CATALOGUE.triggers
    if triggers is None:
        return extract_events_by_types(article)
    sentences = article_sentences(article)
    rows = triggers.find_all([s.text for s in sentences])
    article.events = (
        _CODER.events_of_rows(sentences, rows, article.entities, _reference_triggers)
        if rows
        else []
    )
    return article


def extract_events_by_types(article: Article) -> Article:
    """:func:`extract_events` with the coder given each trigger's event type and span
    (:func:`_sentences_with_triggers`): the reference of the coding from rows."""
    with_events = _sentences_with_triggers(article_sentences(article))
    article.events = _CODER.events(with_events, article.entities) if with_events else []
    return article


def _reference_triggers(text: str) -> list[tuple[int, int, int]]:
    """(type index, start, end) of the triggers of :func:`_sentence_types_reference`, as
    ``EventTriggers.find`` gives them: the rows the compiled triggers leave to Python."""
    index = _TYPE_INDEX
    found = _sentence_types_reference(text, CATALOGUE)
    return [(index[t.name], start, end) for t, (start, end) in found]


def extract_events_by_rows(article: Article) -> Article:
    """:func:`extract_events` with each event built in Python from the roles of
    :func:`event_roles`: the reference of the compiled coding."""
    events: list[Event] = []
    with_events = _sentences_with_triggers(article_sentences(article))
    if with_events:
        options = _ROLE_OPTIONS
        triggers = [
            [(start, end, options[t.name]) for t, (start, end) in found] for _, found in with_events
        ]
        texts = [sentence.text for sentence, _ in with_events]
        rows = event_roles(texts, triggers, article.entities)
        for (sentence, found), row in zip(with_events, rows, strict=True):
            for (event_type, _), roles in zip(found, row, strict=True):
                events.append(_coded_event(event_type, roles, sentence))
    article.events = events
    return article


def _sentences_with_triggers(
    sentences: list[Sentence],
) -> list[tuple[Sentence, tuple[tuple[EventType, tuple[int, int]], ...]]]:
    """The sentences that report an event, with their :func:`_triggered_types`: the compiled
    triggers scan all of them in one call (the Python reference where they cannot tell)."""
    triggers = CATALOGUE.triggers
    if triggers is None:
        return [(s, found) for s in sentences if (found := _triggered_types(s.text))]
    ordered = CATALOGUE.ordered
    with_events = []
    for index, row in triggers.find_all([s.text for s in sentences]):
        sentence = sentences[index]
        if row is None:
            found = tuple(_sentence_types_reference(sentence.text, CATALOGUE))
        else:
            found = tuple([(ordered[t], (start, end)) for t, start, end in row])
        if found:
            with_events.append((sentence, found))
    return with_events


def extract_events_reference(article: Article) -> Article:
    """:func:`extract_events` with each sentence's parties and roles found in Python (the
    per-sentence templates): the reference of the one-call roles."""
    events: list[Event] = []
    sentences = article_sentences(article)
    with_events = [s for s in sentences if _triggered_types(s.text)]
    if with_events:
        names = article_names(article.entities)
        hits = sentence_surfaces(names, [s.text for s in with_events])
        for sentence, row in zip(with_events, hits, strict=True):
            for template in _sentence_templates(party_key(sentence.text, names, row)):
                events.append(_placed_event(template, sentence))
    article.events = events
    return article


@lru_cache(maxsize=2 * _CACHE_SIZE)
def _triggered_types(text: str) -> tuple[tuple[EventType, tuple[int, int]], ...]:
    """:func:`_sentence_types` of the catalogue, remembered by sentence."""
    return tuple(_sentence_types(text, CATALOGUE))


@lru_cache(maxsize=_CACHE_SIZE)
def _sentence_templates(key: PartyKey) -> tuple[EventTemplate, ...]:
    """The events of a sentence (the first item of ``key``), ready to be placed."""
    text = key[0]
    context = parties_of(key)
    templates: list[EventTemplate] = []
    for event_type, span in _triggered_types(text):
        roles = _roles(event_type, span, context)
        weapons = tuple(roles.weapons) if _has_weapons(event_type) else ()
        trigger = text[span[0] : span[1]].strip()
        templates.append((event_type, trigger, roles.actor, roles.target, roles.location, weapons))
    return tuple(templates)


def _placed_event(template: EventTemplate, sentence: Sentence) -> Event:
    event_type, trigger, actor, target, location, weapons = template
    return _coded_event(event_type, (trigger, actor, target, location, list(weapons)), sentence)


def _coded_event(event_type: EventType, roles: EventRoles, sentence: Sentence) -> Event:
    """The event of ``event_type`` in ``sentence``, with its roles."""
    trigger, actor, target, location, weapons = roles
    acled, cameo, plover = event_type.codes
    return Event(
        type=event_type.name,
        sentence=sentence.index,
        text=sentence.text,
        trigger=trigger,
        acled=acled,
        cameo=cameo,
        plover=plover,
        actor=actor,
        target=target,
        location=location,
        weapons=weapons,
    )


class SentenceScan:
    """What the filters need to know about one sentence; the costly parts on first use."""

    __slots__ = (
        "text",
        "lowered",
        "_tokens",
        "_background",
        "_attributed_from",
        "_starts",
        "_finder",
        "_cues",
        "_catalogue",
    )

    def __init__(
        self,
        text: str,
        lowered: str,
        catalogue: Catalogue,
    ) -> None:
        self.text = text
        self.lowered = lowered
        self._tokens: list[str] | None = None
        self._background: bool | None = None
        self._attributed_from: int | None = None
        self._starts: dict[int, list[int]] | None = None
        self._finder = catalogue.finder
        self._cues: tuple[bool, bool] | None = None
        self._catalogue = catalogue

    @property
    def tokens(self) -> list[str]:
        """The lower-cased sentence split at white space."""
        if self._tokens is None:
            self._tokens = self.lowered.split()
        return self._tokens

    @property
    def cues(self) -> tuple[bool, bool]:
        """Whether the sentence has a military cue word, and a diplomatic one."""
        if self._cues is None:
            tokens = self.tokens
            self._cues = (
                not self._catalogue.military_cues.isdisjoint(tokens),
                not self._catalogue.diplomatic_cues.isdisjoint(tokens),
            )
        return self._cues

    @property
    def starts(self) -> dict[int, list[int]]:
        """Pattern id -> where the pattern can start in the sentence."""
        if self._starts is None:
            self._starts = self._finder.starts(self.lowered)
        return self._starts

    @property
    def background(self) -> bool:
        """Whether the sentence is background ('the war began in 2022')."""
        if self._background is None:
            lowered = self.lowered
            maybe = any(hint in lowered for hint in _BACKGROUND_HINTS)
            maybe = maybe or not _BACKGROUND_TOKEN_HINTS.isdisjoint(self.tokens)
            self._background = maybe and _BACKGROUND_RE.search(lowered) is not None
        return self._background

    @property
    def attributed_from(self) -> int:
        """Where a claim starts ('accused Ukraine of ...'), or the sentence length."""
        if self._attributed_from is None:
            attribution = _ATTRIBUTION_RE.search(self.lowered)
            self._attributed_from = attribution.start() if attribution else len(self.lowered)
        return self._attributed_from


def sentence_events(
    sentence: Sentence,
    entities: list[Entity],
    catalogue: Catalogue = CATALOGUE,
    names: ArticleNames | None = None,
) -> list[Event]:
    """The events of one sentence, at most one per type, in catalogue order."""
    found = _sentence_types(sentence.text, catalogue)
    if not found:
        return []
    context = sentence_parties(sentence.text, entities, names)
    return [_event(t, span, sentence, context) for t, span in found]


def _sentence_types(text: str, catalogue: Catalogue) -> list[tuple[EventType, tuple[int, int]]]:
    """The types whose trigger the sentence reports, with the trigger span, in catalogue order.

    The compiled triggers do it in one call (the Python reference,
    :func:`_sentence_types_reference`, where they cannot tell)."""
    if catalogue.triggers is None:
        return _sentence_types_reference(text, catalogue)
    found = catalogue.triggers.find(text, text.lower())
    if found is None:
        return _sentence_types_reference(text, catalogue)
    ordered = catalogue.ordered
    return [(ordered[index], (start, end)) for index, start, end in found]


def _sentence_types_reference(
    text: str, catalogue: Catalogue
) -> list[tuple[EventType, tuple[int, int]]]:
    """:func:`_sentence_types` in Python: the reference of the compiled triggers."""
    lowered = text.lower()
    scan = SentenceScan(text, lowered, catalogue)
    candidates = _candidate_types(scan, catalogue)
    if not candidates:
        return []
    return _matched_types(candidates, scan, catalogue)


def _candidate_types(scan: SentenceScan, catalogue: Catalogue) -> list[int]:
    """The types (indices) anchored by a word of the sentence whose patterns can start in it
    and whose context the sentence has, in catalogue order."""
    hits = catalogue.anchors.intersection(scan.tokens)
    if not hits:
        return []
    merged: set[int] = set()
    for word in hits:
        merged.update(catalogue.by_anchor[word])
    prefix_ids = catalogue.prefix_ids
    candidates: list[int] = []
    for index in sorted(merged):
        if index in catalogue.prefixed_only and prefix_ids[index].isdisjoint(scan.starts):
            continue  # none of its patterns can start anywhere in the sentence
        if _has_context(catalogue.ordered[index], scan):
            candidates.append(index)
    return candidates


def _matched_types(
    candidates: list[int], scan: SentenceScan, catalogue: Catalogue
) -> list[tuple[EventType, tuple[int, int]]]:
    """The candidate types with a real trigger match, and its span; a type that another
    found type rules out (``unless``) is dropped."""
    found: list[tuple[EventType, tuple[int, int]]] = []
    ordered = catalogue.ordered
    for index in candidates:
        event_type = ordered[index]
        match = _first_real_match(event_type, scan)
        if match is not None:
            found.append((event_type, match))
    if len(found) > 1:
        names = {t.name for t, _ in found}
        found = [(t, m) for t, m in found if t.unless.isdisjoint(names)]
    return found


def _has_context(event_type: EventType, scan: SentenceScan) -> bool:
    """The sentence has the type's cue words, a required phrase and none of its excluded words
    ('stocks rallied' is no protest, 'shot down rumours' no interception) unless one of the
    words that lift the exclusion is there too."""
    tokens = scan.tokens
    if (
        event_type.excluded
        and not event_type.excluded.isdisjoint(tokens)
        and event_type.excluded_unless.isdisjoint(tokens)
    ):
        return False
    if event_type.requires and not any(map(scan.lowered.__contains__, event_type.requires)):
        return False
    return _context_ok(event_type.context, scan)


def _context_ok(context: str | None, scan: SentenceScan) -> bool:
    """The sentence has a cue word of the field (military, diplomatic or either: conflict)."""
    if context is None:
        return True
    military, diplomatic = scan.cues
    if context == "military":
        return military
    if context == "diplomatic":
        return diplomatic
    if context == "conflict":
        return military or diplomatic
    return True


def _first_real_match(event_type: EventType, scan: SentenceScan) -> tuple[int, int] | None:
    """The first trigger that is a reported event (not hypothetical, attributed or background).

    Patterns run on the lower-cased sentence; a ``(?P<cap>...)`` group must be capitalised
    in the original text (a proper name)."""
    lowered = scan.lowered
    possible = scan.starts
    for (pattern, leads, guard), pattern_id in zip(
        event_type.patterns, event_type.pattern_ids, strict=True
    ):
        matches: Iterable[re.Match[str]]
        if pattern_id >= 0:
            starts = possible.get(pattern_id)
            if starts is None:
                continue
            matches = matches_at(pattern, lowered, starts)
        else:
            if leads:
                for lead in leads:
                    if lead in lowered:
                        break
                else:
                    continue
            matches = pattern.finditer(lowered)
        if guard is not None and not _context_ok(guard, scan):
            continue
        for match in matches:
            if _is_real(event_type, match, scan):
                return match.span()
    if event_type.preceded is not None:
        return _preceded_match(event_type, scan)
    return None


def _preceded_match(event_type: EventType, scan: SentenceScan) -> tuple[int, int] | None:
    """A weapon noun with an attack word among the words before it ('struck ... by drones')."""
    assert event_type.preceded is not None
    pattern, words, window = event_type.preceded
    if event_type.preceded_id < 0:
        matches: Iterable[re.Match[str]] = pattern.finditer(scan.lowered)
    else:
        matches = matches_at(pattern, scan.lowered, scan.starts.get(event_type.preceded_id, []))
    for match in matches:
        reach = max(0, match.start() - _PRECEDED_CHARS_PER_WORD * window)
        before = scan.lowered[reach : match.start()]
        for word in reversed(before.split()[-window:]):
            if word.strip(",.;:") in words:
                start = before.rindex(word) + reach
                if _is_real(event_type, start, scan):
                    return start, match.end()
                break
    return None


def _is_real(event_type: EventType, match: re.Match[str] | int, scan: SentenceScan) -> bool:
    start = match if isinstance(match, int) else match.start()
    if start > 0 and (scan.lowered[start - 1].isalnum() or scan.lowered[start - 1] == "_"):
        return False
    if (
        event_type.has_capitals
        and not isinstance(match, int)
        and not _capitals_ok(match, scan.text)
    ):
        return False
    if event_type.is_verbal:
        return True
    if not isinstance(match, int) and _SPAN_MODAL_RE.search(scan.lowered, start, match.end()):
        return False  # 'missiles were ready to strike': modal inside the trigger
    return not _is_unreal(scan, start)


def _capitals_ok(match: re.Match[str], text: str) -> bool:
    start = match.start("cap") if "cap" in match.re.groupindex else -1
    return start < 0 or match.group("cap") is None or text[start].isupper()


def _is_unreal(scan: SentenceScan, start: int) -> bool:
    """Background sentence, claim ('accused X of ...') or modal/future wording before it."""
    if scan.background or scan.attributed_from < start:
        return True
    words = scan.lowered[max(0, start - _MODAL_WINDOW) : start].split()[-_MODAL_WORDS_KEPT:]
    if not _MODAL_WORDS.isdisjoint(words[-_MODAL_WORDS_CHECKED:]):
        return True
    return _MODAL_PHRASE_RE.search(" ".join(words)) is not None


def _event(
    event_type: EventType,
    span: tuple[int, int],
    sentence: Sentence,
    context: SentenceParties,
) -> Event:
    roles = _roles(event_type, span, context)
    acled, cameo, plover = event_type.codes
    return Event(
        type=event_type.name,
        sentence=sentence.index,
        text=sentence.text,
        trigger=sentence.text[span[0] : span[1]].strip(),
        acled=acled,
        cameo=cameo,
        plover=plover,
        actor=roles.actor,
        target=roles.target,
        location=roles.location,
        weapons=roles.weapons if _has_weapons(event_type) else [],
    )


def _roles(event_type: EventType, span: tuple[int, int], context: SentenceParties) -> Roles:
    return resolve_roles(
        context,
        span,
        prefer_people=_prefers_people(event_type),
        inside_is_actor=_inside_is_actor(event_type),
    )


def _prefers_people(event_type: EventType) -> bool:
    """Verbal and diplomatic events name people as actor and target; force names countries."""
    return event_type.cameo[2] in (1, 3) or event_type.plover[0] in _PEOPLE_CATEGORIES


def _inside_is_actor(event_type: EventType) -> bool:
    """A party inside an assault's trigger ('Russian missiles') is its actor, else its target."""
    return event_type.plover[0] == "ASSAULT"


def _has_weapons(event_type: EventType) -> bool:
    return event_type.cameo[2] == 4 or event_type.name in _ARMS_TYPES


def _role_options(event_type: EventType) -> int:
    """The options of the type's triggers (``events_roles.Trigger``)."""
    return (
        PREFER_PEOPLE * _prefers_people(event_type)
        | INSIDE_IS_ACTOR * _inside_is_actor(event_type)
        | WITH_WEAPONS * _has_weapons(event_type)
    )


# Type name -> the options of its triggers.
_ROLE_OPTIONS = {t.name: _role_options(t) for t in CATALOGUE.ordered}
# Type name -> its index in the catalogue's table.
_TYPE_INDEX = {t.name: i for i, t in enumerate(CATALOGUE.ordered)}


# The events of an article in one call: the catalogue's types with their codes and options.
_CODER = EventCoder(
    parties=EVENT_PARTIES,
    types=[(t, t.name, *t.codes, _ROLE_OPTIONS[t.name]) for t in CATALOGUE.ordered],
    event_class=Event,
    fallback=event_roles_fallback,
)
