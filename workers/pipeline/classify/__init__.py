"""Multi-label military/diplomatic classification of sentences and articles.

Weighted cue lexicons with context rules (see ``data/cues.tsv``): no model, no network.
Usage: ``classify(segment(article))``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter

from workers import _native
from workers.pipeline.article import LABELS, Article, Evidence, LabelResult, Sentence
from workers.pipeline.classify import scanning, scoring
from workers.pipeline.classify.lexicon import DOMAINS, Cue, Lexicon, load_lexicon
from workers.pipeline.classify.matching import OLD_YEARS, Matcher, SentenceMatch
from workers.pipeline.classify.scanning import scan_string
from workers.pipeline.classify.scoring import (
    ARTICLE_RANK_WEIGHTS,
    ARTICLE_THRESHOLDS,
    DIPLOMATIC,
    MILITARY,
    SENTENCE_THRESHOLD,
    ArticleContext,
    LabelScore,
    article_score,
    rounded_score,
    score_diplomatic,
    score_military,
)

__all__ = [
    "EVIDENCE_LIMIT",
    "classify",
    "reference_classify",
    "classify_sentence_text",
    "label_sentences",
]

EVIDENCE_LIMIT = 3
_SCORE = itemgetter(0)
_OUTCOME_CACHE_LIMIT = 100_000
_QUIET = ArticleContext()
_AT_WAR = ArticleContext(military=True)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """A sentence's scores, cues and labels, shared by every sentence with the same key."""

    military: float
    diplomatic: float
    military_cues: tuple[str, ...]
    diplomatic_cues: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Verdict:
    """The outcomes of one sentence key in a quiet article and in an article about fighting."""

    strong_military: bool
    quiet: _Outcome
    at_war: _Outcome


_NOTHING = _Outcome(0.0, 0.0, (), (), ())
_NO_VERDICT = _Verdict(False, _NOTHING, _NOTHING)


@cache
def _matcher() -> Matcher:
    return Matcher(load_lexicon())


@cache
def _classifier() -> _native.Classifier:
    """The compiled core's scan, match and scoring, on this module's lexicon and constants."""
    return native_classifier(load_lexicon())


def native_classifier(
    lexicon: Lexicon, outcome_limit: int = _OUTCOME_CACHE_LIMIT
) -> _native.Classifier:
    """A compiled-core classifier of the lexicon, with the scoring constants of ``scoring``;
    it numbers at most ``outcome_limit`` outcomes, then starts a new generation."""
    cues: dict[int, int] = {}  # id(cue) -> its index
    rows: list[tuple[str, str, float, list[tuple[list[str], list[str]]]]] = []

    def indices(found: tuple[Cue, ...]) -> list[int]:
        for cue in found:
            if id(cue) not in cues:
                cues[id(cue)] = len(rows)
                rest = [(sorted(slot.exact), list(slot.prefixes)) for slot in cue.rest]
                rows.append((cue.label, cue.kind, cue.weight, rest))
        return [cues[id(cue)] for cue in found]

    by_token = [(token, indices(found)) for token, found in lexicon.by_token.items()]
    by_prefix = [(prefix, indices(found)) for prefix, found in lexicon.by_prefix.items()]
    return _native.Classifier(
        labels=(MILITARY, DIPLOMATIC),
        outcome_limit=outcome_limit,
        text_rules=scanning.TEXT_RULES,
        cues=rows,
        by_token=by_token,
        by_prefix=by_prefix,
        geo=sorted(lexicon.sets["geo"]),
        state=sorted(lexicon.sets["state"]),
        domain_of=sorted(lexicon.domain_of.items()),
        domains=sorted(DOMAINS),
        background_domains=set(scoring.BACKGROUND_DOMAINS),
        off_diplomatic_domains=set(scoring.OFF_DIPLOMATIC_DOMAINS),
        old_years=sorted(OLD_YEARS),
        weights={
            "framed_entity_damping": scoring.FRAMED_ENTITY_DAMPING,
            "context_entity_boost": scoring.CONTEXT_ENTITY_BOOST,
            "entity_weight_cap": scoring.ENTITY_WEIGHT_CAP,
            "background_damping": scoring.BACKGROUND_DAMPING,
            "off_domain_diplomatic_damping": scoring.OFF_DOMAIN_DIPLOMATIC_DAMPING,
        },
        rounded_score=rounded_score,
        sentence_threshold=SENTENCE_THRESHOLD,
    )


