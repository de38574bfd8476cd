"""The compiled core's cue scan against its Python reference (``scanning.sentence_keys``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.pipeline.classify import _matcher
from workers.pipeline.classify.lexicon import load_lexicon
from workers.pipeline.classify.scanning import scan_string, sentence_keys
from workers.pipeline.segment import segment
from workers.pipeline.validate import article_from_record

DATA = Path(__file__).resolve().parents[2] / "data" / "classify"
_EPOCH = "1970-01-01T00:00:00Z"


def _lexicon_words() -> list[str]:
    lexicon = load_lexicon()
    words = sorted(lexicon.by_token) + sorted(lexicon.by_prefix)
    words += sorted(set().union(*lexicon.sets.values()))
    return [word for word in words if word]


_PIECES = st.one_of(
    st.sampled_from(_lexicon_words()),
    st.sampled_from(["U.S.", "US", "U.K.", "United States", "European Union", "1945", "2024"]),
    st.sampled_from([",", ".", "  ", "\t", "\n", "-", "'s", "é", "Ukraine's", "—", "?"]),
    st.text(max_size=8),
)
_SENTENCES = st.lists(_PIECES, max_size=14).map(" ".join)


def _native_keys(texts: list[str]) -> list[str]:
    return _matcher().keys(texts)


def _reference_keys(texts: list[str]) -> list[str]:
    return sentence_keys(_matcher()._pattern, texts)


def _corpus_texts(name: str) -> list[list[str]]:
    """The sentences of each corpus record, as the pipeline segments them."""
    lines = (DATA / f"{name}.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    articles = [article_from_record(record, ingested_at=_EPOCH) for record in records]
    return [[sentence.text for sentence in segment(article).sentences] for article in articles]


@pytest.mark.parametrize("name", ["dev_articles", "holdout_articles", "dev_sentences"])
def test_native_scan_matches_reference_on_corpus(name: str) -> None:
    """On the classifier corpora the compiled scan finds the same items as the Python regex."""
    for texts in _corpus_texts(name):
        if texts:
            assert _native_keys(texts) == _reference_keys(texts)


@settings(max_examples=400, deadline=None)
@given(st.lists(_SENTENCES, min_size=1, max_size=5))
def test_native_scan_matches_reference_on_arbitrary_text(texts: list[str]) -> None:
    """On lexicon words mixed with punctuation, capitals and any characters, both scans agree."""
    reference = _reference_keys(texts)
    if len(reference) != len(texts):  # a text held the sentence separator
        with pytest.raises(ValueError):
            _native_keys(texts)
    else:
        assert _native_keys(texts) == reference


def test_scan_string_is_what_both_scans_read() -> None:
    """Country names become single words and sentences are separated by the mark token."""
    scan = scan_string(["The U.S. and the United Kingdom met.", "Talks ended."])
    assert scan.split() == ["the", "usa", "and", "the", "uk", "met", "\x01", "talks", "ended"]
