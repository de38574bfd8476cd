"""Human-readable summaries of output records, for the demo and the terminal."""

from __future__ import annotations

from collections import Counter
from typing import Any

_TOP = 5


def _title(record: dict[str, Any]) -> str:
    if record.get("title"):
        return str(record["title"])
    words = str(record.get("body", "")).split()
    return "(untitled) " + " ".join(words[:12]) + (" ..." if len(words) > 12 else "")


def _entities(record: dict[str, Any], kind: str) -> str:
    names = []
    for entity in record.get("entities", []):
        if entity.get("type") != kind:
            continue
        detail = entity.get("role") or entity.get("country_code") or entity.get("weapon_type")
        names.append(f"{entity['name']} ({detail})" if detail else entity["name"])
    if not names:
        return "-"
    more = f" +{len(names) - _TOP} more" if len(names) > _TOP else ""
    return ", ".join(names[:_TOP]) + more


def _labels(record: dict[str, Any]) -> str:
    parts = []
    for label, result in record.get("labels", {}).items():
        cues: list[str] = []
        for evidence in result.get("evidence", []):
            cues += [cue for cue in evidence.get("cues", []) if cue not in cues]
        shown = f" [{', '.join(cues[:4])}]" if cues else ""
        parts.append(f"{label} {result.get('score', 0):.2f}{shown}")
    return "; ".join(parts) or "-"


def _events(record: dict[str, Any]) -> str:
    counts = Counter(event.get("type", "?") for event in record.get("events", []))
    return ", ".join(f"{kind} x{count}" for kind, count in counts.most_common()) or "-"


def _dedup(record: dict[str, Any]) -> str:
    dedup = record.get("dedup", {})
    if dedup.get("status") == "unique":
        return "unique"
    return (
        f"{dedup.get('status')} of {dedup.get('duplicate_of')} "
        f"(similarity {dedup.get('similarity', 0):.2f})"
    )


def _count(value: object) -> str:
    return "not reported" if value is None else str(value)


def _casualties(record: dict[str, Any]) -> str:
    casualties = record.get("casualties", {})
    return f"killed {_count(casualties.get('killed'))}, injured {_count(casualties.get('injured'))}"


def summarise(record: dict[str, Any]) -> str:
    """A few indented lines saying what newsflow made of one article."""
    lines = [
        _title(record),
        f"  id {record.get('id')}  source {record.get('source')}",
        f"  routed to : {', '.join(record.get('routed_to', [])) or '-'}",
        f"  labels    : {_labels(record)}",
        f"  people    : {_entities(record, 'person')}",
        f"  orgs      : {_entities(record, 'organization')}",
        f"  places    : {_entities(record, 'location')}",
        f"  weapons   : {_entities(record, 'weapon')}",
        f"  casualties: {_casualties(record)}",
        f"  events    : {_events(record)}",
        f"  dedup     : {_dedup(record)}",
    ]
    return "\n".join(lines)
