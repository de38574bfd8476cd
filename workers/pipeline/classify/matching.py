"""Find the lexicon cues, domain words and state actors of one sentence."""

from __future__ import annotations

from dataclasses import dataclass

from workers.pipeline.classify.lexicon import Cue, Lexicon, Slot, ascii_words

# "US" would collide with the pronoun once lower-cased, and dotted forms split into letters
# once punctuation became spaces ("U.S." -> "U S "); "UK", "UN", "EU" lower-case safely.
_COUNTRY_NAMES = (
    (b" U S ", b" usa "),
    (b" US ", b" usa "),
    (b" U K ", b" uk "),
    (b" U N ", b" un "),
    (b"United States", b"usa"),
    (b"United Kingdom", b"uk"),
    (b"United Nations", b"un"),
    (b"European Union", b"eu"),
)
# Every name holds a capital U: one scan for it is far cheaper than a search per name.
_COUNTRY_AFTER_U = frozenset((b" S", b" K", b" N", b"S ", b"ni"))
# (the name from its capital U on, the whole name, its replacement)
_COUNTRY_BY_U = tuple(
    (name.lstrip().replace(b"European ", b""), name, word) for name, word in _COUNTRY_NAMES
)
_SENTENCE_BREAK = b" \x01 "
_OLD_YEARS = frozenset(str(year) for year in range(1000, 1990))
_CANDIDATE_CACHE_LIMIT = 200_000
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
    joined = b" " + ascii_words("\x01".join(texts)).replace(b"\x01", _SENTENCE_BREAK) + b" "
    joined = _country_words(joined)
    return [part.split() for part in joined.lower().decode("ascii").split("\x01")]


