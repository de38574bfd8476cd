"""The compiled core's classifier (scan, match, scoring) against its Python reference."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers import _native
from workers.bench.corpus import default_sources, generate_articles
from workers.pipeline.article import Article, Sentence
from workers.pipeline.classify import (
    _article_outcomes,
    _classifier,
    _Outcome,
    _outcome,
    _rounded,
    label_sentences,
    native_classifier,
    native_verdicts,
    reference_label_sentences,
    reference_outcomes,
    reference_verdicts,
)
from workers.pipeline.classify.lexicon import Cue, Slot, load_lexicon
from workers.pipeline.classify.scanning import scan_string
from workers.pipeline.classify.scoring import DIPLOMATIC, MILITARY
from workers.pipeline.normalise import normalise
from workers.pipeline.segment import segment
from workers.pipeline.validate import article_from_record, validate

DATA = Path(__file__).resolve().parents[2] / "data" / "classify"
_EPOCH = "1970-01-01T00:00:00Z"
_LEXICON = load_lexicon()
_FIRST_WORDS = sorted(_LEXICON.by_token.items()) + sorted(_LEXICON.by_prefix.items())
_CONTEXT_WORDS = sorted(set().union(*_LEXICON.sets.values()))
_SUFFIXES = st.sampled_from(["", "s", "ed", "ing", "ers", "'s", "-led"])
_NOISE = st.sampled_from(
    [",", ".", "  ", "\t", "\n", "-", "é", "—", "?", "\x01", "the", "and", "1945", "2024"]
    + ["U.S.", "US", "us", "U.K.", "U.N.", "United States", "European Union", "Kyiv's"]
)


def _slot_word(draw: st.DrawFn, slot: Slot) -> str:
    choices = sorted(slot.exact) + [prefix + "~" for prefix in slot.prefixes]
    word = draw(st.sampled_from(choices))
    return word[:-1] + draw(_SUFFIXES) if word.endswith("~") else word


@st.composite
def _cue_phrase(draw: st.DrawFn) -> str:
    """The words of one cue phrase, sometimes inflected, capitalised or cut short."""
    first, cues = draw(st.sampled_from(_FIRST_WORDS))
    cue: Cue = draw(st.sampled_from(cues))
    head = first + draw(_SUFFIXES) if first in _LEXICON.by_prefix else first
    words = [head] + [_slot_word(draw, slot) for slot in cue.rest]
    words = words[: draw(st.integers(1, len(words)))]
    text = " ".join(words)
    return text.title() if draw(st.booleans()) else text


_PIECES = st.one_of(_cue_phrase(), st.sampled_from(_CONTEXT_WORDS), _NOISE, st.text(max_size=6))
_SENTENCES = st.lists(_PIECES, max_size=12).map(" ".join)


def _segmented(records: list[dict[str, object]]) -> list[list[str]]:
    articles = [article_from_record(record, ingested_at=_EPOCH) for record in records]
    return [_sentence_texts(article) for article in articles]


def _sentence_texts(article: Article) -> list[str]:
    """The sentences of an article as the pipeline cuts them (normalise, then segment)."""
    return [sentence.text for sentence in segment(normalise(article)).sentences]


def _corpus_texts(name: str) -> list[list[str]]:
    """The sentences of each corpus record, as the pipeline segments them."""
    lines = (DATA / f"{name}.jsonl").read_text("utf-8").splitlines()
    return _segmented([json.loads(line) for line in lines if line.strip()])


@pytest.mark.parametrize(
    "name", ["dev_articles", "holdout_articles", "dev_sentences", "holdout_sentences"]
)
def test_native_outcomes_match_reference_on_corpus(name: str) -> None:
    """On the classifier corpora every sentence gets the reference's scores, cues and labels."""
    corpus = _corpus_texts(name)
    assert sum(len(texts) for texts in corpus) >= len(corpus)
    for texts in corpus:
        assert _article_outcomes(texts) == reference_outcomes(texts)


def test_native_outcomes_match_reference_on_generated_articles() -> None:
    """On the bench's generated articles every sentence gets the reference's outcome."""
    sentences = 0
    for record in generate_articles(default_sources(), 150):
        texts = _sentence_texts(validate(record.value, ingested_at=_EPOCH, max_bytes=10**7))
        sentences += len(texts)
        assert _article_outcomes(texts) == reference_outcomes(texts)
    assert sentences > 150


@settings(max_examples=500, deadline=None)
@given(st.lists(_SENTENCES, min_size=1, max_size=4))
def test_native_verdicts_match_reference_on_arbitrary_text(texts: list[str]) -> None:
    """On cue phrases mixed with context words, noise and any characters, each sentence's
    verdict in a quiet article and in one about fighting is the reference's."""
    try:
        reference = reference_verdicts(texts)
    except ValueError:  # a text held the sentence separator
        with pytest.raises(ValueError):
            _article_outcomes(texts)
        return
    assert native_verdicts(texts) == reference
    assert _article_outcomes(texts) == reference_outcomes(texts)


