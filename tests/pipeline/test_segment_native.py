"""The compiled sentence splitter gives the Python reference's spans and sentence records on real
and arbitrary text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from workers import _native
from workers.pipeline.article import Article, Sentence
from workers.pipeline.normalise import clean_text
from workers.pipeline.segment import (
    _NATIVE_RULES,
    _PLAIN_PUNCTUATION,
    _sentence_records,
    native_rules,
    reference_segment,
    segment,
    split_sentences,
    split_sentences_reference,
)

ROOT = Path(__file__).resolve().parents[2]
_CORPORA = [
    ROOT / "tests" / "data" / "classify" / "dev_articles.jsonl",
    ROOT / "tests" / "data" / "enrich" / "event_articles.jsonl",
    ROOT / "tests" / "data" / "dedup" / "reprints.jsonl",
]

# Pieces that exercise every rule: abbreviations, initials, numbers, datelines, bullets,
# closers and openers, wrapped lines, Latin letters and characters outside the plain set.
_PIECES = st.sampled_from(
    [
        "Sen.", "Gen.", "U.S.", "a.m.", "e.g.", "Inc.", "No.", "Jan.", "J.", "St.", "etc.",
        "3.5", "12", "Troops", "advanced", "the", "The", "he", "and", "Élan", "élan", "ß",
        "KYIV,", "Oct", "22", "(Reuters)", "-", "—", "–", "•", "·", "▪", "►", "‣", "*",
        "!", "?", "…", "?!", ".", "...", "\"", "'", "”", "’", "»", ")", "]", "“", "‘", "«",
        "(", "[", ":", ";", ",", "Related Sources:", "ǅ", "\u0130", "\u00a0", "x²", "€5",
    ]
)  # fmt: skip
_GLUE = st.sampled_from([" ", " ", " ", "  ", "\n", "\n\n", "\t", "", " \n "])
_TEXTS = st.lists(st.tuples(_PIECES, _GLUE).map("".join), max_size=40).map("".join)


def _corpus_texts() -> list[str]:
    texts = []
    for path in _CORPORA:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            body = record.get("body") or record.get("text")
            if isinstance(body, str):
                texts += [body, clean_text(body)]
    return texts


def test_native_splits_the_corpus_texts_as_the_reference() -> None:
    """On the team corpora, raw and normalised, the compiled splitter gives the same spans."""
    texts = _corpus_texts()
    native = 0
    for text in texts:
        assert split_sentences(text) == split_sentences_reference(text)
        native += _NATIVE_RULES.split(text) is not None
    assert native > len(texts) // 2  # most texts take the compiled path


@settings(max_examples=500)
@given(_TEXTS)
def test_native_splits_generated_texts_as_the_reference(text: str) -> None:
    """On texts built from the rules' own characters and words, the spans are the same."""
    assert split_sentences(text) == split_sentences_reference(text)


@given(st.text())
def test_native_splits_any_text_as_the_reference(text: str) -> None:
    """On arbitrary Unicode text (the plain path or the fallback), the spans are the same."""
    assert split_sentences(text) == split_sentences_reference(text)


def test_text_outside_the_plain_characters_takes_the_python_path() -> None:
    """A character whose string predicates the core does not model makes it decline."""
    assert _NATIVE_RULES.split("Troops advanced. Talks \u0130stanbul.") is None
    assert _NATIVE_RULES.split("Troops advanced. Talks stalled.") == [(0, 16), (17, 31)]


def _article(title: str, text: str) -> Article:
    return Article(id="a", source="s", body=text, title=title, text=text)


def _assert_segmented_alike(title: str, text: str) -> None:
    native = segment(_article(title, text)).sentences
    reference = reference_segment(_article(title, text)).sentences
    assert native == reference
    assert [type(sentence) for sentence in native] == [type(s) for s in reference]


def test_native_sentences_match_the_reference_on_the_corpus_texts() -> None:
    """On the team corpora, with and without a leading title, the records are the reference's."""
    for text in _corpus_texts():
        title = text[: text.find(".") + 1]
        _assert_segmented_alike("", text)
        _assert_segmented_alike(title, text)
        _assert_segmented_alike(" Another title ", text)


@settings(max_examples=300)
@given(_TEXTS, st.sampled_from(["", "Troops advanced.", "KYIV,", " Élan ", "İ title"]))
def test_native_sentences_match_the_reference_on_generated_texts(title: str, text: str) -> None:
    """On texts of the rules' own pieces, titled or not, every record field is the same."""
    _assert_segmented_alike(title, title + text)
    _assert_segmented_alike(title, text)


# Punctuation of every string kind (Latin-1, UCS-2, UCS-4) that the wider rules below take as
# plain, so that the compiled core builds sentence texts of every kind.
_WIDE_PUNCTUATION = "\u00a7\u2603\u2042\U0001f4a5\U0001f600"
_WIDE_SPLITTER = _native.SentenceSplitter(
    rules=native_rules(_PLAIN_PUNCTUATION + _WIDE_PUNCTUATION), sentence=Sentence
)
_WIDE_PIECES = st.sampled_from(list(_WIDE_PUNCTUATION) + ["Élan\U0001f600", "\u2603."])
_PLAIN_PIECES = _PIECES.filter(lambda piece: _NATIVE_RULES.split(piece) is not None)
_MIXED_TEXTS = st.lists(
    st.tuples(st.one_of(_PLAIN_PIECES, _WIDE_PIECES), _GLUE).map("".join), max_size=40
).map("".join)
# Any code point, lone surrogates included.
_ANY_CHARACTERS = st.text(st.characters(exclude_categories=()))


@settings(max_examples=500)
@given(_MIXED_TEXTS, st.integers(0, 50), st.integers(0, 3))
def test_native_sentence_texts_are_python_slices_of_every_kind(
    text: str, offset: int, first: int
) -> None:
    """The texts the core builds equal (kind included) Python's slices, for every string kind."""
    native = _WIDE_SPLITTER.sentences(text, offset, first)
    assert native is not None
    spans = split_sentences_reference(text)
    assert native == _sentence_records(text, spans, offset, first)
    assert [sys.getsizeof(s.text) for s in native] == [
        sys.getsizeof(text[start:end]) for start, end in spans
    ]


@given(_ANY_CHARACTERS, st.integers(0, 50))
def test_native_sentences_match_the_reference_on_any_text(text: str, offset: int) -> None:
    """On arbitrary Unicode (lone surrogates included) the records are the reference's."""
    native = _WIDE_SPLITTER.sentences(text, offset, 1)
    if native is not None:
        assert native == _sentence_records(text, split_sentences_reference(text), offset, 1)
    _assert_segmented_alike("", text)
    _assert_segmented_alike(text[:3], text)
