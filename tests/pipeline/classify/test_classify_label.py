"""The compiled core's article label results against ``classify.reference_classify``."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.bench.corpus import default_sources, generate_articles
from workers.pipeline.article import LABELS, Article, Sentence
from workers.pipeline.classify import (
    _label_result,
    _label_results,
    classify,
    reference_classify,
)
from workers.pipeline.classify.scoring import DIPLOMATIC, MILITARY
from workers.pipeline.normalise import normalise
from workers.pipeline.segment import segment
from workers.pipeline.validate import article_from_record, validate

DATA = Path(__file__).resolve().parents[2] / "data" / "classify"
_EPOCH = "1970-01-01T00:00:00Z"


def _segmented(article: Article) -> Article:
    return segment(normalise(article))


def _assert_classified_alike(article: Article) -> None:
    native, reference = classify(copy.deepcopy(article)), reference_classify(article)
    assert native.labels == reference.labels
    assert list(native.labels) == list(reference.labels)
    assert native.topics == reference.topics
    assert native.sentences == reference.sentences


@pytest.mark.parametrize("name", ["dev_articles", "holdout_articles"])
def test_native_label_results_match_reference_on_corpus(name: str) -> None:
    """On the classifier corpora each article gets the reference's label results and topics."""
    lines = (DATA / f"{name}.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    assert records
    for record in records:
        _assert_classified_alike(_segmented(article_from_record(record, ingested_at=_EPOCH)))


def test_native_label_results_match_reference_on_generated_articles() -> None:
    """On the bench's generated articles each article gets the reference's label results."""
    records = generate_articles(default_sources(), 120)
    topics = 0
    for record in records:
        article = _segmented(validate(record.value, ingested_at=_EPOCH, max_bytes=10**7))
        _assert_classified_alike(article)
        topics += len(classify(article).topics)
    assert topics > 0


_SCORES = st.sampled_from([0.0, 0.25, 0.5, 0.5, 0.6, 0.75, 0.9, 1.0]) | st.floats(0.0, 1.0)
_CUES = st.lists(st.sampled_from(["strike", "troops", "talks", "envoy"]), max_size=3)


@st.composite
def _labelled_sentences(draw: st.DrawFn) -> tuple[list[Sentence], list[int], list[int]]:
    """Sentences with arbitrary scores and cues, and arbitrary supporting positions."""
    count = draw(st.integers(0, 9))
    sentences = []
    for index in range(count):
        scores = {MILITARY: draw(_SCORES), DIPLOMATIC: draw(_SCORES)}
        cues = {
            label: draw(_CUES) for label in draw(st.lists(st.sampled_from(LABELS), unique=True))
        }
        sentences.append(Sentence(index, f"sentence {index}", 0, 0, False, [], scores, cues))
    positions = st.lists(st.integers(0, max(count - 1, 0)), unique=True).map(sorted)
    military = draw(positions) if count else []
    diplomatic = draw(positions) if count else []
    return sentences, military, diplomatic


@settings(max_examples=300, deadline=None)
@given(_labelled_sentences())
def test_native_label_results_match_reference_on_arbitrary_scores(
    labelled: tuple[list[Sentence], list[int], list[int]],
) -> None:
    """For any scores, ties and cues the compiled core ranks, scores and cites as Python does."""
    sentences, military, diplomatic = labelled
    native = _label_results().results(sentences, (military, diplomatic))
    reference = (
        _label_result([sentences[at] for at in military], MILITARY),
        _label_result([sentences[at] for at in diplomatic], DIPLOMATIC),
    )
    assert native == reference
