"""Stage ``extract_casualties``: people reported killed and injured in an article.

Each sentence that carries a casualty cue is matched against a few precompiled
patterns (``12 people were killed``, ``killing 3 and wounding 11``, ``the death toll
rose to 15``, ``no one was hurt`` ...). The mentions are then aggregated per kind:

* a figure restated (title and body, ``four killed ... the four victims``) counts once;
* an updated or total figure (``rose to``, ``death toll``, ``in total``) wins: max;
* a lede figure that covers the later ones (``at least 12 killed ... 7 in Kharkiv``)
  is taken as the total; separate incidents (``another``, ``separately``) are summed;
* ``None`` when the article never states a figure, ``0`` when it says there were none.

Counts never come from ages, dates, years, times, percentages, distances, money or
non-human nouns (``57 drones were downed``); see :mod:`workers.pipeline.enrich.numbers`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from workers import _native
from workers.pipeline.article import Article, Casualties, CasualtyEvidence, Sentence
from workers.pipeline.enrich.numbers import NUMBER_PATTERN, TENS, UNITS, parse_number

Kind = Literal["killed", "injured"]
KINDS: tuple[Kind, Kind] = ("killed", "injured")

_HUMAN = (
    r"(?:people|persons?|civilians?|soldiers?|troops|servicem[ae]n|service\s?members?|"
    r"fighters?|militants?|insurgents?|rebels?|combatants?|children|child|kids?|"
    r"residents?|villagers?|locals?|inhabitants?|men|man|women|woman|boys?|girls?|"
    r"bab(?:y|ies)|infants?|toddlers?|teen(?:ager)?s?|students?|pupils?|workers?|"
    r"employees?|police(?:\s?(?:men|officers?))?|policem[ae]n|officers?|members?|"
    r"passengers?|drivers?|pilgrims?|worshipp?ers?|patients?|doctors?|nurses?|staff|"
    r"journalists?|reporters?|medics?|paramedics?|rescuers?|firefighters?|guards?|"
    r"others?|victims?|individuals?|adults?|elderly|pensioners?|migrants?|refugees?|"
    r"protesters?|demonstrators?|personnel|marines?|sailors?|airmen|officials?|"
    r"relatives?|peacekeepers?|volunteers?|farmers?|fishermen|shoppers?|commuters?|"
    r"tourists?|citizens?|nationals?|family|families|shepherds?|herders?|commanders?|"
    r"leaders?|mother|father|sons?|daughters?|wife|husband|brothers?|sisters?|"
    r"[a-z]+(?:ians|ans|is|ese))"
)
_ADJ = r"(?!(?:and|or|but|were|was|have|has|had|in|on|at|by|from|to|after|since)\b)[a-z'-]+"
_QUAL = (
    r"(?:(?:at\s+least|more\s+than|over|nearly|almost|about|around|roughly|some|"
    r"up\s+to|as\s+many\s+as|another|a\s+further|an\s+additional|a\s+total\s+of|"
    r"an\s+estimated|a\s+reported)\s+)?"
)
_NUM = rf"(?P<num>{NUMBER_PATTERN}|\b(?:an?|another|his|her|their|a\s+(?:second|third|fourth))\b)"
# A count, or the qualifier before it, always starts with a digit or with one of these whole
# words. Asserting that first is a no-op for the matches but lets the patterns below skip
# every other word at once instead of trying all their alternatives on it.
_COUNT_WORD_LIST = sorted([*UNITS, *TENS, "an", "a", "another", "his", "her", "their"])
_QUAL_WORDS = (
    "at", "more", "over", "nearly", "almost", "about", "around", "roughly", "some", "up", "as",
)  # fmt: skip
_COUNT_WORDS = "|".join(_COUNT_WORD_LIST)
_COUNT_AHEAD = rf"(?=\d|(?:{_COUNT_WORDS})\b)"
_QUAL_COUNT_AHEAD = rf"(?=\d|(?:{'|'.join([*_COUNT_WORD_LIST, *_QUAL_WORDS])})\b)"
# The compiled core finds where _QUAL_COUNT_AHEAD can hold (a superset of its positions), so
# the patterns starting with it are tried there only, not at every word of the sentence.
_COUNT_STARTS = _native.CountStarts([*_COUNT_WORD_LIST, *_QUAL_WORDS])
_AGE = r"(?:\d{1,3}-year-old\s+)?"
_AUX = (
    r"(?:(?:were|was|have|has|had|been|being|are|is|be|to|also|reportedly|reported|shot|"
    r"suffered|sustained|treated|for|receiving|received|being|"
    r"confirmed|believed|feared|thought|said|later|now|all|still|left|seriously|"
    r"critically|severely|lightly|slightly|badly|fatally|mortally|allegedly|serious|severe|"
    r"minor|light|critical|multiple|life-threatening|shrapnel|gunshot|burn)\s+)*"
)
_KILL = (
    r"(?P<kill>killed|dead|died|perished|slain|murdered|executed|deaths|fatalities|"
    r"lost\s+their\s+lives?|lost\s+(?:his|her)\s+life)"
)
_INJ = r"(?P<inj>wounded|injured|hurt|hospitali[sz]ed|injuries|maimed|receiving\s+treatment)"
_OF_PHRASE = rf"(?:\s+(?:of|from)\s+(?:the\s+|a\s+)?(?:{_ADJ}\s+){{0,2}}{_ADJ})?"
_INCLUDING = r"(?:\s*,\s*(?:including|among\s+them|mostly|many\s+of\s+them)[^,.;]{1,60},)?"

# "four people were killed", "three dead and 11 injured", "a child was wounded"
_SUBJECT_RE = re.compile(
    rf"\b{_QUAL_COUNT_AHEAD}{_QUAL}{_NUM}(?:\s+{_AGE}(?:{_ADJ}\s+){{0,4}}(?P<noun>{_HUMAN})\b{_OF_PHRASE})?"
    rf"{_INCLUDING}"
    rf"\s+(?:in\s+total\s+|in\s+all\s+)?{_AUX}(?:{_KILL}|{_INJ})\b"
)
# "killing 3 and wounding 11", "killed four soldiers", "injuring a 10-year-old child"
_OBJECT_RE = re.compile(
    r"\b(?:(?P<kv>kill(?:ed|ing|s)?)|(?P<iv>wound(?:ed|ing|s)?|injur(?:ed|ing|es|e)))\s+"
    rf"(?:(?:his|her|their|the)\s+(?={NUMBER_PATTERN}))?"
    rf"{_QUAL}{_NUM}\s*{_AGE}(?P<tail>(?:\s*{_ADJ}){{0,3}})"
)
_NUM2 = _NUM.replace("?P<num>", "?P<num2>")
# "three soldiers and 12 militants were killed": one verb, two counts
_COORDINATED_RE = re.compile(
    rf"\b{_QUAL_COUNT_AHEAD}{_QUAL}{_NUM}\s+(?:{_ADJ}\s+){{0,2}}{_HUMAN}\s+and\s+{_QUAL}{_NUM2}\s+"
    rf"(?:{_ADJ}\s+){{0,2}}{_HUMAN}\s+{_AUX}(?:{_KILL}|{_INJ})\b"
)
# "2 people were injured in Solomianskyi and 3 in Darnytskyi": the verb is not repeated
_ELLIPSIS_RE = re.compile(
    rf"\s(?:and|while)\s+(?:another\s+)?{_NUM}\s+(?:others?\s+|more\s+)?"
    rf"(?:(?:in|at|near|on)\s+(?:the\s+)?[a-z]|(?:{_ADJ}\s+)?{_HUMAN}\b"
    r"(?=\s*[.,;]|\s*$|\s+(?:in|at|near|on|from|during|when|after|as)\b))"
)
# "the death toll rose to 15", "the number of injured climbed to 40"
_TOLL_RE = re.compile(
    r"\b(?:(?P<kill>death\s+toll|toll|total\s+(?:number\s+)?(?:killed|dead|of\s+dead)|"
    r"number\s+of\s+(?:dead|deaths|fatalities|people\s+killed"
    r"|victims))|(?P<inj>number\s+of\s+(?:injured|wounded|injuries|people\s+injured)))"
    r"(?:\s+\S+){0,10}?\s+(?:rose|risen|climbed|increased|jumped|reached|stood|stands|"
    r"hit|is|was|has\s+risen|now|of|at|to)\s+(?:to\s+|at\s+)?"
    rf"{_QUAL}{_NUM}(?!\s+(?:{_ADJ}\s+){{0,2}}(?:drones|missiles|rockets|shells)\b)"
)
# "claimed the lives of 12 people", "rescuers pulled 9 bodies from the rubble",
# "killed a family of five"
_LIVES_RES = (
    re.compile(rf"\b(?:claimed|took|cost)\s+(?:the\s+)?lives\s+of\s+{_QUAL}{_NUM}"),
    re.compile(
        rf"\b(?:recovered|pulled|retrieved|found|removed)\s+(?:the\s+)?{_QUAL}{_NUM}\s+bodies\b"
    ),
    re.compile(
        rf"\b{_QUAL_COUNT_AHEAD}{_QUAL}{_NUM}\s+bodies\s+(?:were|have\s+been|had\s+been)\s+"
        r"(?:recovered|pulled|retrieved|found)\b"
    ),
    re.compile(rf"\bkill(?:ed|ing)\s+(?:a|an|the)\s+(?:[a-z]+\s+)?family\s+of\s+{_NUM}"),
)
# "Russia lost 1,000 troops"
_LOST_RE = re.compile(
    rf"\b(?:lost|losing|loses|lose)\s+{_QUAL}{_NUM}\s+(?:{_ADJ}\s+){{0,2}}"
    r"(?:troops|soldiers|servicem[ae]n|personnel|men|fighters|service\s?members)\b"
)
# "including a 10-year-old child among the wounded"
_AMONG_RE = re.compile(
    rf"\b{_COUNT_AHEAD}{_NUM}\s+{_AGE}(?:{_ADJ}\s+){{0,2}}(?P<noun>{_HUMAN})\s+(?:(?:was|were)\s+)?"
    r"among\s+(?:the|those)\s+(?:(?P<kill>dead|killed|victims)|(?P<inj>wounded|injured|hurt))\b"
)
# "no one was hurt", "no casualties were reported", "there were no injuries"
_HUMAN_RE = re.compile(rf"\b{_HUMAN}\b")
_ZERO_RE = re.compile(
    r"\b(?:(?:no\s+(?:one|body)|nobody|none)\s+(?:(?:else|was|were|has|have|had|been|"
    rf"reportedly|seriously)\s+)*(?:{_KILL}|{_INJ})"
    r"|no\s+(?:immediate\s+|reported\s+|other\s+|further\s+|known\s+|civilian\s+|"
    r"serious\s+)*(?:reports?\s+of\s+)?(?:(?P<both>casualties|victims)|(?P<kill2>deaths|"
    r"fatalities)|(?P<inj2>injuries))"
    rf"|no\s+(?:{_ADJ}\s+)?{_HUMAN}\s+(?:were|was|had\s+been|have\s+been)\s+"
    r"(?:(?P<kill3>killed|dead)|(?P<inj3>hurt|injured|wounded))"
    r"|without\s+(?:any\s+)?(?P<both2>casualties)"
    r"|(?P<kill4>killed|killing)\s+(?:no\s+one|nobody)"
    r"|none\s+of\s+(?:the|its|their|his|her)\s+(?:\S+\s+){0,2}?"
    r"(?:were|was|had\s+been|have\s+been)\s+(?:(?P<kill5>killed)|(?P<inj5>hurt|injured|wounded)))\b"
)
_LEXICON = json.loads((Path(__file__).parent / "data" / "casualties" / "lexicon.json").read_text())
_CUE_TOKENS = frozenset(
    word + suffix for word in _LEXICON["cue_words"] for suffix in ("", ",", ".", ";", ":", ")", "”")
)
_NATIVE_CUES = _native.CueTokens(sorted(_CUE_TOKENS))
_NON_HUMAN = frozenset(_LEXICON["non_human"])
_VERB_TOKENS = frozenset(
    word + suffix for word in _LEXICON["verb_words"] for suffix in ("", ",", ".", ";", ":", ")")
)
_TOTAL_CUE_RE = re.compile(
    r"\b(?:in\s+total|in\s+all|overall|total\s+of|toll|bringing|brought|rose\s+to|"
    r"risen\s+to|climbed\s+to|updated|across)\b"
)
# War-long tallies and past events: "since the start of the invasion", "in 2023", "last year"
_BACKGROUND_RE = re.compile(
    r"since\s+(?:the\s+)?(?:start|beginning|outbreak)\b"
    r"|since\s+(?:[a-z]+\s+)?(?:\d{1,2},?\s+)?(?:19|20)\d\d\b"
    r"|since\s+(?:the\s+|russia['’]s\s+)?(?:full-scale\s+)?(?:war|invasion|conflict)\b"
    r"|\bin\s+(?:[a-z]+\s+)?(?:19|20)\d\d\b|\blast\s+(?:year|month)\b"
    r"|\b(?:a\s+similar|a\s+previous|an\s+earlier)\s+(?:attack|strike)\b"
)
_ADDITIVE_CUE_RE = re.compile(
    r"\b(?:another|separately|separate|elsewhere|also|additional|further|second|"
    r"other|meanwhile)\b"
)
_SUBSET_BEFORE_RE = re.compile(
    r"(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|among\s+the)\s+$"
)
# The last words of _SUBSET_BEFORE_RE's alternatives: the text it matches ends with one of them
# then white space only (which rstrip drops, as ``\s`` is str.isspace), so a text that does not
# is not searched.
_SUBSET_LAST_WORDS = ("including", "them", "whom", "the")
# Substrings without which the cue patterns above cannot match: an `in` test on each is far
# cheaper than letting the regex try every word of the sentence.
_TOTAL_CUE_PARTS = (
    "total", "all", "toll", "bringing", "brought", "rose", "risen", "climbed", "updated", "across",
)  # fmt: skip
_ADDITIVE_CUE_PARTS = (
    "other", "separate", "elsewhere", "also", "additional", "further", "second", "meanwhile",
)  # fmt: skip
_BACKGROUND_PARTS = ("since", "19", "20", "last", "similar", "previous", "earlier")
# Where the object and zero patterns can start: their first words all begin with one of these.
_OBJECT_STARTS = ("kill", "wound", "injur")
_ZERO_STARTS = ("no", "without", "kill")
# Substrings without which the toll, lost and lives patterns cannot match.
_TOLL_PARTS = ("toll", "number of", "total")
_LOST_PARTS = ("los",)
_LIVES_PARTS = ("lives", "bodies", "family of")
_ONE_WORDS = frozenset({"a", "an", "another", "his", "her", "their"})
_DIGIT_RE = re.compile(r"\d")
_ZERO_WORDS = frozenset({"no", "nobody", "none", "without", "no-one"})
_NUMBER_TOKENS = frozenset(
    word + suffix
    for word in [*UNITS, *TENS, *_ONE_WORDS, "dozen", "hundred", "thousand"]
    + [f"{t}-{u}" for t in TENS for u in list(UNITS)[1:10]]
    for suffix in ("", ",", ".", ";", ":")
)
_AMONG_WORDS = frozenset({"among"})
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])[\"”’)]?[ \t]+(?=[\"“‘(]?[A-Z0-9])|\s*\n\s*")
_ABBREVIATION_RE = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|St|No|Sen|Rep|Gov|Prof|Jr|Sr|"
    r"Maj|Capt|Adm|Brig|vs|etc|approx|Jan|Feb|Mar|Apr|Aug|Sept|Oct|Nov|Dec)\.)$"
)


_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


def relaxed_pattern(pattern: str) -> str:
    """``pattern`` without its look-around assertions: it matches wherever ``pattern`` does.

    Character classes and escapes are copied as they are; a look-around is dropped with
    everything inside it.
    """
    out: list[str] = []
    at = 0
    while at < len(pattern):
        if pattern.startswith(_LOOKAROUNDS, at):
            at = _group_end(pattern, at)
            continue
        end = _atom_end(pattern, at)
        out.append(pattern[at:end])
        at = end
    return "".join(out)


def _atom_end(pattern: str, at: int) -> int:
    """The end of the escape, character class or single character at ``at``."""
    if pattern[at] == "\\":
        return at + 2
    if pattern[at] != "[":
        return at + 1
    end = at + 1
    if pattern.startswith("^", end):
        end += 1
    if pattern.startswith("]", end):
        end += 1
    while pattern[end] != "]":
        end += 2 if pattern[end] == "\\" else 1
    return end + 1


def _group_end(pattern: str, at: int) -> int:
    """The end of the group opening at ``at`` (past its closing parenthesis)."""
    depth = 0
    while True:
        char = pattern[at]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return at + 1
        at = _atom_end(pattern, at)


# The starts the compiled core keeps for the patterns tried at starts (``_matches_at``): the
# pattern without look-arounds refuses most starts at once, in one automaton pass each.
_SUBJECT_GATE = _native.StartGate(relaxed_pattern(_SUBJECT_RE.pattern))
_COORDINATED_GATE = _native.StartGate(relaxed_pattern(_COORDINATED_RE.pattern))
_OBJECT_GATE = _native.StartGate(relaxed_pattern(_OBJECT_RE.pattern))
_ZERO_GATE = _native.StartGate(relaxed_pattern(_ZERO_RE.pattern))

# What a cue sentence is scanned for (:func:`sentence_scan_reference`): flag bits of the word
# sets its words meet, of its characters and of the part sets its text holds.
_ZERO_WORD, _NUMBER_TOKEN, _VERB_TOKEN, _AMONG_WORD, _DIGIT, _NON_ASCII = 1, 2, 4, 8, 16, 32
_WORD_SETS = (
    (_ZERO_WORD, _ZERO_WORDS),
    (_NUMBER_TOKEN, _NUMBER_TOKENS),
    (_VERB_TOKEN, _VERB_TOKENS),
    (_AMONG_WORD, _AMONG_WORDS),
)
_SCAN_PARTS = (
    _TOLL_PARTS, _LOST_PARTS, _LIVES_PARTS, _TOTAL_CUE_PARTS, _ADDITIVE_CUE_PARTS,
    _BACKGROUND_PARTS,
)  # fmt: skip
_TOLL_PART, _LOST_PART, _LIVES_PART, _TOTAL_CUE_PART, _ADDITIVE_CUE_PART, _BACKGROUND_PART = (
    64 << index for index in range(len(_SCAN_PARTS))
)
_COORDINATED_PART = " and "
# A sentence's flags, then the starts of the zero, coordinated, subject and object patterns.
SentenceScan = tuple[int, list[int], list[int], list[int], list[int]]
_SCAN = _native.CasualtyScan(
    cue_tokens=sorted(_CUE_TOKENS),
    count_words=[*_COUNT_WORD_LIST, *_QUAL_WORDS],
    zero_words=sorted(_ZERO_WORDS),
    number_tokens=sorted(_NUMBER_TOKENS),
    verb_tokens=sorted(_VERB_TOKENS),
    among_words=sorted(_AMONG_WORDS),
    parts=[list(parts) for parts in _SCAN_PARTS],
    object_prefixes=list(_OBJECT_STARTS),
    zero_prefixes=list(_ZERO_STARTS),
    coordinated_part=_COORDINATED_PART,
    gates=[
        relaxed_pattern(pattern.pattern)
        for pattern in (_ZERO_RE, _COORDINATED_RE, _SUBJECT_RE, _OBJECT_RE)
    ],
)


@dataclass(slots=True)
class Mention:
    """One casualty figure found in one sentence."""

    kind: Kind
    count: int
    sentence: int
    text: str
    position: int
    is_title: bool = False
    is_total: bool = False
    is_lower_bound: bool = False
    is_background: bool = False
    is_additive: bool = False


def extract_casualties(article: Article) -> Article:
    """Fill ``article.casualties`` with the article totals of killed and injured people."""
    mentions: list[Mention] = []
    sentences = article_sentences(article)
    for index, lowered, scan in scan_sentences([sentence.text for sentence in sentences]):
        mentions.extend(_unique_mentions(sentences[index], lowered, scan))
    if not mentions:  # what aggregating no mentions gives, without the work
        article.casualties = Casualties(killed=None, injured=None, evidence=[])
        return article
    killed, killed_evidence = aggregate([m for m in mentions if m.kind == "killed"])
    injured, injured_evidence = aggregate([m for m in mentions if m.kind == "injured"])
    evidence = [_evidence(m) for m in sorted(killed_evidence + injured_evidence, key=_order)]
    article.casualties = Casualties(killed=killed, injured=injured, evidence=evidence)
    return article


def cue_sentences(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences holding a cue token: only they can state a casualty figure.

    The compiled core tokenises every sentence at once; :func:`cue_sentences_reference` is
    the same selection in Python.
    """
    texts = [sentence.text for sentence in sentences]
    return [sentences[index] for index in _NATIVE_CUES.sentences_with_cue(texts)]


