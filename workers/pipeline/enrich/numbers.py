"""Exact cardinal numbers written in news English: digits and number words.

``NUMBER_PATTERN`` is a regex fragment (no capturing groups) matching one exact count
such as ``12``, ``1,000``, ``twenty-three``, ``two hundred``, ``a dozen``. It refuses
figures that are ages, times, percentages, distances or money (``10-year-old``,
``5pm``, ``20%``, ``30 km``, ``$5``), and four-digit years. Vague quantities
(``dozens``, ``hundreds of``) are not numbers. :func:`parse_number` turns a matched
fragment into an ``int``.
"""

from __future__ import annotations

import re

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

_UNIT_ALT = "|".join(sorted(UNITS, key=len, reverse=True))
_TENS_ALT = "|".join(TENS)
_SMALL_WORD = rf"(?:(?:{_TENS_ALT})(?:[-\s](?:{_UNIT_ALT}))?|{_UNIT_ALT})"
_WORD_NUMBER = (
    rf"(?:{_SMALL_WORD}|an?)\s+(?:hundred|thousand)(?:\s+(?:and\s+)?{_SMALL_WORD})?"
    rf"|{_SMALL_WORD}"
)
# What must not follow a count: ages, durations, times, percentages, units, ordinals.
_NOT_A_COUNT = (
    r"(?![\d,.]*\d)"
    r"(?!\s*(?:-|\s)?\s*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?)\b)"
    r"(?!\s*(?:%|per\s?cent|percent|km\b|kilomet|miles?\b|metres?\b|meters?\b|"
    r"kg\b|tons?\b|tonnes?\b|a\.?m\b|p\.?m\b|:\d|st\b|nd\b|rd\b|th\b|"
    r"(?:million|billion|trillion)\s+(?:dollars|euros|pounds)|dollars|euros|"
    r"pounds|hryvnias?|rubles?|roubles?|shekels?))"
)
_DIGITS = r"(?<![\d$€£.,:/-])(?:\d{1,3}(?:,\d{3})+|\d+)(?!\.\d)"
NUMBER_PATTERN = (
    rf"(?:{_DIGITS}|a\s+dozen|(?<![\w-])(?:{_WORD_NUMBER})(?![\w-]))(?!\s+dozen){_NOT_A_COUNT}"
)
NUMBER_RE = re.compile(NUMBER_PATTERN, re.IGNORECASE)
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_WORD_SEPARATOR_RE = re.compile(r"[\s-]+")


def parse_number(fragment: str) -> int | None:
    """Return the value of a number fragment, or None when it is not an exact count."""
    written = fragment.strip().lower()
    text = written.replace(",", "")
    if text.isdigit():
        if written == text and _YEAR_RE.fullmatch(text):
            return None
        return int(text)
    if text in ("a dozen", "dozen"):
        return 12
    if text in ("a", "an"):
        return 1
    return _parse_words(text)


def _parse_words(text: str) -> int | None:
    """Value of number words such as 'two hundred and five' or 'twenty-three'."""
    total = 0
    current = 0
    seen = False
    for word in _WORD_SEPARATOR_RE.split(text):
        if word in ("and", ""):
            continue
        if word in ("a", "an"):
            current = 1
        elif word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None
