"""The entity glue's shortcuts agree with the rules they stand for."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpora import enrichment_fields_and_seeds, enrichment_texts
from workers.pipeline.enrich.context import (
    IN_BEFORE_RE,
    LOCALITY_BEFORE_RE,
    LOCALITY_WINDOW,
    SPEECH_BEFORE_RE,
    in_before,
    locality_cue_before,
    speech_before,
    speech_before_reference,
)
from workers.pipeline.enrich.entities import TITLE_GATE, walked_runs
from workers.pipeline.enrich.lexicon import load_lexicon
from workers.pipeline.enrich.people import lower_title_before

# Words and marks the "...$" cue patterns are made of, with white space of every kind Python's
# ``\s`` knows (and characters it does not), so random texts often end in a (near) cue.
_PIECES = [
    "village",
    "villages",
    "of",
    "the",
    "The",
    "near",
    "NEAR",
    "OF",
    "Outskirts",
    "VILLAGES",
    "ſ",
    "\u212a",
    "İ",
    "ı",
    "VİLLAGE",
    "vıllage",
    "Σ",
    "É",
    "’",
    "outside",
    "on",
    "outskirts",
    "in",
    "nearby",
    "residents",
    "said",
    "according",
    "to",
    "sources",
    "close",
    "told",
    "by",
    "x",
    "-",
    "—",
    "”",
    '"',
    ",",
    "'",
    "_",
    "é",
    " ",
    "  ",
    "\t",
    "\n",
    "\u00a0",
    "\u2003",
    "\x1c",
    "\x1f",
    "\u200b",
]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=24).map("".join)


def test_lower_casing_keeps_case_blind_matches_outside_the_folding_set() -> None:
    """Outside the characters the tail search excludes, no character but an ASCII one folds to
    an ASCII letter, and lower-casing keeps each character one character, of the same kind."""
    excluded = {"\u0130", "\u0131", "\u017f", "\u212a"}
    letter = re.compile("[a-z]", re.IGNORECASE)
    word = re.compile(r"\w")
    space = re.compile(r"\s")
    for point in range(0x80, 0x110000):
        char = chr(point)
        if char in excluded or 0xD800 <= point < 0xE000:
            continue
        lower = char.lower()
        assert letter.fullmatch(char) is None, hex(point)
        assert len(lower) == 1, hex(point)
        assert (word.match(char) is None) == (word.match(lower) is None), hex(point)
        assert (space.match(char) is None) == (space.match(lower) is None), hex(point)


def _windows() -> list[str]:
    """The text before every word of the enrichment corpora (at most a locality window)."""
    out: list[str] = []
    for text in enrichment_texts():
        for match in re.finditer(r"\w+", text):
            out.append(text[max(0, match.start() - LOCALITY_WINDOW) : match.start()])
    return out


@settings(max_examples=3000, deadline=None)
@given(_TEXTS)
def test_tail_searches_agree_on_arbitrary_text(before: str) -> None:
    """The tail searches answer as the whole-window searches on arbitrary cue-like text."""
    assert locality_cue_before(before) == (LOCALITY_BEFORE_RE.search(before) is not None)
    assert in_before(before) == (IN_BEFORE_RE.search(before) is not None)
    assert speech_before(before) == speech_before_reference(before)
    assert speech_before_reference(before) == (SPEECH_BEFORE_RE.search(before) is not None)


def test_tail_searches_agree_on_corpus_windows() -> None:
    """The tail searches answer as the whole-window searches before every corpus word."""
    windows = _windows()
    assert len(windows) > 1000
    found = 0
    for before in windows:
        expected = LOCALITY_BEFORE_RE.search(before) is not None
        found += expected
        assert locality_cue_before(before) == expected, before
        assert in_before(before) == (IN_BEFORE_RE.search(before) is not None), before
        assert speech_before(before) == speech_before_reference(before), before
    assert found > 0


def test_title_gate_lets_the_title_search_skip_its_own_first_test() -> None:
    """Wherever the compiled gate lets a title end before an unknown name, the title search
    skipping its first test finds the same role as the full search."""
    lexicon = load_lexicon()
    gated = 0
    for text in enrichment_texts() + enrichment_fields_and_seeds():
        walk = walked_runs(text)
        gates = walk.name_gates()
        for group, gate in zip(walk.unknown, gates, strict=True):
            if gate & TITLE_GATE:
                gated += 1
                start = group[0].start
                expected = lower_title_before(lexicon, text, start)
                assert lower_title_before(lexicon, text, start, gated=True) == expected
    assert gated > 5