def cue_sentences_reference(sentences: list[Sentence]) -> list[Sentence]:
    """:func:`cue_sentences` in Python: a lower-cased word of the sentence is a cue token."""
    return [s for s in sentences if not _CUE_TOKENS.isdisjoint(s.text.lower().split())]


# (index, lower case, scan) of each text holding a cue token, in one compiled call;
# scan_sentences_reference is the same in Python. The bound method itself, which
# extract_casualties calls: no Python frame per article.
scan_sentences = _SCAN.scan


def scan_sentences_reference(texts: list[str]) -> list[tuple[int, str, SentenceScan]]:
    """:func:`scan_sentences` in Python."""
    cues = {sentence.index for sentence in cue_sentences_reference(_bare_sentences(texts))}
    return [
        (index, text.lower(), sentence_scan_reference(text.lower()))
        for index, text in enumerate(texts)
        if index in cues
    ]


def _bare_sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(index, text, 0, len(text)) for index, text in enumerate(texts)]


def sentence_scan_reference(text: str) -> SentenceScan:
    """What the casualty patterns ask of one lower-cased sentence before they run: which word
    sets its words meet, whether it holds an ASCII digit or a non-ASCII character, which part
    sets it holds (the flags), and the starts at which each gated pattern is tried."""
    words = text.split()
    flags = 0
    for bit, word_set in _WORD_SETS:
        if not word_set.isdisjoint(words):
            flags |= bit
    if any("0" <= char <= "9" for char in text):
        flags |= _DIGIT
    if not text.isascii():
        flags |= _NON_ASCII
    for index, parts in enumerate(_SCAN_PARTS):
        if _contains_any(text, parts):
            flags |= 64 << index
    zero = _ZERO_GATE.prune(text, _occurrences(text, _ZERO_STARTS)) if flags & _ZERO_WORD else []
    coordinated: list[int] = []
    subject: list[int] = []
    objects: list[int] = []
    if flags & (_NUMBER_TOKEN | _DIGIT | _NON_ASCII):  # the other patterns all need a count
        if flags & _VERB_TOKEN:
            starts = _COUNT_STARTS.starts(text)
            if _COORDINATED_PART in text:
                coordinated = _COORDINATED_GATE.prune(text, starts)
            subject = _SUBJECT_GATE.prune(text, starts)
        objects = _OBJECT_GATE.prune(text, _occurrences(text, _OBJECT_STARTS))
    return flags, zero, coordinated, subject, objects


