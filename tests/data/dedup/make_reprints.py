"""Build ``reprints.jsonl`` from ``stories.py``: run ``python tests/data/dedup/make_reprints.py``.

Each record is ``{"id", "story", "title", "body", "order", "kind", "split"}``; ``order`` is the
arrival order and the first-arriving record of a story is its original. A third of the stories
(and one template series, one same-topic pair) form the ``holdout`` split, never used for tuning.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from stories import (  # noqa: E402
    BOILER_BOTTOM,
    BOILER_TOP,
    PARAPHRASES,
    SAME_TOPIC_PAIRS,
    STORIES,
    TEMPLATE_SERIES,
    Story,
)

OUT = Path(__file__).with_name("reprints.jsonl")
AGENCIES = ["Reuters", "AP", "AFP"]
EDITORS = ["Reporting by Pavel Polityuk; Editing by Alex Richardson", "Writing by Tom Balmforth"]


def _apply_rewrites(paras: list[str], rewrites: list[tuple[str, str]]) -> list[str]:
    out = []
    for para in paras:
        for old, new in rewrites:
            para = para.replace(old, new)
        out.append(para)
    return out


def _with_dateline(paras: list[str], dateline: str, agency: str) -> list[str]:
    return [f"{dateline} ({agency}) - {paras[0]}", *paras[1:]]


def make_copy(story: Story, kind: str, rng: random.Random) -> tuple[str, str]:
    """Return (title, body) of one copy of ``story`` of the given kind."""
    paras: list[str] = list(story["paras"])
    title: str = story["title"]
    agency = rng.choice(AGENCIES)
    if kind == "reprint":
        body = [f"By {rng.choice(['Anna Shevchuk', 'David Lorne'])}"]
        body += _with_dateline(paras, story["dateline"], agency)
        body += [rng.choice(EDITORS), f"Copyright {agency} 2025"]
        return f"UPDATE 1-{title}", "\n".join(body)
    if kind == "trim":
        keep = paras[:-1] if len(paras) > 2 else paras[:1]
        return f"{title} - report", "\n\n".join(_with_dateline(keep, story["dateline"], agency))
    if kind == "add_top":
        return f"{title}: what we know", "\n".join([story["extra"], *paras])
    if kind == "add_bottom":
        return title.upper(), "\n".join([*paras, story["extra"]])
    if kind == "reword":
        reworded = _apply_rewrites(paras, story.get("rewrites", []))
        return f"{title} (updated)", "\n".join(reworded)
    if kind == "paraphrase":
        paraphrased = PARAPHRASES[story["key"]]
        return f"{title} - sources", "\n".join(
            _with_dateline(paraphrased, story["dateline"], agency)
        )
    if kind == "trim_reword":
        reworded = _apply_rewrites(paras, story.get("rewrites", []))[:-1] or paras
        return f"{title} - brief", "\n".join([*reworded, story["extra"]])
    if kind == "boiler":
        return title, "\n".join([*BOILER_TOP, title, *paras, *BOILER_BOTTOM])
    raise ValueError(kind)


def _story_events(
    story: Story, split: str, start: float, rng: random.Random
) -> list[dict[str, Any]]:
    body = "\n".join(story["paras"])
    events = [
        {
            "story": story["key"],
            "title": story["title"],
            "body": body,
            "kind": "original",
            "split": split,
            "t": start,
        }
    ]
    kinds = list(story.get("copies", []))
    if story["key"] in PARAPHRASES:
        kinds.append("paraphrase")
    if len(story["paras"]) > 3 and "trim" not in kinds:
        kinds.append("trim_reword")
    for n, kind in enumerate(kinds):
        title, copy = make_copy(story, kind, rng)
        events.append(
            {
                "story": story["key"],
                "title": title,
                "body": copy,
                "kind": kind,
                "split": split,
                "t": start + 1 + n * rng.uniform(3, 40),
            }
        )
    return events


def _template_events(series: Story, split: str, start: float) -> list[dict[str, Any]]:
    events = []
    for day, values in enumerate(series["days"]):
        key = f"{series['key']}-day{day + 1}"
        body = series["template"].format(**values)
        events.append(
            {
                "story": key,
                "title": series["title"].format(**values),
                "body": body,
                "kind": "template",
                "split": split,
                "t": start + day * 20,
            }
        )
        if day == series["copy_day"]:
            copy = f"KYIV (Reuters) - {body}\nCopyright Reuters 2025"
            events.append(
                {
                    "story": key,
                    "title": "Daily update",
                    "body": copy,
                    "kind": "reprint",
                    "split": split,
                    "t": start + day * 20 + 25,
                }
            )
    return events


def build() -> list[dict[str, Any]]:
    """All records, ordered by arrival and numbered."""
    rng = random.Random(20251122)
    events: list[dict[str, Any]] = []
    for i, story in enumerate(STORIES):
        split = "holdout" if i % 3 == 2 else "dev"
        events += _story_events(story, split, rng.uniform(0, 400), rng)
    for i, series in enumerate(TEMPLATE_SERIES):
        split = "holdout" if i == 3 else "dev"
        events += _template_events(series, split, rng.uniform(0, 300))
    for i, pair in enumerate(SAME_TOPIC_PAIRS):
        split = "holdout" if i == len(SAME_TOPIC_PAIRS) - 1 else "dev"
        for story in pair:
            events += _story_events(story, split, rng.uniform(0, 400), rng)
    events.sort(key=lambda e: e["t"])
    records = []
    for order, event in enumerate(events):
        records.append(
            {
                "id": f"a{order:04d}-{event['story']}",
                "story": event["story"],
                "title": event["title"],
                "body": event["body"],
                "order": order,
                "kind": event["kind"],
                "split": event["split"],
            }
        )
    return records


def main() -> None:
    """Write the corpus."""
    with OUT.open("w", encoding="utf-8") as fh:
        for record in build():
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
