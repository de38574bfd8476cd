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
ARTICLE_THRESHOLDS = {MILITARY: 0.55, DIPLOMATIC: 0.5}  # chosen on the dev corpus
# Discount of the 1st, 2nd and 3rd best sentence in the article noisy-or.
ARTICLE_RANK_WEIGHTS = (1.0, 0.5, 0.3)
# Military nouns inside a sentence about talks/sanctions/treaties are their subject matter.
FRAMED_ENTITY_DAMPING = 0.3
# A weapon or unit mentioned inside an article about fighting is itself military news.
CONTEXT_ENTITY_BOOST = 1.25
# No entity weighs more than this after damping or boosting.
ENTITY_WEIGHT_CAP = 0.9
# Film, museum, commemoration and pre-1990 history sentences are not current military news.
BACKGROUND_DAMPING = 0.4
# Envoys, joint statements and guarantees of clubs, firms and apps: a diplomatic cue in a
# non-war domain sentence with no state actor is usually another sense of the word.
OFF_DOMAIN_DIPLOMATIC_DAMPING = 0.5
OFF_DIPLOMATIC_DOMAINS = frozenset(("sports", "business", "tech", "culture"))
BACKGROUND_DOMAINS = frozenset(("culture", "history"))
# Keys of SentenceMatch.hits ("label:kind").
_DIPLOMATIC_FRAME = "diplomatic:frame"
_DIPLOMATIC_STRONG = "diplomatic:strong"
_DIPLOMATIC_WEAK = "diplomatic:weak"
_DIPLOMATIC_WFRAME = "diplomatic:wframe"
_MILITARY_ENTITY = "military:entity"
_MILITARY_EVENT = "military:event"
_MILITARY_MEVENT = "military:mevent"
_MILITARY_GSTRONG = "military:gstrong"
_MILITARY_MSTRONG = "military:mstrong"
_MILITARY_STRONG = "military:strong"
_MILITARY_SUPPLY = "military:supply"
_MILITARY_WEAK = "military:weak"
_NONE: list[Hit] = []
_CORROBORATING = (_MILITARY_STRONG, _MILITARY_GSTRONG, _MILITARY_ENTITY, _MILITARY_EVENT)
_ACTION = (
    _MILITARY_STRONG,
    _MILITARY_MSTRONG,
    _MILITARY_GSTRONG,
    _MILITARY_EVENT,
    _MILITARY_MEVENT,
)


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


def score_military(match: SentenceMatch, context: ArticleContext) -> LabelScore:
    """Military score: strong cues count; entities unless off-domain or only the subject of
    talks; ambiguous events and words only beside other military evidence."""
    if MILITARY not in match.labels:
        return LabelScore(0.0, [])
    strong = match.hits.get(_MILITARY_STRONG, _NONE)
    if not match.domains:
        strong = strong + match.hits.get(_MILITARY_GSTRONG, _NONE)
    if match.is_background:  # "the war began with the invasion and has killed..."
        return _label_score([(hit, hit.cue.weight) for hit in strong], 1.0)
    metaphor_prone = match.hits.get(_MILITARY_MSTRONG, _NONE)
    if metaphor_prone and _corroborated(match, metaphor_prone, context):
        strong = strong + metaphor_prone
    entities = [] if match.domains and not strong else match.hits.get(_MILITARY_ENTITY, _NONE)
    events = match.hits.get(_MILITARY_EVENT, _NONE) + match.hits.get(_MILITARY_MEVENT, _NONE)
    supplies = match.hits.get(_MILITARY_SUPPLY, _NONE)
    if supplies and entities and not match.has_limit:  # weapons being delivered, sold, bought
        strong = strong + supplies[:1]
    framed = not strong and not events and _has_frame(match)
    in_context = context.military and not match.domains
    supported = bool(strong) or (bool(entities) and not framed) or in_context
    fired = [(hit, hit.cue.weight) for hit in strong]
    if supported:
        fired += [(hit, hit.cue.weight) for hit in events + match.hits.get(_MILITARY_WEAK, _NONE)]
    entity_factor = FRAMED_ENTITY_DAMPING if framed else CONTEXT_ENTITY_BOOST if in_context else 1.0
    fired += [(hit, min(hit.cue.weight * entity_factor, ENTITY_WEIGHT_CAP)) for hit in entities]
    background = match.is_historical or bool(match.domains & BACKGROUND_DOMAINS)
    return _label_score(fired, BACKGROUND_DAMPING if background else 1.0)


