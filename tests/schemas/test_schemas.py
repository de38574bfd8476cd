"""The record schemas in ``schemas/`` are valid and match the records the worker really builds."""

from __future__ import annotations

import base64
import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from workers.deadletter import (
    DeadLetter,
    SourcePosition,
    dead_letter_bytes,
    dead_letter_headers,
    make_dead_letter,
    original_bytes,
)
from workers.errors import InvalidArticle
from workers.pipeline import article as records
from workers.pipeline.article import (
    AcledCode,
    Article,
    CameoCode,
    Casualties,
    CasualtyEvidence,
    DedupResult,
    Event,
    Evidence,
    LabelResult,
    Organization,
    Person,
    Place,
    PloverCode,
    Sentence,
    Weapon,
)
from workers.pipeline.validate import REASONS, article_from_record, decode_record
from workers.processor import Finisher
from workers.settings import Settings
from workers.timeutil import utc_now_iso

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
SCHEMA_FILES = ("raw-article", "enriched-article", "dead-letter")
FORMATS = Draft202012Validator.FORMAT_CHECKER
CHECKS_DATE_TIME = "date-time" in FORMATS.checkers
CHECKS_URI = "uri" in FORMATS.checkers


def load(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))
    return schema


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load(name), format_checker=FORMATS)


def errors(name: str, instance: Any) -> list[ValidationError]:
    return list(validator(name).iter_errors(instance))


def fails_with(name: str, instance: Any, keyword: str, path: tuple[Any, ...]) -> bool:
    """True if validation reports an error of ``keyword`` at ``path`` (or inside a oneOf there)."""
    for error in errors(name, instance):
        candidates = [error, *(error.context or [])]
        for candidate in candidates:
            if candidate.validator == keyword and tuple(candidate.absolute_path) == path:
                return True
    return False


# --- every schema ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    """Each schema file is a valid draft 2020-12 schema with the project's $id and a title."""
    schema = load(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://newsflow.dev/schemas/{name}.schema.json"
    assert schema["title"] and schema["description"]


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_every_property_is_described(name: str) -> None:
    """Every property of every object in each schema has a description (own or via $ref)."""
    schema = load(name)
    defs = schema.get("$defs", {})
    missing: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for prop, sub in node.get("properties", {}).items():
                ref = sub.get("$ref", "")
                target = defs.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
                if "description" not in sub and "description" not in target:
                    missing.append(f"{where}.{prop}")
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    walk(schema, name)
    assert missing == []


# --- raw-article -------------------------------------------------------------------------------

RAW_VALID: dict[str, dict[str, Any]] = {
    "full": {
        "id": "reuters-42",
        "source": "reuters",
        "title": "Ministers meet in Geneva",
        "url": "https://example.com/articles/42?lang=en",
        "published_at": "2024-05-01T12:30:00+02:00",
        "language": "en-GB",
        "body": "Foreign ministers met in Geneva on Wednesday.",
    },
    "body only": {"body": "Only the body is required."},
    "nulls for optional fields": {"body": "text", "id": None, "title": None, "url": None},
    "extra fields are allowed": {"body": "text", "tags": ["a"], "feed": {"n": 1}},
    "fractional seconds and Z": {"body": "text", "published_at": "2024-05-01T12:30:00.123Z"},
    "script subtag": {"body": "text", "language": "zh-Hant"},
}


@pytest.mark.parametrize("record", RAW_VALID.values(), ids=RAW_VALID.keys())
def test_raw_article_valid_examples(record: dict[str, Any]) -> None:
    """Hand-written raw articles within the contract validate, and the worker accepts them too."""
    assert errors("raw-article", record) == []
    article_from_record(record, ingested_at="2024-05-01T12:31:00.000Z")


# (record, failing keyword, path of the error, reason code the worker gives or None if it accepts)
RAW_INVALID: dict[str, tuple[Any, str, tuple[Any, ...], str | None]] = {
    "missing body": ({"title": "t"}, "required", (), "missing_body"),
    "null body": ({"body": None}, "type", ("body",), "missing_body"),
    "empty body": ({"body": ""}, "minLength", ("body",), "missing_body"),
    "whitespace-only body": ({"body": " \n\t "}, "pattern", ("body",), "missing_body"),
    "body not a string": ({"body": 42}, "type", ("body",), "wrong_type"),
    "title not a string": ({"body": "b", "title": 5}, "type", ("title",), "wrong_type"),
    "id not a string": ({"body": "b", "id": 7}, "type", ("id",), "wrong_type"),
    "source not a string": ({"body": "b", "source": ["x"]}, "type", ("source",), "wrong_type"),
    "language not BCP 47": ({"body": "b", "language": "English!"}, "pattern", ("language",), None),
    "not an object": (["body"], "type", (), None),
}
RAW_INVALID_FORMAT: dict[str, tuple[Any, str, tuple[Any, ...], str | None]] = {
    "published_at not a timestamp": (
        {"body": "b", "published_at": "yesterday"},
        "format",
        ("published_at",),
        "invalid_timestamp",
    ),
    "published_at without offset": (
        {"body": "b", "published_at": "2024-05-01T12:30:00"},
        "format",
        ("published_at",),
        None,
    ),
}


def _check_raw_invalid(
    record: Any, keyword: str, path: tuple[Any, ...], reason: str | None
) -> None:
    assert fails_with("raw-article", record, keyword, path), errors("raw-article", record)
    if isinstance(record, dict) and reason is not None:
        with pytest.raises(InvalidArticle) as caught:
            article_from_record(record, ingested_at="2024-05-01T12:31:00.000Z")
        assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("record", "keyword", "path", "reason"), RAW_INVALID.values(), ids=RAW_INVALID.keys()
)
def test_raw_article_invalid_examples(
    record: Any, keyword: str, path: tuple[Any, ...], reason: str | None
) -> None:
    """Each invalid raw article fails on the stated keyword and field, as the worker rejects it."""
    _check_raw_invalid(record, keyword, path, reason)


