"""The compiled event triggers (workers/native/src/events*.rs) against their Python reference."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpora import enrichment_fields_and_seeds
from workers._native import EventTriggers
from workers.pipeline.article import Article
from workers.pipeline.enrich.casualties import split_sentences
from workers.pipeline.enrich.events import (
    _FILTERS,
    _MODAL_PHRASES,
    _MODAL_WORDS,
    CATALOGUE,
    _python_classes,
    _sentence_types,
    _sentence_types_reference,
)


def _sentences(texts: list[str]) -> list[str]:
    return [text[start:end] for text in texts for start, end in split_sentences(text)]


REAL_SENTENCES = _sentences(enrichment_fields_and_seeds())

# Words that make the gates and the trigger patterns fire, and their filters.
_WORDS = sorted(
    {w for w in CATALOGUE.anchors if w.isalpha()}
    | {w for w in CATALOGUE.military_cues | CATALOGUE.diplomatic_cues if w.isalpha()}
    | {"could", "will", "accused", "of", "since", "2022", "began", "in", "has", "long", "by",
       "ready", "to", "the", "russian", "ukrainian", "forces", "Kyiv", "Warned", "Hamas",
       "two", "years", "ago", "on,", "not", "talks", "a", "summit", "police"}
)  # fmt: skip
# Characters on which Python's and the regex crate's classes differ, or whose lower case
# is longer, or which patterns name literally.
_ODD = [
    "\u0301", "\u0903", "\x1c", "\x1f", "\x85", "\xa0", "\u2000", "\u3000", "\u0663",
    "\u00b2", "\u2167", "\u203f", "\u200d", "\u0130", "ß", "é", "’", "–", "—", "“", "\n",
    "\t", "_", "-", ",", ".", ";", ":", "'", "$", "%", "1", "9", "0",
]  # fmt: skip
_PIECES = st.sampled_from(_WORDS) | st.sampled_from(_ODD) | st.text(max_size=3)
_SEPARATORS = st.sampled_from([" ", " ", " ", ", ", "\xa0", "\u2009", "’s ", "-", "\x1d"])
SENTENCES = st.lists(st.tuples(_PIECES, _SEPARATORS), max_size=40).map(
    lambda parts: "".join(piece + separator for piece, separator in parts)
)


def _as_reference(text: str) -> list[tuple[str, tuple[int, int]]]:
    return [(t.name, span) for t, span in _sentence_types_reference(text, CATALOGUE)]


def _as_native(text: str) -> list[tuple[str, tuple[int, int]]]:
    return [(t.name, span) for t, span in _sentence_types(text, CATALOGUE)]


def test_native_triggers_are_the_reference_on_real_sentences() -> None:
    """On every sentence of the test corpora and seeds, the compiled triggers find the
    types and spans that the Python reference finds."""
    assert len(REAL_SENTENCES) > 500
    found = 0
    for sentence in REAL_SENTENCES:
        expected = _as_reference(sentence)
        assert _as_native(sentence) == expected, sentence
        found += bool(expected)
    assert found > 100


@settings(max_examples=400, deadline=None)
@given(SENTENCES)
def test_native_triggers_are_the_reference_on_generated_sentences(text: str) -> None:
    """On sentences made of trigger, cue and filter words, odd characters and arbitrary
    text, the compiled triggers find what the Python reference finds."""
    assert _as_native(text) == _as_reference(text)
    assert _as_native(text.lower()) == _as_reference(text.lower())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_native_triggers_are_the_reference_on_arbitrary_text(text: str) -> None:
    """On arbitrary text (lone surrogates included) the compiled triggers, or the reference
    they fall back to, give the reference's answer and raise nothing."""
    assert _as_native(text) == _as_reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "Russian drones struck Kharkiv\udc80 overnight.",
        "İstanbul: Russian drones struck Odesa overnight.",
        "Russian\u00a0drones\u2009struck Odesa overnight, the governor said.",
        "Russian drones\u0301 struck Odesa overnight.",
        "Russian drones\x1cstruck Odesa overnight.",
    ],
)
def test_native_triggers_handle_edge_texts(text: str) -> None:
    """Lone surrogates, lower-casing that changes the length, non-ASCII spaces and marks,
    and ASCII separators give the reference's answer."""
    assert _as_native(text) == _as_reference(text)