# Outcomes by the compiled core's number; its numbering restarts with a new generation.
_outcomes: dict[int, _Outcome] = {}
_generation = [0]


@cache
def _label_results() -> _native.LabelResults:
    """The compiled core's ``_label_result``, on this module's constants and records."""
    return _native.LabelResults(
        labels=(MILITARY, DIPLOMATIC),
        sentence_threshold=SENTENCE_THRESHOLD,
        rank_weights=list(ARTICLE_RANK_WEIGHTS),
        evidence_limit=EVIDENCE_LIMIT,
        evidence=Evidence,
        label_result=LabelResult,
    )


def classify(article: Article) -> Article:
    """Label every sentence, then the article, from the sentences' cues."""
    sentences = article.sentences
    military, diplomatic = _label_results().results(sentences, label_sentences(sentences))
    article.labels = {MILITARY: military, DIPLOMATIC: diplomatic}
    _set_topics(article)
    return article


def reference_classify(article: Article) -> Article:
    """Reference of ``classify``: the article's label results built in Python."""
    sentences = article.sentences
    military, diplomatic = label_sentences(sentences)
    supporting = {
        MILITARY: [sentences[position] for position in military],
        DIPLOMATIC: [sentences[position] for position in diplomatic],
    }
    article.labels = {label: _label_result(supporting[label], label) for label in LABELS}
    _set_topics(article)
    return article


def _set_topics(article: Article) -> None:
    article.topics = [
        label for label in LABELS if article.labels[label].score >= ARTICLE_THRESHOLDS[label]
    ]


def label_sentences(sentences: list[Sentence]) -> tuple[list[int], list[int]]:
    """Set each sentence's scores, cues and labels (compiled core, one call for the whole
    article); return the positions of the sentences labelled military, then diplomatic."""
    if not sentences:
        return [], []
    classifier = _classifier()
    try:
        return classifier.label_sentences(sentences)
    except UnicodeEncodeError:  # a lone surrogate: the compiled core takes UTF-8 text only
        generation, ids = classifier.article(scan_string([s.text for s in sentences]))
        missing = classifier.unpublished(ids)
    if len(ids) != len(sentences):
        raise ValueError("a sentence text holds the sentence separator \\x01")
    _follow_generation(generation)
    for number in missing:
        _publish(classifier, number)
    return classifier.apply(sentences, ids)


def _publish(classifier: _native.Classifier, number: int) -> None:
    """Hand the compiled core the Python objects of outcome ``number`` for its sentences."""
    outcome = _outcomes.get(number) or _native_outcome(number)
    classifier.publish(
        number,
        outcome.military,
        outcome.diplomatic,
        list(outcome.military_cues),
        list(outcome.diplomatic_cues),
        list(outcome.labels),
    )


def reference_label_sentences(sentences: list[Sentence]) -> tuple[list[int], list[int]]:
    """Reference of ``label_sentences``: the Python outcomes applied to the sentences."""
    outcomes = reference_outcomes([sentence.text for sentence in sentences])
    supporting: dict[str, list[int]] = {MILITARY: [], DIPLOMATIC: []}
    for position, (sentence, outcome) in enumerate(zip(sentences, outcomes, strict=True)):
        sentence.scores = {MILITARY: outcome.military, DIPLOMATIC: outcome.diplomatic}
        military_cues, diplomatic_cues = outcome.military_cues, outcome.diplomatic_cues
        if military_cues and diplomatic_cues:
            sentence.cues = {MILITARY: list(military_cues), DIPLOMATIC: list(diplomatic_cues)}
        elif military_cues:
            sentence.cues = {MILITARY: list(military_cues)}
        elif diplomatic_cues:
            sentence.cues = {DIPLOMATIC: list(diplomatic_cues)}
        else:
            sentence.cues = {}
        labels = outcome.labels
        sentence.labels = list(labels)
        for label in labels:
            supporting[label].append(position)
    return supporting[MILITARY], supporting[DIPLOMATIC]


def _article_outcomes(texts: list[str]) -> list[_Outcome]:
    """Each sentence's outcome, the article's context applied (compiled core)."""
    if not texts:
        return []
    try:
        generation, ids = _classifier().article_texts(texts)
    except UnicodeEncodeError:  # a lone surrogate: the compiled core takes UTF-8 text only
        generation, ids = _classifier().article(scan_string(texts))
    if len(ids) != len(texts):
        raise ValueError("a sentence text holds the sentence separator \\x01")
    _follow_generation(generation)
    return [_outcomes.get(number) or _native_outcome(number) for number in ids]