@pytest.mark.skipif(not CHECKS_DATE_TIME, reason="date-time needs rfc3339-validator installed")
@pytest.mark.parametrize(
    ("record", "keyword", "path", "reason"),
    RAW_INVALID_FORMAT.values(),
    ids=RAW_INVALID_FORMAT.keys(),
)
def test_raw_article_invalid_timestamps(
    record: Any, keyword: str, path: tuple[Any, ...], reason: str | None
) -> None:
    """A published_at that is not RFC 3339 fails the date-time format check."""
    _check_raw_invalid(record, keyword, path, reason)


@pytest.mark.skipif(not CHECKS_URI, reason="uri needs rfc3987 or rfc3986-validator installed")
def test_raw_article_invalid_url() -> None:
    """A url that is not an absolute URI fails the uri format check."""
    assert fails_with("raw-article", {"body": "b", "url": "not a url"}, "format", ("url",))


# --- dead-letter -------------------------------------------------------------------------------

BAD_INPUTS: dict[str, bytes] = {
    "invalid_utf8": b'{"body": "caf\xe9"}',
    "malformed_json": b'{"body": "unterminated',
    "not_an_object": b'["body"]',
    "missing_body": b'{"title": "no body"}',
}


def _dead_letter_for(raw: bytes, key: bytes | None, position: SourcePosition) -> DeadLetter:
    try:
        article_from_record(decode_record(raw, max_bytes=1_000_000), ingested_at=utc_now_iso())
    except InvalidArticle as exc:
        return make_dead_letter(
            step="validate",
            reason=exc.reason,
            detail=exc.detail,
            original=raw,
            key=key,
            position=position,
            worker="test-worker",
        )
    raise AssertionError(f"{raw!r} was accepted")


@pytest.mark.parametrize(("reason", "raw"), BAD_INPUTS.items(), ids=BAD_INPUTS.keys())
def test_dead_letter_from_real_bad_bytes_validates(reason: str, raw: bytes) -> None:
    """A dead letter made by make_dead_letter for bad input bytes validates and round-trips."""
    position = SourcePosition(
        topic="raw-articles", partition=3, offset=42, timestamp="2024-05-01T12:30:00.000Z"
    )
    letter = _dead_letter_for(raw, b"article-1", position)
    assert letter.reason == reason
    value = orjson.loads(dead_letter_bytes(letter))
    assert errors("dead-letter", value) == []
    assert original_bytes(value) == raw
    assert base64.b64decode(value["key_base64"]) == b"article-1"


