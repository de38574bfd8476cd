"""Where trigger patterns can start: one Aho-Corasick pass per sentence for all of them.

Most trigger patterns start with an alternation of words (``(?:russian|ukrainian|...)``),
which the regex engine can only search by trying every position of the sentence. Every
match of such a pattern starts with one of a few literal prefixes, read off the parsed
pattern; one automaton over all those prefixes finds, per sentence, the positions where
each pattern can start, and :func:`matches_at` tries the pattern only there. It yields
exactly what ``pattern.finditer`` yields: the leftmost match, then the leftmost match at
or after its end, and so on (``pattern.match(text, pos)`` sees the text before ``pos``,
so look-behinds and word boundaries behave as in a search).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

import ahocorasick

# The standard library's regex parser (private, hence untyped; stable since Python 3.11).
_sre_parser: Any = importlib.import_module("re._parser")
_sre_constants: Any = importlib.import_module("re._constants")

# Shorter prefixes ('a', 'in') occur everywhere: such patterns are searched the plain way.
_MIN_PREFIX = 3
_MAX_PREFIXES = 400

Prefixes = set[str]


def literal_prefixes(source: str) -> frozenset[str] | None:
    """Strings one of which starts every match of ``source``, or None when some match may
    start with something else than a literal (or the prefixes are too short or too many)."""
    open_, closed = _walk(list(_sre_parser.parse(source)), {""})
    found = open_ | closed
    if not found or len(found) > _MAX_PREFIXES or min(map(len, found)) < _MIN_PREFIX:
        return None
    return frozenset(found)


def _walk(items: list[tuple[Any, Any]], open_: Prefixes) -> tuple[Prefixes, Prefixes]:
    """Extend the still open prefixes along ``items``; a prefix closes at the first item
    that is not a literal (its matches still start with it)."""
    c = _sre_constants
    closed: Prefixes = set()
    for op, arg in items:
        if not open_:
            break
        if op is c.LITERAL:
            open_ = {prefix + chr(arg) for prefix in open_}
        elif op is c.SUBPATTERN:
            open_, inner = _walk(list(arg[-1]), open_)
            closed |= inner
        elif op is c.BRANCH:
            merged: Prefixes = set()
            for alternative in arg[1]:
                alt_open, alt_closed = _walk(list(alternative), open_)
                merged |= alt_open
                closed |= alt_closed
            open_ = merged
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, item = arg
            once_open, once_closed = _walk(list(item), open_)
            closed |= once_closed
            if low == 0 and high == 1:
                open_ = once_open | open_
            elif low >= 1:
                closed |= once_open
                open_ = set()
            else:
                closed |= open_
                open_ = set()
        elif op is c.AT:
            continue  # zero-width: the literals after it still start the match
        else:
            closed |= open_
            open_ = set()
        if len(open_) + len(closed) > _MAX_PREFIXES:
            return set(), {""}
    return open_, closed


# A piece of pattern whose matches are one of at most this many strings counts as literal.
_MAX_LANGUAGE = 64
# A character class of at most this many characters counts as literal (``[cs]``).
_MAX_CLASS = 4
# Required strings of the shortest kind ('on', 'to') occur everywhere: not worth a check.
_MIN_REQUIRED = 3

Language = frozenset[str]


class _Pieces:
    """What the matches of a piece of pattern hold: all of them are one of the strings of
    ``language`` (None when that set is unknown or too large), and each contains a string
    of every set of ``needs``."""

    def __init__(self, language: Language | None, needs: list[Language]) -> None:
        self.language = language
        self.needs = needs

    def options(self) -> list[Language]:
        """The sets one of whose strings every match contains, each of usable strings."""
        found = [*self.needs, *([self.language] if self.language is not None else [])]
        return [strings for strings in found if strings and _usable(strings)]


def required_literals(source: str) -> frozenset[str] | None:
    """Strings one of which every match of ``source`` contains, chosen not to occur in its
    literal prefixes (which tell nothing: they are where the pattern is tried); None when
    no such set is known."""
    parsed = _sre_parser.parse(source)
    if parsed.state.flags & _sre_constants.SRE_FLAG_IGNORECASE:
        return None  # its literals match other strings too
    prefixes = literal_prefixes(source) or frozenset()
    options = [
        strings
        for strings in _sequence(list(parsed)).options()
        if not any(string in prefix for string in strings for prefix in prefixes)
    ]
    return max(options, key=_rarity) if options else None


def _usable(strings: Language) -> bool:
    return len(strings) <= _MAX_PREFIXES and min(map(len, strings)) >= _MIN_REQUIRED


def _rarity(strings: Language) -> tuple[int, int]:
    """Longer and fewer strings occur less often."""
    return min(map(len, strings)), -len(strings)


def _sequence(items: list[tuple[Any, Any]]) -> _Pieces:
    """The pieces of a sequence: each run of literal items is a set of strings every match
    contains, and so are the needs of its other items (none of them is optional)."""
    needs: list[Language] = []
    run: set[str] = {""}
    whole = True
    for op, arg in items:
        if op is _sre_constants.AT:
            continue  # zero-width: the run goes on
        item = _item(op, arg)
        needs.extend(item.needs)
        if item.language is not None:
            joined = {head + tail for head in run for tail in item.language}
            if len(joined) <= _MAX_LANGUAGE:
                run = joined
                continue
        needs.append(frozenset(run))
        run = {""} if item.language is None else set(item.language)
        whole = False
    needs.append(frozenset(run))
    return _Pieces(frozenset(run) if whole else None, needs)


def _item(op: Any, arg: Any) -> _Pieces:
    c = _sre_constants
    if op is c.LITERAL:
        return _Pieces(frozenset({chr(arg)}), [])
    if op is c.IN:
        return _Pieces(_class_language(arg), [])
    if op is c.SUBPATTERN:
        _, add_flags, del_flags, inner = arg
        if add_flags or del_flags:
            return _Pieces(None, [])
        return _sequence(list(inner))
    if op is c.BRANCH:
        return _branch([_sequence(list(alternative)) for alternative in arg[1]])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, high, inner_items = arg
        inner = _sequence(list(inner_items))
        if low == high == 1:
            return inner
        if low == 0 and high == 1 and inner.language is not None:
            return _Pieces(inner.language | {""}, [])
        return _Pieces(None, inner.needs if low >= 1 else [])
    return _Pieces(None, [])  # any other item: no literal known


def _class_language(items: list[tuple[Any, Any]]) -> Language | None:
    chars: set[str] = set()
    for op, arg in items:
        if op is _sre_constants.LITERAL:
            chars.add(chr(arg))
        elif op is _sre_constants.RANGE and arg[1] - arg[0] < _MAX_CLASS:
            chars.update(map(chr, range(arg[0], arg[1] + 1)))
        else:
            return None  # a negation, a category or a wide range
    return frozenset(chars) if len(chars) <= _MAX_CLASS else None


def _branch(alternatives: list[_Pieces]) -> _Pieces:
    """An alternation is literal when all its alternatives are; else each match holds one of
    the strings of the rarest set of the alternative it matches."""
    languages = [a.language for a in alternatives]
    if all(language is not None for language in languages):
        union = frozenset().union(*(language or () for language in languages))
        if len(union) <= _MAX_LANGUAGE:
            return _Pieces(union, [])
    chosen: set[str] = set()
    for alternative in alternatives:
        options = alternative.options()
        if not options:
            return _Pieces(None, [])
        rarest: Language = max(options, key=_rarity)
        chosen |= rarest
    return _Pieces(None, [frozenset(chosen)])


class StartFinder:
    """The automaton of the prefixes of many patterns, each pattern known by an integer id."""

    def __init__(self, prefixes: Iterable[tuple[int, frozenset[str]]]) -> None:
        owners: dict[str, list[int]] = {}
        for pattern_id, strings in prefixes:
            for string in sorted(strings):
                owners.setdefault(string, []).append(pattern_id)
        self._automaton: Any = ahocorasick.Automaton()
        for string, ids in owners.items():
            self._automaton.add_word(string, (len(string) - 1, tuple(ids)))
        self.empty = not owners
        if not self.empty:
            self._automaton.make_automaton()

    def starts(self, lowered: str) -> dict[int, list[int]]:
        """Pattern id -> the sorted distinct positions where one of its prefixes starts."""
        found: dict[int, list[int]] = {}
        if self.empty:
            return found
        for end, (back, ids) in self._automaton.iter(lowered):
            start = end - back
            for pattern_id in ids:
                positions = found.get(pattern_id)
                if positions is None:
                    found[pattern_id] = [start]
                elif positions[-1] != start:
                    positions.append(start)
        for positions in found.values():
            if len(positions) > 1:
                positions.sort()
        return found


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying the pattern only at ``starts`` (sorted), the only
    positions where it can match."""
    resume = 0
    for start in starts:
        if start < resume:
            continue
        match = pattern.match(text, start)
        if match is not None:
            yield match
            resume = match.end() if match.end() > start else start + 1