def test_native_triggers_find_a_drone_strike_in_an_article() -> None:
    """The compiled triggers report a drone strike with its trigger, as the stage does."""
    from workers.pipeline.enrich.events import extract_events

    article = Article(id="t", source="test", body="x", text="Russian drones struck Odesa.")
    events = extract_events(article).events
    assert [(e.type, e.trigger) for e in events] == [("drone_strike", "drones struck")]


def test_python_classes_are_re_classes() -> None:
    """The classes passed to the compiled triggers are those of Python's ``re``."""
    classes = _python_classes()
    for name, pattern in (("word", r"\w"), ("digit", r"\d"), ("space", r"\s")):
        ranges = classes[name]
        for code in (0x41, 0x5F, 0x301, 0x663, 0xB2, 0x1C, 0xA0, 0x3000, 0x10400, 0xE01F0):
            inside = any(low <= code <= high for low, high in ranges)
            assert inside == bool(re.fullmatch(pattern, chr(code))), (name, hex(code))


def test_native_triggers_refuse_patterns_they_cannot_run_alike() -> None:
    """A pattern naming an upper-case letter, a control character, a non-ASCII digit or a
    code point, with flags, or malformed, is refused at construction rather than run with
    other semantics."""
    catalogue_args = {
        "anchors": {"strike": [0]},
        "military_cues": [],
        "diplomatic_cues": [],
        "types": [
            {"context": None, "excluded": [], "excluded_unless": [], "requires": [],
             "prefixed_only": False, "prefix_ids": []}
        ],
        "prefixes": [],
        "filters": _FILTERS,
        "classes": _python_classes(),
    }  # fmt: skip
    trigger = {"preceded": None, "has_capitals": False, "is_verbal": False, "unless": []}
    good = [{**trigger, "patterns": [("strike", -1, [], None)]}]
    assert EventTriggers(**catalogue_args, triggers=good).find("strike", "strike") == [(0, 0, 6)]
    named = [{**trigger, "patterns": [("strike\u0436", -1, [], None)]}]
    anchored = {**catalogue_args, "anchors": {"strike\u0436": [0]}}
    found = EventTriggers(**anchored, triggers=named).find("strike\u0436", "strike\u0436")
    assert found == [(0, 0, 7)]
    for source in ("Strike", "strike\x01", "strike\u0663", "strike\\x41", "(?i)strike", "strike("):
        bad = [{**trigger, "patterns": [(source, -1, [], None)]}]
        with pytest.raises(ValueError):
            EventTriggers(**catalogue_args, triggers=bad)


# The words before a trigger that `_is_unreal` reads: modal words and phrase words, others,
# capitalised place names (for `cap` groups) and odd characters, between odd separators.
_MODAL_PIECES = (
    st.sampled_from(sorted(_MODAL_WORDS))
    | st.sampled_from(sorted({w for phrase in _MODAL_PHRASES for w in phrase.split()}))
    | st.sampled_from(["Kyiv", "Odesa", "Ödesa", "the", "army", "said", "2022", "drones", "a"])
    | st.sampled_from(_ODD)
)
_MODAL_SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\t", "\n ", "\x1c", "\xa0", ", "])
_TRIGGERS = st.sampled_from(
    ["drones struck Odesa.", "captured the village of Ödesa.", "met Kyiv officials.",
     "summit in Kyiv on Monday.", "launched missiles at Kharkiv.", "arrived in Warsaw for talks"]
)  # fmt: skip
MODAL_SENTENCES = st.tuples(
    st.lists(st.tuples(_MODAL_PIECES, _MODAL_SEPARATORS), max_size=12), _TRIGGERS
).map(lambda parts: "".join(p + sep for p, sep in parts[0]) + parts[1])


@settings(max_examples=400, deadline=None)
@given(MODAL_SENTENCES)
def test_native_triggers_are_the_reference_after_modal_wording(text: str) -> None:
    """With modal words and phrases, other words and odd characters between odd separators
    before a trigger (ASCII or not, capitalised or not), the compiled triggers find what the
    Python reference finds."""
    assert _as_native(text) == _as_reference(text)
    assert _as_native(text.lower()) == _as_reference(text.lower())


