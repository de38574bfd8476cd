"""Multi-label military/diplomatic classification of sentences and articles.

Weighted cue lexicons with context rules (see ``data/cues.tsv``): no model, no network.
Usage: ``classify(segment(article))``.
"""

from __future__ import annotations

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


@cache
def _matcher() -> Matcher:
    return Matcher(load_lexicon())


def classify(article: Article) -> Article:
    """Label every sentence, then the article, from the sentences' cues."""
    matches = _matcher().match_many([sentence.text for sentence in article.sentences])
    context = _article_context(matches)
    for sentence, match in zip(article.sentences, matches, strict=True):
        if match.labels:
            _apply_scores(sentence, score_military(match, context), score_diplomatic(match))
        else:
            sentence.scores, sentence.cues, sentence.labels = (
                {MILITARY: 0.0, DIPLOMATIC: 0.0},
                {},
                [],
            )
    article.labels = {label: _label_result(article.sentences, label) for label in LABELS}
    article.topics = [
        label for label in LABELS if article.labels[label].score >= ARTICLE_THRESHOLDS[label]
    ]
    return article


def classify_sentence_text(text: str) -> dict[str, LabelScore]:
    """Score one stand-alone sentence (no article context): label -> score and cues."""
    return _score_sentence(_matcher().match(text), ArticleContext())


def _article_context(matches: list[SentenceMatch]) -> ArticleContext:
    return ArticleContext(military=any(match.has_strong_military for match in matches))


def _score_sentence(match: SentenceMatch, context: ArticleContext) -> dict[str, LabelScore]:
    return {MILITARY: score_military(match, context), DIPLOMATIC: score_diplomatic(match)}


def _apply_scores(sentence: Sentence, military: LabelScore, diplomatic: LabelScore) -> None:
    sentence.scores = {MILITARY: military.score, DIPLOMATIC: diplomatic.score}
    sentence.cues = {}
    sentence.labels = []
    for label, result in ((MILITARY, military), (DIPLOMATIC, diplomatic)):
        if result.cues:
            sentence.cues[label] = result.cues
        if result.score >= SENTENCE_THRESHOLD:
            sentence.labels.append(label)


def _label_result(sentences: list[Sentence], label: str) -> LabelResult:
    score = article_score(sentence.scores[label] for sentence in sentences)
    supporting = sorted(
        (s for s in sentences if label in s.labels), key=lambda s: s.scores[label], reverse=True
    )
    evidence = [
        Evidence(s.index, s.text, s.scores[label], s.cues.get(label, []))
        for s in supporting[:EVIDENCE_LIMIT]
    ]
    return LabelResult(score, evidence)
