"""Find the lexicon cues, domain words and state actors of each sentence of an article."""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass

from workers.pipeline.classify.lexicon import Cue, Lexicon, Slot
from workers.pipeline.classify.scanning import (
    ITEM_END,
    SENTENCE_MARK,
    article_bytes,
    build_pattern,
    sentence_keys,
)

OLD_YEARS = frozenset(str(year) for year in range(1000, 1990))
_CACHE_LIMIT = 200_000
_NO_WORDS: frozenset[str] = frozenset()


@dataclass(slots=True)
class Hit:
    """A cue that matched, with the words it matched."""

    cue: Cue
    text: str


class SentenceMatch:
    """Everything the scorer needs to know about one sentence: hits grouped by label and kind
    ("military:strong"), the non-war domains present and which actors are named."""

    # Class-level defaults: most sentences set only a few of these, and the scorer runs
    # for every sentence of every article.
    domains: set[str] | frozenset[str] = frozenset()
    named: set[str] | frozenset[str] = frozenset()  # words of diplomatic cue phrases
    has_limit = False
    has_geo = False
    has_state = False
    is_historical = False
    is_background = False

    def __init__(self) -> None:
        self.hits: dict[str, list[Hit]] = {}
        self.labels: set[str] = set()  # labels with at least one hit

    def of(self, label: str, kind: str) -> list[Hit]:
        """The hits of one label and kind."""
        return self.hits.get(f"{label}:{kind}", [])

    @property
    def has_strong_military(self) -> bool:
        """Whether a military cue that needs no support matched."""
        return "military:strong" in self.hits

    def signature(self) -> Hashable:
        """Equal for two matches that every scoring rule treats alike: the same hits (cue
        and text) under each label and kind, and the same flags."""
        hits = tuple(
            (key, tuple((id(hit.cue), hit.text) for hit in hits)) for key, hits in self.hits.items()
        )
        flags = (self.has_limit, self.is_background, self.has_geo, self.has_state)
        return hits, flags, self.is_historical, frozenset(self.domains)

    def add(self, hit: Hit) -> None:
        """File a hit under its label and kind."""
        key = hit.cue.key
        if key in self.hits:
            self.hits[key].append(hit)
        else:
            self.hits[key] = [hit]
        self.labels.add(hit.cue.label)


