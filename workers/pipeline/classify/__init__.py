"""Multi-label military/diplomatic classification of sentences and articles.

Weighted cue lexicons with context rules (see ``data/cues.tsv``): no model, no network.
Usage: ``classify(segment(article))``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cache

from workers.pipeline.article import LABELS, Article, Evidence, LabelResult, Sentence
from workers.pipeline.classify.lexicon import load_lexicon
from workers.pipeline.classify.matching import Matcher, SentenceMatch
from workers.pipeline.classify.scoring import (
    ARTICLE_THRESHOLDS,
    DIPLOMATIC,
    MILITARY,
    SENTENCE_THRESHOLD,
    ArticleContext,
    LabelScore,
    article_score,
    score_diplomatic,
    score_military,
)

__all__ = ["EVIDENCE_LIMIT", "classify", "classify_sentence_text"]

EVIDENCE_LIMIT = 3
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


_verdicts: dict[str, _Verdict] = {"": _NO_VERDICT}
# Verdicts by SentenceMatch.signature(): far fewer than sentence keys.
_scored: dict[Hashable, _Verdict] = {}


def classify(article: Article) -> Article:
    """Label every sentence, then the article, from the sentences' cues."""
    sentences = article.sentences
    verdicts = [
        _verdicts.get(key) or _new_verdict(key)
        for key in _matcher().keys([sentence.text for sentence in sentences])
    ]
    at_war = any(verdict.strong_military for verdict in verdicts)
    supporting: dict[str, list[Sentence]] = {MILITARY: [], DIPLOMATIC: []}
    for sentence, verdict in zip(sentences, verdicts, strict=True):
        outcome = verdict.at_war if at_war else verdict.quiet
        sentence.scores = {MILITARY: outcome.military, DIPLOMATIC: outcome.diplomatic}
        cues: dict[str, list[str]] = {}
        if outcome.military_cues:
            cues[MILITARY] = list(outcome.military_cues)
        if outcome.diplomatic_cues:
            cues[DIPLOMATIC] = list(outcome.diplomatic_cues)
        sentence.cues = cues
        sentence.labels = list(outcome.labels)
        for label in outcome.labels:
            supporting[label].append(sentence)
    article.labels = {label: _label_result(supporting[label], label) for label in LABELS}
    article.topics = [
        label for label in LABELS if article.labels[label].score >= ARTICLE_THRESHOLDS[label]
    ]
    return article


def classify_sentence_text(text: str) -> dict[str, LabelScore]:
    """Score one stand-alone sentence (no article context): label -> score and cues."""
    return _score_sentence(_matcher().match(text), _QUIET)


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
    ranked = sorted(supporting, key=lambda s: s.scores[label], reverse=True)
    score = article_score(sentence.scores[label] for sentence in ranked)
    evidence = [
        Evidence(s.index, s.text, s.scores[label], s.cues.get(label, []))
        for s in ranked[:EVIDENCE_LIMIT]
    ]
    return LabelResult(score, evidence)