def article_sentences(article: Article) -> list[Sentence]:
    """The article's sentences, or a naive split of its text when none were provided."""
    if article.sentences:
        return article.sentences
    text = article.text or "\n\n".join(p for p in (article.title, article.body) if p)
    sentences = [
        Sentence(index, text[start:end], start, end)
        for index, (start, end) in enumerate(split_sentences(text))
    ]
    if sentences and article.title and sentences[0].text == article.title.strip():
        sentences[0].is_title = True
    return sentences


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``text``; abbreviations do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _SENTENCE_SPLIT_RE.finditer(text):
        piece = text[start : boundary.start()]
        if boundary.group().strip(" \t") == "" and _ABBREVIATION_RE.search(piece):
            continue
        _append_span(spans, text, start, boundary.start())
        start = boundary.end()
    _append_span(spans, text, start, len(text))
    return spans


def _append_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + piece.index(stripped)
        spans.append((offset, offset + len(stripped)))


def _unique_mentions(sentence: Sentence, text: str, scan: SentenceScan) -> list[Mention]:
    """The mentions of one lower-cased sentence, one per kind and position."""
    found: dict[tuple[str, int], Mention] = {}
    for mention in _pattern_mentions(sentence, text, scan):
        found.setdefault((mention.kind, mention.position), mention)
    return list(found.values())