def test_dead_letter_with_unknown_position_and_no_key_validates() -> None:
    """A dead letter from offline processing (no key, no source position) validates with nulls."""
    letter = _dead_letter_for(b"\x00\x01\x02", None, SourcePosition())
    value = orjson.loads(dead_letter_bytes(letter))
    assert value["key_base64"] is None and value["source_topic"] is None
    assert errors("dead-letter", value) == []


def test_dead_letter_stage_error_validates() -> None:
    """A stage_error dead letter from an enrich stage validates."""
    letter = make_dead_letter(
        step="entities",
        reason="stage_error",
        detail="step 'entities' failed: KeyError: 'x'",
        original=b'{"body": "ok"}',
        key=None,
        position=SourcePosition(topic="raw-articles"),
        worker="w",
    )
    assert errors("dead-letter", orjson.loads(dead_letter_bytes(letter))) == []


def test_dead_letter_schema_matches_dataclass_and_documents_reasons_and_headers() -> None:
    """The dead-letter schema lists exactly the DeadLetter fields, all reasons and headers."""
    schema = load("dead-letter")
    names = [f.name for f in dataclasses.fields(DeadLetter)]
    assert sorted(schema["required"]) == sorted(names) == sorted(schema["properties"])
    reason_doc = schema["properties"]["reason"]["description"]
    for reason in (*REASONS, "stage_error"):
        assert f"`{reason}`" in reason_doc
    letter = make_dead_letter(
        step="validate",
        reason="oversize",
        detail="x",
        original=b"x",
        key=b"k",
        position=SourcePosition(topic="t", partition=0, offset=0),
        worker="w",
    )
    for header, _ in dead_letter_headers(letter):
        assert f"`{header}`" in schema["description"]


@pytest.mark.parametrize(
    ("mutate", "keyword"),
    [
        (lambda v: v.pop("original_base64"), "required"),
        (lambda v: v.update(original_size=-1), "minimum"),
        (lambda v: v.update(source_partition="3"), "type"),
        (lambda v: v.update(original_base64="not base64!"), "pattern"),
        (lambda v: v.update(retries=1), "additionalProperties"),
    ],
    ids=["missing original", "negative size", "partition as string", "bad base64", "extra field"],
)
def test_dead_letter_mutations_fail(mutate: Any, keyword: str) -> None:
    """A dead letter with a missing field, a wrong value or an unknown field is rejected."""
    letter = _dead_letter_for(b"[]", b"k", SourcePosition(topic="raw-articles"))
    value = orjson.loads(dead_letter_bytes(letter))
    mutate(value)
    assert any(e.validator == keyword for e in errors("dead-letter", value))


# --- enriched-article --------------------------------------------------------------------------


