"""The records that flow through the pipeline stages.

Every stage is a function ``Article -> Article``. Records are plain dataclasses so
that ``orjson.dumps`` serialises them natively and mypy checks every field.
The JSON shape of a serialised :class:`Article` is ``schemas/enriched-article.schema.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LABELS: tuple[str, ...] = ("military", "diplomatic")

EntityType = Literal["person", "organization", "location", "weapon"]
DedupStatus = Literal["unique", "duplicate", "near_duplicate"]


@dataclass(slots=True)
class Sentence:
    """One sentence of the article text, with its per-label scores and cues."""

    index: int
    text: str
    start: int
    end: int
    is_title: bool = False
    labels: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    cues: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Evidence:
    """A sentence that supports a label, with the cues that decided it."""

    sentence: int
    text: str
    score: float
    cues: list[str]


@dataclass(slots=True)
class LabelResult:
    """The article-level score of one label and the sentences behind it."""

    score: float
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class Person:
    name: str
    mentions: list[str]
    role: str | None = None
    country: str | None = None
    type: EntityType = "person"


@dataclass(slots=True)
class Organization:
    name: str
    mentions: list[str]
    kind: str | None = None
    country: str | None = None
    type: EntityType = "organization"


@dataclass(slots=True)
class Place:
    name: str
    mentions: list[str]
    kind: str = "city"
    country: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    type: EntityType = "location"


@dataclass(slots=True)
class Weapon:
    name: str
    mentions: list[str]
    weapon_type: str
    origin: list[str] = field(default_factory=list)
    type: EntityType = "weapon"


Entity = Person | Organization | Place | Weapon


@dataclass(slots=True)
class CasualtyEvidence:
    kind: Literal["killed", "injured"]
    count: int
    sentence: int
    text: str


@dataclass(slots=True)
class Casualties:
    killed: int | None = None
    injured: int | None = None
    evidence: list[CasualtyEvidence] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AcledCode:
    event_type: str
    sub_event_type: str


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    quad_class: int


@dataclass(frozen=True, slots=True)
class PloverCode:
    category: str
    mode: str | None = None


@dataclass(slots=True)
class Event:
    """One reported event, coded against ACLED, CAMEO and PLOVER."""

    type: str
    sentence: int
    text: str
    trigger: str
    acled: AcledCode | None
    cameo: CameoCode
    plover: PloverCode
    actor: str | None = None
    target: str | None = None
    location: str | None = None
    weapons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DedupResult:
    status: DedupStatus = "unique"
    duplicate_of: str | None = None
    similarity: float = 0.0
    cluster: str | None = None


@dataclass(slots=True)
class PipelineInfo:
    version: str
    worker: str


@dataclass(slots=True)
class Article:
    """A raw article as validated, then enriched stage by stage."""

    id: str
    source: str
    body: str
    title: str | None = None
    url: str | None = None
    published_at: str | None = None
    language: str | None = None
    ingested_at: str | None = None
    processed_at: str | None = None
    text: str = ""
    topics: list[str] = field(default_factory=list)
    routed_to: list[str] = field(default_factory=list)
    labels: dict[str, LabelResult] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    casualties: Casualties = field(default_factory=Casualties)
    dedup: DedupResult = field(default_factory=DedupResult)
    pipeline: PipelineInfo | None = None
