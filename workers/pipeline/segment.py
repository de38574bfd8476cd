"""Sentence segmentation: split the normalised article text into offset-exact sentences.

Rules, in order: every line is a block of its own (headings, bylines, bullets and
"Related Sources:" trailers therefore never merge with prose), except a dateline line
("KYIV, Oct 22 (Reuters) -"), which joins the line after it, and a hard-wrapped line,
which joins a next line that starts in lower case. Inside a block, bullet markers start
new sentences and a run of terminal punctuation ends one unless the word before it is an
abbreviation or initial, or the next word starts in lower case.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from workers import _native
from workers.pipeline.article import Article, Sentence

Span = tuple[int, int]

_TERMINAL_MARKS = ".!?\u2026"
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
# A run of terminal punctuation, any closing quotes/brackets, then the whitespace after it.
_TERMINAL = re.compile(rf"([{re.escape(_TERMINAL_MARKS)}]+[{re.escape(_CLOSERS)}]*)\s+")
_DASHES = "-\u2013\u2014"
_LINE_END_PUNCT = frozenset(".!?\u2026\"'\u201d\u2019\u00bb):;")
_LEADING_BULLETS = "\u2022\u00b7\u25aa\u25ba\u2023*-\u2013\u2014"
_LEADING_BULLET = re.compile(rf"[{re.escape(_LEADING_BULLETS)}]\s+")
_INLINE_MARKS = "\u2022\u00b7\u25aa\u25ba"
_BULLET_START = frozenset(_LEADING_BULLETS)
_NEXT_WORD_STOPS = ",;:.!?"
_OPENERS = "\"'\u201c\u2018\u00ab(["
_NEXT_WORD = re.compile(rf"[{re.escape(_OPENERS)}]*([^\s{re.escape(_NEXT_WORD_STOPS)}]*)")
_DATELINE_HEAD = " .'\u2019-"
_DATELINE_MAX_LINE, _DATELINE_MAX_MIDDLE, _DATELINE_MAX_PAREN = 80, 60, 40
_DATELINE = re.compile(
    rf"[A-Z][A-Za-z{re.escape(_DATELINE_HEAD)}]*,[^!?]{{0,{_DATELINE_MAX_MIDDLE}}}"
    rf"(?:\([^)]{{1,{_DATELINE_MAX_PAREN}}}\))?\s*[{re.escape(_DASHES)}]+$"
)
_WRAP_WINDOW = 8  # a wrapped line's next line starts lower case within this many characters
_DOTTED_ABBREVIATION_MAX = 6  # U.S., a.m., U.N.


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Titles and similar words that are never sentence-final in news copy.
_NEVER_FINAL = _word_set(
    "mr mrs ms dr prof sen rep gov gen lt col maj capt cmdr adm sgt cpl pvt brig "
    "st mt ft rev hon pres amb supt insp det messrs mme mlle vs cf approx dept"
)
# Words that are abbreviations only when a number follows ("Jan. 5", "No. 10").
_BEFORE_NUMBER = _word_set(
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos art fig vol p pp"
)
# Abbreviations that can also end a sentence ("in the U.S. The ..."): split only when
# the next word is a typical sentence opener.
_AMBIGUOUS = _word_set("inc corp ltd co jr sr bros etc plc llc")
_NEVER_AFTER_DOTTED = frozenset(("e.g", "i.e", "viz", "c.f"))
_SENTENCE_OPENERS = _word_set(
    "the a an he she it they we i you this that these those but and so yet in on at "
    "its his her their there here officials authorities police residents when while "
    "after before as if however meanwhile earlier later some many most one two three "
    "no our my what who why how"
)
_ABBREVIATIONS = _NEVER_FINAL | _BEFORE_NUMBER | _AMBIGUOUS | _NEVER_AFTER_DOTTED
# Non-ASCII punctuation frequent in news copy: a text of these, printable ASCII, tabs, newlines
# and Latin letters is split by the compiled core.
_PLAIN_QUOTES_AND_DASHES = "\u2018\u2019\u201c\u201d\u00ab\u00bb\u2013\u2014\u2026"
_PLAIN_PUNCTUATION = _PLAIN_QUOTES_AND_DASHES + "\u2022\u00b7\u25aa\u25ba\u2023\u20ac\u00a3\u00b0"


def native_rules(plain_punctuation: str = _PLAIN_PUNCTUATION) -> _native.SegmentRules:
    """The compiled splitter's rules; ``plain_punctuation`` widens its plain characters."""
    return _native.SegmentRules(
        terminal_marks=_TERMINAL_MARKS,
        closers=_CLOSERS,
        line_end_punct="".join(sorted(_LINE_END_PUNCT)),
        leading_bullets=_LEADING_BULLETS,
        inline_marks=_INLINE_MARKS,
        bullet_start="".join(sorted(_BULLET_START)),
        openers=_OPENERS,
        dashes=_DASHES,
        dateline_head=_DATELINE_HEAD,
        next_word_stops=_NEXT_WORD_STOPS,
        plain_punctuation=plain_punctuation,
        never_final=sorted(_NEVER_FINAL),
        before_number=sorted(_BEFORE_NUMBER),
        ambiguous=sorted(_AMBIGUOUS),
        never_after_dotted=sorted(_NEVER_AFTER_DOTTED),
        sentence_openers=sorted(_SENTENCE_OPENERS),
        dateline_max_line=_DATELINE_MAX_LINE,
        dateline_max_middle=_DATELINE_MAX_MIDDLE,
        dateline_max_paren=_DATELINE_MAX_PAREN,
        wrap_window=_WRAP_WINDOW,
        dotted_abbreviation_max=_DOTTED_ABBREVIATION_MAX,
    )


