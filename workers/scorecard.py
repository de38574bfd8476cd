"""Scores enrichment and dedup against gold annotations: what ``newsflow evaluate`` adds to labels.

Articles may carry ``people``, ``places``, ``weapons`` (gold names), ``killed``/``injured``
(int, or null when not stated) and ``events`` (event types). Reprint sets carry ``story``
and ``order``. Each score is computed only over the records that carry its gold field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from workers.io.offline import OfflinePipeline
from workers.io.sources import RawRecord
from workers.settings import Settings

ENTITY_FIELDS = {"people": "person", "places": "location", "weapons": "weapon"}

# newsflow's event types are finer than the coarse vocabulary gold files use; a type
# counts for every coarse type it implies (a visit is a meeting, a UN veto is a UN vote).
COARSE_EVENT_TYPES: dict[str, set[str]] = {
    "airstrike": {"air_strike"},
    "drone_strike": {"drone_strike", "air_strike"},
    "missile_strike": {"missile_strike"},
    "shelling": {"shelling"},
    "armed_clash": {"armed_clash"},
    "military_attack": {"armed_clash"},
    "interception": {"interception"},
    "ground_advance": {"ground_advance"},
    "territory_captured": {"ground_advance"},
    "territory_regained": {"ground_advance"},
    "withdrawal": {"withdrawal"},
    "attack_on_civilians": {"attack_on_civilians"},
    "explosion": {"attack_on_civilians", "armed_clash"},
    "suicide_bombing": {"attack_on_civilians"},
    "military_aid": {"military_aid", "weapons_delivery"},
    "military_aid_pledge": {"military_aid", "weapons_delivery"},
    "phone_call": {"phone_call"},
    "meeting": {"meeting", "summit", "talks"},
    "visit": {"meeting"},
    "hosted_visit": {"meeting"},
    "negotiation": {"talks"},
    "mediation": {"talks"},
    "meeting_cancelled": {"summit_cancelled"},
    "peace_proposal": {"proposal"},
    "intent_to_meet": {"proposal"},
    "ceasefire_agreed": {"ceasefire"},
    "peace_agreement": {"agreement"},
    "sanctions": {"sanctions"},
    "diplomat_expulsion": {"diplomatic_expulsion"},
    "relations_cut": {"diplomatic_expulsion"},
    "ambassador_recall": {"ambassador_recalled"},
    "un_resolution": {"un_vote"},
    "un_veto": {"un_vote"},
    "prisoner_exchange": {"prisoner_exchange"},
    "accusation": {"accusation"},
    "condemnation": {"accusation"},
    "threat": {"threat"},
    "military_threat": {"threat"},
    "show_of_force": set(),
    "protest": {"protest"},
    "riot": {"protest"},
    "arrest": {"arrest"},
    "evacuation": {"evacuation"},
    "ceasefire_violation": {"armed_clash"},
    "military_aid_cut": {"military_aid"},
    "talks_halted": {"talks"},
    "proposal_rejected": {"proposal"},
    "release": {"prisoner_exchange"},
    "abduction": {"attack_on_civilians"},
    "assassination": {"attack_on_civilians"},
    # Types the coarse vocabulary has no word for; they are left out of precision.
    "troop_deployment": set(),
    "joint_exercise": set(),
    "ambassador_summoned": set(),
    "appeal": set(),
    "demand": set(),
}


def coarse_types(kind: str) -> set[str]:
    """The coarse event types a newsflow event type counts as."""
    return COARSE_EVENT_TYPES.get(kind, {kind})


def _fold(name: str) -> str:
    stripped = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(stripped.casefold().replace("-", " ").split())


@dataclass(slots=True)
class Recall:
    """Found and expected counts, and what was missed."""

    found: int = 0
    expected: int = 0
    predicted: int = 0
    matched_predictions: int = 0
    missed: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched_predictions / self.predicted if self.predicted else 1.0


@dataclass(slots=True)
class Scorecard:
    """Enrichment scores over one file."""

    entities: dict[str, Recall] = field(default_factory=dict)
    casualties_exact: int = 0
    casualties_total: int = 0
    casualty_misses: list[str] = field(default_factory=list)
    events: Recall = field(default_factory=Recall)


def _names_of(entity: dict[str, Any]) -> set[str]:
    return {_fold(entity["name"]), *(_fold(m) for m in entity.get("mentions", []))}


def _score_entities(
    gold: list[str], entities: list[dict[str, Any]], recall: Recall, rid: str
) -> None:
    predicted = [_names_of(entity) for entity in entities]
    gold_folded = [_fold(name) for name in gold]
    recall.expected += len(gold)
    recall.predicted += len(predicted)
    for name, folded in zip(gold, gold_folded, strict=True):
        if any(folded in names for names in predicted):
            recall.found += 1
        else:
            recall.missed.append(f"{rid}: {name}")
    recall.matched_predictions += sum(1 for names in predicted if names & set(gold_folded))


def _score_casualties(record: dict[str, Any], out: dict[str, Any], card: Scorecard) -> None:
    if "killed" not in record and "injured" not in record:
        return
    card.casualties_total += 1
    got = (out["casualties"]["killed"], out["casualties"]["injured"])
    want = (record.get("killed"), record.get("injured"))
    if got == want:
        card.casualties_exact += 1
    else:
        card.casualty_misses.append(f"{record['id']}: want {want} got {got}")


def _score_events(gold: list[str], out: dict[str, Any], recall: Recall, rid: str) -> None:
    predicted = [kinds for event in out["events"] if (kinds := coarse_types(event["type"]))]
    covered = set().union(*predicted) if predicted else set()
    recall.expected += len(set(gold))
    recall.predicted += len(predicted)
    for kind in set(gold):
        if kind in covered:
            recall.found += 1
        else:
            recall.missed.append(f"{rid}: {kind}")
    recall.matched_predictions += sum(1 for kinds in predicted if kinds & set(gold))


def score_enrichment(records: Iterable[dict[str, Any]]) -> Scorecard:
    """Run each record through the pipeline and score its entities, casualties and events."""
    pipeline = OfflinePipeline(Settings())
    card = Scorecard(entities={name: Recall() for name in ENTITY_FIELDS})
    for sequence, record in enumerate(records):
        raw = RawRecord(None, orjson.dumps({k: record.get(k) for k in ("id", "title", "body")}), "")
        out = orjson.loads(pipeline.process(raw, sequence))
        if "entities" not in out:
            continue
        for gold_field, kind in ENTITY_FIELDS.items():
            if gold_field in record:
                typed = [e for e in out["entities"] if e["type"] == kind]
                _score_entities(record[gold_field], typed, card.entities[gold_field], record["id"])
        _score_casualties(record, out, card)
        if "events" in record:
            _score_events(record["events"], out, card.events, record["id"])
    return card


def format_scorecard(card: Scorecard) -> str:
    """The scores as lines of text, with the misses listed last."""
    lines = [f"{'field':<12}{'recall':>8}{'precision':>11}{'found/expected':>17}"]
    for name, recall in card.entities.items():
        if recall.expected:
            lines.append(
                f"{name:<12}{recall.recall:>8.3f}{recall.precision:>11.3f}"
                f"{f'{recall.found}/{recall.expected}':>17}"
            )
    if card.events.expected:
        events = card.events
        lines.append(
            f"{'event types':<12}{events.recall:>8.3f}{events.precision:>11.3f}"
            f"{f'{events.found}/{events.expected}':>17}"
        )
    if card.casualties_total:
        share = card.casualties_exact / card.casualties_total
        lines.append(
            f"casualties exact (killed and injured): {share:.3f} "
            f"({card.casualties_exact}/{card.casualties_total})"
        )
    misses = [m for r in card.entities.values() for m in r.missed]
    misses += card.casualty_misses
    if misses:
        lines.append(f"misses ({len(misses)}): " + "; ".join(misses[:40]))
    return "\n".join(lines)


@dataclass(slots=True)
class DedupScore:
    """How a reprint set came out: copies pointing to their first article, stories merged."""

    copies: int = 0
    copies_to_first: int = 0
    wrong_merges: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def pointer_accuracy(self) -> float:
        return self.copies_to_first / self.copies if self.copies else 1.0


def score_dedup(records: Iterable[dict[str, Any]]) -> DedupScore:
    """Process a reprint set in arrival order; score copies and merges of distinct stories."""
    ordered = sorted(records, key=lambda r: r["order"])
    pipeline = OfflinePipeline(Settings())
    first_of_story: dict[str, str] = {}
    story_of: dict[str, str] = {}
    score = DedupScore()
    for sequence, record in enumerate(ordered):
        raw = RawRecord(None, orjson.dumps({k: record.get(k) for k in ("id", "title", "body")}), "")
        dedup = orjson.loads(pipeline.process(raw, sequence)).get("dedup", {})
        story, rid = record["story"], record["id"]
        story_of[rid] = story
        pointer = dedup.get("duplicate_of") if dedup.get("status") != "unique" else None
        if story not in first_of_story:
            first_of_story[story] = rid
            if pointer is not None:
                score.wrong_merges.append(f"{rid} -> {pointer}")
            continue
        score.copies += 1
        if pointer == first_of_story[story]:
            score.copies_to_first += 1
        elif pointer is not None and story_of.get(pointer) != story:
            score.wrong_merges.append(f"{rid} -> {pointer}")
        else:
            score.missed.append(rid)
    return score


def format_dedup(score: DedupScore) -> str:
    """The dedup score as lines of text."""
    return "\n".join(
        [
            f"copies pointing to their story's first article: {score.pointer_accuracy:.3f} "
            f"({score.copies_to_first}/{score.copies})",
            f"distinct stories merged: {len(score.wrong_merges)} {score.wrong_merges[:20]}",
            f"copies missed: {len(score.missed)} {score.missed[:20]}",
        ]
    )
