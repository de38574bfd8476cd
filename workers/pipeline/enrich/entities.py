"""The ``extract_entities`` stage: people, organisations, places and weapons named in an article."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workers import _native
from workers.pipeline.article import Article, Entity, Person, Place, Weapon
from workers.pipeline.enrich._data import compact, fold
from workers.pipeline.enrich.collect import Collector
from workers.pipeline.enrich.context import (
    _LOCATIVE_PAIRS,
    _LOCATIVE_WORDS,
    _PUNCT_BEFORE,
    AREA_SUFFIX_RE,
    FACILITY_SUFFIX_RE,
    LOCALITY_AFTER_PREFIXES,
    LOCALITY_AFTER_RE,
    LOCALITY_LAST_WORDS,
    LOCALITY_WINDOW,
    PLACE_AFTER_RE,
    SUFFIX_RE,
    WEAPON_CUE_RE,
    has_weapon_cue,
    in_before,
    locality_cue_before,
    locality_may_end,
    locative_before,
)
from workers.pipeline.enrich.gazetteer import (
    SOURCE_CITY,
    SOURCE_COUNTRY,
    SOURCE_CURATED,
    Gazetteer,
    PlaceEntry,
    load_gazetteer,
)
from workers.pipeline.enrich.lexicon import (
    Lexicon,
    OrgEntry,
    PersonEntry,
    WeaponEntry,
    load_lexicon,
)
from workers.pipeline.enrich.orgs import _GATE as _INSTITUTION_GATE
from workers.pipeline.enrich.orgs import _country_starts, add_institutions, add_org
from workers.pipeline.enrich.people import (
    MAX_NAME_TOKENS,
    NAME_RE,
    NOT_NAME,
    TITLE_WINDOW,
    _person_starts,
    all_name_tokens,
    context_cue,
    curated_person,
    is_former,
    is_name_token,
    lower_title_before,
    name_length,
    person_key,
    person_record,
    title_at,
    title_ends,
    title_may_end_before,
)
from workers.pipeline.enrich.places import (
    AMBIGUOUS_NAMES,
    FIRST_NAME_COUNTRIES,
    CountryContext,
    PlaceMention,
    area_entry,
    build_context,
    choose,
    needs_locative,
    place_key,
    place_record,
    place_resolver,
)
from workers.pipeline.enrich.spans import _SCANNER, CONNECTORS, Token, capitalised_runs
from workers.pipeline.enrich.weapons import (
    _NOT_DESIGNATOR,
    DESIGNATOR_RE,
    Generic,
    add_generic_weapons,
    cued_designator,
    designator_weapon,
    weapon_record,
)

MAX_SPAN_TOKENS = 6
# Per-word and per-span decisions that depend only on the text and the (process-wide) indexes,
# memoised across articles; cleared when they grow past this size so memory stays flat.
_CACHE_LIMIT = 100_000
_WORD_KIND: dict[str, int] = {}
_DESIGNATOR_SHAPED: dict[str, bool] = {}
_INERT, _LIVE, _TITLED = 0, 1, 2
_KNOWN: dict[str, bool] = {}
_LIMIT: dict[str, int] = {}
_Resolved = tuple[bool, PersonEntry | None, OrgEntry | None, WeaponEntry | None]
_RESOLVED: dict[str, _Resolved] = {}
_CACHE_OWNER: list[tuple[Lexicon, Gazetteer]] = []
# Per word, for one-word runs: (inert, may start a span, known name, demonym's country,
# designator-shaped, candidate places when it names places only, name-like, whether those
# places need the locative test); connectors get a plan of their own (they are skipped).
_Plan = tuple[bool, bool, bool, str | None, bool, list[tuple[PlaceEntry, bool]] | None, bool, bool]
_SINGLE: dict[str, _Plan] = {}
_CONNECTOR_PLAN: _Plan = (True, False, False, None, False, None, False, False)
# First two folded words of every multi-word index key, and every prefix of every compact
# weapon key (see ``_Walk.pair_may_start``); built once per (lexicon, gazetteer).
_PAIR_PREFIXES: list[tuple[frozenset[str], frozenset[str]]] = []

# ``_Walk.name_gates`` bits: a title / a locality cue may end right before an unknown name.
TITLE_GATE, LOCALITY_GATE = 1, 2
_NAME_GATES: list[_native.NameContextGates] = []
# The most words of a name ``_Walk.localities`` reads as a locality.
LOCALITY_MAX_TOKENS = 4
_LOCALITY_GATE = _native.LocalityGate(
    after_prefixes=list(LOCALITY_AFTER_PREFIXES),
    locality_bit=LOCALITY_GATE,
    max_tokens=LOCALITY_MAX_TOKENS,
)

__all__ = ["extract_entities", "find_entities"]


@dataclass(slots=True)
class _Walk:
    """State of one pass over an article's capitalised runs."""

    text: str
    lexicon: Lexicon
    gazetteer: Gazetteer
    collector: Collector = field(default_factory=Collector)
    context: CountryContext = field(default_factory=CountryContext)
    places: list[PlaceMention] = field(default_factory=list)
    unknown: list[list[Token]] = field(default_factory=list)
    # Unknown one-word runs that cannot be part of a name: only a surname could claim them.
    strays: list[Token] = field(default_factory=list)
    stated_roles: set[tuple[str, str]] = field(default_factory=set)
    after_given: bool = False
    # Where each named weapon's mention ends (``add_generic_weapons`` skips phrases after one).
    weapon_ends: set[int] = field(default_factory=set)
    # Records per country code among the located places (``main_country``), once counted.
    country_counts: dict[str, int] | None = None

    # -- people ---------------------------------------------------------------------------
    def add_person(
        self,
        name: str,
        role: str | None,
        country: str | None,
        surface: str,
        start: int,
        end: int,
        curated: PersonEntry | None = None,
    ) -> None:
        key = person_key(name)
        stated = role is not None
        if curated is not None:
            role = role or curated.role
            country = country or curated.country
        # ``Collector.add`` keeps the first record for a key: build one only for a new key.
        record = self.collector.records.get(key)
        if record is None:
            record = person_record(name, role, country)
        record = self.collector.add(key, record, surface, start, end)
        assert isinstance(record, Person)
        if stated and key not in self.stated_roles:
            record.role = role
            self.stated_roles.add(key)
        record.country = record.country or country
        if country:
            self.context.weak.add(country)

    def nationality(self, token: Token) -> str | None:
        key = fold(token.text)
        return self.gazetteer.demonyms.get(key) or self.gazetteer.country_keys.get(key)

    def titled_person(self, tokens: list[Token], i: int) -> int:
        """Handle "[Nationality] Title Name" at token ``i``; returns tokens consumed (0 = none)."""
        country = None
        start_title = i
        if tokens[i].key not in self.lexicon.starts and tokens[i].key not in self.gazetteer.starts:
            return 0
        title = title_at(self.lexicon, tokens, i)
        if title is None and i + 1 < len(tokens):
            country = self.nationality(tokens[i])
            if country is not None:
                start_title = i + 1
                title = title_at(self.lexicon, tokens, i + 1)
        if title is None:
            return 0
        if country is None and start_title > 0:
            country = self.nationality(tokens[start_title - 1])
        k = start_title + title.length
        found = curated_person(self.lexicon, tokens, k, MAX_NAME_TOKENS)
        length = found[1] if found else name_length(tokens, k)
        if length == 0:
            return 0
        first, last = tokens[k], tokens[k + length - 1]
        if found is None and LOCALITY_AFTER_RE.match(self.text, last.end) is not None:
            return 0
        role = title.role
        if role and is_former(self.text, tokens[start_title].start):
            role = f"former {role}"
        if found:
            self.add_person(
                found[0].name,
                role,
                country,
                self.text[first.start : last.end],
                first.start,
                last.end,
                found[0],
            )
        else:
            name = " ".join(t.text for t in tokens[k : k + length])
            self.add_person(
                name, role, country, self.text[first.start : last.end], first.start, last.end
            )
        return k + length - i

    # -- generic span matching ------------------------------------------------------------
    def span_limit(self, token: Token) -> int:
        """How many tokens a known name starting with this token can span (0 = none starts so)."""
        key = token.key
        limit = max(self.lexicon.starts.get(key, 0), self.gazetteer.starts.get(key, 0))
        if not limit and key.endswith("s"):
            limit = self.lexicon.starts.get(key[:-1], 0)
        return min(limit, MAX_SPAN_TOKENS)

    def match_span(self, tokens: list[Token], i: int) -> int:
        """Longest known entity starting at token ``i``; returns tokens consumed (0 = none)."""
        first = tokens[i]
        limit = _LIMIT.get(first.key)
        if limit is None:
            if len(_LIMIT) >= _CACHE_LIMIT:
                _LIMIT.clear()
            limit = _LIMIT[first.key] = self.span_limit(first)
        if not limit:
            return 0
        size = len(tokens)
        top = min(size, i + limit)
        # Index of the first possessive token in the window (a span may only end on one).
        possessive = top
        for k in range(i, top):
            if tokens[k].possessive:
                possessive = k
                break
        text, start, known = self.text, first.start, _KNOWN
        # When no known name opens with the first two words, a longer span is not known: it
        # can only match run-final before a suffix.
        longer = top <= i + 1 or possessive == i or self.pair_may_start(first, tokens[i + 1])
        for j in range(top, i, -1):
            last = tokens[j - 1]
            if last.text in CONNECTORS or possessive < j - 1:
                continue
            if not longer and j > i + 1:
                if j != size or SUFFIX_RE.match(text, last.end) is None:
                    continue
            elif not last.possessive:
                # Cheap rejection: an unknown span matches only when run-final before a suffix.
                surface = text[start : last.end]
                found = known.get(surface)
                if found is None:
                    found = self.known(surface)
                if not found and (j != size or SUFFIX_RE.match(text, last.end) is None):
                    continue
            if self.match_exact(tokens, i, j):
                return j - i
        return 0

    def pair_may_start(self, first: Token, second: Token) -> bool:
        """False only when no name ``known`` accepts can open with these two words.

        The fold of a span opening with two tokens separated by one space starts with
        "<first key> <second key>"; its compact form starts with their compact forms joined.
        """
        if (
            second.start - first.end != 1
            or self.text[first.end] != " "
            or " " in first.key
            or " " in second.key
        ):
            return True
        if not _PAIR_PREFIXES:
            _PAIR_PREFIXES.append(_pair_prefixes(self.lexicon, self.gazetteer))
        folded, weapon_prefixes = _PAIR_PREFIXES[0]
        if f"{first.key} {second.key}" in folded:
            return True
        joined = compact(first.text) + compact(second.text)
        return joined in weapon_prefixes or joined[:-1] in weapon_prefixes

    def match_exact(self, tokens: list[Token], i: int, j: int) -> bool:
        start, end = tokens[i].start, tokens[j - 1].end
        surface = (
            self.text[start:end]
            if not tokens[j - 1].possessive
            else " ".join(t.text for t in tokens[i:j])
        )
        resolved = _RESOLVED.get(surface)
        if resolved is None:
            resolved = self.resolve(surface)
        known, person, org, weapon = resolved
        if not known and (j != len(tokens) or not self.suffix_follows(end)):
            return False
        if person is not None and not self.followed_by_name(tokens, j, single=j - i == 1):
            self.add_person(person.name, None, None, surface, start, end, person)
            return True
        if org is not None:
            self.add_org_entry(org, surface, start, end)
            return True
        if weapon is not None and (not weapon.needs_cue or has_weapon_cue(self.text, start, end)):
            self.add_weapon_entry(weapon, surface, start, end)
            return True
        return self.match_place(tokens, i, j, surface)

    def add_org_entry(self, org: OrgEntry, surface: str, start: int, end: int) -> None:
        add_org(self.collector, org, surface, start, end)
        if org.country:
            self.context.weak.add(org.country)

    def add_weapon_entry(self, weapon: WeaponEntry, surface: str, start: int, end: int) -> None:
        key = ("weapon", weapon.name)
        # ``Collector.add`` keeps the first record for a key: build one only for a new key.
        record = self.collector.records.get(key)
        if record is None:
            record = weapon_record(weapon)
        self.collector.add(key, record, surface, start, end)
        self.weapon_ends.add(end)

    def add_designator_weapon(self, found: Generic, surface: str, start: int, end: int) -> None:
        record = Weapon(found.name, [], found.weapon_type)
        self.collector.add(("weapon", found.name), record, surface, start, end)
        self.weapon_ends.add(end)

    def suffix_follows(self, end: int) -> bool:
        """True when an area or facility word ("region", "dam") follows offset ``end``."""
        return (
            AREA_SUFFIX_RE.match(self.text, end) is not None
            or FACILITY_SUFFIX_RE.match(self.text, end) is not None
        )

    def is_given(self, token: Token) -> bool:
        """A known given name that can start a personal name (and is not possessive)."""
        return not token.possessive and token.key in self.lexicon.given_names

    def resolve(self, surface: str) -> _Resolved:
        """The index entries a span's text names (memoised: they depend on the text alone)."""
        if len(_RESOLVED) >= _CACHE_LIMIT:
            _RESOLVED.clear()
        key = compact(surface)
        weapon = self.lexicon.weapons.get(key)
        if weapon is None and key.endswith("s"):
            weapon = self.lexicon.weapons.get(key[:-1])
        resolved = _RESOLVED[surface] = (
            self.known(surface),
            self.lexicon.people.get(fold(surface)),
            self.lexicon.orgs.get(surface),
            weapon,
        )
        return resolved

    def known(self, surface: str) -> bool:
        """Cheap test: could any index name ``surface`` (people, orgs, weapons, places)?"""
        found = _KNOWN.get(surface)
        if found is None:
            if len(_KNOWN) >= _CACHE_LIMIT:
                _KNOWN.clear()
            found = _KNOWN[surface] = self.known_uncached(surface)
        return found

    def known_uncached(self, surface: str) -> bool:
        key = fold(surface)
        if key in self.lexicon.people or key in self.lexicon.orgs_folded:
            return True
        if key in self.gazetteer.index:
            return True
        weapon = compact(surface)
        return weapon in self.lexicon.weapons or weapon[:-1] in self.lexicon.weapons

    def followed_by_name(self, tokens: list[Token], j: int, single: bool) -> bool:
        """True when an unknown name-like word follows (so the span is part of a longer name)."""
        if not single or j >= len(tokens) or tokens[j - 1].possessive:
            return False
        nxt = tokens[j]
        if not is_name_token(nxt) or title_at(self.lexicon, tokens, j) is not None:
            return False
        return self.is_unknown(nxt.text)

    def is_unknown(self, word: str) -> bool:
        key = fold(word)
        return (
            key not in self.lexicon.people
            and word not in self.lexicon.orgs
            and key not in self.gazetteer.index
            and key not in self.gazetteer.demonyms
            and key not in self.lexicon.titles
        )

    def match_place(self, tokens: list[Token], i: int, j: int, surface: str) -> bool:
        start, end = tokens[i].start, tokens[j - 1].end
        area = facility = None
        # SUFFIX_RE matches exactly where either suffix does: one test settles the usual "neither".
        if j == len(tokens) and SUFFIX_RE.match(self.text, end) is not None:
            area = AREA_SUFFIX_RE.match(self.text, end)
            facility = FACILITY_SUFFIX_RE.match(self.text, end)
        if facility is not None:
            extended = self.text[start : facility.end()]
            candidates = self.gazetteer.lookup(extended)
            if candidates:
                self.places.append(PlaceMention(extended, start, facility.end(), candidates, True))
                return True
        if area is not None:
            extended = self.text[start : area.end()]
            candidates = self.gazetteer.lookup(extended)
            if candidates:
                self.places.append(PlaceMention(extended, start, area.end(), candidates, True))
                return True
        candidates = self.gazetteer.lookup(surface)
        if not candidates:
            return False
        if self.looks_like_person(tokens, j, candidates):
            return False
        if self.after_given and all(c[0].source == SOURCE_CITY for c in candidates):
            return False
        area_word = area.group(1) if area is not None else None
        if area is not None:
            surface, end = self.text[start : area.end()], area.end()
        locative = needs_locative(surface, candidates) and locative_before(self.text, start)
        self.places.append(PlaceMention(surface, start, end, candidates, locative, area_word))
        return True

    def looks_like_person(
        self, tokens: list[Token], j: int, candidates: list[tuple[PlaceEntry, bool]]
    ) -> bool:
        if not self.followed_by_name(tokens, j, single=True):
            return False
        return _person_shaped(self.gazetteer.lookup(tokens[j - 1].text))

    # -- walking ---------------------------------------------------------------------------
    @staticmethod
    def designator_shaped(text: str) -> bool:
        """True for a model-designator-shaped word ("J-16"), remembered for the walk."""
        shaped = _DESIGNATOR_SHAPED[text] = DESIGNATOR_RE.fullmatch(text) is not None
        return shaped

    def word_kind(self, text: str, key: str) -> int:
        """What a word can start: INERT (nothing), a known name (LIVE) or also a title (TITLED)."""
        lexicon_starts, gazetteer_starts = self.lexicon.starts, self.gazetteer.starts
        folded = fold(text)
        shaped = self.designator_shaped(text)
        if (
            key not in lexicon_starts
            and key not in gazetteer_starts
            and not (key.endswith("s") and lexicon_starts.get(key[:-1], 0))
            and folded not in self.gazetteer.demonyms
            and not shaped
        ):
            return _INERT
        # ``titled_person`` needs a start-word that opens a title or is a nationality.
        if (key in lexicon_starts or key in gazetteer_starts) and (
            self.lexicon.title_starts.get(key, 0)
            or (self.gazetteer.demonyms.get(folded) or self.gazetteer.country_keys.get(folded))
            is not None
        ):
            return _TITLED
        return _LIVE

    def kind_of(self, token: Token) -> int:
        kind = _WORD_KIND.get(token.text)
        if kind is None:
            if len(_WORD_KIND) >= _CACHE_LIMIT:
                _WORD_KIND.clear()
                _DESIGNATOR_SHAPED.clear()
            kind = _WORD_KIND[token.text] = self.word_kind(token.text, token.key)
        return kind

    def single_plan(self, token: Token) -> _Plan:
        """The word-only facts ``walk_single`` needs, looked up once per distinct word."""
        if len(_SINGLE) >= _CACHE_LIMIT:
            _SINGLE.clear()
        text = token.text
        if text in CONNECTORS:
            plan = _SINGLE[text] = _CONNECTOR_PLAN
            return plan
        kind = self.kind_of(token)
        limit = _LIMIT.get(token.key)
        if limit is None:
            if len(_LIMIT) >= _CACHE_LIMIT:
                _LIMIT.clear()
            limit = _LIMIT[token.key] = self.span_limit(token)
        known = limit > 0 and self.known(text)
        places = None
        if known:
            resolved = _RESOLVED.get(text)
            if resolved is None:
                resolved = self.resolve(text)
            if resolved[1] is None and resolved[2] is None and resolved[3] is None:
                places = self.gazetteer.lookup(text) or None
        plan = _SINGLE[text] = (
            kind == _INERT,
            limit > 0,
            known,
            self.gazetteer.demonyms.get(fold(text)),
            DESIGNATOR_RE.fullmatch(text) is not None,
            places,
            is_name_token(token),
            places is not None and needs_locative(text, places),
        )
        return plan

    def walk_single_reference(self, tokens: list[Token]) -> None:
        """``walk_reference`` for a one-word run (most runs): same decisions, without the span
        machinery."""
        token = tokens[0]
        claimed = self.collector.claimed
        if claimed[token.start] or claimed[token.end - 1]:
            return
        plan = _SINGLE.get(token.text)
        if plan is None:
            plan = self.single_plan(token)
        if plan is _CONNECTOR_PLAN:
            return
        inert, spans, known, demonym, shaped, places, _, place_locative = plan
        if not inert:
            self.after_given = False
            if places is not None and SUFFIX_RE.match(self.text, token.end) is None:
                # ``match_exact`` then ``match_place`` for a word that names only places.
                start = token.start
                locative = place_locative and locative_before(self.text, start)
                self.places.append(PlaceMention(token.text, start, token.end, places, locative))
                return
            # ``match_span`` with one token: an unknown word is tried only before a suffix.
            if (
                spans
                and (known or token.possessive or SUFFIX_RE.match(self.text, token.end) is not None)
                and self.match_exact(tokens, 0, 1)
            ):
                return
            if demonym is not None:
                self.context.weak.add(demonym)
                return
            if shaped and self.add_designator(token):
                return
        if plan[6]:
            self.unknown.append(tokens)
        else:
            self.strays.append(token)

    def walk_reference(self, tokens: list[Token]) -> None:
        """Walk one run: the reference for the compiled ``EntityWalker`` (``apply`` below)."""
        if len(tokens) == 1:
            self.walk_single_reference(tokens)
            return
        i = 0
        pending: list[Token] = []
        size = len(tokens)
        claimed = self.collector.claimed
        kinds = _WORD_KIND
        while i < size:
            token = tokens[i]
            if claimed[token.start] or claimed[token.end - 1]:
                i += 1
                continue
            text = token.text
            if not pending and text in CONNECTORS:
                i += 1
                continue
            kind = kinds.get(text)
            if kind is None:
                if len(kinds) >= _CACHE_LIMIT:
                    kinds.clear()
                    _DESIGNATOR_SHAPED.clear()
                kind = kinds[text] = self.word_kind(text, token.key)
            if kind == _INERT:
                # Fast path: neither a title, a known name, a demonym nor a designator starts here.
                pending.append(token)
                if token.possessive:
                    self.flush(pending)
                    pending = []
                i += 1
                continue
            self.after_given = bool(pending) and self.is_given(pending[-1])
            # A title needs a following token, so a run's last token never starts one.
            step = self.titled_person(tokens, i) if kind == _TITLED and i + 1 < size else 0
            step = step or self.match_span(tokens, i)
            if step:
                self.flush(pending)
                pending = []
                i += step
                continue
            code = self.gazetteer.demonyms.get(fold(text))
            if code is not None:
                self.context.weak.add(code)
                self.flush(pending)
                pending = []
            elif self.add_designator(token):
                self.flush(pending)
                pending = []
            else:
                pending.append(token)
                if token.possessive:
                    self.flush(pending)
                    pending = []
            i += 1
        self.flush(pending)

    def apply(self, actions: list[tuple[Any, ...]], entries: _Entries) -> None:
        """Do what the compiled walker decided, in its order (see ``EntityWalker.walk_scanned``;
        it returns its place mentions apart, as ``PlaceMention``s)."""
        weak = self.context.weak
        for action in actions:
            code = action[0]
            if code == _PERSON:
                _, name, role, country, surface, start, end, curated_id = action
                curated = entries.people[curated_id] if curated_id >= 0 else None
                name = curated.name if curated is not None else name
                self.add_person(name, role, country, surface, start, end, curated)
            elif code == _ORG:
                self.add_org_entry(entries.orgs[action[1]], action[2], action[3], action[4])
            elif code == _WEAPON:
                self.add_weapon_entry(entries.weapons[action[1]], action[2], action[3], action[4])
            elif code == _DEMONYM:
                weak.add(action[1])
            else:
                _, found, surface, start, end = action
                self.add_designator_weapon(found, surface, start, end)

    def add_designator(self, token: Token) -> bool:
        """Record an uncatalogued model designator ("J-16") seen in a weapon context."""
        shaped = _DESIGNATOR_SHAPED.get(token.text)
        if shaped is None:
            shaped = self.designator_shaped(token.text)
        if not shaped:
            return False
        found = designator_weapon(self.text, token.text, token.start, token.end)
        if found is None:
            return False
        self.add_designator_weapon(found, token.text, token.start, token.end)
        return True

    def flush(self, pending: list[Token]) -> None:
        while pending and pending[-1].is_connector:
            pending = pending[:-1]
        if pending:
            self.unknown.append(pending)

    # -- second pass: gates on the text before each unknown name -------------------------------
    def name_gates(self) -> bytes:
        """Per unknown group: TITLE_GATE when a title may end right before it
        (``title_may_end_before``), LOCALITY_GATE when a locality cue may (``locality_may_end``)."""
        if not _NAME_GATES:
            _NAME_GATES.append(
                _native.NameContextGates(
                    title_ends=sorted(title_ends(self.lexicon)),
                    title_window=TITLE_WINDOW,
                    locality_words=list(LOCALITY_LAST_WORDS),
                    locality_window=LOCALITY_WINDOW,
                )
            )
        return _NAME_GATES[0].gates(self.text, [group[0].start for group in self.unknown])

    def name_gates_reference(self) -> bytes:
        """``name_gates`` in Python (the compiled gates' reference)."""
        text, ends = self.text, title_ends(self.lexicon)
        return bytes(
            TITLE_GATE * title_may_end_before(ends, text, start)
            + LOCALITY_GATE * locality_may_end(text[max(0, start - LOCALITY_WINDOW) : start])
            for start in (group[0].start for group in self.unknown)
        )

    # -- people from context, surnames ------------------------------------------------------
    def people_from_context(self, gates: bytes | None = None) -> None:
        """People among the unknown groups, by their context (``gates``: ``name_gates``)."""
        if gates is None:
            gates = self.name_gates()
        for index, group in enumerate(self.unknown):
            if len(group) == 1:
                # A lone word is a person only after a lower-case title: test that cheaply first.
                if gates[index] & TITLE_GATE and is_name_token(group[0]):
                    self.person_from_group(group, None, gated=True)
                continue
            parts = _split_and(group)
            if len(parts) == 1:
                # The gate already ran ``lower_title_before``'s first test at the group's start.
                titled = bool(gates[index] & TITLE_GATE)
                self.person_from_group(group, None, titled=titled, gated=titled)
                continue
            whole = (group[0].start, group[-1].end)
            for part in parts:
                self.person_from_group(part, whole)

    def person_from_group(
        self,
        group: list[Token],
        whole: tuple[int, int] | None,
        *,
        titled: bool = True,
        gated: bool = False,
    ) -> None:
        """Accept an unknown capitalised group as a person when its context says so
        (``titled`` False: no title can end right before the group; ``gated``: one may, see
        ``name_gates``)."""
        if len(group) == 1:
            if not is_name_token(group[0]):
                return
        elif len(group) > MAX_NAME_TOKENS or not all_name_tokens(group):
            return
        start, end = group[0].start, group[-1].end
        role = lower_title_before(self.lexicon, self.text, start, gated=gated) if titled else False
        if len(group) == 1 and role is False and whole is None:
            return
        cue, appositive = context_cue(self.text, start, end)
        if not cue and whole is not None:
            cue = context_cue(self.text, *whole)[0]
            if not cue and role is False:
                role = lower_title_before(self.lexicon, self.text, whole[0])
        if len(group) == 1 and role is False:
            return
        if role is False and not cue and not self.given_name_first(group):
            return
        name = " ".join(t.text for t in group)
        stated = role if isinstance(role, str) else appositive
        if stated is not None:
            stated, country = self.split_nationality(stated)
        else:
            country = None
        self.add_person(name, stated, country, name, start, end)

    def given_name_first(self, group: list[Token]) -> bool:
        """True for a two- or three-word name opening with a known given name ("Priya Raman")."""
        return 2 <= len(group) <= 3 and group[0].key in self.lexicon.given_names

    def split_nationality(self, role: str) -> tuple[str | None, str | None]:
        words = role.split()
        country = None
        kept = []
        for word in words:
            code = self.gazetteer.demonyms.get(fold(word))
            if code is not None and country is None:
                country = code
            else:
                kept.append(word)
        return (" ".join(kept) or None), country

    def merge_surnames(self) -> None:
        by_surname: dict[str, tuple[str, str]] = {}
        for key, record in self.collector.records.items():
            if key[0] == "person" and " " in record.name:
                by_surname.setdefault(fold(record.name.split()[-1]), key)
        if not by_surname:
            return
        # Only a word that is some surname can be merged: look that up before anything else
        # (a token's key is the fold of its text).
        for group in self.unknown:
            for token in group:
                if token.key in by_surname:
                    self.add_surname(by_surname, token)
        for token in self.strays:
            if token.key in by_surname:
                self.add_surname(by_surname, token)

    def add_surname(self, by_surname: dict[str, tuple[str, str]], token: Token) -> None:
        found = by_surname.get(token.key)
        if found is None or self.collector.is_claimed(token.start, token.end):
            return
        record = self.collector.records[found]
        self.collector.add(found, record, token.text, token.start, token.end)

    # -- places -----------------------------------------------------------------------------
    def person_words(self) -> set[str]:
        """Folded words of every person name found, so "Graham" is not read as a town."""
        words: set[str] = set()
        for key, record in self.collector.records.items():
            if key[0] == "person":
                words.update(fold(record.name).split())
        return words

    def resolve_places(self) -> None:
        """Each place mention's place in the article's country context, in one compiled call
        (``PlaceResolver.resolve``; ``resolve_places_reference`` is its reference)."""
        if self.places:
            place_resolver(self.gazetteer).resolve(
                self.places, self.context, self.collector, self.person_words()
            )

    def resolve_places_reference(self) -> None:
        """``resolve_places`` as first written (the reference its tests compare with)."""
        build_context(self.places, self.context)
        name_words = self.person_words()
        for mention in self.places:
            if fold(mention.surface) in name_words:
                continue
            entry = self.place_for(mention)
            if entry is None:
                continue
            key = place_key(entry)
            record = self.collector.records.get(key) or place_record(self.gazetteer, entry)
            self.collector.add(key, record, mention.surface, mention.start, mention.end)

    def place_for(self, mention: PlaceMention) -> PlaceEntry | None:
        """The place a mention names in this article's context, or None."""
        entry = choose(mention, self.context)
        if entry is not None and mention.area is not None and entry.kind == "city":
            entry = area_entry(self.gazetteer, mention, entry)
        return entry

    # -- places the gazetteer lacks -----------------------------------------------------------
    def localities(self, gates: bytes | None = None) -> None:
        """Unknown names in place-like contexts ("the village of X", "X, Nigeria") as localities
        (``gates``: ``name_gates``); the compiled ``LocalityGate`` picks the names worth judging
        (``localities_reference`` judges them all)."""
        if gates is None:
            gates = self.name_gates()
        unknown, claimed = self.unknown, self.collector.claimed
        self.country_counts = None
        for index in _LOCALITY_GATE.candidates(self.text, unknown, claimed, gates):
            self.locality(unknown[index], gates[index])

    def localities_reference(self, gates: bytes | None = None) -> None:
        """``localities`` judging every unknown name (the compiled gate's reference)."""
        if gates is None:
            gates = self.name_gates_reference()
        self.country_counts = None
        for index, group in enumerate(self.unknown):
            self.locality(group, gates[index])

    def locality(self, group: list[Token], gate: int) -> None:
        """Record one unknown name as a locality when its context says it is one (``gate``: its
        ``name_gates`` bits)."""
        claimed, text = self.collector.claimed, self.text
        first, last = group[0], group[-1]
        if len(group) > LOCALITY_MAX_TOKENS or claimed[first.start] or claimed[last.end - 1]:
            return
        if len(group) == 1:
            if not (is_name_token(first) or first.text in CONNECTORS):
                return
        elif not all(is_name_token(t) or t.text in CONNECTORS for t in group):
            return
        # Both "before" patterns end in ``\s+$``: no trailing space, no match (skip the search).
        start = first.start
        spaced = start > 0 and text[start - 1].isspace()
        # LOCALITY_AFTER_RE needs white space after the name, PLACE_AFTER_RE a comma.
        following = text[last.end : last.end + 1]
        before = text[max(0, start - LOCALITY_WINDOW) : start] if spaced else ""
        # The gate ran ``locality_may_end`` for all groups at once; the regex decides.
        strong = (spaced and gate & LOCALITY_GATE != 0 and locality_cue_before(before)) or (
            following.isspace() and LOCALITY_AFTER_RE.match(text, last.end) is not None
        )
        if not strong and (not spaced or following != ","):
            return
        code: str | None = None
        after = PLACE_AFTER_RE.match(text, last.end) if following == "," else None
        if after is not None:
            code = self.place_country(after.group(1))
        if not strong and not (code and in_before(before)):
            return
        name = self.text[first.start : last.end]
        code = code or self.main_country()
        key = ("location", f"{name}|{code}|locality")
        records = self.collector.records
        counts = self.country_counts
        if counts is not None and code and key not in records:
            counts[code] = counts.get(code, 0) + 1
        # ``Collector.add`` keeps the first record for a key: build one only for a new key.
        record = records.get(key)
        if record is None:
            country = self.gazetteer.country_names.get(code) if code else None
            record = Place(name, [], "locality", country, code)
        self.collector.add(key, record, name, first.start, last.end)

    def place_country(self, surface: str) -> str | None:
        """The country a following ", Name" names, when it is a country or a known region."""
        for entry, _ in self.gazetteer.lookup(surface):
            if entry.source != SOURCE_CITY and entry.country_code:
                return entry.country_code
        return None

    def main_country(self) -> str | None:
        """The country most places named so far belong to (ties: first mentioned)."""
        counts = self.country_counts
        if counts is None:
            # Counted once per ``localities`` pass; ``locality`` counts the records it adds.
            counts = self.country_counts = self.place_countries()
        if counts:
            return max(counts, key=counts.__getitem__)
        strong = sorted(self.context.strong) or sorted(self.context.weak)
        return strong[0] if len(strong) == 1 else None

    def place_countries(self) -> dict[str, int]:
        """Records per country code among the places found, in order of the codes' first record."""
        counts: dict[str, int] = {}
        for key, record in self.collector.records.items():
            if key[0] == "location" and isinstance(record, Place) and record.country_code:
                counts[record.country_code] = counts.get(record.country_code, 0) + 1
        return counts