_NATIVE_RULES = native_rules()
_SPLITTER = _native.SentenceSplitter(rules=_NATIVE_RULES, sentence=Sentence)


def split_sentences(text: str) -> list[Span]:
    """Return the (start, end) character spans of the sentences of ``text``.

    The compiled core splits texts of plain characters (see ``_PLAIN_PUNCTUATION``);
    :func:`split_sentences_reference` is the definition and splits the others.
    """
    spans = _NATIVE_RULES.split(text)
    return split_sentences_reference(text) if spans is None else spans


def split_sentences_reference(text: str) -> list[Span]:
    """:func:`split_sentences` in Python, for any text."""
    spans: list[Span] = []
    # Marks and bullets are found once in the whole text; a block bisects for its own.
    terminals = _find_all(text, _TERMINAL_MARKS, 0, len(text))
    marks = len(terminals)
    bullets = _inline_bullets(text)
    block_start = -1  # where the open block starts, -1 when none is open
    end = position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        length = len(line)
        if stripped:
            if stripped is line:  # str.strip returns the line itself when nothing is stripped
                start, end = position, position + length
            else:
                start = position + line.index(stripped[0])
                end = start + len(stripped)
            if block_start < 0:
                block_start = start
            # Joining lines never end in closing punctuation: one set test settles most.
            if stripped[-1] not in _LINE_END_PUNCT and _joins_next(text, start, end):
                position += length + 1
                continue
            first = bisect_left(terminals, block_start)
            if text[block_start] in _BULLET_START or (
                bullets and _any_between(bullets, block_start + 1, end - 1)
            ):
                _split_block(text, block_start, end, terminals, bullets, spans)
            # Most blocks are one sentence: no mark with room for whitespace after it.
            elif first == marks or terminals[first] >= end - 1:
                spans.append((block_start, end))
            else:
                _split_piece(text, block_start, end, terminals, spans)
            block_start = -1
        position += length + 1
    if block_start >= 0:
        _split_block(text, block_start, end, terminals, bullets, spans)
    return spans


def segment(article: Article) -> Article:
    """Fill ``article.sentences`` from ``article.text``; the title becomes sentence 0."""
    text = article.text
    title = (article.title or "").strip()
    body_start = len(title) if title and text.startswith(title) else 0
    body = text[body_start:]
    first = 1 if body_start else 0
    # The compiled core splits the body and builds its records in one call.
    sentences = _SPLITTER.sentences(body, body_start, first)
    if sentences is None:
        # The native split refused this text: ``split_sentences`` would only ask it again.
        sentences = _sentence_records(body, split_sentences_reference(body), body_start, first)
    if body_start:
        sentences.insert(0, Sentence(0, title, 0, body_start, True, [], {}, {}))
    article.sentences = sentences
    return article


def reference_segment(article: Article) -> Article:
    """Reference of ``segment``: the sentence records built in Python."""
    text = article.text
    title = (article.title or "").strip()
    body_start = len(title) if title and text.startswith(title) else 0
    body = text[body_start:]
    first = 1 if body_start else 0
    sentences = _sentence_records(body, split_sentences(body), body_start, first)
    if body_start:
        sentences.insert(0, Sentence(0, title, 0, body_start, True, [], {}, {}))
    article.sentences = sentences
    return article


def _sentence_records(body: str, spans: list[Span], offset: int, first: int) -> list[Sentence]:
    """The sentence of each span of ``body``, numbered from ``first``, offsets in the text."""
    # Every argument is passed: the constructor then calls no default factories (~10 % less).
    return [
        Sentence(index, body[start:end], start + offset, end + offset, False, [], {}, {})
        for index, (start, end) in enumerate(spans, first)
    ]


def _any_between(positions: list[int], start: int, end: int) -> bool:
    """Whether the sorted ``positions`` hold one in [start, end)."""
    first = bisect_left(positions, start)
    return first < len(positions) and positions[first] < end


