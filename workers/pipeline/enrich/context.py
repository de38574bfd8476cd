"""Text-window cues around a mention: speech verbs, appositives, locative prepositions."""

from __future__ import annotations

import re

_SPEECH = (
    r"said|says|told|added|stated|noted|warned|announced|insisted|claimed|explained|wrote|"
    r"posted|asserted|urged|argued|stressed|confirmed|denied|replied|declared|tweeted|"
    r"reported|acknowledged|admitted|recalled|described|called|accused|vowed|pledged|"
    r"promised|suggested|believes|thinks|met|spoke|visited|signed|ordered|has|had|is|was|"
    r"scored|netted|won|beat|defeated|lost|clinched|saved|assisted|equali[sz]ed|coached|"
    r"served|broke|converted|finished|struck\s+out|pitched|fired\s+in|headed|sealed|"
    r"smashed|returned|resigned|fled|died|survived|recounted|remembered|sa(?:id|ys)"
)
SPEECH_AFTER_RE = re.compile(
    rf"^(?:,\s*)?\s+(?:also\s+|later\s+|then\s+|previously\s+|quickly\s+)?(?:{_SPEECH})\b"
    r"|^,\s+(?:\d{1,3}|aged\s+\d{1,3}),"
    r"|^['’]s\s+(?:serve|goal|header|shot|penalty|forehand|backhand|free\s+kick|strike|"
    r"wife|husband|son|daughter|mother|father|brother|sister|family|lawyer|spokesman|"
    r"spokeswoman|office|campaign|remarks|comments|statement)\b"
)
APPOSITIVE_RE = re.compile(
    r"^,\s+(?:(?:a|an|the)\s+(?P<role>[\w\- ]{2,60}?)(?=\s+(?:of|for|in|at|from|with|who|whose|to|"
    r"and|on)\b|[,.;:)]|$)|who\b)"
)
SPEECH_BEFORE_RE = re.compile(
    r"(?:\b(?:said|says|told|according\s+to|by|added|wrote|warned|asked|quoted|interviewed|"
    r"explained|recalled|insisted|noted|sources\s+close\s+to|replaced|succeeded|named|"
    r"appointed|elected|against|beat|defeated|tells)"
    r"|[”\"],?|[—–]|\s-)\s*$"
)
LOCATIVE_BEFORE_RE = re.compile(
    r"\b(?:in|near|outside|from|to|at|of|around|towards?|into|across|over|on|via|"
    r"between|and|city\s+of|town\s+of|village\s+of|region\s+of|province\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
AREA_SUFFIX_RE = re.compile(
    r"\s+(region|oblast|province|governorate|district|krai|state|river|sea|strait|valley|"
    r"peninsula)\b",
    re.IGNORECASE,
)
LOCALITY_BEFORE_RE = re.compile(
    r"(?:\b(?:villages?|towns?|city|hamlets?|settlements?|suburbs?|districts?|neighbou?rhoods?|"
    r"municipality|commune|county|province|camps?|islands?|port|outskirts|residents)\s+of"
    r"|\b(?:near|outside|nearby|around|in\s+nearby|on\s+the\s+outskirts\s+of))"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
LOCALITY_AFTER_RE = re.compile(
    r"\s+(?:neighbou?rhood|district|area|camp|refugee\s+camp|village|town|suburb|quarter|"
    r"settlement|township|municipality|commune|county|valley|river|lake)\b",
    re.IGNORECASE,
)
# Every LOCALITY_AFTER_RE match opens, after its white space, with one of these (case aside).
LOCALITY_AFTER_PREFIXES = (
    "neighbo",
    "district",
    "area",
    "camp",
    "refugee",
    "village",
    "town",
    "suburb",
    "quarter",
    "settlement",
    "municipality",
    "commune",
    "county",
    "valley",
    "river",
    "lake",
)
IN_BEFORE_RE = re.compile(r"\b(?:in|at|from|into|to|towards?|of)\s+$")
# The most white-space-separated words a match of each "...$" pattern spans ("on the outskirts
# of the", "sources close to", "in"): no match can start before the text's last that many words.
LOCALITY_BEFORE_WORDS = 5
IN_BEFORE_WORDS = 1
SPEECH_BEFORE_WORDS = 3
PLACE_AFTER_RE = re.compile(r",\s+([A-Z][\w'’\-]+(?:\s[A-Z][\w'’\-]+)?)")
LOWER_WORDS_BEFORE_RE = re.compile(r"((?:[a-z][\w.\-]*\s+){1,4})$")
FACILITY_SUFFIX_RE = re.compile(
    r"\s+(?:nuclear\s+power\s+plant|nuclear\s+plant|power\s+plant|npp|dam|bridge|"
    r"crossing|airport|air\s+base|airbase|port)\b",
    re.IGNORECASE,
)
# Matches exactly where AREA_SUFFIX_RE or FACILITY_SUFFIX_RE matches (one test instead of two).
SUFFIX_RE = re.compile(
    rf"(?:{AREA_SUFFIX_RE.pattern})|(?:{FACILITY_SUFFIX_RE.pattern})", re.IGNORECASE
)
WEAPON_CUE_RE = re.compile(
    r"missile|rocket|drone|tank|launcher|system|jet|aircraft|fighter|howitzer|bomb|shell|"
    r"weapon|munition|helicopter|artillery|air[ -]defen[cs]e|batter(?:y|ies)|interceptor|"
    r"warplane|armou?r|vehicle|rifle|strike|fired|launched|supplied|deliver|ammunition|"
    r"warhead|arms",
    re.IGNORECASE,
)


_LOCATIVE_WORDS = frozenset(
    [
        "in",
        "near",
        "outside",
        "from",
        "to",
        "at",
        "of",
        "around",
        "toward",
        "towards",
        "into",
        "across",
        "over",
        "on",
        "via",
        "between",
        "and",
    ]
)
_LOCATIVE_PAIRS = frozenset(["city of", "town of", "village of", "region of", "province of"])
_PUNCT_BEFORE = "([{\"'“‘—–-"


def locative_before(text: str, start: int) -> bool:
    """True when a locative preposition ("in", "near", "town of") directly precedes ``start``."""
    window = text[max(0, start - 25) : start]
    if not window or not window[-1].isspace():
        return False
    words = window.lower().split()
    if words and words[-1] == "the":
        words.pop()
    if not words:
        return False
    if words[-1].lstrip(_PUNCT_BEFORE) in _LOCATIVE_WORDS:
        return True
    return len(words) > 1 and f"{words[-2].lstrip(_PUNCT_BEFORE)} {words[-1]}" in _LOCATIVE_PAIRS


def lower_words_before(text: str, start: int, limit: int = 4) -> list[str]:
    """Up to ``limit`` lower-case words directly before ``start`` (as LOWER_WORDS_BEFORE_RE)."""
    window = text[max(0, start - 60) : start]
    if not window or not window[-1].isspace():
        return []
    words: list[str] = []
    for piece in reversed(window.split()):
        first = piece[0]
        if not ("a" <= first <= "z"):
            break
        rest = piece[1:].replace(".", "").replace("-", "").replace("_", "")
        if rest and not rest.isalnum():
            break
        words.append(piece)
        if len(words) == limit:
            break
    words.reverse()
    return words


def window_after(text: str, end: int, size: int = 80) -> str:
    return text[end : end + size]


def window_before(text: str, start: int, size: int = 60) -> str:
    return text[max(0, start - size) : start]


# Every LOCALITY_BEFORE_RE match ends in one of these words (then optionally "the").
LOCALITY_LAST_WORDS = ("of", "near", "outside", "nearby", "around")


# How far before a name ``entities.localities`` looks for a locality cue.
LOCALITY_WINDOW = 40


def locality_may_end(before: str) -> bool:
    """False when ``LOCALITY_BEFORE_RE`` surely finds nothing: ``before`` is ASCII and its last
    word (before an optional "the") ends no locality cue."""
    if before.isascii():
        body = before.rstrip().lower()
        if body.endswith("the"):
            body = body[:-3].rstrip()
        if not body.endswith(LOCALITY_LAST_WORDS):
            return False
    return True


# Every SPEECH_BEFORE_RE match ends (before trailing white space) in one of these words or in
# a quote, comma or dash.
_SPEECH_LAST_WORDS = (
    "said",
    "says",
    "told",
    "to",
    "by",
    "added",
    "wrote",
    "warned",
    "asked",
    "quoted",
    "interviewed",
    "explained",
    "recalled",
    "insisted",
    "noted",
    "replaced",
    "succeeded",
    "named",
    "appointed",
    "elected",
    "against",
    "beat",
    "defeated",
    "tells",
)
_SPEECH_LAST_MARKS = frozenset('”",—–-')


def speech_before(before: str) -> bool:
    """``SPEECH_BEFORE_RE.search(before)``, skipped when the last word rules it out."""
    body = before.rstrip()
    if not body or (body[-1] not in _SPEECH_LAST_MARKS and not body.endswith(_SPEECH_LAST_WORDS)):
        return False
    return SPEECH_BEFORE_RE.search(before, tail_start(before, SPEECH_BEFORE_WORDS)) is not None


def speech_before_reference(before: str) -> bool:
    """``speech_before`` searching the whole window (the reference of the tail search)."""
    return SPEECH_BEFORE_RE.search(before) is not None


def tail_start(text: str, words: int) -> int:
    """An offset at or before the start of the last ``words`` white-space-separated words of
    ``text`` (0 when it has no more words)."""
    pieces = text.rsplit(None, words)
    return len(pieces[0]) if len(pieces) > words else 0


def _without_case(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-blind pattern made case-sensitive, for text lower-cased first: it answers as
    ``pattern`` there, since its literals are lower-case, when no character of the text but an
    ASCII one folds to an ASCII letter (``_FOLDS_TO_ASCII_RE``)."""
    if pattern.pattern != pattern.pattern.lower():
        raise ValueError(f"not a lower-case pattern: {pattern.pattern!r}")
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


_LOCALITY_BEFORE_LOWER = _without_case(LOCALITY_BEFORE_RE)
# The characters other than ASCII ones that case-blind matching equates with an ASCII letter
# (dotted and dotless i, long s, Kelvin sign): text without them lower-cases to the same matches.
_FOLDS_TO_ASCII_RE = re.compile("[\u0130\u0131\u017f\u212a]")


def locality_cue_before(before: str) -> bool:
    """``LOCALITY_BEFORE_RE.search(before) is not None``, tried only over the last words (and
    case-sensitively over the text lower-cased, a much cheaper search, unless a character
    folds to an ASCII letter)."""
    start = tail_start(before, LOCALITY_BEFORE_WORDS)
    if before.isascii() or _FOLDS_TO_ASCII_RE.search(before) is None:
        return _LOCALITY_BEFORE_LOWER.search(before.lower(), start) is not None
    return LOCALITY_BEFORE_RE.search(before, start) is not None


def in_before(before: str) -> bool:
    """``IN_BEFORE_RE.search(before) is not None``, tried only over the last word."""
    return IN_BEFORE_RE.search(before, tail_start(before, IN_BEFORE_WORDS)) is not None


def has_weapon_cue(text: str, start: int, end: int) -> bool:
    """True when a weapon word occurs within ~100 characters of the mention."""
    return WEAPON_CUE_RE.search(text, max(0, start - 100), min(len(text), end + 100)) is not None
