"""Find the lexicon cues, domain words and state actors of one sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workers.pipeline.classify.lexicon import WORD, Cue, Lexicon

# Country abbreviations collide with words once lower-cased ("US" -> "us").
_COUNTRY_ABBREVIATIONS = re.compile(r"\bU\.S\.(?:A\.)?|\bUSA?\b|\bU\.K\.|\bUK\b|\bU\.N\.|\bUN\b|\bEU\b")
_ABBREVIATION_WORDS = {"U.K.": " uk ", "UK": " uk ", "U.N.": " un ", "UN": " un ", "EU": " eu "}
_OLD_YEAR = re.compile(r"1[0-8]\d\d|19[0-8]\d")
_CANDIDATE_CACHE_LIMIT = 200_000


@dataclass(slots=True)
class Hit:
    """A cue that matched, with the words it matched."""

    cue: Cue
    text: str


@dataclass(slots=True)
class SentenceMatch:
    """Everything the scorer needs to know about one sentence."""

    hits: list[Hit] = field(default_factory=list)
    domains: set[str] = field(default_factory=set)
    has_limit: bool = False
    has_geo: bool = False
    has_state: bool = False
    is_historical: bool = False


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens, keeping hyphenated words and country abbreviations whole."""
    text = _COUNTRY_ABBREVIATIONS.sub(_abbreviation_word, text)
    return WORD.findall(text.lower())


def _abbreviation_word(match: re.Match[str]) -> str:
    return _ABBREVIATION_WORDS.get(match.group(), " usa ")


class Matcher:
    """Matches lexicon cues against token lists, caching the cue candidates of each token."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._geo = lexicon.sets["geo"]
        self._state = lexicon.sets["state"]
        self._candidates: dict[str, tuple[Cue, ...]] = {}

    def match(self, text: str) -> SentenceMatch:
        """Match one sentence; the longest cue starting at a token wins and consumes its words."""
        tokens = tokenize(text)
        result = SentenceMatch(is_historical=_OLD_YEAR.search(text) is not None)
        self._note_context(tokens, result)
        position = 0
        while position < len(tokens):
            length = self._match_at(tokens, position, result)
            position += max(length, 1)
        return result

    def _note_context(self, tokens: list[str], result: SentenceMatch) -> None:
        domain_of = self._lexicon.domain_of
        for token in tokens:
            domain = domain_of.get(token)
            if domain is not None:
                result.domains.add(domain)
            if token in self._geo:
                result.has_geo = True
            elif token in self._state:
                result.has_state = True

    def _match_at(self, tokens: list[str], position: int, result: SentenceMatch) -> int:
        for cue in self._candidates_for(tokens[position]):
            end = position + 1 + len(cue.rest)
            if end <= len(tokens) and all(
                slot.accepts(tokens[position + 1 + k]) for k, slot in enumerate(cue.rest)
            ):
                if cue.kind == "limit":
                    result.has_limit = True
                elif cue.label != "none":
                    result.hits.append(Hit(cue, " ".join(tokens[position:end])))
                return end - position
        return 0

    def _candidates_for(self, token: str) -> tuple[Cue, ...]:
        cached = self._candidates.get(token)
        if cached is not None:
            return cached
        lexicon = self._lexicon
        found = list(lexicon.by_token.get(token, ()))
        for length in lexicon.prefix_lengths:
            if length > len(token):
                break
            found.extend(lexicon.by_prefix.get(token[:length], ()))
        # Longest phrase first; on a tie a sense/limit entry wins over a label cue.
        found.sort(key=lambda cue: (-len(cue.rest), cue.label != "none"))
        if len(self._candidates) >= _CANDIDATE_CACHE_LIMIT:
            self._candidates.clear()
        self._candidates[token] = candidates = tuple(found)
        return candidates
