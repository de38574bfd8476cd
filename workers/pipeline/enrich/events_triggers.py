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