def enriched_article() -> Article:
    """An article as the enrich stages leave it, with every entity kind, events and casualties."""
    title = "Ministers meet after strike"
    body = (
        "A drone strike near Kharkiv killed 3 people and injured 12, officials said. "
        "Foreign ministers met in Geneva to discuss a ceasefire."
    )
    text = f"{title}\n\n{body}"
    s1 = body.index("A drone") + len(title) + 2
    e1 = text.index("said.") + len("said.")
    s2 = text.index("Foreign")
    sentences = [
        Sentence(
            index=0,
            text=title,
            start=0,
            end=len(title),
            is_title=True,
            scores={"military": 0.3, "diplomatic": 0.6},
            cues={"diplomatic": ["ministers"]},
        ),
        Sentence(
            index=1,
            text=text[s1:e1],
            start=s1,
            end=e1,
            labels=["military"],
            scores={"military": 0.95, "diplomatic": 0.05},
            cues={"military": ["drone strike"]},
        ),
        Sentence(
            index=2,
            text=text[s2:],
            start=s2,
            end=len(text),
            labels=["diplomatic"],
            scores={"military": 0.1, "diplomatic": 0.9},
            cues={"diplomatic": ["foreign ministers", "ceasefire"]},
        ),
    ]
    return Article(
        id="article-1",
        source="reuters",
        body=body,
        title=title,
        url="https://example.com/a/1",
        published_at="2024-05-01T12:30:00Z",
        language="en",
        ingested_at="2024-05-01T12:31:00.000Z",
        text=text,
        topics=["military", "diplomatic"],
        labels={
            "military": LabelResult(0.95, [Evidence(1, sentences[1].text, 0.95, ["drone strike"])]),
            "diplomatic": LabelResult(
                0.9, [Evidence(2, sentences[2].text, 0.9, ["foreign ministers", "ceasefire"])]
            ),
        },
        sentences=sentences,
        entities=[
            Person(
                name="Dmytro Kuleba",
                mentions=["Kuleba"],
                role="foreign minister",
                country="Ukraine",
            ),
            Organization(name="United Nations", mentions=["UN"], kind="international"),
            Place(
                name="Kharkiv",
                mentions=["Kharkiv"],
                country="Ukraine",
                country_code="UA",
                admin1="Kharkivska Oblast",
                latitude=49.98,
                longitude=36.25,
                geonames_id=706483,
            ),
            Place(name="Somewhere", mentions=["Somewhere"], kind="region"),
            Weapon(name="Shahed-136", mentions=["drone"], weapon_type="drone", origin=["Iran"]),
        ],
        events=[
            Event(
                type="airstrike",
                sentence=1,
                text=sentences[1].text,
                trigger="strike",
                acled=AcledCode("Explosions/Remote violence", "Air/drone strike"),
                cameo=CameoCode("195", "Employ aerial weapons", 4),
                plover=PloverCode("ASSAULT", "aerial"),
                location="Kharkiv",
                weapons=["Shahed-136"],
            ),
            Event(
                type="talks",
                sentence=2,
                text=sentences[2].text,
                trigger="met",
                acled=None,
                cameo=CameoCode("036", "Express intent to meet or negotiate", 1),
                plover=PloverCode("CONSULT"),
                actor="Foreign ministers",
            ),
        ],
        casualties=Casualties(
            killed=3,
            injured=12,
            evidence=[
                CasualtyEvidence("killed", 3, 1, sentences[1].text),
                CasualtyEvidence("injured", 12, 1, sentences[1].text),
            ],
        ),
    )


def finish(article: Article, result: DedupResult | None = None) -> dict[str, Any]:
    """Serialise an article with orjson and finish it; returns the JSON object written to Kafka."""
    result = result or DedupResult(cluster=article.id)
    settings = Settings()
    record: dict[str, Any] = orjson.loads(orjson.dumps(article))
    routed = Finisher(
        settings, lambda _id, _body, _ts: result, lambda _id, _occ, _ts, first: first
    ).finish(record)
    finished: dict[str, Any] = orjson.loads(routed.value)
    return finished


def test_finished_article_validates() -> None:
    """An enriched article with every entity kind, events and casualties validates once finished."""
    value = finish(enriched_article())
    assert value["routed_to"] == ["military", "diplomatic"]
    assert errors("enriched-article", value) == []


@pytest.mark.parametrize(
    ("topics", "result", "routed_to"),
    [
        ([], DedupResult(), ["unclassified"]),
        (["diplomatic"], DedupResult(), ["diplomatic"]),
        (["military"], DedupResult("duplicate", "article-0", 1.0, "article-0"), ["duplicates"]),
        (
            ["military"],
            DedupResult("near_duplicate", "article-0", 0.7, "article-0"),
            ["duplicates"],
        ),
    ],
    ids=["unclassified", "diplomatic", "duplicate", "near duplicate"],
)
def test_finished_article_on_every_route_validates(
    topics: list[str], result: DedupResult, routed_to: list[str]
) -> None:
    """Finished articles bound for unclassified, a label topic or duplicates all validate."""
    article = enriched_article()
    article.topics = topics
    value = finish(article, result)
    assert value["routed_to"] == routed_to
    assert errors("enriched-article", value) == []


def _defs_for() -> dict[type, str]:
    return {
        Sentence: "sentence",
        Evidence: "evidence",
        LabelResult: "labelResult",
        Person: "person",
        Organization: "organization",
        Place: "location",
        Weapon: "weapon",
        CasualtyEvidence: "casualtyEvidence",
        Casualties: "casualties",
        AcledCode: "acled",
        CameoCode: "cameo",
        PloverCode: "plover",
        Event: "event",
        DedupResult: "dedup",
        records.PipelineInfo: "pipeline",
    }