def _corroborated(match: SentenceMatch, metaphor_prone: list[Hit], context: ArticleContext) -> bool:
    """Front line, offensive, siege, clashes... count only beside other military evidence
    in the sentence or in an article that already reports fighting."""
    if context.military and not match.domains:
        return True
    return any(key in match.hits for key in _CORROBORATING)


def _has_frame(match: SentenceMatch) -> bool:
    return bool(
        match.hits.get(_DIPLOMATIC_FRAME, _NONE) or match.hits.get(_DIPLOMATIC_WFRAME, _NONE)
    )


def score_diplomatic(match: SentenceMatch) -> LabelScore:
    """Diplomatic score: strong cues count; weak ones only beside a strong cue or a state
    actor, and in a combat sentence only beside a state office-holder."""
    if DIPLOMATIC not in match.labels:
        return LabelScore(0.0, [])
    strong = match.hits.get(_DIPLOMATIC_STRONG, _NONE) + match.hits.get(_DIPLOMATIC_FRAME, _NONE)
    # Weapons or forces as the topic of talks (arms control) make the talks inter-state.
    about_arms = _MILITARY_ENTITY in match.hits and not any(key in match.hits for key in _ACTION)
    actor = (match.has_state or match.has_geo or about_arms) and not match.domains
    frames = match.hits.get(_DIPLOMATIC_WFRAME, _NONE)
    # Beside combat, "warned"/"accused" need a state office-holder; talks or a summit do not.
    combat_actor = actor and (match.has_state or bool(frames) or not match.has_strong_military)
    fired = list(strong)
    if strong or actor:
        fired += frames
    if strong or combat_actor:
        fired += match.hits.get(_DIPLOMATIC_WEAK, _NONE)
    off_domain = not (match.has_state or match.has_geo or _DIPLOMATIC_FRAME in match.hits)
    off_domain = off_domain and not OFF_DIPLOMATIC_DOMAINS.isdisjoint(match.domains)
    factor = OFF_DOMAIN_DIPLOMATIC_DAMPING if off_domain else 1.0
    return _label_score([(hit, hit.cue.weight) for hit in fired], factor)


def _label_score(fired: list[tuple[Hit, float]], factor: float) -> LabelScore:
    if not fired:
        return LabelScore(0.0, [])
    miss = 1.0
    strongest: dict[str, float] = {}
    for hit, weight in fired:
        miss *= 1.0 - weight
        if weight > 0:
            strongest[hit.text] = max(weight, strongest.get(hit.text, 0.0))
    # Strongest first, then by text: hits arrive in set order, which differs between processes.
    cues = sorted(strongest, key=lambda text: (-strongest[text], text))
    return LabelScore(rounded_score(1.0 - miss, factor), cues)


def rounded_score(value: float, factor: float) -> float:
    """A label's published score: its noisy-or value scaled by the sentence's factor."""
    return round(value * factor, 4)


def article_score(sentence_scores: Iterable[float]) -> float:
    """Discounted noisy-or of the best few sentence scores; only sentences that carry the
    label themselves count, so scattered passing mentions cannot add up to a topic."""
    labelled = (score for score in sentence_scores if score >= SENTENCE_THRESHOLD)
    best = sorted(labelled, reverse=True)[: len(ARTICLE_RANK_WEIGHTS)]
    return round(noisy_or(s * w for s, w in zip(best, ARTICLE_RANK_WEIGHTS, strict=False)), 4)