def _country_words(joined: bytes) -> bytes:
    """Replace the country names and abbreviations of ``_COUNTRY_NAMES`` that occur."""
    present: set[tuple[bytes, bytes, bytes]] = set()
    position = joined.find(b"U")
    while position != -1:
        if joined[position + 1 : position + 3] in _COUNTRY_AFTER_U:
            present.update(
                entry for entry in _COUNTRY_BY_U if joined.startswith(entry[0], position)
            )
        position = joined.find(b"U", position + 1)
    for entry in _COUNTRY_BY_U:
        if entry in present:
            joined = joined.replace(entry[1], entry[2])
    return joined


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens of one text, country abbreviations made unambiguous."""
    return tokenize_many([text])[0]


class Matcher:
    """Matches lexicon cues against token lists, caching the cue candidates of each token."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._geo = lexicon.sets["geo"]
        self._state = lexicon.sets["state"]
        self._domain_terms = frozenset(lexicon.domain_of)
        self._known: set[str] = set()
        self._phrases: dict[str, tuple[Cue, ...]] = {}  # token -> multi-word cues it starts
        self._word_hits: dict[str, Hit] = {}  # token -> the hit of the one-word cue it is
        self._pairs: dict[tuple[str, str], tuple[Cue, ...]] = {}
        # Sets, not dict views: set.intersection(dict) would walk the whole dict.
        self._phrase_starters: set[str] = set()
        self._word_starters: set[str] = set()
        self._limit_words: set[str] = set()
        # Every word any context flag looks at, to skip sentences that have none.
        self._base_context = self._domain_terms | self._geo | self._state | _OLD_YEARS
        self._context_terms = set(self._base_context)  # plus the limit words, as learnt
        # Every word that starts a cue or sets a flag.
        self._relevant = set(self._context_terms)

    def match_many(self, texts: list[str]) -> list[SentenceMatch]:
        """Match every sentence of an article, learning its new words once for all."""
        token_lists = tokenize_many(texts)
        vocabulary: set[str] = set().union(*token_lists)
        unknown = vocabulary.difference(self._known)
        if unknown:
            if len(self._known) + len(unknown) >= _CANDIDATE_CACHE_LIMIT:
                self._forget()
                unknown = vocabulary
            self._learn(unknown)
        relevant = vocabulary & self._relevant
        match = self._match_tokens
        return [match(tokens, relevant.intersection(tokens)) for tokens in token_lists]

    def match(self, text: str) -> SentenceMatch:
        """Match one sentence."""
        return self.match_many([text])[0]

    def _match_tokens(self, tokens: list[str], relevant: set[str]) -> SentenceMatch:
        """Multi-word cues first (longest wins, its words are consumed), then one-word cues,
        each distinct word counted once; ``relevant`` holds the tokens any cue or flag uses."""
        result = SentenceMatch()
        if not relevant:
            return result
        starters = relevant & self._phrase_starters
        consumed = self._match_phrases(tokens, starters, result) if starters else _NO_WORDS
        words = relevant & self._word_starters
        if words:
            if consumed:
                words -= consumed
            hits = result.hits
            labels = result.labels
            for token in sorted(words):  # set order differs between processes
                hit = self._word_hits[token]
                key = hit.cue.key
                if key in hits:
                    hits[key].append(hit)
                else:
                    hits[key] = [hit]
                labels.add(hit.cue.label)
        context = relevant & self._context_terms
        if context:
            self._note_context(context, consumed, result)
        return result

    def _note_context(
        self, context: set[str], consumed: set[str] | frozenset[str], result: SentenceMatch
    ) -> None:
        """Set the domain and actor flags from the sentence's context words."""
        if not self._limit_words.isdisjoint(context):
            result.has_limit = True
        domain_terms = context & self._domain_terms
        if domain_terms:  # words inside a cue phrase ("European Union") are not domain words
            domain_of = self._lexicon.domain_of
            result.domains = {domain_of[term] for term in domain_terms.difference(consumed)}
        # A country word inside a diplomatic name ("African Union") is not a separate actor.
        if not self._geo.isdisjoint(context.difference(result.named) if result.named else context):
            result.has_geo = True
        if not self._state.isdisjoint(context):
            result.has_state = True
        if not _OLD_YEARS.isdisjoint(context):
            result.is_historical = True

    def _match_phrases(
        self, tokens: list[str], starters: set[str], result: SentenceMatch
    ) -> set[str]:
        consumed: set[str] = set()
        pairs = self._pairs
        last = len(tokens) - 1
        next_free = 0
        for position in _positions(tokens, starters):
            if position < next_free or position == last:
                continue
            pair = (tokens[position], tokens[position + 1])
            candidates = pairs.get(pair)
            if candidates is None:
                candidates = pairs[pair] = self._pair_candidates(*pair)
            for cue in candidates:
                end = position + 1 + len(cue.rest)
                if end <= len(tokens) and _rest_matches(cue, tokens, position + 2):
                    self._record(cue, " ".join(tokens[position:end]), result)
                    consumed.update(tokens[position:end])
                    if cue.label == "diplomatic":
                        result.named = result.named.union(tokens[position:end])
                    next_free = end
                    break
        return consumed

    @staticmethod
    def _record(cue: Cue, text: str, result: SentenceMatch) -> None:
        if cue.kind == "limit":
            result.has_limit = True
        elif cue.kind == "background":
            result.is_background = True
        elif cue.label != "none":
            result.add(Hit(cue, text))

    def _pair_candidates(self, token: str, following: str) -> tuple[Cue, ...]:
        """The multi-word cues starting at ``token`` whose second slot accepts ``following``."""
        if len(self._pairs) >= _CANDIDATE_CACHE_LIMIT:
            self._pairs.clear()
        return tuple(cue for cue in self._phrases[token] if _accepts(cue.rest[0], following))

    def _forget(self) -> None:
        """Drop the learnt words (a bound on memory for endless streams of new words)."""
        self._known.clear()
        self._phrases.clear()
        self._word_hits.clear()
        self._pairs.clear()
        self._phrase_starters.clear()
        self._word_starters.clear()
        self._limit_words.clear()
        self._context_terms = set(self._base_context)
        self._relevant = set(self._context_terms)

    def _learn(self, tokens: set[str]) -> None:
        for token in tokens:
            self._known.add(token)
            candidates = self._find_candidates(token)
            phrases = tuple(cue for cue in candidates if cue.rest)
            if phrases:
                self._phrases[token] = phrases
                self._phrase_starters.add(token)
                self._relevant.add(token)
            words = [cue for cue in candidates if not cue.rest]
            if not words:
                continue
            if words[0].label != "none":
                self._word_hits[token] = Hit(words[0], token)
                self._word_starters.add(token)
                self._relevant.add(token)
            elif words[0].kind == "limit":
                self._limit_words.add(token)
                self._context_terms.add(token)
                self._relevant.add(token)

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


def _positions(tokens: list[str], starters: set[str]) -> list[int]:
    """Sorted positions of the starter tokens (list.index and count run in C)."""
    positions: list[int] = []
    for token in starters:
        if tokens.count(token) == 1:
            positions.append(tokens.index(token))
        else:
            positions.extend([i for i, other in enumerate(tokens) if other == token])
    if len(positions) > 1:
        positions.sort()
    return positions


def _accepts(slot: Slot, token: str) -> bool:
    return token in slot.exact or bool(slot.prefixes and token.startswith(slot.prefixes))


def _rest_matches(cue: Cue, tokens: list[str], start: int) -> bool:
    """Whether the third and later slots of the cue match the tokens from ``start``."""
    if len(cue.rest) == 1:
        return True
    return all(_accepts(slot, tokens[start + k]) for k, slot in enumerate(cue.rest[1:]))
