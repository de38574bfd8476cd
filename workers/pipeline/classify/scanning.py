"""One compiled-regex pass over a whole article that reports every cue phrase and every
word with a role, so that the per-sentence work in Python only touches those.

The article becomes one lower-case string of single-spaced tokens, sentences separated by a
``\\x01`` token. The pattern tries, at each token, the cue phrases with the most slots first,
then the one-word cues and context words: the same "longest phrase at a word wins and
consumes its words" rule as the lexicon's (see ``data/cues.tsv``). Which of several phrases
of that length won is decided afterwards from the matched words (``Matcher``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from workers.pipeline.classify.lexicon import TO_SPACE, Lexicon, Slot, ascii_words

SENTENCE_MARK = "\x01"
# Found items are joined with ITEM_END; a sentence's items then read "<item>\t<item>\t".
ITEM_END = "\t"
_SENTENCE_SPLIT = f" {SENTENCE_MARK}{ITEM_END}"
_MARK_RANK = 1_000  # the sentence mark is never part of a cue
# Expanding the slots of a phrase into plain words lets the pattern share their letters
# (a trie); past this many expansions a phrase keeps its later slots as groups.
_EXPANSION_LIMIT = 64

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
# Each name once, found in one pass (a search per name costs more than the whole pass);
# the pattern starts with a plain "U" so that the regex engine skips to the capitals.
_COUNTRY_FINDER = re.compile(
    rb"U(?:(?<= U) [SKN] |(?<= U)S |nited (?:States|Kingdom|Nations)|(?<=European U)nion)"
)
_COUNTRY_FOUND = {
    b"U S ": b" U S ",
    b"US ": b" US ",
    b"U K ": b" U K ",
    b"U N ": b" U N ",
    b"United States": b"United States",
    b"United Kingdom": b"United Kingdom",
    b"United Nations": b"United Nations",
    b"Union": b"European Union",
}
# str.split() separates words at these; the scan wants plain single spaces.
_WHITESPACE = b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
_LOWER_AND_SPACE = bytes.maketrans(
    bytes(range(ord("A"), ord("Z") + 1)) + _WHITESPACE,
    bytes(range(ord("a"), ord("z") + 1)) + b" " * len(_WHITESPACE),
)
# How scan_string reads texts, for the compiled core (``_native.Classifier``), which builds
# the same scan string.
TEXT_RULES: dict[str, object] = {
    "to_space": TO_SPACE,
    "lower_and_space": _LOWER_AND_SPACE,
    "country_names": list(_COUNTRY_NAMES),
    "separator": f" {SENTENCE_MARK} ",
}
# Words of a phrase may stand apart by several spaces (punctuation became spaces). In the
# characters an alternative starts with, _GAP stands for that run of spaces.
_GAP = "\x00"
_GAP_REGEX = " +"


def article_bytes(texts: list[str]) -> bytes:
    """ASCII word bytes of the texts, country names made unambiguous, sentences separated by
    `` \\x01 `` (as cased text: the country rules need the capitals)."""
    joined = b" " + ascii_words(f" {SENTENCE_MARK} ".join(texts)) + b" "
    return country_words(joined)


def country_words(joined: bytes) -> bytes:
    """Replace the country names and abbreviations of ``_COUNTRY_NAMES`` that occur, in order."""
    found = _COUNTRY_FINDER.findall(joined)
    if not found:
        return joined
    present = {_COUNTRY_FOUND[text] for text in found}
    for name, word in _COUNTRY_NAMES:
        if name in present:
            joined = joined.replace(name, word)
    return joined


def scan_string(texts: list[str]) -> str:
    """The article as the scan pattern reads it: `` tok  tok \\x01 tok ``, lower case."""
    return article_bytes(texts).translate(_LOWER_AND_SPACE).decode("ascii")


def sentence_keys(pattern: re.Pattern[str], texts: list[str]) -> list[str]:
    """For each text, its found items (cue phrases and words with a role) in text order, each
    as " <words>" followed by ``ITEM_END``: everything its labels depend on. The compiled
    core's ``Classifier`` finds the same items on tokens (this is the reference of its scan)."""
    if not texts:
        return []
    found = pattern.findall(scan_string(texts))
    found.append("")
    return ITEM_END.join(found).split(_SENTENCE_SPLIT)


@dataclass(frozen=True, slots=True)
class _Alternative:
    """One way to match at a token: plain characters, then a regex. Of the alternatives that
    match at one token, one of the highest rank must be tried first."""

    literal: str
    tail: str
    rank: int