def _split_and(group: list[Token]) -> list[list[Token]]:
    """Split a capitalised group at "and" ("Park Min-soo and Kim Ji-hoon" -> two names)."""
    for token in group:
        if token.text == "and":
            break
    else:
        return [group]
    parts: list[list[Token]] = [[]]
    for token in group:
        if token.text == "and":
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


def _pair_prefixes(lexicon: Lexicon, gazetteer: Gazetteer) -> tuple[frozenset[str], frozenset[str]]:
    """First two folded words of every multi-word index key; every prefix of every weapon key."""
    keys = (*lexicon.people, *lexicon.orgs_folded, *gazetteer.index)
    folded = frozenset(" ".join(key.split(" ", 2)[:2]) for key in keys if " " in key)
    weapon_prefixes = frozenset(key[:n] for key in lexicon.weapons for n in range(len(key) + 1))
    return folded, weapon_prefixes


@dataclass(frozen=True, slots=True)
class _Entries:
    """The entries behind the compiled walker's ids (positions in these lists)."""

    people: list[PersonEntry]
    orgs: list[OrgEntry]
    weapons: list[WeaponEntry]
    places: list[list[tuple[PlaceEntry, bool]]]


# Codes of the compiled walker's actions (``EntityWalker.walk_scanned``; code 3 was place
# mentions, which it now returns apart).
_PERSON, _ORG, _WEAPON, _DEMONYM, _DESIGNATOR = 0, 1, 2, 4, 5
# Gazetteer key flags for the compiled walker: a candidate is a city, all are, and a word naming
# only these places reads as a first name before an unknown name (``_Walk.looks_like_person``).
_HAS_CITY, _ALL_CITY, _PERSON_SHAPED = 1, 2, 4
_WALKER: list[tuple[Any, _Entries]] = []