def test_enriched_schema_matches_every_dataclass() -> None:
    """Every record dataclass field is a required property of its schema object, and no more."""
    schema = load("enriched-article")
    names = [f.name for f in dataclasses.fields(Article)]
    assert sorted(schema["required"]) == sorted(names) == sorted(schema["properties"])
    for cls, key in _defs_for().items():
        node = schema["$defs"][key]
        names = [f.name for f in dataclasses.fields(cls)]
        assert sorted(node["required"]) == sorted(names) == sorted(node["properties"]), cls
        assert node["additionalProperties"] is False
    assert sorted(schema["properties"]["labels"]["required"]) == sorted(records.LABELS)


def _set(path: tuple[Any, ...], value: Any) -> Any:
    def mutate(record: dict[str, Any]) -> None:
        node: Any = record
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return mutate


def _drop(path: tuple[Any, ...]) -> Any:
    def mutate(record: dict[str, Any]) -> None:
        node: Any = record
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return mutate


ENRICHED_MUTATIONS: dict[str, tuple[Any, str]] = {
    "missing top-level field": (_drop(("casualties",)), "required"),
    "missing processed_at": (_drop(("processed_at",)), "required"),
    "missing label": (_drop(("labels", "diplomatic")), "required"),
    "missing cameo quad_class": (_drop(("events", 0, "cameo", "quad_class")), "required"),
    "missing entity field": (_drop(("entities", 2, "latitude")), "required"),
    "bad dedup status": (_set(("dedup", "status"), "maybe"), "enum"),
    "bad entity type": (_set(("entities", 0, "type"), "vehicle"), "const"),
    "bad sentence label": (_set(("sentences", 1, "labels"), ["economic"]), "enum"),
    "bad casualty kind": (_set(("casualties", "evidence", 0, "kind"), "missing"), "enum"),
    "unknown top-level field": (_set(("sentiment",), 0.5), "additionalProperties"),
    "unknown label": (
        _set(("labels", "economic"), {"score": 0.1, "evidence": []}),
        "additionalProperties",
    ),
    "unknown entity field": (_set(("entities", 1, "aliases"), []), "additionalProperties"),
    "unknown dedup field": (_set(("dedup", "score"), 1), "additionalProperties"),
    "score above 1": (_set(("labels", "military", "score"), 1.5), "maximum"),
    "sentence score below 0": (_set(("sentences", 0, "scores", "military"), -0.1), "minimum"),
    "latitude out of range": (_set(("entities", 2, "latitude"), 91.0), "maximum"),
    "longitude out of range": (_set(("entities", 2, "longitude"), -180.5), "minimum"),
    "quad class 5": (_set(("events", 0, "cameo", "quad_class"), 5), "maximum"),
    "cameo code not digits": (_set(("events", 0, "cameo", "code"), "19a"), "pattern"),
    "acled wrong shape": (_set(("events", 1, "acled"), "Battles"), "type"),
    "routed nowhere": (_set(("routed_to",), []), "minItems"),
    "null pipeline": (_set(("pipeline",), None), "type"),
    "similarity above 1": (_set(("dedup", "similarity"), 1.2), "maximum"),
}


def _all_keywords(error: ValidationError) -> set[str]:
    found = {str(error.validator)}
    for sub in error.context or []:
        found |= _all_keywords(sub)
    return found


@pytest.mark.parametrize(
    ("mutate", "keyword"), ENRICHED_MUTATIONS.values(), ids=ENRICHED_MUTATIONS.keys()
)
def test_enriched_article_mutations_fail(mutate: Any, keyword: str) -> None:
    """A finished article with a missing, out-of-range, bad-enum or unknown field fails."""
    value = copy.deepcopy(finish(enriched_article()))
    mutate(value)
    found = errors("enriched-article", value)
    assert found, "mutation was accepted"
    assert any(keyword in _all_keywords(e) for e in found), [e.message for e in found]


@pytest.mark.skipif(not CHECKS_DATE_TIME, reason="date-time needs rfc3339-validator installed")
def test_enriched_article_bad_processed_at_fails() -> None:
    """A processed_at that is not an RFC 3339 timestamp fails the date-time format check."""
    value = finish(enriched_article())
    value["processed_at"] = "01/05/2024"
    assert fails_with("enriched-article", value, "format", ("processed_at",))
