"""Tests of routing decisions."""

from __future__ import annotations

from workers.pipeline.route import route_topics

TOPICS = {"military": "mil", "diplomatic": "dip"}


def _route(labels: list[str], status: str, forward: bool = False) -> tuple[list[str], list[str]]:
    return route_topics(
        labels,
        status,
        label_topics=TOPICS,
        unclassified_topic="none",
        duplicates_topic="dups",
        forward_duplicates=forward,
    )


def test_unique_article_with_both_labels_goes_to_both_topics() -> None:
    """A unique article labelled military and diplomatic goes to both label topics."""
    assert _route(["diplomatic", "military"], "unique") == (["mil", "dip"], ["mil", "dip"])


def test_unique_article_without_labels_goes_to_unclassified() -> None:
    """A unique article with no label goes to the unclassified topic only."""
    assert _route([], "unique") == ([], ["none"])


def test_duplicate_goes_to_duplicates_only_by_default() -> None:
    """A duplicate goes to the duplicates topic and not to its label topics."""
    assert _route(["military"], "near_duplicate") == ([], ["dups"])


def test_duplicate_is_forwarded_when_configured() -> None:
    """With forwarding on, a duplicate also goes to its label topics."""
    assert _route(["military"], "duplicate", forward=True) == (["mil"], ["dups", "mil"])