def _place_flags(candidates: list[tuple[PlaceEntry, bool]]) -> int:
    cities = [entry.source == SOURCE_CITY for entry, _ in candidates]
    shaped = _person_shaped(candidates)
    return _HAS_CITY * any(cities) + _ALL_CITY * all(cities) + _PERSON_SHAPED * shaped


def _person_shaped(candidates: list[tuple[PlaceEntry, bool]]) -> bool:
    """True when a name's places leave it free to be a person's: none is a curated place or
    country, or one is a country whose name is also a first name ("Chad", "Jordan")."""
    strong = [e for e, _ in candidates if e.source in (SOURCE_CURATED, SOURCE_COUNTRY)]
    return not strong or any(e.name in FIRST_NAME_COUNTRIES for e in strong)


def _walker_tables(lexicon: Lexicon, gazetteer: Gazetteer) -> tuple[dict[str, Any], _Entries]:
    """What the compiled walker is built from, and the entries its ids stand for."""
    places = {key: found for key, found in gazetteer.index.items() if found}
    pair_folded, weapon_prefixes = _pair_prefixes(lexicon, gazetteer)
    tables: dict[str, Any] = {
        "max_span_tokens": MAX_SPAN_TOKENS,
        "max_name_tokens": MAX_NAME_TOKENS,
        "max_title_words": lexicon.max_title_words,
        "lexicon_starts": lexicon.starts,
        "gazetteer_starts": gazetteer.starts,
        "title_starts": lexicon.title_starts,
        "person_starts": _person_starts(lexicon),
        "titles": lexicon.titles,
        "people_keys": list(lexicon.people),
        "org_keys": list(lexicon.orgs),
        "orgs_folded": list(lexicon.orgs_folded),
        "weapon_keys": list(lexicon.weapons),
        "weapon_needs_cue": [entry.needs_cue for entry in lexicon.weapons.values()],
        "place_keys": list(places),
        "place_flags": bytes(_place_flags(found) for found in places.values()),
        "demonyms": gazetteer.demonyms,
        "country_keys": gazetteer.country_keys,
        "given_names": sorted(lexicon.given_names),
        "not_name": sorted(NOT_NAME),
        "connectors": sorted(CONNECTORS),
        "pair_folded": sorted(pair_folded),
        "weapon_prefixes": sorted(weapon_prefixes),
        "locative_words": sorted(_LOCATIVE_WORDS),
        "locative_pairs": sorted(_LOCATIVE_PAIRS),
        "punct_before": _PUNCT_BEFORE,
        "ambiguous_names": sorted(AMBIGUOUS_NAMES),
        "name_re": NAME_RE,
        "designator_re": DESIGNATOR_RE,
        "suffix_re": SUFFIX_RE,
        "area_suffix_re": AREA_SUFFIX_RE,
        "facility_suffix_re": FACILITY_SUFFIX_RE,
        "locality_after_re": LOCALITY_AFTER_RE,
        "fold": fold,
        "compact": compact,
        "locative_before": locative_before,
        "has_weapon_cue": has_weapon_cue,
        "weapon_cue_re": WEAPON_CUE_RE,
        "is_former": is_former,
        "not_designator": sorted(_NOT_DESIGNATOR),
        "cued_designator": cued_designator,
        "scanner": _SCANNER,
        "country_starts": sorted(_country_starts(gazetteer)),
        "institution_gate": _INSTITUTION_GATE,
    }
    entries = _Entries(
        list(lexicon.people.values()),
        list(lexicon.orgs.values()),
        list(lexicon.weapons.values()),
        list(places.values()),
    )
    tables["place_mention"] = PlaceMention
    tables["place_candidates"] = entries.places
    return tables, entries