def test_native_modal_words_stand_ins_cannot_tell_apart_are_read_as_words() -> None:
    """A non-ASCII modal word (whose stand-in other words share) makes only itself, not a
    word with the same stand-in, hide the trigger after it."""
    trigger: dict[str, Any] = {
        "preceded": None, "has_capitals": False, "is_verbal": False, "unless": []
    }  # fmt: skip
    triggers = EventTriggers(
        anchors={"strike": [0]},
        military_cues=[],
        diplomatic_cues=[],
        types=[{"context": None, "excluded": [], "excluded_unless": [], "requires": [],
                "prefixed_only": False, "prefix_ids": []}],
        prefixes=[],
        triggers=[{**trigger, "patterns": [("strike", -1, [], None)]}],
        filters={**_FILTERS, "modal_words": ["dürfen"]},
        classes=_python_classes(),
    )  # fmt: skip
    assert triggers.find("dürfen strike", "dürfen strike") == []
    assert triggers.find("dörfen strike", "dörfen strike") == [(0, 7, 13)]
    assert triggers.find("could strike", "could strike") == [(0, 6, 12)]


@pytest.mark.parametrize(
    "text",
    [
        "Officials met Kyiv envoys on Monday.",
        "Officials met kyiv envoys on Monday.",
        "Élysée officials met Kyiv envoys on Monday.",
        "Élysée officials met kyiv envoys on Monday.",
        "Officials met Zoë on Monday.",
        "Officials met zoë on Monday.",
    ],
)
def test_native_triggers_check_capitals_like_the_reference(text: str) -> None:
    """A ``cap`` group is capitalised or not as the reference reads it, in ASCII sentences
    and in sentences with non-ASCII letters before or inside the group."""
    assert _as_native(text) == _as_reference(text)
    assert bool(_as_reference(text)) == ("met k" not in text and "met z" not in text)


def _look_around_words() -> list[str]:
    """The words of the trigger patterns with look-arounds, which the core tries only where
    their relaxed form (look-arounds dropped) matches."""
    words: set[str] = set()
    for event_type in CATALOGUE.ordered:
        for pattern, _, _ in event_type.patterns:
            if re.search(r"\(\?<?[=!]", pattern.pattern):
                words.update(re.findall(r"[a-z]{2,}", pattern.pattern))
    return sorted(words)


_LOOK_AROUND_WORDS = _look_around_words()
_CUES = sorted(w for w in CATALOGUE.military_cues | CATALOGUE.diplomatic_cues if w.isalpha())[:40]
LOOK_AROUND_SENTENCES = st.lists(
    st.tuples(
        st.sampled_from(_LOOK_AROUND_WORDS) | st.sampled_from(_CUES) | st.sampled_from(_ODD),
        st.sampled_from([" ", " ", " ", ", ", "-", "’ ", "\xa0"]),
    ),
    max_size=30,
).map(lambda parts: "".join(piece + separator for piece, separator in parts))


def test_look_around_patterns_are_found() -> None:
    """The catalogue has look-around trigger patterns, and the generated sentences use their
    words."""
    assert len(_LOOK_AROUND_WORDS) > 20
    assert "police" in _LOOK_AROUND_WORDS


@settings(max_examples=400, deadline=None)
@given(LOOK_AROUND_SENTENCES)
def test_native_triggers_are_the_reference_on_look_around_sentences(text: str) -> None:
    """On sentences made of the words of look-around patterns and cue words, the compiled
    triggers find what the Python reference finds."""
    assert _as_native(text) == _as_reference(text)


def _strike_catalogue() -> dict[str, Any]:
    """The arguments of a catalogue with one type and one prefixed pattern, "strike"."""
    trigger: dict[str, Any] = {
        "preceded": None, "has_capitals": False, "is_verbal": False, "unless": []
    }  # fmt: skip
    gate: dict[str, Any] = {"context": None, "excluded": [], "excluded_unless": [], "requires": [],
                            "prefixed_only": True, "prefix_ids": [0]}  # fmt: skip
    return {
        "anchors": {"strike": [0]},
        "military_cues": [],
        "diplomatic_cues": [],
        "types": [gate],
        "triggers": [{**trigger, "patterns": [("strike", 0, [], None)]}],
        "filters": _FILTERS,
        "classes": _python_classes(),
    }


def test_native_triggers_refuse_an_empty_prefix() -> None:
    """An empty literal prefix (which would start a pattern everywhere) is refused at
    construction."""
    args = _strike_catalogue()
    assert EventTriggers(**args, prefixes=[(0, ["str"])]).find("strike", "strike") == [(0, 0, 6)]
    with pytest.raises(ValueError):
        EventTriggers(**args, prefixes=[(0, [""])])


