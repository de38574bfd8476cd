"""The route stage: which output topics an article goes to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workers.pipeline.article import LABELS


def route_topics(
    labels: Sequence[str],
    dedup_status: str,
    *,
    label_topics: Mapping[str, str],
    unclassified_topic: str,
    duplicates_topic: str,
    forward_duplicates: bool = False,
) -> tuple[list[str], list[str]]:
    """Return (label topics, all topics) for an article's predicted labels and dedup status.

    A duplicate goes to the duplicates topic only, unless ``forward_duplicates`` is set,
    in which case it also goes to its label topics, marked by its ``dedup`` field.
    """
    chosen = [label_topics[label] for label in LABELS if label in labels]
    if dedup_status != "unique":
        forwarded = chosen if forward_duplicates else []
        return forwarded, [duplicates_topic, *forwarded]
    if chosen:
        return chosen, list(chosen)
    return [], [unclassified_topic]