def _split_block(
    text: str, start: int, end: int, terminals: list[int], bullets: list[int], spans: list[Span]
) -> None:
    """Append the sentences of a block: a line, or lines joined after a dateline or a wrap."""
    cuts = bullets and bullets[bisect_left(bullets, start + 1) : bisect_left(bullets, end - 1)]
    if cuts or text[start] in _BULLET_START:
        for piece_start, piece_end in _bullet_pieces(text, start, end, cuts):
            _split_piece(text, piece_start, piece_end, terminals, spans)
    else:
        _split_piece(text, start, end, terminals, spans)


def _joins_next(text: str, start: int, end: int) -> bool:
    """A dateline or a hard-wrapped line: the next line continues its block."""
    return _is_dateline(text, start, end) or _is_wrapped(text, end)


def _is_dateline(text: str, start: int, end: int) -> bool:
    return (
        end - start <= _DATELINE_MAX_LINE
        and text[end - 1] in _DASHES
        and bool(_DATELINE.match(text, start, end))
    )


def _is_wrapped(text: str, end: int) -> bool:
    """A line cut mid-sentence: no closing punctuation and the next line starts lower case."""
    if text[end - 1] in _LINE_END_PUNCT:
        return False
    following = text[end : end + _WRAP_WINDOW].lstrip()
    return bool(following) and following[0].islower()


def _bullet_pieces(text: str, start: int, end: int, cuts: list[int]) -> list[Span]:
    """Split a block at its inline bullets ``cuts`` and drop the bullet markers."""
    pieces: list[Span] = []
    piece_start = start
    for cut in cuts:
        pieces.append((piece_start, cut))
        piece_start = cut + 1
    pieces.append((piece_start, end))
    result: list[Span] = []
    for piece_start, piece_end in pieces:
        bullet = _LEADING_BULLET.match(text, piece_start, piece_end)
        stripped = _strip_span(text, bullet.end() if bullet else piece_start, piece_end)
        if stripped is not None:
            result.append(stripped)
    return result


def _inline_bullets(text: str) -> list[int]:
    """Positions of bullet marks standing between spaces."""
    return [
        position
        for position in _find_all(text, _INLINE_MARKS, 1, len(text) - 1)
        if text[position - 1].isspace() and text[position + 1].isspace()
    ]


def _find_all(text: str, marks: str, start: int, end: int) -> list[int]:
    """Sorted positions of any of ``marks`` (str.find is far faster than a regex scan)."""
    positions: list[int] = []
    for mark in marks:
        position = text.find(mark, start, end)
        while position != -1:
            positions.append(position)
            position = text.find(mark, position + 1, end)
    positions.sort()
    return positions


def _strip_span(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    content = piece.strip()
    if not content:
        return None
    offset = start + piece.index(content[0])
    return (offset, offset + len(content))


def _split_piece(text: str, start: int, end: int, terminals: list[int], spans: list[Span]) -> None:
    """Append the sentences of one piece; ``terminals`` are the text's terminal marks."""
    first = bisect_left(terminals, start)
    # A mark must be followed by whitespace inside the piece to end a sentence.
    if first == len(terminals) or terminals[first] >= end - 1:
        spans.append((start, end))
        return
    sentence_start = start
    for position in terminals[first : bisect_left(terminals, end - 1, first)]:
        if position < sentence_start or text[position + 1].isalnum():  # "3.5", "U.S"
            continue
        match = _TERMINAL.match(text, position, end)
        if match is not None and _is_boundary(text, match, end):
            spans.append((sentence_start, match.end(1)))
            sentence_start = match.end()
    if sentence_start < end:
        spans.append((sentence_start, end))


def _is_boundary(text: str, match: re.Match[str], end: int) -> bool:
    following = text[match.end()]
    if following.islower():
        return False
    opens_lower = following in _OPENERS and _next_word(text, match, end)[:1].islower()
    if match.group(1) != ".":
        return not opens_lower
    before = match.start()
    word_start = max(text.rfind(" ", 0, before), text.rfind("\n", 0, before)) + 1
    word = text[word_start:before].lstrip(_OPENERS)
    if len(word) > 1 and "." not in word and word.lower() not in _ABBREVIATIONS:
        return not opens_lower
    next_word = _next_word(text, match, end)
    return not opens_lower and not _is_abbreviation(word, next_word)


def _next_word(text: str, match: re.Match[str], end: int) -> str:
    next_match = _NEXT_WORD.match(text, match.end(), end)
    return next_match.group(1) if next_match else ""


def _is_abbreviation(word: str, next_word: str) -> bool:
    lowered = word.lower()
    if lowered in _NEVER_FINAL or lowered in _NEVER_AFTER_DOTTED:
        return True
    if lowered in _BEFORE_NUMBER:
        return next_word[:1].isdigit()
    if len(word) == 1 and word.isupper():  # an initial, as in "J. Smith"
        return True
    if lowered in _AMBIGUOUS or ("." in word and len(word) <= _DOTTED_ABBREVIATION_MAX):
        return next_word.lower() not in _SENTENCE_OPENERS
    return False