def _pattern_mentions(sentence: Sentence, text: str, scan: SentenceScan) -> list[Mention]:
    """Run the casualty patterns that can apply to one lower-cased sentence, as scanned."""
    flags, zero_starts, coordinated_starts, subject_starts, object_starts = scan
    out = _zero_mentions(sentence, text, zero_starts) if zero_starts else []
    if not flags & (_NUMBER_TOKEN | _DIGIT) and (
        not flags & _NON_ASCII or _DIGIT_RE.search(text) is None
    ):
        return out
    figures: list[Mention] = []

    def add(
        kind: Kind,
        match: re.Match[str],
        total: bool = False,
        additive: bool = False,
        lower: bool = False,
    ) -> None:
        count = 1 if _is_article(match) else parse_number(match.group("num"))
        if count is None or count == 0:
            return
        position = match.start("num")
        if not lower and _is_subset(text, position):
            return
        figures.append(
            Mention(kind, count, sentence.index, sentence.text, position, sentence.is_title,
                    is_total=total, is_additive=additive, is_lower_bound=lower)
        )  # fmt: skip

    if coordinated_starts or subject_starts:
        _subject_mentions(sentence, text, figures, add, coordinated_starts, subject_starts)
    if object_starts:
        _object_mentions(text, add, object_starts)
    if flags & _TOLL_PART:
        for match in _TOLL_RE.finditer(text):
            add("killed" if match.group("kill") else "injured", match, total=True)
    if flags & _LOST_PART:
        for match in _LOST_RE.finditer(text):
            add("killed", match, additive=True)
    if flags & _LIVES_PART:
        for pattern in _LIVES_RES:
            for match in pattern.finditer(text):
                add("killed", match)
    if flags & _AMONG_WORD:
        _among_mentions(text, add)
    if figures:
        _mark_sentence_cues(text, figures, flags)
        if flags & _BACKGROUND_PART and _BACKGROUND_RE.search(text):
            for mention in figures:
                mention.is_background = True
    return out + figures


