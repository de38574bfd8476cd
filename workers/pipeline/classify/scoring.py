"""Turn the cues of a sentence into per-label scores, and sentence scores into article scores.

Sentence score: noisy-or ``1 - prod(1 - w)`` of the cues that survive the context rules.
Article score: noisy-or of the best sentences, each later one discounted, so that one
incidental sentence cannot carry a label that several strong sentences would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workers.pipeline.classify.matching import Hit, SentenceMatch

MILITARY = "military"
DIPLOMATIC = "diplomatic"

SENTENCE_THRESHOLD = 0.5
ARTICLE_THRESHOLDS = {MILITARY: 0.55, DIPLOMATIC: 0.55}
# Discount of the 1st, 2nd and 3rd best sentence in the article noisy-or.
ARTICLE_RANK_WEIGHTS = (1.0, 0.5, 0.3)
# Military nouns inside a sentence about talks/sanctions/treaties are their subject matter.
FRAMED_ENTITY_DAMPING = 0.3
# Film, museum, commemoration and pre-1990 history sentences are not current military news.
BACKGROUND_DAMPING = 0.4
_BACKGROUND_DOMAINS = frozenset(("culture", "history"))
_STRONG_KINDS = frozenset(("strong", "frame"))
_FRAME_KINDS = frozenset(("frame", "wframe"))


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What the article as a whole establishes, used to let ambiguous words fire."""

    military: bool = False


@dataclass(slots=True)
class LabelScore:
    """The score of one label in one sentence and the cue words behind it."""

    score: float
    cues: list[str]


def noisy_or(weights: Iterable[float]) -> float:
    """Probability that at least one of several independent cues is right."""
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - weight
    return 1.0 - miss


def has_strong_military(match: SentenceMatch) -> bool:
    """Whether the sentence has a military cue that needs no support."""
    return any(hit.cue.label == MILITARY and hit.cue.kind == "strong" for hit in match.hits)


def score_military(match: SentenceMatch, context: ArticleContext) -> LabelScore:
    """Military score: strong cues count, entities unless framed or off-domain, weak with support."""
    hits = [hit for hit in match.hits if hit.cue.label == MILITARY]
    strong = [hit for hit in hits if hit.cue.kind == "strong"]
    off_domain = bool(match.domains) and not strong
    framed = any(hit.cue.kind in _FRAME_KINDS for hit in match.hits) and not strong
    entities = [] if off_domain else [hit for hit in hits if hit.cue.kind == "entity"]
    entity_factor = FRAMED_ENTITY_DAMPING if framed else 1.0
    supported = bool(strong) or (bool(entities) and not framed) or (
        context.military and not match.domains
    )
    weak = [hit for hit in hits if hit.cue.kind == "weak"] if supported else []
    fired = [(hit, hit.cue.weight) for hit in strong + weak]
    fired += [(hit, hit.cue.weight * entity_factor) for hit in entities]
    background = match.is_historical or bool(match.domains & _BACKGROUND_DOMAINS)
    factor = BACKGROUND_DAMPING if background else 1.0
    return _label_score(fired, factor)


def score_diplomatic(match: SentenceMatch) -> LabelScore:
    """Diplomatic score: strong cues count, weak ones only beside a strong cue or a state actor."""
    hits = [hit for hit in match.hits if hit.cue.label == DIPLOMATIC]
    strong = [hit for hit in hits if hit.cue.kind in _STRONG_KINDS]
    supported = bool(strong) or (
        (match.has_geo or match.has_state) and not match.domains
    )
    weak = [hit for hit in hits if hit.cue.kind not in _STRONG_KINDS] if supported else []
    return _label_score([(hit, hit.cue.weight) for hit in strong + weak], 1.0)


def _label_score(fired: list[tuple[Hit, float]], factor: float) -> LabelScore:
    score = noisy_or(weight for _, weight in fired) * factor
    cues = list(dict.fromkeys(hit.text for hit, weight in fired if weight > 0))
    return LabelScore(round(score, 4), cues)


def article_score(sentence_scores: Iterable[float]) -> float:
    """Discounted noisy-or of the best few sentence scores."""
    best = sorted(sentence_scores, reverse=True)[: len(ARTICLE_RANK_WEIGHTS)]
    return round(noisy_or(s * w for s, w in zip(best, ARTICLE_RANK_WEIGHTS, strict=False)), 4)
