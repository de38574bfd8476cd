"""The team's enrichment corpora and the seeds, read by tests that run a stage on real text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ENRICH = ROOT / "tests" / "data" / "enrich"
TEXT_FIELDS = ("title", "body", "text")


def enrichment_records() -> list[dict[str, Any]]:
    """Every record of the enrichment corpora (tests/data/enrich), in file order."""
    return [
        json.loads(line)
        for path in sorted(ENRICH.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]


def record_fields(record: dict[str, Any]) -> list[str]:
    """The title, body and text of a record, those it has."""
    return [value for key in TEXT_FIELDS if isinstance(value := record.get(key), str)]


def enrichment_texts() -> list[str]:
    """Each enrichment record's non-empty title, body and text joined as one article text."""
    return [
        "\n\n".join(part for part in record_fields(record) if part)
        for record in enrichment_records()
    ]


def enrichment_fields_and_seeds() -> list[str]:
    """Every title, body and text of the enrichment corpora, then each seed article."""
    fields = [field for record in enrichment_records() for field in record_fields(record)]
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    return fields + [path.read_text(encoding="utf-8") for path in seeds]