def _subject_mentions(
    sentence: Sentence,
    text: str,
    figures: list[Mention],
    add: Callable[..., None],
    coordinated_starts: list[int],
    subject_starts: list[int],
) -> None:
    """'four people were killed', 'three soldiers and 12 militants were killed'."""
    skip: set[int] = set()
    if coordinated_starts:
        for match in _matches_at(_COORDINATED_RE, text, coordinated_starts):
            first, second = parse_number(match.group("num")), parse_number(match.group("num2"))
            if first and second:
                kind: Kind = "killed" if match.group("kill") else "injured"
                figures.append(Mention(kind, first + second, sentence.index, sentence.text,
                                       match.start("num"), sentence.is_title))  # fmt: skip
                skip.add(match.start("num2"))
    for match in _matches_at(_SUBJECT_RE, text, subject_starts):
        if match.start("num") in skip or (
            _is_article(match) and not match.group("noun") and " " not in match.group("num")
        ):
            continue
        kind = "killed" if match.group("kill") else "injured"
        add(kind, match)
        if (ellipsis := _ellipsis(text, match.end())) is not None:
            add(kind, ellipsis, additive=True)


def _object_mentions(text: str, add: Callable[..., None], starts: list[int]) -> None:
    """'killing 3 and wounding 11', 'injuring a 10-year-old child'."""
    for match in _matches_at(_OBJECT_RE, text, starts):
        tail = match.group("tail")
        if (
            tail.lstrip().startswith("family of")
            or _tail_is_non_human(tail)
            or (_is_article(match) and not _HUMAN_RE.search(tail))
        ):
            continue
        kind = "killed" if match.group("kv") else "injured"
        add(kind, match)
        if (ellipsis := _ellipsis(text, match.end())) is not None:
            add(kind, ellipsis, additive=True)