def _native_walker(lexicon: Lexicon, gazetteer: Gazetteer) -> tuple[Any, _Entries]:
    """The compiled walker for these indexes (built once; ``find_entities`` resets it)."""
    if not _WALKER:
        tables, entries = _walker_tables(lexicon, gazetteer)
        _WALKER.append((_native.EntityWalker(**tables), entries))
    return _WALKER[0]


def _article_text(article: Article) -> str:
    if article.text:
        return article.text
    return "\n\n".join(part for part in (article.title, article.body) if part)


def walked_runs(text: str, *, reference: bool = False) -> _Walk:
    """The walk's state after the institutions and every capitalised run of ``text``.

    ``reference`` walks the runs in Python (``_Walk.walk_reference``) instead of the compiled
    ``EntityWalker``; both leave the same state.
    """
    lexicon, gazetteer = load_lexicon(), load_gazetteer()
    if not _CACHE_OWNER or _CACHE_OWNER[0][0] is not lexicon or _CACHE_OWNER[0][1] is not gazetteer:
        _WORD_KIND.clear()
        _DESIGNATOR_SHAPED.clear()
        _KNOWN.clear()
        _LIMIT.clear()
        _RESOLVED.clear()
        _SINGLE.clear()
        _PAIR_PREFIXES.clear()
        _WALKER.clear()
        _NAME_GATES.clear()
        _CACHE_OWNER[:] = [(lexicon, gazetteer)]
    walk = _Walk(text, lexicon, gazetteer, Collector(len(text)))
    walker, entries = _native_walker(lexicon, gazetteer)
    scanned = None if reference else walker.scan(text)
    if scanned is not None:
        # ``add_institutions`` tries only where a country name may open an institution's.
        runs, starts = scanned
        add_institutions(text, walk.collector, lexicon, gazetteer, starts=starts)
        walked = walker.walk_scanned(runs, walk.collector.claimed)
        actions, walk.places, walk.unknown, walk.strays = walked
        walk.apply(actions, entries)
        return walk
    return _walk_reference(walk)


