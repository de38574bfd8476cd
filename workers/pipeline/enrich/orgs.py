"""National institutions named through a country ("Russia's Defense Ministry")."""

from __future__ import annotations

import re

from workers import _native
from workers.pipeline.article import Organization
from workers.pipeline.enrich._data import fold
from workers.pipeline.enrich.collect import Collector
from workers.pipeline.enrich.gazetteer import Gazetteer
from workers.pipeline.enrich.lexicon import Lexicon, OrgEntry
from workers.pipeline.enrich.spans import Token

# institution phrase (folded, "defense" spelt "defence") -> (canonical pattern, kind)
_INSTITUTIONS: dict[str, tuple[str, str]] = {
    "defence ministry": ("Ministry of Defence of {}", "military"),
    "ministry of defence": ("Ministry of Defence of {}", "military"),
    "armed forces general staff": ("General Staff of the Armed Forces of {}", "military"),
    "general staff": ("General Staff of the Armed Forces of {}", "military"),
    "armed forces": ("Armed Forces of {}", "military"),
    "military": ("Armed Forces of {}", "military"),
    "army": ("Armed Forces of {}", "military"),
    "forces": ("Armed Forces of {}", "military"),
    "troops": ("Armed Forces of {}", "military"),
    "navy": ("Navy of {}", "military"),
    "air force": ("Air Force of {}", "military"),
    "air defence forces": ("Air Force of {}", "military"),
    "national guard": ("National Guard of {}", "military"),
    "border guard service": ("Border Guard Service of {}", "military"),
    "border guards": ("Border Guard Service of {}", "military"),
    "border guard": ("Border Guard Service of {}", "military"),
    "coast guard": ("Coast Guard of {}", "military"),
    "foreign ministry": ("Ministry of Foreign Affairs of {}", "government"),
    "foreign affairs ministry": ("Ministry of Foreign Affairs of {}", "government"),
    "ministry of foreign affairs": ("Ministry of Foreign Affairs of {}", "government"),
    "interior ministry": ("Ministry of Internal Affairs of {}", "government"),
    "emergencies ministry": ("Emergencies Ministry of {}", "government"),
    "emergency services": ("State Emergency Service of {}", "government"),
    "emergency service": ("State Emergency Service of {}", "government"),
    "security service": ("Security Service of {}", "intelligence"),
    "intelligence service": ("Intelligence Service of {}", "intelligence"),
    "military intelligence": ("Military Intelligence of {}", "intelligence"),
    "parliament": ("Parliament of {}", "government"),
    "government": ("Government of {}", "government"),
    "cabinet": ("Government of {}", "government"),
    "health ministry": ("Ministry of Health of {}", "government"),
    "energy ministry": ("Ministry of Energy of {}", "government"),
    "embassy": ("Embassy of {}", "government"),
}
_INSTITUTION_ALT = "|".join(
    sorted(
        (re.escape(k).replace("defence", "defen[cs]e") for k in _INSTITUTIONS),
        key=len,
        reverse=True,
    )
)
TEMPLATE_RE = re.compile(
    rf"(?<![\w'’\-])(?P<country>(?:[A-Z]\.){{2,}}|[A-Z][\w]*(?:[ ][A-Z][\w]*)?)(?P<poss>['’]s)?"
    rf"[ \t]+(?P<inst>(?i:{_INSTITUTION_ALT}))(?![\w\-])"
)

# ``TEMPLATE_RE`` can match at a word only when an institution opens the word after its first
# or second blank run: this cheaper pattern asks for the first two letters of one there (with
# the same case-insensitive matching).
_INSTITUTION_GATE_RE = re.compile(
    r"\S*[ \t]+(?:\S+[ \t]+)?(?i:"
    + "|".join(sorted({re.escape(key[:2]) for key in _INSTITUTIONS}))
    + ")"
)


def _may_match(text: str, start: int) -> bool:
    """False only when ``TEMPLATE_RE`` cannot match at ``start``."""
    return _INSTITUTION_GATE_RE.match(text, start) is not None


def _country_code(gazetteer: Gazetteer, word: str) -> str | None:
    key = fold(word)
    return gazetteer.demonyms.get(key) or gazetteer.country_keys.get(key)


_STARTS: dict[int, frozenset[str]] = {}


def _country_starts(gazetteer: Gazetteer) -> frozenset[str]:
    """First folded words of every country name, alias and demonym (computed once)."""
    starts = _STARTS.get(id(gazetteer))
    if starts is None:
        keys = (*gazetteer.demonyms, *gazetteer.country_keys)
        starts = _STARTS[id(gazetteer)] = frozenset(k.split()[0] for k in keys if k)
    return starts


# The compiled ``TEMPLATE_RE`` gate: every institution phrase, each spelling written out.
_GATE = _native.InstitutionGate(
    phrases=sorted(
        {
            key.replace("defence", spelling)
            for key in _INSTITUTIONS
            for spelling in ("defence", "defense")
        }
    )
)


def _matches(
    text: str, gazetteer: Gazetteer, runs: list[list[Token]] | None
) -> list[re.Match[str]]:
    """Template matches, tried only where a country word starts and an institution phrase
    follows (whole-text scan without runs)."""
    if runs is None:
        return list(TEMPLATE_RE.finditer(text))
    starts = _country_starts(gazetteer)
    openers = [token.start for run in runs for token in run if token.key in starts]
    return _matches_at(text, _GATE.starts(text, openers))