# Sentences written to reach each context rule: a country inside a diplomatic name, non-war
# domains, history and background, supplies under a limit, framed weapons, other senses.
_RULE_CASES = [
    "The African Union said it was concerned.",
    "Kenya and the African Union held talks.",
    "The club's striker scored as the embassy issued a joint statement.",
    "In 1944 artillery shelled the town, a museum exhibition recalls.",
    "Since the invasion began, drones have been banned from export.",
    "The government banned the delivery of tanks and missiles.",
    "Ukraine received tanks and missiles from allies.",
    "Talks on missiles and nuclear warheads resumed in Geneva.",
    "Grocers are in a price war over milk.",
    "The film about the siege won an award.",
    "Russian forces launched strikes on Kharkiv.",
    "The offensive stalled near the front line.",
    "U.S. envoys warned Iran after the attack.",
]


def test_native_verdicts_match_reference_on_rule_cases() -> None:
    """On sentences that reach each context rule, alone and together, verdicts agree."""
    for text in _RULE_CASES:
        assert native_verdicts([text]) == reference_verdicts([text])
    assert _article_outcomes(_RULE_CASES) == reference_outcomes(_RULE_CASES)


def test_sentence_separator_in_a_text_is_refused() -> None:
    """A sentence holding the scan's sentence mark as a word is an error, not a shifted result."""
    with pytest.raises(ValueError):
        _article_outcomes(["Troops \x01 advanced.", "Talks resumed."])


def test_scan_string_is_what_the_scan_reads() -> None:
    """Country names become single words and sentences are separated by the mark token."""
    scan = scan_string(["The U.S. and the United Kingdom met.", "Talks ended."])
    assert scan.split() == ["the", "usa", "and", "the", "uk", "met", "\x01", "talks", "ended"]


@settings(max_examples=300, deadline=None)
@given(st.lists(_SENTENCES, min_size=1, max_size=4))
def test_native_scan_string_matches_reference(texts: list[str]) -> None:
    """The compiled core reads texts into the same scan string as ``scan_string``."""
    assert _classifier().scan_string(texts) == scan_string(texts)


def test_lone_surrogate_takes_the_python_scan_string() -> None:
    """A text UTF-8 cannot encode is still classified, as the reference does."""
    texts = ["Artillery shelled Kherson \ud800 overnight.", "Envoys met in Geneva."]
    assert _article_outcomes(texts) == reference_outcomes(texts)


def _numbered_outcome(classifier: _native.Classifier, number: int) -> _Outcome:
    military, diplomatic = classifier.outcome(number)
    return _outcome({MILITARY: _rounded(military), DIPLOMATIC: _rounded(diplomatic)})


def test_outcome_numbers_stay_valid_across_generations() -> None:
    """With room for few outcomes, each article's numbers still name its own outcomes."""
    classifier = native_classifier(load_lexicon(), outcome_limit=40)
    generations = set()
    for texts in _corpus_texts("dev_articles"):
        if texts:
            generation, numbers = classifier.article_texts(texts)
            generations.add(generation)
            outcomes = [_numbered_outcome(classifier, number) for number in numbers]
            assert outcomes == reference_outcomes(texts)
    assert len(generations) > 1


def _many_distinct_words(count: int, seed: int) -> str:
    """A text of ``count`` distinct made-up words, cue words and context words among them."""
    words = [f"w{seed}x{number:x}" for number in range(count)]
    for at, (first, _) in enumerate(_FIRST_WORDS[:200]):
        words[at * 300] = first
    return " ".join(words) + ". Russian forces shelled Kharkiv as envoys met in Geneva."


def test_outcomes_stay_right_after_the_word_cache_starts_again() -> None:
    """Articles with more distinct words than the core keeps make it forget its words; the
    articles after them are still classified as the reference does."""
    classifier = native_classifier(load_lexicon())
    articles = [texts for texts in _corpus_texts("dev_articles") if texts][:40]
    for seed in range(3):
        big = [_many_distinct_words(70_000, seed), "The army said troops advanced."]
        for texts in [big, *articles]:
            _, numbers = classifier.article_texts(texts)
            outcomes = [_numbered_outcome(classifier, number) for number in numbers]
            assert outcomes == reference_outcomes(texts)


def test_inflections_of_one_prefix_cue_are_distinct_words() -> None:
    """Words that share a cue prefix but not their text (off the lexicon's words), repeated
    and mixed with the prefix itself and phrases, are matched and scored as the reference
    does."""
    classifier = native_classifier(load_lexicon())
    prefixes = sorted(_LEXICON.by_prefix)[:60]
    for prefix in prefixes:
        words = [prefix + suffix for suffix in ("", "s", "ed", "ing", "ers", "ed")]
        texts = [
            " ".join(words) + " in Kyiv.",
            f"Troops {words[2]} the bridge and {words[3]} it again, the U.S. said.",
        ]
        _, numbers = classifier.article_texts(texts)
        outcomes = [_numbered_outcome(classifier, number) for number in numbers]
        assert outcomes == reference_outcomes(texts)


def _sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(index, text, 0, len(text)) for index, text in enumerate(texts)]