def _walk_reference(walk: _Walk) -> _Walk:
    """``walked_runs`` with the runs walked in Python (and the text's runs as ``Token``s)."""
    text = walk.text
    runs = capitalised_runs(text)
    add_institutions(text, walk.collector, walk.lexicon, walk.gazetteer, runs)
    walk_single, walk_run = walk.walk_single_reference, walk.walk_reference
    for run in runs:
        if len(run) == 1:
            walk_single(run)
        else:
            walk_run(run)
    return walk


def find_entities(text: str, *, reference: bool = False) -> list[Entity]:
    """People, organisations, places and weapons named in ``text``, in order of first mention.

    ``reference`` walks the runs with the Python reference (see ``walked_runs``).
    """
    return collected_walk(text, reference=reference).collector.entities()


def collected_walk(text: str, *, reference: bool = False) -> _Walk:
    """The walk of ``text`` after every pass: its collector holds all the entities' spans."""
    walk = walked_runs(text, reference=reference)
    gates = walk.name_gates()
    walk.people_from_context(gates)
    walk.merge_surnames()
    walk.resolve_places()
    walk.localities(gates)
    add_generic_weapons(text, walk.collector, walk.weapon_ends)
    return walk


def extract_entities(article: Article) -> Article:
    """Pipeline stage: fill ``article.entities`` from the article text."""
    article.entities = find_entities(_article_text(article))
    return article