def _matches_at(text: str, starts: list[int]) -> list[re.Match[str]]:
    """Template matches at ``starts`` (in order; a match hides the starts it covers)."""
    out: list[re.Match[str]] = []
    last_end = -1
    for start in starts:
        if start < last_end:
            continue
        match = TEMPLATE_RE.match(text, start)
        if match is not None:
            out.append(match)
            last_end = match.end()
    return out


def _matches_reference(
    text: str, gazetteer: Gazetteer, runs: list[list[Token]]
) -> list[re.Match[str]]:
    """``_matches`` with the Python gate (``_may_match``): the compiled gate's reference."""
    starts = _country_starts(gazetteer)
    out: list[re.Match[str]] = []
    last_end = -1
    for run in runs:
        for token in run:
            if token.start < last_end or token.key not in starts:
                continue
            if not _may_match(text, token.start):
                continue
            match = TEMPLATE_RE.match(text, token.start)
            if match is not None:
                out.append(match)
                last_end = match.end()
    return out


def add_institutions(
    text: str,
    collector: Collector,
    lexicon: Lexicon,
    gazetteer: Gazetteer,
    runs: list[list[Token]] | None = None,
    *,
    starts: list[int] | None = None,
) -> None:
    """Record "<country> <institution>" organisations under one canonical name per country.

    ``starts``: where a match may start, already gated (``EntityWalker.scan``); else the
    matches are looked for at the tokens of ``runs`` (or in the whole text without them).
    """
    matches = _matches(text, gazetteer, runs) if starts is None else _matches_at(text, starts)
    if not matches:
        return
    if not _NAMED_OWNER or _NAMED_OWNER[0][0] is not lexicon or _NAMED_OWNER[0][1] is not gazetteer:
        _NAMED.clear()
        _NAMED_OWNER[:] = [(lexicon, gazetteer)]
    for match in matches:
        matched = match.group()
        named = _NAMED.get(matched, _UNSEEN)
        if named is _UNSEEN:
            if len(_NAMED) >= _NAMED_LIMIT:
                _NAMED.clear()
            named = _NAMED[matched] = institution_named(match, lexicon, gazetteer)
        if named is not None:
            _add_named(collector, text, match, named)


def add_institutions_reference(
    text: str,
    collector: Collector,
    lexicon: Lexicon,
    gazetteer: Gazetteer,
    runs: list[list[Token]] | None = None,
) -> None:
    """``add_institutions`` judging every match anew (the reference of its memo)."""
    for match in _matches(text, gazetteer, runs):
        named = institution_named(match, lexicon, gazetteer)
        if named is not None:
            _add_named(collector, text, match, named)


def _add_named(
    collector: Collector, text: str, match: re.Match[str], named: tuple[int, int, OrgEntry]
) -> None:
    """Add the organisation a match names; its country words before ``inst`` are released."""
    opens, inst, entry = named
    begin, end = match.start() + opens, match.end()
    add_org(collector, entry, text[begin:end], begin, end)
    collector.release(begin, match.start() + inst)


# Per matched text, what ``institution_named`` made of it: the same text always names the same
# (its groups are split the same way wherever it matches), so each is judged once.
_Named = tuple[int, int, OrgEntry] | None
_NAMED: dict[str, _Named] = {}
_NAMED_OWNER: list[tuple[Lexicon, Gazetteer]] = []
_NAMED_LIMIT = 100_000
# What ``_NAMED.get`` answers for a text not judged yet (no match names it).
_UNSEEN: _Named = (-1, -1, OrgEntry("", "", None))


def institution_named(
    match: re.Match[str], lexicon: Lexicon, gazetteer: Gazetteer
) -> tuple[int, int, OrgEntry] | None:
    """The organisation a ``TEMPLATE_RE`` match names, with where its mention and its
    institution words start (offsets into the match); None when no country opens it."""
    country = match.group("country")
    opens = 0
    code = _country_code(gazetteer, country)
    if code is None and " " in country:
        first, _, country = country.partition(" ")
        opens = len(first) + 1
        code = _country_code(gazetteer, country)
    if code is None:
        return None
    inst_key = fold(match.group("inst")).replace("defense", "defence")
    surface = match.group()[opens:]
    curated = lexicon.orgs_folded.get(fold(surface)) or lexicon.orgs_folded.get(
        fold(f"{gazetteer.country_names[code]} {inst_key}")
    )
    if curated is not None:
        entry = curated
    else:
        pattern, kind = _INSTITUTIONS[inst_key]
        name = pattern.format(gazetteer.country_names[code])
        entry = lexicon.orgs_folded.get(fold(name)) or OrgEntry(name, kind, code)
    return opens, match.start("inst") - match.start(), entry


def add_org(collector: Collector, entry: OrgEntry, surface: str, start: int, end: int) -> None:
    key = ("organization", entry.name)
    # ``Collector.add`` keeps the first record for a key: build one only for a new key.
    record = collector.records.get(key)
    if record is None:
        record = Organization(entry.name, [], entry.kind, entry.country)
    collector.add(key, record, surface, start, end)
