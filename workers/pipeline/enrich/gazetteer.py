"""Place records (countries, US states, curated areas, GeoNames cities) and their index."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from workers.pipeline.enrich._data import add_start, column, fold, read_tsv, split_list

# Ranks used when several places share a name: curated data beats countries beats cities.
SOURCE_CURATED = 3
SOURCE_COUNTRY = 2
SOURCE_STATE = 1
SOURCE_CITY = 0


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """One gazetteer place; ``primary`` says whether the key is its own name (not an alias)."""

    name: str
    kind: str
    country_code: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    geonames_id: int | None
    population: int
    source: int

    @property
    def prior(self) -> float:
        """Context-free plausibility: curated and country entries first, then by population."""
        return self.source * 3.0 + math.log10(self.population + 10)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Folded name -> candidate places (with a flag: the key is the place's primary name)."""

    index: dict[str, list[tuple[PlaceEntry, bool]]]
    country_names: dict[str, str]
    demonyms: dict[str, str]
    country_keys: dict[str, str]
    starts: dict[str, int]

    def lookup(self, surface: str) -> list[tuple[PlaceEntry, bool]]:
        """Candidate places for a surface form (empty when unknown)."""
        return self.index.get(fold(surface), [])


def _float(text: str) -> float | None:
    return float(text) if text else None


def _add(
    index: dict[str, list[tuple[PlaceEntry, bool]]], key: str, entry: PlaceEntry, primary: bool
) -> None:
    bucket = index[fold(key)]
    if all(existing is not entry for existing, _ in bucket):
        bucket.append((entry, primary))


def _load_countries(
    index: dict[str, list[tuple[PlaceEntry, bool]]],
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    keys: dict[str, str] = {}
    for row in read_tsv("countries.tsv"):
        iso, name = row[0], row[1]
        entry = PlaceEntry(
            name,
            "country",
            iso,
            None,
            _float(row[3]),
            _float(row[4]),
            int(row[2]),
            int(row[5] or 0),
            SOURCE_COUNTRY,
        )
        names[iso] = name
        _add(index, name, entry, True)
        keys[fold(name)] = iso
        for alias in split_list(column(row, 6)):
            _add(index, alias, entry, True)
            keys[fold(alias)] = iso
        for demonym in split_list(column(row, 7)):
            demonyms[fold(demonym)] = iso
    return names, demonyms, keys


def _load_states(index: dict[str, list[tuple[PlaceEntry, bool]]]) -> None:
    for row in read_tsv("us_states.tsv"):
        entry = PlaceEntry(
            row[1],
            "state",
            "US",
            row[1],
            _float(row[3]),
            _float(row[4]),
            int(row[2]),
            1_000_000,
            SOURCE_STATE,
        )
        _add(index, row[1], entry, True)


def _load_curated(index: dict[str, list[tuple[PlaceEntry, bool]]]) -> None:
    for row in read_tsv("places.tsv"):
        code = row[2] or None
        admin1 = row[0] if row[1] == "region" and code else None
        entry = PlaceEntry(
            row[0], row[1], code, admin1, _float(row[3]), _float(row[4]), None, 0, SOURCE_CURATED
        )
        _add(index, row[0], entry, True)
        for alias in split_list(column(row, 5)):
            _add(index, alias, entry, True)


def _load_regions(index: dict[str, list[tuple[PlaceEntry, bool]]], skip: set[str]) -> None:
    """ISO 3166-2 first-level subdivisions; skipped where curated data already names the place."""
    for row in read_tsv("regions.tsv"):
        entry = PlaceEntry(row[1], "region", row[3], row[1], None, None, None, 0, SOURCE_STATE)
        for key in [row[1], *split_list(column(row, 4))]:
            if fold(key) in skip:
                continue
            if not any(e.source >= SOURCE_STATE for e, _ in index.get(fold(key), [])):
                _add(index, key, entry, True)


def _load_cities(index: dict[str, list[tuple[PlaceEntry, bool]]]) -> None:
    for row in read_tsv("cities.tsv"):
        entry = PlaceEntry(
            row[1],
            "city",
            row[2],
            row[3] or None,
            float(row[4]),
            float(row[5]),
            int(row[0]),
            int(row[6]),
            SOURCE_CITY,
        )
        _add(index, row[1], entry, True)
        for alias in split_list(column(row, 7)):
            _add(index, alias, entry, False)


@cache
def load_gazetteer() -> Gazetteer:
    """Build the place index once per process."""
    index: dict[str, list[tuple[PlaceEntry, bool]]] = defaultdict(list)
    names, demonyms, keys = _load_countries(index)
    _load_states(index)
    _load_curated(index)
    _load_regions(index, {*demonyms, *keys})
    _load_cities(index)
    starts: dict[str, int] = {}
    for key in index:
        add_start(starts, key)
    return Gazetteer(dict(index), names, demonyms, keys, starts)