def _as_native_article(texts: list[str]) -> list[list[tuple[str, tuple[int, int]]]]:
    """Per text, what the one-call scan of an article finds (the reference where it says so)."""
    assert CATALOGUE.triggers is not None
    rows: list[list[tuple[str, tuple[int, int]]]] = [[] for _ in texts]
    for index, row in CATALOGUE.triggers.find_all(texts):
        if row is None:
            rows[index] = _as_reference(texts[index])
        else:
            assert row, "sentences without triggers are left out"
            rows[index] = [(CATALOGUE.ordered[t].name, (start, end)) for t, start, end in row]
    return rows


def test_native_article_scan_is_the_reference_on_real_sentences() -> None:
    """Scanning all the real sentences in one call finds, sentence by sentence, the types and
    spans that the Python reference finds."""
    assert _as_native_article(REAL_SENTENCES) == [_as_reference(s) for s in REAL_SENTENCES]


@settings(max_examples=200, deadline=None)
@given(st.lists(SENTENCES | st.text(max_size=80), max_size=8))
def test_native_article_scan_is_the_reference_on_generated_sentences(texts: list[str]) -> None:
    """On lists of generated and arbitrary sentences (non-ASCII, lone surrogates, lower-casing
    that changes the length), the one-call scan gives the reference's answer per sentence."""
    assert _as_native_article(texts) == [_as_reference(t) for t in texts]


def test_native_article_scan_lower_cases_like_python() -> None:
    """The one-call scan lower-cases as ``str.lower`` does: an upper-case sentence, ASCII or
    not, reports what its lower-cased form reports."""
    texts = ["RUSSIAN DRONES STRUCK ODESA OVERNIGHT.", "RUSSIAN DRONES STRUCK ÖDESA OVERNIGHT."]
    assert _as_native_article(texts) == [_as_reference(t.lower()) for t in texts]
    assert all(_as_native_article(texts))


def test_native_gates_tell_apart_words_alike_at_both_ends() -> None:
    """Gate words that share their length and their first and last eight characters (one
    hash) are told apart: only the anchor itself makes its type a candidate."""
    anchor, other = "airstrikes-1-nearby-town", "airstrikes-2-nearby-town"
    trigger: dict[str, Any] = {
        "preceded": None,
        "has_capitals": False,
        "is_verbal": False,
        "unless": [],
    }
    triggers = EventTriggers(
        anchors={anchor: [0], "a": [0]},
        military_cues=[],
        diplomatic_cues=[other],
        types=[
            {"context": None, "excluded": [], "excluded_unless": [], "requires": [],
             "prefixed_only": False, "prefix_ids": []}
        ],
        prefixes=[],
        triggers=[{**trigger, "patterns": [("airstrikes-", -1, [], None)]}],
        filters=_FILTERS,
        classes=_python_classes(),
    )  # fmt: skip
    assert triggers.find(anchor, anchor) == [(0, 0, 11)]
    assert triggers.find(other, other) == []
    assert triggers.find_all([other, f"{other} {anchor}"]) == [(1, [(0, 0, 11)])]


def test_native_triggers_try_no_start_after_the_last_required_literal() -> None:
    """A pattern is tried only at starts with one of its required literals at or after them
    (given wrong literals here, to see them used), and not at all in a sentence without."""
    args = {**_strike_catalogue(), "prefixes": [(0, ["str"])]}
    text = "a strike, one more strike and xyz"
    assert EventTriggers(**args).find(text, text) == [(0, 2, 8)]
    assert EventTriggers(**args, required=[(0, ["rik"])]).find(text, text) == [(0, 2, 8)]
    assert EventTriggers(**args, required=[(0, ["zzz"])]).find(text, text) == []
    assert EventTriggers(**args, required=[(0, ["xyz"])]).find(text, text) == [(0, 2, 8)]
    assert EventTriggers(**args, required=[(0, ["one"])]).find(text, text) == [(0, 2, 8)]
    early = "xyz strike"
    assert EventTriggers(**args, required=[(0, ["xyz"])]).find(early, early) == []
    with pytest.raises(ValueError):
        EventTriggers(**args, required=[(1, ["xyz"])])
