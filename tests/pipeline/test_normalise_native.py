"""The compiled clean-text check never claims a text clean that clean_text would change."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from workers.pipeline import normalise
from workers.pipeline.normalise import clean_text, clean_text_reference

ROOT = Path(__file__).resolve().parents[2]
_CORPORA = [
    ROOT / "tests" / "data" / "classify" / "dev_articles.jsonl",
    ROOT / "tests" / "data" / "enrich" / "event_articles.jsonl",
    ROOT / "tests" / "data" / "dedup" / "reprints.jsonl",
]

# Pieces that exercise every rule: special spaces, breaks and invisibles, "\r", spaces and
# newlines in runs, characters NFC changes or composes (combining marks, singletons, Hangul
# jamo, Tamil vowel signs), and characters past the core's table.
_PIECES = st.sampled_from(
    [
        "Troops", "advanced.", "é", "e\u0301", "\u0301", "\u212b", "\u2000", "\u00a0", "\u200b",
        "\u00ad", "\u2028", "\x85", "\x0b", "\t", "\r", "\r\n", " ", "  ", "\n", "\n\n",
        "\n\n\n", "\x1c", "\u1100", "\u1161", "\u0b92", "\u0bd7", "’", "“", "—", "漢", "😀",
        "\u0958", "\u0374", "\ufeff",
    ]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, max_size=30).map("".join)


def _corpus_texts() -> list[str]:
    texts = []
    for path in _CORPORA:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts += [value for value in record.values() if isinstance(value, str)]
    return texts


def test_clean_text_matches_the_reference_on_the_corpora() -> None:
    """On every string field of the team corpora, raw and cleaned, the result is the same."""
    texts = _corpus_texts()
    for text in texts + [clean_text_reference(text) for text in texts]:
        assert clean_text(text) == clean_text_reference(text)


@settings(max_examples=1000)
@given(_TEXTS | st.text())
def test_a_text_the_core_calls_clean_is_left_unchanged(text: str) -> None:
    """Whenever the core calls a text clean, the Python definition returns it unchanged."""
    if normalise._NATIVE_CLEAN.is_clean(text):
        assert clean_text_reference(text) == text
    assert clean_text(text) == clean_text_reference(text)


def test_cleaned_texts_are_recognised_as_clean() -> None:
    """A cleaned text of Latin, punctuation and Cyrillic characters takes the fast path."""
    text = clean_text_reference("  Troops  advanced\u00a0on Kyiv.\r\n\n\n\nВійська — “here”.  ")
    assert normalise._NATIVE_CLEAN.is_clean(text)
    assert not normalise._NATIVE_CLEAN.is_clean("e\u0301")


def test_no_composition_outside_the_table_starts_from_inside_it() -> None:
    """No canonical pair with a starter second character below the table end composes to a
    character past it, so the table's composition seconds are complete."""
    end = normalise._NFC_TABLE_END
    for code in range(end, 0x30000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            second = int(parts[1], 16)
            assert second >= end or unicodedata.combining(chr(second)) != 0