def build_pattern(lexicon: Lexicon, context_words: Iterable[str]) -> re.Pattern[str]:
    """The scan pattern of the lexicon's cues plus the given words."""
    alternatives = {_Alternative(SENTENCE_MARK, "", _MARK_RANK)}
    for word, cues in lexicon.by_token.items():
        for cue in cues:
            alternatives.update(_alternatives((word, False), cue.rest))
    for prefix, cues in lexicon.by_prefix.items():
        for cue in cues:
            alternatives.update(_alternatives((prefix, True), cue.rest))
    alternatives.update(_Alternative(word, "(?= )", 0) for word in context_words)
    ordered = sorted((a for a in alternatives if a.literal), key=lambda a: (a.literal, a.tail))
    return re.compile(" " + _trie(ordered, 0))


_Piece = tuple[str, bool]  # a word or, if True, a prefix


def _slot_pieces(slot: Slot) -> list[_Piece]:
    return [(word, False) for word in sorted(slot.exact) if word] + [
        (prefix, True) for prefix in sorted(slot.prefixes)
    ]


def _alternatives(first: _Piece, rest: tuple[Slot, ...]) -> list[_Alternative]:
    if not first[0]:
        return []
    options = [_slot_pieces(slot) for slot in rest]
    expansions = 1
    for pieces in options:
        expansions *= len(pieces)
    if expansions > _EXPANSION_LIMIT:
        tail = "".join(_GAP_REGEX + _slot_regex(pieces) for pieces in options)
        if first[1]:
            return [_Alternative(first[0], "[^ ]*" + tail + "(?= )", len(rest))]
        return [_Alternative(first[0] + _GAP, tail[len(_GAP_REGEX) :] + "(?= )", len(rest))]
    return [_expanded(first, combo, len(rest)) for combo in itertools.product(*options)]


def _expanded(first: _Piece, later: tuple[_Piece, ...], rank: int) -> _Alternative:
    """Plain characters up to the first prefix slot, the rest as a regex."""
    literal = first[0]
    tail = "[^ ]*" if first[1] else None
    for word, is_prefix in later:
        if tail is None:
            literal += _GAP + word
            if is_prefix:
                tail = "[^ ]*"
        else:
            tail += _GAP_REGEX + re.escape(word) + ("[^ ]*" if is_prefix else "")
    return _Alternative(literal, (tail or "") + "(?= )", rank)


def _slot_regex(pieces: list[_Piece]) -> str:
    """A group accepting any of the slot's words and prefixes (order does not matter)."""
    return _word_trie([w for w, p in pieces if not p], [w for w, p in pieces if p], 0)


def _word_trie(words: list[str], prefixes: list[str], depth: int) -> str:
    if any(len(prefix) == depth for prefix in prefixes):
        return "[^ ]*"
    branches: dict[str, tuple[list[str], list[str]]] = {}
    for word in words:
        if len(word) > depth:
            branches.setdefault(word[depth], ([], []))[0].append(word)
    for prefix in prefixes:
        branches.setdefault(prefix[depth], ([], []))[1].append(prefix)
    parts = [
        re.escape(char) + _word_trie(group[0], group[1], depth + 1)
        for char, group in sorted(branches.items())
    ]
    if any(len(word) == depth for word in words):
        parts.append("")
    return _group(parts)


def _trie(alternatives: list[_Alternative], depth: int) -> str:
    """Alternatives sharing characters share a branch. Where some alternative's characters end,
    the rest is tried in rank order; elsewhere the next character tells branches apart."""
    if any(len(a.literal) == depth for a in alternatives):
        return _ranked(alternatives, depth)
    branches: dict[str, list[_Alternative]] = {}
    for alternative in alternatives:
        branches.setdefault(alternative.literal[depth], []).append(alternative)
    by_size = sorted(branches.items(), key=lambda item: (-len(item[1]), item[0]))
    return _group([_char_regex(char) + _trie(group, depth + 1) for char, group in by_size])


def _char_regex(char: str) -> str:
    return _GAP_REGEX if char == _GAP else re.escape(char)


def _ranked(alternatives: list[_Alternative], depth: int) -> str:
    parts: list[str] = []
    pending: list[_Alternative] = []  # longer literals of this or a higher rank
    for rank in sorted({a.rank for a in alternatives}, reverse=True):
        band = [a for a in alternatives if a.rank == rank]
        pending += [a for a in band if len(a.literal) > depth]
        ended = sorted(
            {a.tail for a in band if len(a.literal) == depth}, key=lambda t: (-len(t), t)
        )
        if ended:
            if pending:
                parts.append(_trie(pending, depth))
                pending = []
            parts += ended
    if pending:
        parts.append(_trie(pending, depth))
    return _group(parts)


def _group(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