def _among_mentions(text: str, add: Callable[..., None]) -> None:
    """'a 10-year-old child among the wounded': a lower bound, searched near 'among'."""
    position = text.find("among ")
    while position >= 0:
        window_start = max(0, position - 70)
        for match in _AMONG_RE.finditer(text, window_start, position + 30):
            add("killed" if match.group("kill") else "injured", match, lower=True)
        position = text.find("among ", position + 6)


def _mark_sentence_cues(text: str, figures: list[Mention], flags: int) -> None:
    """'in total', 'rose to' make a sentence's figures totals; 'another', 'also' additions."""
    total = bool(flags & _TOTAL_CUE_PART) and _TOTAL_CUE_RE.search(text) is not None
    additive = bool(flags & _ADDITIVE_CUE_PART) and _ADDITIVE_CUE_RE.search(text) is not None
    for mention in figures:
        mention.is_total = mention.is_total or total
        mention.is_additive = mention.is_additive or additive


def _contains_any(text: str, parts: tuple[str, ...]) -> bool:
    return any(map(text.__contains__, parts))


def _occurrences(text: str, prefixes: tuple[str, ...]) -> list[int]:
    """Sorted positions where one of ``prefixes`` occurs in ``text``."""
    positions: list[int] = []
    for prefix in prefixes:
        position = text.find(prefix)
        while position >= 0:
            positions.append(position)
            position = text.find(prefix, position + 1)
    positions.sort()
    return positions


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields when no match can begin outside ``starts``."""
    matches: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None:
            matches.append(match)
            end = match.end()
    return matches


def _ellipsis(text: str, end: int) -> re.Match[str] | None:
    """A count that reuses the verb of the figure ending at ``end`` ('... and 3 in Darnytskyi')."""
    return _ELLIPSIS_RE.search(text, end, end + 60)


def _zero_mentions(sentence: Sentence, text: str, starts: list[int]) -> list[Mention]:
    """Explicit statements that nobody was killed and/or injured."""
    out: list[Mention] = []
    for match in _matches_at(_ZERO_RE, text, starts):
        kinds = _zero_kinds(match.groupdict())
        for kind in kinds:
            out.append(Mention(kind, 0, sentence.index, sentence.text, match.start(),
                               sentence.is_title))  # fmt: skip
    return out


def _zero_kinds(groups: dict[str, str | None]) -> tuple[Kind, ...]:
    """Which kinds a 'no one was hurt'-style statement sets to zero."""
    if groups["kill"] or groups["kill2"] or groups["kill3"] or groups["kill4"] or groups["kill5"]:
        return ("killed",)
    if groups["inj2"]:
        return ("injured",)
    return KINDS


def _is_article(match: re.Match[str]) -> bool:
    """Whether the count is a determiner standing for one person ('a', 'another', 'their')."""
    count = match.group("num")
    if count[:1].isdigit():  # every one-word starts with a letter
        return False
    words = count.split()
    return words[0] in _ONE_WORDS and words[-1] not in ("dozen", "hundred", "thousand")


def _is_subset(text: str, position: int) -> bool:
    """Whether the figure at ``position`` is part of another ('including two children')
    or negated ('no one was hurt')."""
    before = text[max(0, position - 20) : position]
    return (
        before.endswith("no ")
        or "none of" in before
        or (
            before.rstrip().endswith(_SUBSET_LAST_WORDS)
            and _SUBSET_BEFORE_RE.search(before) is not None
        )
    )


def _is_subset_reference(text: str, position: int) -> bool:
    """:func:`_is_subset` searching the window for every figure."""
    before = text[max(0, position - 20) : position]
    return before.endswith("no ") or "none of" in before or bool(_SUBSET_BEFORE_RE.search(before))


def _tail_is_non_human(tail: str) -> bool:
    """Whether the words after a count name things rather than people ('57 drones')."""
    return any(word in _NON_HUMAN for word in tail.lower().split())


def aggregate(mentions: list[Mention]) -> tuple[int | None, list[Mention]]:
    """The article figure of one kind, and the mentions that support it."""
    if not mentions:  # what the rules below give, without the work
        return None, []
    current = [m for m in mentions if not m.is_background]
    if any(m.count > 0 for m in current):
        mentions = current  # a war-long tally ('since the invasion') is not this event's toll
    regular = [m for m in mentions if m.count > 0 and not m.is_lower_bound]
    if not regular:
        bounds = [m for m in mentions if m.is_lower_bound]
        if bounds:
            best = max(bounds, key=lambda m: m.count)
            return best.count, [best]
        zeros = [m for m in mentions if m.count == 0]
        return (0, zeros[:1]) if zeros else (None, [])
    body = [m for m in regular if not m.is_title]
    regular = body or regular
    if any(m.is_total for m in regular):
        best = max(regular, key=lambda m: m.count)
        return best.count, [best]
    distinct = _distinct_by_value(regular)
    return _combine(distinct)


def _distinct_by_value(mentions: list[Mention]) -> list[Mention]:
    """The first mention of each figure, in reading order (restatements dropped)."""
    seen: dict[int, Mention] = {}
    for mention in sorted(mentions, key=_order):
        seen.setdefault(mention.count, mention)
    return list(seen.values())


def _combine(distinct: list[Mention]) -> tuple[int, list[Mention]]:
    """Sum separate incidents unless one figure is the total of the others."""
    if len(distinct) == 1:
        return distinct[0].count, distinct
    values = [m.count for m in distinct]
    whole = sum(values)
    for mention in distinct:
        if mention.count * 2 == whole:
            return mention.count, [mention]
    first, rest = distinct[0], distinct[1:]
    lede = all(m.sentence > first.sentence and not m.is_additive for m in rest)
    if lede and first.count >= sum(m.count for m in rest):
        return first.count, [first]
    return whole, distinct


def _order(mention: Mention) -> tuple[int, int]:
    return mention.sentence, mention.position


def _evidence(mention: Mention) -> CasualtyEvidence:
    return CasualtyEvidence(mention.kind, mention.count, mention.sentence, mention.text)