def tokenize_many(texts: list[str]) -> list[list[str]]:
    """Lower-cased word tokens of each text, done in one pass over all of them."""
    if not texts:
        return []
    lowered = article_bytes(texts).lower().decode("ascii")
    return [part.split() for part in lowered.split(SENTENCE_MARK)]


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens of one text, country abbreviations made unambiguous."""
    return tokenize_many([text])[0]


@dataclass(frozen=True, slots=True)
class _Role:
    """What one word does on its own: the one-word cue it fires, and the flags it sets."""

    hit: Hit | None
    is_limit: bool
    domain: str | None
    is_geo: bool
    is_state: bool
    is_old_year: bool

    @property
    def is_context(self) -> bool:
        return (
            self.is_limit
            or self.domain is not None
            or self.is_geo
            or self.is_state
            or self.is_old_year
        )


@dataclass(frozen=True, slots=True)
class _Phrase:
    cue: Cue
    words: tuple[str, ...]


_PATTERNS: dict[int, tuple[Lexicon, re.Pattern[str]]] = {}


def _pattern_for(lexicon: Lexicon) -> re.Pattern[str]:
    """The scan pattern of a lexicon, compiled once (it takes a while)."""
    known = _PATTERNS.get(id(lexicon))
    if known is None or known[0] is not lexicon:
        context = set(lexicon.domain_of) | lexicon.sets["geo"] | lexicon.sets["state"]
        known = _PATTERNS[id(lexicon)] = (lexicon, build_pattern(lexicon, context | OLD_YEARS))
    return known[1]


class Matcher:
    """Matches lexicon cues against sentences, caching what each word and phrase does."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._geo = lexicon.sets["geo"]
        self._state = lexicon.sets["state"]
        self._pattern = _pattern_for(lexicon)
        self._roles: dict[str, _Role] = {}
        self._phrases: dict[str, _Phrase] = {}

    def keys(self, texts: list[str]) -> list[str]:
        """One key per text: its cue phrases and words with a role, all its match depends on."""
        keys = sentence_keys(self._pattern, texts)
        if len(keys) != len(texts):
            raise ValueError("a sentence text holds the sentence separator \\x01")
        return keys

    def match_many(self, texts: list[str]) -> list[SentenceMatch]:
        """Match every sentence of an article."""
        return [self.match_key(key) for key in self.keys(texts)]

    def match(self, text: str) -> SentenceMatch:
        """Match one sentence."""
        return self.match_many([text])[0]

    def match_key(self, key: str) -> SentenceMatch:
        """Multi-word cues first (longest wins, its words are consumed), then one-word cues,
        each distinct word counted once; context words set the domain and actor flags."""
        result = SentenceMatch()
        consumed: set[str] = set()
        named: set[str] = set()
        words: set[str] = set()
        for item in key.split(ITEM_END)[:-1]:
            text = item[1:]  # items start with the space before their first word
            if " " not in text:
                words.add(text)
                continue
            text = " ".join(text.split())  # its words may stand apart by several spaces
            phrase = self._phrase(text)
            self._record(phrase.cue, text, result)
            consumed.update(phrase.words)
            if phrase.cue.label == "diplomatic":
                named.update(phrase.words)
        if named:
            result.named = named
        roles = {word: self._role(word) for word in words | consumed}
        for word in sorted(words.difference(consumed)):  # set order differs between processes
            hit = roles[word].hit
            if hit is not None:
                result.add(hit)
        context = {word for word, role in roles.items() if role.is_context}
        if context:
            self._note_context(context, consumed, roles, result)
        return result

    def _note_context(
        self,
        context: set[str],
        consumed: set[str],
        roles: dict[str, _Role],
        result: SentenceMatch,
    ) -> None:
        """Set the domain and actor flags from the sentence's context words."""
        if any(roles[word].is_limit for word in context):
            result.has_limit = True
        domain_terms = [word for word in context if roles[word].domain is not None]
        if domain_terms:  # words inside a cue phrase ("European Union") are not domain words
            result.domains = {
                str(roles[word].domain) for word in domain_terms if word not in consumed
            }
        # A country word inside a diplomatic name ("African Union") is not a separate actor.
        if not self._geo.isdisjoint(context.difference(result.named)):
            result.has_geo = True
        if not self._state.isdisjoint(context):
            result.has_state = True
        if not OLD_YEARS.isdisjoint(context):
            result.is_historical = True

    @staticmethod
    def _record(cue: Cue, text: str, result: SentenceMatch) -> None:
        if cue.kind == "limit":
            result.has_limit = True
        elif cue.kind == "background":
            result.is_background = True
        elif cue.label != "none":
            result.add(Hit(cue, text))

    def _phrase(self, text: str) -> _Phrase:
        """The cue behind a matched phrase: the scan found the most slots that match here, so
        it is the best-ranked cue of that many slots that accepts the words."""
        phrase = self._phrases.get(text)
        if phrase is None:
            if len(self._phrases) >= _CACHE_LIMIT:
                self._phrases.clear()
            words = tuple(text.split(" "))
            phrase = self._phrases[text] = _Phrase(self._phrase_cue(words), words)
        return phrase

    def _phrase_cue(self, words: tuple[str, ...]) -> Cue:
        for cue in self._find_candidates(words[0]):
            if len(cue.rest) == len(words) - 1 and all(
                _accepts(slot, word) for slot, word in zip(cue.rest, words[1:], strict=True)
            ):
                return cue
        raise LookupError(f"no cue matches the scanned phrase {' '.join(words)!r}")

    def _role(self, word: str) -> _Role:
        role = self._roles.get(word)
        if role is None:
            if len(self._roles) >= _CACHE_LIMIT:
                self._roles.clear()
            role = self._roles[word] = self._learn(word)
        return role

    def _learn(self, word: str) -> _Role:
        one_word = [cue for cue in self._find_candidates(word) if not cue.rest]
        best = one_word[0] if one_word else None
        return _Role(
            hit=Hit(best, word) if best is not None and best.label != "none" else None,
            is_limit=best is not None and best.label == "none" and best.kind == "limit",
            domain=self._lexicon.domain_of.get(word),
            is_geo=word in self._geo,
            is_state=word in self._state,
            is_old_year=word in OLD_YEARS,
        )

    def _find_candidates(self, token: str) -> tuple[Cue, ...]:
        """Cues whose first slot accepts the token, best first: longest phrase, then a
        sense/limit entry over a label cue, then an exact word over a longer, then shorter,
        prefix ("destroyer~" beats "destroy~")."""
        lexicon = self._lexicon
        ranked = [(cue, len(token) + 1) for cue in lexicon.by_token.get(token, ())]
        for length in lexicon.prefix_lengths:
            if length > len(token):
                break
            ranked.extend((cue, length) for cue in lexicon.by_prefix.get(token[:length], ()))
        ranked.sort(key=lambda item: (-len(item[0].rest), item[0].label != "none", -item[1]))
        return tuple(cue for cue, _ in ranked)


def _accepts(slot: Slot, token: str) -> bool:
    return token in slot.exact or bool(slot.prefixes and token.startswith(slot.prefixes))
