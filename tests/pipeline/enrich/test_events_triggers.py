"""The literals read off the trigger patterns (workers/pipeline/enrich/events_triggers.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpora import enrichment_fields_and_seeds
from workers.pipeline.enrich.casualties import split_sentences
from workers.pipeline.enrich.events import CATALOGUE
from workers.pipeline.enrich.events_triggers import literal_prefixes, required_literals


def _tried_patterns() -> list[re.Pattern[str]]:
    """The catalogue's patterns tried at their prefixes' starts."""
    patterns = [
        pattern
        for event_type in CATALOGUE.ordered
        for (pattern, _, _), pattern_id in zip(
            event_type.patterns, event_type.pattern_ids, strict=True
        )
        if pattern_id >= 0
    ]
    patterns += [
        t.preceded[0] for t in CATALOGUE.ordered if t.preceded is not None and t.preceded_id >= 0
    ]
    return patterns


TRIED = [(p, required_literals(p.pattern)) for p in _tried_patterns()]
REQUIRING = [(pattern, strings) for pattern, strings in TRIED if strings is not None]
REAL_SENTENCES = [
    text[start:end].lower()
    for text in enrichment_fields_and_seeds()
    for start, end in split_sentences(text)
]
# The words the patterns name, to build sentences that they match.
_VOCABULARY = sorted({w for p, _ in TRIED for w in re.findall(r"[a-z][a-z']*", p.pattern)})
_SEPARATORS = st.sampled_from([" ", " ", " ", ", ", "-", "  ", "\n", "’"])
PATTERN_WORDS = st.lists(
    st.tuples(st.sampled_from(_VOCABULARY) | st.sampled_from(["2", "12", "a", "the"]), _SEPARATORS),
    max_size=14,
).map(lambda parts: "".join(word + separator for word, separator in parts))


def _every_match_holds_one(text: str) -> None:
    for pattern, strings in REQUIRING:
        for match in pattern.finditer(text):
            assert any(s in match.group() for s in strings), (pattern.pattern, match.group())


def test_most_tried_patterns_have_required_literals() -> None:
    """Most patterns tried at starts get a set of required literals, none shorter than three
    characters and none inside one of the pattern's prefixes."""
    assert len(REQUIRING) > len(TRIED) // 2
    for pattern, strings in REQUIRING:
        prefixes = literal_prefixes(pattern.pattern) or frozenset()
        assert min(map(len, strings)) >= 3
        assert not any(s in prefix for s in strings for prefix in prefixes)


def test_every_match_in_real_sentences_holds_a_required_literal() -> None:
    """In the real sentences, every match of a pattern contains one of its required literals."""
    matched = 0
    for text in REAL_SENTENCES:
        _every_match_holds_one(text)
        matched += sum(1 for p, _ in REQUIRING if p.search(text))
    assert matched > 100


@settings(max_examples=600, deadline=None)
@given(PATTERN_WORDS)
def test_every_match_in_generated_sentences_holds_a_required_literal(text: str) -> None:
    """In sentences made of the words the patterns name, every match of a pattern contains
    one of its required literals."""
    _every_match_holds_one(text)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # The rarest set after the prefix: the longer strings.
        (r"(?:its|their)\s+(?:air\s+)?defen[cs]es\s+(?:intercepted|downed)\b",
         {"defences", "defenses"}),
        # Each alternative of a branch gives its own rarest set.
        (r"(?:drones?|rockets)\s+(?:\w+\s+){0,3}(?:struck|hit\s+the|(?:fired|shot)\s+at)\b",
         {"struck", "hit", "fired", "shot"}),
        # An optional piece and a repeated-or-absent one require nothing.
        (r"shell(?:ed|ing)\s+(?:heavy\s+)?(?:\w+\s+)*town", {"town"}),
        (r"abc(?:\s+defg)?\s+xyz", {"xyz"}),
        # A string inside a prefix tells nothing; a short one occurs everywhere.
        (r"air[\s-]?(?:strikes?|raids?)\b", None),
        (r"strikes?\s+(?:on|at)\b", None),
        # A branch with an alternative of no usable literal requires nothing.
        (r"struck\s+(?:\w+\s+)?(?:bases|.)", None),
        # Letters of any case match a case-insensitive pattern.
        (r"(?i)struck\s+bases", None),
        (r"(?i:struck)\s+bases", {"bases"}),
    ],
)  # fmt: skip
def test_required_literals_of_sample_patterns(source: str, expected: set[str] | None) -> None:
    """The required literals of a pattern are the rarest set of strings each match contains."""
    assert required_literals(source) == (None if expected is None else frozenset(expected))
