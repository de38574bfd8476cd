"""The compiled casualty gates agree with their Python definitions on real and arbitrary text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from workers.pipeline.article import Sentence
from workers.pipeline.enrich import casualties
from workers.pipeline.segment import split_sentences

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "enrich" / "casualties.jsonl"

# Words that exercise the gates: cue tokens with their suffixes, counts, qualifiers, case
# variants, non-ASCII look-alikes (Kelvin sign, dotted I, sigma) and odd whitespace.
_PIECES = st.sampled_from(
    [
        "killed", "Killed.", "KILLED,", "dead", "died,", "injured”", "lives", "toll:",
        "\u212aills", "\u212ailled", "\u0130njured", "ΣIGMA", "wounded)", "hurt;",
        "three", "Twenty-one", "a", "an", "another", "at", "least", "as", "many", "up", "to",
        "12", "1,000", "٣", "x2", "_a", "a_", "people", "were", "and", "no", "one",
        "the", "soldiers", "civilians", "é", "l'a", "\ud800", "-", ".", ";",
    ]
)  # fmt: skip
_SPACES = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\u2003", "\x1c", "\x85", "", "-"])
_TEXTS = st.lists(st.tuples(_PIECES, _SPACES).map("".join), max_size=30).map("".join)
# Words of subject figures ("at least three soldiers and 12 militants were killed"), so that
# generated sentences often hold a match, with stops and commas between clauses.
_SUBJECT_WORDS = st.sampled_from(
    [
        "at least", "three", "12", "a", "another", "people", "soldiers", "civilians", "young",
        "were", "was", "have been", "killed", "injured", "dead", "hurt", "lost their lives",
        "and", "in total", "seriously", ", including two children,", ".", ";", ",", "of the",
        "army", "10-year-old", "among the wounded", "two hundred",
    ]
)  # fmt: skip
_SUBJECT_TEXTS = st.lists(_SUBJECT_WORDS, max_size=14).map(" ".join)


def _sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(index, text, 0, len(text)) for index, text in enumerate(texts)]


def _corpus_texts() -> list[str]:
    texts = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line:
            text = json.loads(line)["text"]
            texts += [text[start:end] for start, end in split_sentences(text)]
    return texts


Found = list[tuple[tuple[int, int], dict[str, str | None]]]
_GATED_PATTERNS = (casualties._SUBJECT_RE, casualties._COORDINATED_RE)


def _subject_reference(text: str) -> list[Found]:
    return [[(m.span(), m.groupdict()) for m in p.finditer(text)] for p in _GATED_PATTERNS]


def _subject_gated(text: str) -> list[Found]:
    starts = casualties._COUNT_STARTS.starts(text)
    return [
        [(m.span(), m.groupdict()) for m in casualties._matches_at(p, text, starts)]
        for p in _GATED_PATTERNS
    ]


def test_cue_sentences_match_the_reference_on_the_corpus() -> None:
    """The compiled cue gate selects exactly the corpus sentences the Python gate selects."""
    sentences = _sentences(_corpus_texts())
    selected = casualties.cue_sentences(sentences)
    assert selected == casualties.cue_sentences_reference(sentences)
    assert 0 < len(selected) < len(sentences)


@settings(max_examples=400)
@given(st.lists(_TEXTS | st.text(), max_size=6))
def test_cue_sentences_match_the_reference_on_any_text(texts: list[str]) -> None:
    """The compiled cue gate agrees with lower-casing and splitting in Python on any text."""
    sentences = _sentences(texts)
    assert casualties.cue_sentences(sentences) == casualties.cue_sentences_reference(sentences)


def test_count_starts_hold_every_start_of_the_count_lookahead_on_the_corpus() -> None:
    """Every position where the count lookahead holds in a corpus sentence is a count start."""
    ahead = re.compile(rf"\b{casualties._QUAL_COUNT_AHEAD}")
    for text in _corpus_texts():
        lowered = text.lower()
        starts = set(casualties._COUNT_STARTS.starts(lowered))
        assert {m.start() for m in ahead.finditer(lowered)} <= starts


@settings(max_examples=400)
@given(_TEXTS | st.text())
def test_count_starts_hold_every_start_of_the_count_lookahead(text: str) -> None:
    """On any text, the count starts include every position where the lookahead holds."""
    ahead = re.compile(rf"\b{casualties._QUAL_COUNT_AHEAD}")
    for value in (text, text.lower()):
        assert {m.start() for m in ahead.finditer(value)} <= set(
            casualties._COUNT_STARTS.starts(value)
        )


def test_subject_matches_at_count_starts_are_the_full_search_on_the_corpus() -> None:
    """Matching the subject patterns at count starts finds what a full search finds."""
    for text in _corpus_texts():
        lowered = text.lower()
        assert _subject_gated(lowered) == _subject_reference(lowered)


@settings(max_examples=400)
@given(_TEXTS | _SUBJECT_TEXTS)
def test_subject_matches_at_count_starts_are_the_full_search(text: str) -> None:
    """On generated sentences the subject matches at count starts equal the full search."""
    lowered = text.lower()
    assert _subject_gated(lowered) == _subject_reference(lowered)
