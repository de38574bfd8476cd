"""Curated people, organisations, weapons and titles, loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from workers.pipeline.enrich._data import add_start, column, compact, fold, read_tsv, split_list


@dataclass(frozen=True, slots=True)
class PersonEntry:
    name: str
    role: str | None
    country: str | None


@dataclass(frozen=True, slots=True)
class OrgEntry:
    name: str
    kind: str
    country: str | None


@dataclass(frozen=True, slots=True)
class WeaponEntry:
    name: str
    weapon_type: str
    origin: tuple[str, ...]
    needs_cue: bool


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Indexes: folded person names, exact-case org aliases, compact weapon keys, folded titles."""

    people: dict[str, PersonEntry]
    orgs: dict[str, OrgEntry]
    orgs_folded: dict[str, OrgEntry]
    weapons: dict[str, WeaponEntry]
    titles: dict[str, str | None]
    starts: dict[str, int]
    max_title_words: int = field(default=4)
    title_starts: dict[str, int] = field(default_factory=dict)
    given_names: frozenset[str] = field(default_factory=frozenset)


def _people() -> dict[str, PersonEntry]:
    index: dict[str, PersonEntry] = {}
    for row in read_tsv("people.tsv"):
        entry = PersonEntry(row[0], row[1] or None, column(row, 2) or None)
        for key in [row[0], *split_list(column(row, 3))]:
            index.setdefault(fold(key), entry)
    return index


def _orgs() -> tuple[dict[str, OrgEntry], dict[str, OrgEntry]]:
    exact: dict[str, OrgEntry] = {}
    folded: dict[str, OrgEntry] = {}
    for row in read_tsv("orgs.tsv"):
        entry = OrgEntry(row[0], row[1], column(row, 2) or None)
        for key in [row[0], *split_list(column(row, 3))]:
            exact.setdefault(key, entry)
            folded.setdefault(fold(key), entry)
    return exact, folded


def _weapons() -> dict[str, WeaponEntry]:
    index: dict[str, WeaponEntry] = {}
    for row in read_tsv("weapons.tsv"):
        origin = tuple(split_list(column(row, 2), ","))
        entry = WeaponEntry(row[0], row[1], origin, column(row, 4) == "1")
        for key in [row[0], *split_list(column(row, 3))]:
            index.setdefault(compact(key), entry)
    return index


def _starts(*key_lists: list[str]) -> dict[str, int]:
    starts: dict[str, int] = {}
    for keys in key_lists:
        for key in keys:
            add_start(starts, fold(key))
    return starts


def _weapon_aliases() -> list[str]:
    return [a for row in read_tsv("weapons.tsv") for a in [row[0], *split_list(column(row, 3))]]


def _titles() -> dict[str, str | None]:
    return {fold(row[0]): (column(row, 1) or None) for row in read_tsv("titles.tsv")}


@cache
def load_lexicon() -> Lexicon:
    """Build the curated indexes once per process."""
    orgs, orgs_folded = _orgs()
    people = _people()
    titles = _titles()
    starts = _starts(list(people), list(orgs), _weapon_aliases(), list(titles))
    title_starts: dict[str, int] = {}
    for key in titles:
        add_start(title_starts, key)
    given = frozenset(fold(row[0]) for row in read_tsv("given_names.tsv"))
    return Lexicon(people, orgs, orgs_folded, _weapons(), titles, starts, 4, title_starts, given)
