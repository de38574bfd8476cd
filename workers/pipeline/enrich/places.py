"""Place resolution: one gazetteer candidate per mention, chosen by country context."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from workers import _native
from workers.pipeline.article import Place
from workers.pipeline.enrich._data import fold
from workers.pipeline.enrich.gazetteer import (
    SOURCE_CITY,
    SOURCE_COUNTRY,
    SOURCE_CURATED,
    Gazetteer,
    PlaceEntry,
)

MAJOR_CITY = 100_000
SMALL_TOWN = 5_000
DISTINCT_TOWN = 50_000
# ``choose``'s score: a candidate's prior plus these bonuses (its country is in the strong /
# weak context; the mention names it by its own name, not an alias).
STRONG_BONUS = 4.0
WEAK_BONUS = 1.0
PRIMARY_BONUS = 1.5
# Place names that are far more often ordinary words or first names in English news.
AMBIGUOUS_NAMES = frozenset(
    [
        "of",
        "police",
        "said",
        "split",
        "nice",
        "mobile",
        "reading",
        "bath",
        "hope",
        "orange",
        "independence",
        "victoria",
        "florence",
        "liberty",
        "union",
        "progress",
        "mission",
        "temple",
        "enterprise",
        "marathon",
        "lens",
        "bar",
        "sale",
        "best",
        "ham",
        "deal",
        "chad",
        "jordan",
        "georgia",
        "israel",
        "india",
        "kenya",
        "charlotte",
        "austin",
        "eugene",
        "aurora",
        "mercedes",
        "lincoln",
        "jackson",
        "washington",
        "kingston",
        "paris",
        "madison",
        "troy",
        "gary",
        "irving",
        "lafayette",
        "logan",
        "tyler",
        "columbia",
        "florida",
        "asia",
        "europe",
        "america",
        "africa",
    ]
)
FIRST_NAME_COUNTRIES = frozenset({"Chad", "Jordan", "Georgia", "Israel", "India", "Kenya"})


@dataclass(slots=True)
class PlaceMention:
    """A capitalised span that names one or more gazetteer places."""

    surface: str
    start: int
    end: int
    candidates: list[tuple[PlaceEntry, bool]]
    locative: bool
    area: str | None = None


@dataclass(slots=True)
class CountryContext:
    """Countries the article is about: strong = from other places, weak = names and demonyms."""

    strong: set[str] = field(default_factory=set)
    weak: set[str] = field(default_factory=set)

    def bonus(self, code: str | None) -> float:
        if code is None:
            return 0.0
        return STRONG_BONUS * (code in self.strong) + WEAK_BONUS * (code in self.weak)


def _codes(candidates: list[tuple[PlaceEntry, bool]]) -> set[str | None]:
    return {entry.country_code for entry, _ in candidates}


# Facts about a candidate list that do not depend on the article, memoised by the list's
# identity (each value keeps its list alive, so an id is never reused while cached).
_Scored = list[tuple[PlaceEntry, bool, float, float]]
_STATIC_LIMIT = 100_000
_EFFECT: dict[int, tuple[list[tuple[PlaceEntry, bool]], int, str]] = {}
_SCORED: dict[int, tuple[list[tuple[PlaceEntry, bool]], _Scored]] = {}
_NO_EFFECT, _WEAK, _STRONG = 0, 1, 2
_PlaceFields = tuple[
    str, str, str | None, str | None, str | None, float | None, float | None, int | None
]


_HAS_CITY: dict[int, tuple[list[tuple[PlaceEntry, bool]], bool]] = {}


def needs_locative(surface: str, candidates: list[tuple[PlaceEntry, bool]]) -> bool:
    """Whether ``choose`` can consult the mention's ``locative`` flag: only for an ambiguous
    name or when a candidate is a city (so the flag need not be computed otherwise)."""
    cached = _HAS_CITY.get(id(candidates))
    if cached is None or cached[0] is not candidates:
        if len(_HAS_CITY) >= _STATIC_LIMIT:
            _HAS_CITY.clear()
        has_city = any(entry.source == SOURCE_CITY for entry, _ in candidates)
        cached = _HAS_CITY[id(candidates)] = (candidates, has_city)
    return cached[1] or surface.lower() in AMBIGUOUS_NAMES


def _effect_of(best: PlaceEntry) -> int:
    """What an unambiguous mention whose likeliest place is ``best`` adds to the context."""
    if best.source == SOURCE_COUNTRY:
        return _WEAK
    if best.source == SOURCE_CURATED or best.population >= MAJOR_CITY:
        return _STRONG
    return _NO_EFFECT


def _context_effect(candidates: list[tuple[PlaceEntry, bool]]) -> tuple[int, str]:
    """What an unambiguous mention adds to the context: nothing, a weak or a strong country."""
    cached = _EFFECT.get(id(candidates))
    if cached is not None and cached[0] is candidates:
        return cached[1], cached[2]
    effect, country = _NO_EFFECT, ""
    codes = _codes(candidates)
    if len(codes) == 1:
        code = next(iter(codes))
        if code is not None:
            country = code
            effect = _effect_of(max(candidates, key=lambda c: c[0].prior)[0])
    if len(_EFFECT) >= _STATIC_LIMIT:
        _EFFECT.clear()
    _EFFECT[id(candidates)] = (candidates, effect, country)
    return effect, country


def build_context(mentions: list[PlaceMention], context: CountryContext) -> None:
    """Add the countries of unambiguous mentions to the context."""
    for mention in mentions:
        effect, code = _context_effect(mention.candidates)
        if effect == _WEAK:
            context.weak.add(code)
        elif effect == _STRONG:
            context.strong.add(code)


def _score(candidate: tuple[PlaceEntry, bool], context: CountryContext) -> float:
    entry, primary = candidate
    return entry.prior + context.bonus(entry.country_code) + (PRIMARY_BONUS if primary else 0.0)


def _scored(candidates: list[tuple[PlaceEntry, bool]]) -> _Scored:
    """The candidates ``choose`` compares (curated ones when any), with their fixed score parts."""
    cached = _SCORED.get(id(candidates))
    if cached is not None and cached[0] is candidates:
        return cached[1]
    curated = [c for c in candidates if c[0].source == SOURCE_CURATED]
    scored = [
        (entry, primary, entry.prior, PRIMARY_BONUS if primary else 0.0)
        for entry, primary in (curated or candidates)
    ]
    if len(_SCORED) >= _STATIC_LIMIT:
        _SCORED.clear()
    _SCORED[id(candidates)] = (candidates, scored)
    return scored


def _acceptable(
    mention: PlaceMention, entry: PlaceEntry, primary: bool, context: CountryContext
) -> bool:
    return _accepts(
        entry,
        primary,
        len(mention.candidates),
        mention.surface.lower() in AMBIGUOUS_NAMES,
        mention.locative,
        mention.area is not None,
        context.bonus(entry.country_code) > 0,
    )


def choose(mention: PlaceMention, context: CountryContext) -> PlaceEntry | None:
    """The best-supported candidate for a mention, or None when the evidence is too weak."""
    strong, weak = context.strong, context.weak
    best: tuple[PlaceEntry, bool] | None = None
    best_score = 0.0
    for entry, primary, prior, primary_bonus in _scored(mention.candidates):
        code = entry.country_code
        bonus = (
            0.0 if code is None else STRONG_BONUS * (code in strong) + WEAK_BONUS * (code in weak)
        )
        score = prior + bonus + primary_bonus
        if best is None or score > best_score:  # first maximum wins, as ``max`` does
            best, best_score = (entry, primary), score
    if best is None:
        return None
    entry, primary = best
    return entry if _acceptable(mention, entry, primary, context) else None


def _accepts(
    entry: PlaceEntry,
    primary: bool,
    size: int,
    ambiguous: bool,
    locative: bool,
    area: bool,
    in_context: bool,
) -> bool:
    """Whether a candidate place is evidenced enough, from the facts of its mention and context."""
    if entry.source != SOURCE_CITY:
        return not ambiguous or locative or in_context or entry.source == SOURCE_CURATED
    if ambiguous:
        return locative and in_context
    if area:
        return True
    if primary and entry.population >= MAJOR_CITY:
        return True
    if primary and entry.population >= DISTINCT_TOWN and size == 1:
        return True
    if in_context and entry.population >= SMALL_TOWN:
        return True
    return in_context and locative


def area_entry(gazetteer: Gazetteer, mention: PlaceMention, city: PlaceEntry) -> PlaceEntry:
    """The region a "<city> region" phrase names: the city's first-level region when it matches."""
    if city.admin1 and city.name.lower()[:5] in city.admin1.lower():
        for entry, _ in gazetteer.lookup(city.admin1):
            if entry.source == SOURCE_CURATED:
                return entry
    suffix = (mention.area or "region").title()
    return PlaceEntry(
        f"{city.name} {suffix}",
        "region",
        city.country_code,
        city.admin1,
        None,
        None,
        None,
        0,
        SOURCE_CURATED,
    )