def _follow_generation(generation: int) -> None:
    """Forget the cached outcomes when the compiled core has started numbering again."""
    if generation != _generation[0]:
        _outcomes.clear()
        _generation[0] = generation


def _native_outcome(number: int) -> _Outcome:
    military, diplomatic = _classifier().outcome(number)
    scores = {MILITARY: _rounded(military), DIPLOMATIC: _rounded(diplomatic)}
    outcome = _outcomes[number] = _outcome(scores)
    return outcome


def _rounded(raw: tuple[float, float, list[str]] | None) -> LabelScore:
    """``scoring._label_score`` from the compiled core's unrounded score and factor."""
    if raw is None:
        return LabelScore(0.0, [])
    value, factor, cues = raw
    return LabelScore(rounded_score(value, factor), cues)


def reference_outcomes(texts: list[str]) -> list[_Outcome]:
    """Reference of ``_article_outcomes``: the Python scan, match and scoring."""
    verdicts = reference_verdicts(texts)
    at_war = any(verdict.strong_military for verdict in verdicts)
    return [verdict.at_war if at_war else verdict.quiet for verdict in verdicts]


def reference_verdicts(texts: list[str]) -> list[_Verdict]:
    """Each sentence's verdict (in a quiet article, in an article about fighting) in Python."""
    return [_verdicts.get(key) or _new_verdict(key) for key in _matcher().keys(texts)]


def native_verdicts(texts: list[str]) -> list[_Verdict]:
    """``reference_verdicts`` by the compiled core."""
    if not texts:
        return []
    generation, found = _classifier().sentences(scan_string(texts))
    _follow_generation(generation)
    return [
        _Verdict(strong, _native_outcome(quiet), _native_outcome(at_war))
        for strong, quiet, at_war in found
    ]


def classify_sentence_text(text: str) -> dict[str, LabelScore]:
    """Score one stand-alone sentence (no article context): label -> score and cues."""
    return _score_sentence(_matcher().match(text), _QUIET)


_verdicts: dict[str, _Verdict] = {"": _NO_VERDICT}
# Verdicts by SentenceMatch.signature(): far fewer than sentence keys.
_scored: dict[Hashable, _Verdict] = {}


def _new_verdict(key: str) -> _Verdict:
    if len(_verdicts) >= _OUTCOME_CACHE_LIMIT:
        _verdicts.clear()
        _verdicts[""] = _NO_VERDICT
        _scored.clear()
    match = _matcher().match_key(key)
    if not match.labels:
        verdict = _NO_VERDICT
    else:
        # Sentences with different words often match alike (another country, another
        # domain word, the same cues in another order): they share one scoring.
        signature = match.signature()
        known = _scored.get(signature)
        verdict = _scored[signature] = known if known is not None else _scored_verdict(match)
    _verdicts[key] = verdict
    return verdict


def _scored_verdict(match: SentenceMatch) -> _Verdict:
    quiet = _outcome(_score_sentence(match, _QUIET))
    at_war = _outcome(_score_sentence(match, _AT_WAR))
    return _Verdict(match.has_strong_military, quiet, at_war)


def _score_sentence(match: SentenceMatch, context: ArticleContext) -> dict[str, LabelScore]:
    return {MILITARY: score_military(match, context), DIPLOMATIC: score_diplomatic(match)}


def _outcome(scores: dict[str, LabelScore]) -> _Outcome:
    military, diplomatic = scores[MILITARY], scores[DIPLOMATIC]
    labels = tuple(label for label in LABELS if scores[label].score >= SENTENCE_THRESHOLD)
    return _Outcome(
        military.score, diplomatic.score, tuple(military.cues), tuple(diplomatic.cues), labels
    )


def _label_result(supporting: list[Sentence], label: str) -> LabelResult:
    """Article score and evidence from the sentences that carry the label (in text order)."""
    if not supporting:
        return LabelResult(article_score(()), [])
    # Stable: equal scores keep text order, as sorting the sentences by score would.
    ranked = sorted([(s.scores[label], s) for s in supporting], key=_SCORE, reverse=True)
    score = article_score([sentence_score for sentence_score, _ in ranked])
    evidence = [
        Evidence(s.index, s.text, sentence_score, s.cues.get(label, []))
        for sentence_score, s in ranked[:EVIDENCE_LIMIT]
    ]
    return LabelResult(score, evidence)