def _labelled(texts: list[str], label: Callable[[list[Sentence]], object]) -> object:
    """What ``label`` sets on fresh sentences of ``texts``, and what it returns."""
    sentences = _sentences(texts)
    returned = label(sentences)
    return returned, [(s.scores, s.cues, s.labels) for s in sentences]


def _assert_labelled_as_reference(texts: list[str]) -> None:
    native = _labelled(texts, label_sentences)
    assert native == _labelled(texts, reference_label_sentences)


@pytest.mark.parametrize(
    "name", ["dev_articles", "holdout_articles", "dev_sentences", "holdout_sentences"]
)
def test_label_sentences_matches_reference_on_corpus(name: str) -> None:
    """On the classifier corpora each sentence gets the reference's scores, cues and labels,
    and the same sentences support each label."""
    for texts in _corpus_texts(name):
        _assert_labelled_as_reference(texts)


def test_label_sentences_matches_reference_on_generated_articles() -> None:
    """On the bench's generated articles each sentence is labelled as the reference does."""
    for record in generate_articles(default_sources(), 100):
        _assert_labelled_as_reference(
            _sentence_texts(validate(record.value, ingested_at=_EPOCH, max_bytes=10**7))
        )


@settings(max_examples=300, deadline=None)
@given(st.lists(_SENTENCES, min_size=1, max_size=4))
def test_label_sentences_matches_reference_on_arbitrary_text(texts: list[str]) -> None:
    """On cue phrases, context words, noise and any characters the sentences are labelled as
    the reference labels them."""
    try:
        reference = _labelled(texts, reference_label_sentences)
    except ValueError:  # a text held the sentence separator
        with pytest.raises(ValueError):
            label_sentences(_sentences(texts))
        return
    assert _labelled(texts, label_sentences) == reference


def test_label_sentences_with_a_lone_surrogate_matches_reference() -> None:
    """A text UTF-8 cannot encode is labelled through the Python scan string, as the reference."""
    _assert_labelled_as_reference(["Artillery shelled Kherson \ud800 overnight.", "Envoys met."])
    _assert_labelled_as_reference(_RULE_CASES)


def test_published_outcomes_are_forgotten_with_their_generation() -> None:
    """With room for few outcomes, every article's sentences still get their own outcome's
    scores, cues and labels: numbers published in an old generation are not reused."""
    classifier = native_classifier(load_lexicon(), outcome_limit=40)
    generations = set()
    for texts in _corpus_texts("dev_articles"):
        if not texts:
            continue
        sentences = _sentences(texts)
        generation, numbers, missing = classifier.article_sentences(sentences)
        generations.add(generation)
        assert len(set(missing)) == len(missing) and set(missing) <= set(numbers)
        for number in missing:
            outcome = _numbered_outcome(classifier, number)
            classifier.publish(
                number,
                outcome.military,
                outcome.diplomatic,
                list(outcome.military_cues),
                list(outcome.diplomatic_cues),
                list(outcome.labels),
            )
        returned = classifier.apply(sentences, numbers)
        assert (returned, [(s.scores, s.cues, s.labels) for s in sentences]) == _labelled(
            texts, reference_label_sentences
        )
    assert len(generations) > 1


def test_label_sentences_in_one_call_stays_right_across_generations() -> None:
    """With room for few outcomes, the core's own publishing gives every article's sentences
    the reference's scores, cues and labels, generation after generation."""
    classifier = native_classifier(load_lexicon(), outcome_limit=40)
    generations = set()
    for texts in _corpus_texts("dev_articles"):
        if not texts:
            continue
        sentences = _sentences(texts)
        returned = classifier.label_sentences(sentences)
        generations.add(classifier.article_texts(texts)[0])
        assert (returned, [(s.scores, s.cues, s.labels) for s in sentences]) == _labelled(
            texts, reference_label_sentences
        )
    assert len(generations) > 1


def test_apply_refuses_an_unpublished_outcome() -> None:
    """Applying an outcome number Python never published is an error, not an empty label."""
    classifier = native_classifier(load_lexicon())
    sentences = _sentences(["Russian forces shelled Kharkiv."])
    _, numbers, missing = classifier.article_sentences(sentences)
    assert missing == numbers
    with pytest.raises(ValueError):
        classifier.apply(sentences, numbers)


def test_labelling_leaves_shared_containers_alone() -> None:
    """Labelling fills no empty dict or list that a sentence shares with other code, and
    relabelling labelled sentences sets what labelling fresh ones sets."""
    texts = ["Russian forces shelled Kharkiv overnight.", "Envoys met in Geneva.", "It rained."]
    sentences = _sentences(texts)
    shared_dict: dict[str, float] = {}
    shared_list: list[str] = []
    for sentence in sentences:
        sentence.scores, sentence.labels = shared_dict, shared_list
    expected = _labelled(texts, reference_label_sentences)
    for _ in range(2):
        returned = label_sentences(sentences)
        assert (returned, [(s.scores, s.cues, s.labels) for s in sentences]) == expected
        assert len({id(s.scores) for s in sentences}) == len(sentences)
        assert len({id(s.labels) for s in sentences}) == len(sentences)
    assert shared_dict == {} and shared_list == []