def place_fields(gazetteer: Gazetteer, entry: PlaceEntry) -> _PlaceFields:
    """A place's ``Place`` fields but its mentions: name, then kind .. geonames_id."""
    code = entry.country_code
    return (
        entry.name,
        entry.kind,
        gazetteer.country_names.get(code) if code else None,
        code,
        entry.admin1 if entry.kind != "country" else None,
        entry.latitude,
        entry.longitude,
        entry.geonames_id,
    )


def place_record(gazetteer: Gazetteer, entry: PlaceEntry) -> Place:
    name, *rest = place_fields(gazetteer, entry)
    return Place(name, [], *rest)  # type: ignore[arg-type]


def place_key(entry: PlaceEntry) -> tuple[str, str]:
    return ("location", f"{entry.name}|{entry.country_code}|{entry.kind}")


_RESOLVER: list[tuple[Gazetteer, _native.PlaceResolver]] = []


def place_resolver(gazetteer: Gazetteer) -> _native.PlaceResolver:
    """The compiled ``resolve_places`` for this gazetteer (built once)."""
    if not _RESOLVER or _RESOLVER[0][0] is not gazetteer:
        _RESOLVER[:] = [(gazetteer, build_place_resolver(gazetteer, _STATIC_LIMIT))]
    return _RESOLVER[0][1]


def build_place_resolver(gazetteer: Gazetteer, cache_limit: int) -> _native.PlaceResolver:
    """A compiled ``resolve_places`` caching at most ``cache_limit`` candidate lists."""
    return _native.PlaceResolver(
        source_curated=SOURCE_CURATED,
        source_country=SOURCE_COUNTRY,
        source_city=SOURCE_CITY,
        major_city=MAJOR_CITY,
        distinct_town=DISTINCT_TOWN,
        small_town=SMALL_TOWN,
        strong_bonus=STRONG_BONUS,
        weak_bonus=WEAK_BONUS,
        primary_bonus=PRIMARY_BONUS,
        ambiguous_names=sorted(AMBIGUOUS_NAMES),
        fold=fold,
        place_key=place_key,
        place_fields=partial(place_fields, gazetteer),
        area_entry=partial(area_entry, gazetteer),
        place_class=Place,
        cache_limit=cache_limit,
    )
