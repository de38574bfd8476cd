"""Canonical text, exact hash, shingles, MinHash and LSH bands for near-duplicate detection.

Everything here is pure and deterministic across processes: no use of Python's salted
``hash()``; token hashes are a polynomial hash of the canonical UTF-8 bytes, key-token hashes
``zlib.crc32``, and every other hash is fixed-seed 64-bit integer arithmetic, so a signature
computed by one worker matches one computed by another.

Cost (~600-word article): the text path is one pass of line checks on the UTF-8 bytes, then
the compiled core (``workers._native``, Rust) computes the canonical text, token hashes, key
sketches, shingles and one-permutation MinHash of the resulting ASCII text in one pass.
Non-ASCII bodies (after mapping typographic punctuation) take the general path (regexes and
numpy), the reference semantics, which yields the same fingerprint.

LSH S-curve (``BANDS`` = 32 bands of ``ROWS`` = 3 rows of the 128-slot MinHash): two texts
with shingle Jaccard ``J`` become candidates with probability ``1 - (1 - J**3) ** 32``:
J=0.2 → 0.23, 0.3 → 0.58, 0.35 → 0.75, 0.4 → 0.88, 0.5 → 0.99, 0.6 → 0.999. Copies are
matched against every earlier member of their story, so a re-worded copy needs only one
member it overlaps enough with. The decision threshold is max(Jaccard, containment) ≥ 0.4
(Jaccard 0.25 for equal-sized texts, the Dice coefficient being 2J/(1+J)). Three rows, not
two, keep background collisions rare at index scale: an unrelated pair sharing J=0.05 of its
shingles collides in some band with probability 0.4 %, at J=0.01 with 0.003 %; each bucket
keeps one owner (the first live article), so a check verifies at most ``BANDS`` candidates
however large the index is. On the corpus, over 10 permutation seeds, 32×3 loses ~1 % of
copies to LSH misses (24×3: ~2 %; 42×3: ~0.8 %); each band costs one key read and write.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from workers import _native

SHINGLE_SIZE = 3
NUM_PERM = 128
BANDS = 32
ROWS = 3
NUMBER_SKETCH = 16
NAME_SKETCH = 24
_FINGERPRINT_HEADER = struct.Struct("<16sIHHBB")

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
U16 = npt.NDArray[np.uint16]

_MIX = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
    np.uint64(0xD6E8FEB86659FD93),
)


def _words(text: str) -> list[str]:
    return text.split()


STOPWORDS = frozenset(
    _words(
        """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your said says say saying told according per cent percent"""
    )
)

# ---------------------------------------------------------------------------- boilerplate

_BOILERPLATE_LINE = re.compile(
    r"""^\s*(?:
        (?:related|related\s+sources|related\s+stories|read\s+also|see\s+also)\s*:.*$
      | sign\s+up\b.*$
      | subscribe\b.*$
      | (?:read|continue\s+reading)\s+(?:more|the\s+full\s+story|on)\b.*$
      | read\s+more\s*.*$
      | share\s+this\b.*$
      | follow\s+us\b.*$
      | (?:©|\(c\)|copyright\b).*$
      | all\s+rights\s+reserved.*$
      | (?:photo|image|picture|pictured|file\s+photo)\s*(?::|credit|by\b).*$
      | (?:reporting|writing|editing|additional\s+reporting)\s+by\b.*$
      | advertisement\s*$
      | (?:click|tap)\s+here\b.*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_PHOTO_CREDIT_END = re.compile(
    r"\b(?:getty\s+images|via\s+reuters|ap\s+photo|afp\s+via|/\s*reuters|/\s*afp)\s*\)?\s*$",
    re.IGNORECASE,
)
_TERMINAL_CHARS = frozenset(".!?\"”’'»)…")
_BULLET_LINE = re.compile(r"^\s*(?:[•·*\-–—▪►]|\d+[.)])\s*")
_RELATED_HEADER = re.compile(r"^\s*(?:related|related\s+sources|related\s+stories)\s*:", re.I)
_DATELINE = re.compile(
    r"""^\s*(?:
        [A-Z][A-Za-z0-9.'’ ,/-]{1,40}?\s*\((?:Reuters|AP|AFP|Bloomberg|dpa|UNIAN|Ukrinform|TASS|
            RIA|Interfax|Xinhua|BBC|CNN|Kyodo|Yonhap|PAP|EFE|ANSA)\)\s*[-–—:]+\s*
      | [A-Z][A-Z .'’,-]{2,40}\s*[-–—]{1,2}\s*
      | \((?:Reuters|AP|AFP|Bloomberg|dpa)\)\s*[-–—:]*\s*
    )""",
    re.VERBOSE,
)
_AGENCY_INLINE = re.compile(r"\((?:Reuters|AP|AFP|Bloomberg|dpa)\)\s*[-–—:]?\s*")

# ---------------------------------------------------------------------------- tokens

_DIGIT_GROUP = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")
_WORD = re.compile(r"[^\W_]+")
_APOSTROPHES = "'’‘`´"
_KEY_TOKEN = re.compile(r"\b(?:\d+(?:[.,:]\d+)*|[A-Z][\w'’-]*)")
_YEAR = re.compile(r"(?:19|20)\d\d")
# Capitalised words too common in this news stream to tell stories apart.
GENERIC_NAMES = frozenset(
    _words(
        """russia russian russians russias ukraine ukrainian ukrainians ukraines kyiv moscow
        u s us eu european europe nato president minister ministry mr ms mrs dr prime foreign
        defence defense government officials state the a an in on at it he she they we but"""
    )
)
_UNITS = {
    word: value
    for value, word in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen"
            " fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_TENS = {
    word: 10 * (i + 2)
    for i, word in enumerate(_words("twenty thirty forty fifty sixty seventy eighty ninety"))
}
_NUMBER_HEADS = frozenset({*_UNITS, *_TENS})
_SENTENCE_BREAK_CHARS = frozenset('.!?:;"“”«»(\n')
_SPACE_LIKE = frozenset(" \t•·–—©")
_BYLINE = re.compile(r"^(?:by|written\s+by|words\s+by)\s+[A-Z]", re.IGNORECASE)
# The line rules' limits (the compiled core gets them from here): head words are looked for in
# line[:head_window], a byline has at most byline_words words, a photo credit ends within
# line[-credit_tail:], a dateline has its "(" within paren_window characters or an upper-case
# line[:upper_head], and a heading has at most heading_words words.
LINE_LIMITS = {
    "head_window": 14,
    "byline_words": 12,
    "credit_tail": 48,
    "paren_window": 128,
    "upper_head": 3,
    "heading_words": 14,
}
_HEAD_WINDOW = LINE_LIMITS["head_window"]
_BYLINE_WORDS = LINE_LIMITS["byline_words"]
_CREDIT_TAIL = LINE_LIMITS["credit_tail"]
_PAREN_WINDOW = LINE_LIMITS["paren_window"]
_UPPER_HEAD = LINE_LIMITS["upper_head"]
_HEADING_WORDS = LINE_LIMITS["heading_words"]


def _is_byline(line: str) -> bool:
    """A short "By Jane Doe, Staff Reporter" line, not a sentence that starts with "By"."""
    return (
        bool(_BYLINE.match(line)) and len(line.split()) <= _BYLINE_WORDS and not line.endswith(".")
    )


_BOILERPLATE_HEADS = (
    "related",
    "sign",
    "subscribe",
    "read",
    "continue",
    "share",
    "follow",
    "©",
    "(c)",
    "copyright",
    "all",
    "photo",
    "image",
    "picture",
    "file",
    "reporting",
    "writing",
    "editing",
    "additional",
    "advertisement",
    "click",
    "tap",
    "by",
    "written",
    "words",
)
_BULLET_HEADS = frozenset("•·*-–—▪►")


def _is_photo_credit(line: str) -> bool:
    """A line ending in a photo credit ("... Getty Images", "... REUTERS/Staff")."""
    tail = line[-_CREDIT_TAIL:]
    lowered = tail.lower()
    return (
        "getty" in lowered or "reuters" in lowered or "photo" in lowered or "afp" in lowered
    ) and bool(_PHOTO_CREDIT_END.search(tail))


def _is_boilerplate(line: str) -> bool:
    """A byline, promo, credit, copyright or empty bullet line."""
    if line[:_HEAD_WINDOW].lower().startswith(_BOILERPLATE_HEADS) and (
        _is_byline(line) or _BOILERPLATE_LINE.match(line)
    ):
        return True
    if _is_photo_credit(line):
        return True
    return (line[0] in _BULLET_HEADS or line[0].isdigit()) and bool(_BULLET_LINE.fullmatch(line))


def _dateline_end(line: str) -> int:
    """Length of a leading dateline ("KYIV, Oct 12 (Reuters) -"), 0 if none."""
    paren = line.find("(", 0, _PAREN_WINDOW)
    if paren < 0 and not line[:_UPPER_HEAD].isupper():
        return 0
    dateline = _DATELINE.match(line)
    return dateline.end() if dateline else 0


# What str.splitlines splits on, and a line (after its leading spaces) that may be a related
# header, a byline, promo or copyright line (it starts with one of _BOILERPLATE_HEADS) or a
# bullet. A text without such lines needs only the credit and dateline checks per line.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_SPECIAL_LINE = re.compile(
    f"[{_LINE_BREAKS}]\\s*(?:[•·*\\-–—▪►]|\\d|(?i:{'|'.join(map(re.escape, _BOILERPLATE_HEADS))}))"
)


def _nfkc(text: str) -> str:
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        return unicodedata.normalize("NFKC", text)
    return text


def _strip_each_line(text: str) -> list[str]:
    """:func:`strip_boilerplate` with every check on every line (normalised ``text``)."""
    kept: list[str] = []
    in_related = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            in_related = False
            continue
        line, in_related = _kept_line(line, in_related)
        if line:
            kept.append(line)
    return kept


def _strip_plain_lines(text: str) -> tuple[list[str], list[str]]:
    """:func:`strip_boilerplate` of a normalised text without special lines (``_SPECIAL_LINE``),
    and the lines among those that are not headings.

    Only photo credits and datelines can occur, and only the checks the whole text allows run:
    credits if a credit word occurs at all, datelines on lines with a parenthesis (if the text
    has one) or an upper-case start.
    """
    lowered = text.lower()
    credits = "getty" in lowered or "reuters" in lowered or "photo" in lowered or "afp" in lowered
    parens = "(" in text
    kept: list[str] = []
    body: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or (credits and _is_photo_credit(line)):
            continue
        if parens or line[:_UPPER_HEAD].isupper():
            cut = _dateline_end(line)
            if cut:
                line = line[cut:]
            if parens and "(" in line:
                line = _AGENCY_INLINE.sub("", line)
            if not line:
                continue
        kept.append(line)
        if line[-1] in _TERMINAL_CHARS or not is_heading(line):
            body.append(line)
    return kept, body


def strip_boilerplate(text: str) -> list[str]:
    """Return the content lines of ``text`` without bylines, credits, promos and datelines."""
    text = _nfkc(text)
    if _SPECIAL_LINE.search("\n" + text):
        return _strip_each_line(text)
    return _strip_plain_lines(text)[0]


def is_heading(line: str) -> bool:
    """A short line without closing punctuation: a headline or subhead, not body copy."""
    line = line.rstrip()
    return (not line or line[-1] not in _TERMINAL_CHARS) and len(
        line.split(None, _HEADING_WORDS)
    ) <= _HEADING_WORDS


def content_lines(text: str) -> list[str]:
    """Boilerplate-free lines without headings (all lines are kept if all are headings)."""
    text = _nfkc(text)
    if _SPECIAL_LINE.search("\n" + text):
        lines = _strip_each_line(text)
        body = [line for line in lines if not is_heading(line)]
    else:
        lines, body = _strip_plain_lines(text)
    return body or lines


def _drop_apostrophes(text: str) -> str:
    """Remove apostrophes ("Ukraine's" → "Ukraines"); str.replace beats translate here."""
    for mark in _APOSTROPHES:
        if mark in text:
            text = text.replace(mark, "")
    return text


def canonical_tokens(lines: list[str]) -> list[str]:
    """Casefolded word tokens of the content lines, punctuation and case removed."""
    text = _drop_apostrophes(" ".join(lines).casefold())
    text = _DIGIT_GROUP.sub("", text)
    return _WORD.findall(text)


def canonical_text(text: str) -> str:
    """The canonical body text used for the exact hash: boilerplate-free, casefolded, spaced."""
    return " ".join(canonical_tokens(content_lines(text)))


def key_tokens(lines: list[str], tokens: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Numbers (digits or number words, as digits) and mid-sentence capitalised names.

    These are the facts that tell template reports apart ("57 drones over Bryansk" vs "43 drones
    over Belgorod"); a reprint keeps them even when the wording around them changes.
    """
    numbers: list[str] = []
    names: list[str] = []
    for line in lines:
        for match in _KEY_TOKEN.finditer(line):
            token = match.group()
            if token[0].isdigit():
                if ":" not in token and not _YEAR.fullmatch(token):  # times and years: dates
                    numbers.append(_DIGIT_GROUP.sub("", token) if len(token) > 3 else token)
                continue
            folded = _drop_apostrophes(token).casefold()
            if (
                folded not in GENERIC_NAMES
                and folded.split("-", 1)[0] not in _NUMBER_HEADS
                and not _starts_sentence(line, match.start())
            ):
                names.append(folded)
    numbers.extend(number_words(canonical_tokens(lines) if tokens is None else tokens))
    return numbers, names


def number_words(tokens: list[str]) -> list[str]:
    """Digits of the number words among canonical tokens ("thirty", "one" → "31")."""
    found = [i for i, token in enumerate(tokens) if token in _NUMBER_HEADS]
    values: list[str] = []
    skip = -1
    for i in found:
        if i == skip:
            continue
        value = _UNITS.get(tokens[i], _TENS.get(tokens[i], 0))
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tokens[i] in _TENS and 0 < _UNITS.get(following, 0) < 10:
            value += _UNITS[following]
            skip = i + 1
        values.append(str(value))
    return values


def _starts_sentence(line: str, start: int) -> bool:
    """True if only spaces separate ``start`` from the line start or a sentence break.

    Bullets, dashes and the copyright sign count as spaces, as the byte path maps them.
    """
    i = start - 1
    while i >= 0 and line[i] in _SPACE_LIKE:
        i -= 1
    return i < 0 or line[i] in _SENTENCE_BREAK_CHARS


def number_word(word: str) -> str | None:
    """Digits for an English number word ("nine" → "9", "thirty-one" → "31"), else None."""
    parts = word.split("-")
    if len(parts) == 1:
        value = _UNITS.get(word, _TENS.get(word))
        return None if value is None else str(value)
    if parts[0] in _TENS and parts[1] in _UNITS and 0 < _UNITS[parts[1]] < 10:
        return str(_TENS[parts[0]] + _UNITS[parts[1]])
    value = _UNITS.get(parts[0], _TENS.get(parts[0]))
    return None if value is None else str(value)


# ---------------------------------------------------------------------------- hashing


@lru_cache(maxsize=1 << 16)
def token_hash(token: str) -> int:
    """Stable 32-bit hash of one key token (crc32 of its UTF-8 bytes), for the key sketches."""
    return zlib.crc32(token.encode("utf-8"))


# Token hashes of the canonical text are computed all at once in numpy: with the bytes b_k of
# the text and an odd multiplier P, prefix sums S of b_k * P**k (mod 2**64) give each token's
# polynomial hash sum b_{s+k} * P**k as (S[end] - S[start]) * P**-start (P is invertible mod
# 2**64), then a splitmix64 finaliser mixes it. No Python loop over tokens, no salted hash().
_POLY = 0x9E3779B97F4A7C15
_POLY_INV = pow(_POLY, -1, 1 << 64)
_powers: list[tuple[U64, U64]] = []


def _poly_powers(length: int) -> tuple[U64, U64]:
    """P**k and P**-k (mod 2**64) for k < at least ``length`` (grown by doubling)."""
    if not _powers or len(_powers[0][0]) < length:
        size = 1 << max(16, (length - 1).bit_length())
        with np.errstate(over="ignore"):
            forward = np.full(size, _POLY, dtype=np.uint64)
            forward[0] = 1
            inverse = np.full(size, _POLY_INV, dtype=np.uint64)
            inverse[0] = 1
            _powers[:] = [(np.cumprod(forward), np.cumprod(inverse))]
    return _powers[0]


_SHIFTS = tuple(np.uint64(bits) for bits in range(64))
_SPACE_TO_ZERO = bytes(0 if c == 32 else c for c in range(256))


def _finalize(x: U64, scratch: U64) -> None:
    """splitmix64 finaliser, in place: spreads entropy over all 64 bits."""
    np.right_shift(x, _SHIFTS[30], out=scratch)
    x ^= scratch
    x *= _MIX[1]
    np.right_shift(x, _SHIFTS[27], out=scratch)
    x ^= scratch
    x *= _MIX[3]
    np.right_shift(x, _SHIFTS[31], out=scratch)
    x ^= scratch


@dataclass(frozen=True, slots=True)
class TokenSpans:
    """The canonical text (UTF-8, single spaces) and its token hashes."""

    text: bytes
    hashes: U64


def hash_canonical(canonical: bytes) -> TokenSpans:
    """Token hashes of space-separated canonical text (no leading, trailing or double spaces).

    The text is framed by spaces and its spaces become zeros. Zeros add nothing to the prefix
    sums, so a token's sum is the difference of the sums at the zeros around it.
    """
    if not canonical:
        return TokenSpans(canonical, np.zeros(0, dtype=np.uint64))
    padded = np.frombuffer((b" " + canonical + b" ").translate(_SPACE_TO_ZERO), dtype=np.uint8)
    forward, inverse = _poly_powers(len(padded) + 1)
    bounds = (padded == 0).nonzero()[0]
    sums = np.cumsum(padded * forward[: len(padded)])[bounds]
    hashes = sums[1:] - sums[:-1]
    hashes *= inverse[1:][bounds[:-1]]  # P**-start, the token starting after its zero
    _finalize(hashes, sums[1:])
    return TokenSpans(canonical, hashes)


def token_hashes(tokens: list[str]) -> U64:
    """Vector of stable token hashes (the same as :func:`hash_canonical` gives in context)."""
    return hash_canonical(" ".join(tokens).encode("utf-8")).hashes


_TABLE_BITS = 18
_TABLE_MASK = np.uint64((1 << _TABLE_BITS) - 1)


def _hash_table(words: Iterable[str]) -> npt.NDArray[np.bool_]:
    table = np.zeros(1 << _TABLE_BITS, dtype=np.bool_)
    table[token_hashes(sorted(words)) & _TABLE_MASK] = True
    return table


_STOPWORD_TABLE = _hash_table(STOPWORDS)
_BAND_PREFIX = [bytes([band]) for band in range(256)]


def stopword_mask(tokens: U64) -> npt.NDArray[np.bool_]:
    """True where the token is (almost surely) a stopword: a lookup on the hash's low 18 bits."""
    mask: npt.NDArray[np.bool_] = _STOPWORD_TABLE[tokens & _TABLE_MASK]
    return mask


def shingle_hashes(tokens: U64, size: int = SHINGLE_SIZE) -> tuple[U64, int]:
    """Sorted hashes of the ``size``-token shingles (whole text if shorter), distinct count.

    Repeats are kept (they do not change a MinHash); shingles made only of stopwords ("one of
    the", "as well as") are dropped, as unrelated articles share them (unless all are).
    """
    count = len(tokens)
    if count == 0:
        return np.zeros(0, dtype=np.uint64), 0
    acc = _mixed_shingles(tokens, stopword_mask(tokens), min(size, count))
    acc.sort()
    return acc, 1 + int(np.count_nonzero(acc[1:] != acc[:-1]))


def _mixed_shingles(tokens: U64, stop: npt.NDArray[np.bool_], width: int) -> U64:
    """Unsorted :func:`shingle_hashes` (a new array), from the tokens' stopword mask."""
    n = len(tokens) - width + 1
    acc = tokens[:n] * _MIX[0]
    scratch = np.empty_like(acc)
    all_stop = stop[:n]
    if width > 1:
        all_stop = all_stop & stop[1 : 1 + n]
        np.multiply(tokens[1 : 1 + n], _MIX[1], out=scratch)
        acc ^= scratch
    if width > 2:
        all_stop &= stop[2 : 2 + n]
        np.multiply(tokens[2 : 2 + n], _MIX[2], out=scratch)
        acc ^= scratch
    for offset in range(3, width):
        all_stop &= stop[offset : offset + n]
        np.multiply(tokens[offset : offset + n], _MIX[offset], out=scratch)
        acc ^= scratch
    stopped = int(np.count_nonzero(all_stop))
    if 0 < stopped < n:
        acc = acc[~all_stop]
        scratch = scratch[: len(acc)]
    np.right_shift(acc, _SHIFTS[29], out=scratch)
    acc ^= scratch
    acc *= _MIX[3]
    np.right_shift(acc, _SHIFTS[32], out=scratch)
    acc ^= scratch
    return acc


_BIN_SHIFT = np.uint64(64 - NUM_PERM.bit_length() + 1)  # top 7 bits pick one of 128 bins
_BIN_BOUNDS = np.arange(NUM_PERM + 1, dtype=np.uint64) << _BIN_SHIFT
_BIN_BOUNDS[-1] = np.uint64(2**64 - 1)
_PROBES = 48
# Fixed pseudo-random probe sequence of bins for each bin (optimal densification).
_PROBE_BINS: list[list[int]] = (
    np.random.default_rng(0x5EED_DED1).integers(0, NUM_PERM, (NUM_PERM, _PROBES)).tolist()
)
_FMIX32 = (np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35), np.uint32(13), np.uint32(16))


def minhash(values: U64) -> U16:
    """One-permutation MinHash with optimal densification: ``NUM_PERM`` 16-bit slots.

    The hashes are mixed once more and split into ``NUM_PERM`` bins by their top bits; each
    slot keeps the minimum of its bin, so one sort replaces ``NUM_PERM`` passes over the values.
    An empty bin borrows the minimum of the first non-empty bin in its own fixed pseudo-random
    probe sequence (Shrivastava, 2017); if none of ``_PROBES`` probes hits (only for a handful
    of values) the next non-empty bin to its right. Two sets then agree in a slot with
    probability equal to their Jaccard similarity, with about the variance of ``NUM_PERM``
    independent permutations. The minimum goes through murmur3's 32-bit finaliser before 16
    bits are kept (random agreement 2**-16).
    """
    if len(values) == 0:
        return np.full(NUM_PERM, 0xFFFF, dtype=np.uint16)
    mixed = values * _MIX[1]
    _minhash_mix(mixed)
    mixed.sort()
    return _slot_minima(mixed)


def _minhash_mix(values: U64) -> None:
    """The second half of the MinHash mix (after ``* _MIX[1]``), in place; a bijection."""
    values ^= values >> _SHIFTS[31]


def _slot_minima(mixed: U64) -> U16:
    """:func:`minhash` of sorted, non-empty, already mixed values."""
    starts = mixed.searchsorted(_BIN_BOUNDS)
    if mixed[-1] == _BIN_BOUNDS[-1]:
        starts[-1] = len(mixed)
    firsts = starts[:-1]
    full = firsts < starts[1:]
    if not full.all():
        firsts = _densify(firsts, full)
    # murmur3 fmix32 of the low 32 bits of x ^ (x >> 32); its last xor-shift leaves the top
    # 16 bits, the ones kept, unchanged.
    halves = mixed[firsts].view(np.uint32)
    m = halves[0::2] ^ halves[1::2]
    m ^= m >> _FMIX32[3]
    m *= _FMIX32[0]
    m ^= m >> _FMIX32[2]
    m *= _FMIX32[1]
    signature: U16 = (m >> _FMIX32[3]).astype(np.uint16)
    return signature


def _densify(firsts: npt.NDArray[np.intp], full: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """Bin starts where each empty bin takes the start of the bin it borrows from."""
    filled: list[bool] = full.tolist()
    firsts = firsts.copy()
    for empty in (~full).nonzero()[0].tolist():
        for source in _PROBE_BINS[empty]:
            if filled[source]:
                break
        else:  # the next non-empty bin to the right, cyclically
            right = [b for b in range(empty + 1, NUM_PERM) if filled[b]]
            source = right[0] if right else filled.index(True)
        firsts[empty] = firsts[source]
    return firsts


def _signature(tokens: U64, stop: npt.NDArray[np.bool_]) -> tuple[U16, int]:
    """:func:`text_signature` given the tokens' stopword mask (one sort in all)."""
    if len(tokens) == 0:
        return minhash(np.zeros(0, dtype=np.uint64)), 0
    mixed = _mixed_shingles(tokens, stop, min(SHINGLE_SIZE, len(tokens)))
    mixed *= _MIX[1]
    _minhash_mix(mixed)
    mixed.sort()  # the mix is a bijection, so distinct mixed values are distinct shingles
    distinct = 1 + int(np.count_nonzero(mixed[1:] != mixed[:-1]))
    return _slot_minima(mixed), distinct


def text_signature(tokens: U64) -> tuple[U16, int]:
    """MinHash signature of the token hashes' shingles and the number of distinct shingles.

    ``minhash(shingle_hashes(tokens))``.
    """
    return _signature(tokens, stopword_mask(tokens))


def band_keys(signature: U16) -> list[bytes]:
    """One LSH bucket key per band: the band number and its ``ROWS`` 16-bit values (7 bytes).

    The values are already uniformly mixed, so they need no further hashing.
    """
    raw = signature[: BANDS * ROWS].astype(">u2").tobytes()
    width = 2 * ROWS
    return [_BAND_PREFIX[band] + raw[band * width : band * width + width] for band in range(BANDS)]


def key_sketch(keys: list[str], size: int) -> tuple[U32, int]:
    """Bottom-``size`` sorted 32-bit hashes of the distinct key tokens, and their count."""
    distinct = sorted({token_hash(k) for k in keys})
    return np.asarray(distinct[:size], dtype=np.uint32), len(distinct)


def content_hash(canonical: str) -> bytes:
    """16-byte blake2b of the canonical body text: equal for exact (modulo boilerplate) copies."""
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).digest()


# ---------------------------------------------------------------------------- estimates


def estimate_jaccard(a: U16, b: U16) -> float:
    """Jaccard estimate: the share of agreeing MinHash slots (16-bit chance agreement ignored)."""
    return float(np.count_nonzero(a == b)) / len(a)


def containment_from_jaccard(jaccard: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller set that lies in the larger, given their Jaccard."""
    smaller = min(size_a, size_b)
    if smaller == 0:
        return 0.0
    overlap = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, overlap / smaller)


def sketch_containment(a: U32, size_a: int, b: U32, size_b: int) -> float:
    """Share of the smaller key-token set found in the larger, from bottom-k sketches.

    Exact when both sets fit their sketches; 1.0 when either set is empty (nothing to veto).
    """
    if size_a == 0 or size_b == 0:
        return 1.0
    return values_containment(a.tolist(), size_a, b.tolist(), size_b)


def values_containment(a: Sequence[int], size_a: int, b: Sequence[int], size_b: int) -> float:
    """:func:`sketch_containment` of the sketches' values (both sets non-empty).

    The sketches hold at most 24 sorted distinct values: Python sets beat numpy set
    operations on them.
    """
    in_a, in_b = set(a), set(b)
    if size_a <= len(a) and size_b <= len(b):
        return len(in_a & in_b) / min(size_a, size_b)
    union_bottom = sorted(in_a | in_b)[: min(len(a), len(b))]
    in_both = sum(1 for value in union_bottom if value in in_a and value in in_b)
    jaccard = float(in_both) / len(union_bottom)
    return containment_from_jaccard(jaccard, size_a, size_b)


# ---------------------------------------------------------------------------- fingerprint


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Everything the index needs about one text.

    signature: 16-bit MinHash of the 3-word shingle set (LSH bands and similarity).
    numbers / names: bottom-k hashes of the numbers and capitalised names (template veto).
    """

    digest: bytes
    signature: U16
    shingle_count: int
    numbers: U32
    number_count: int
    names: U32
    name_count: int

    def to_bytes(self) -> bytes:
        """Compact form (~330 bytes), so a parallel stage can fingerprint and ship it."""
        header = _FINGERPRINT_HEADER.pack(
            self.digest,
            self.shingle_count,
            self.number_count,
            self.name_count,
            len(self.numbers),
            len(self.names),
        )
        arrays = (
            self.signature.astype("<u2"),
            self.numbers.astype("<u4"),
            self.names.astype("<u4"),
        )
        return header + b"".join(array.tobytes() for array in arrays)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Fingerprint:
        """Inverse of :meth:`to_bytes`."""
        digest, shingles, number_count, name_count, n_numbers, n_names = (
            _FINGERPRINT_HEADER.unpack_from(raw)
        )
        pos = _FINGERPRINT_HEADER.size
        # Read-only views of ``raw``: a fingerprint is never modified.
        signature = np.frombuffer(raw, "<u2", NUM_PERM, pos)
        pos += 2 * NUM_PERM
        numbers = np.frombuffer(raw, "<u4", n_numbers, pos)
        names = np.frombuffer(raw, "<u4", n_names, pos + 4 * n_numbers)
        return cls(digest, signature, shingles, numbers, number_count, names, name_count)


def fingerprint_tokens(
    token_array: U64, numbers: list[str], names: list[str], digest: bytes
) -> Fingerprint:
    """Build a fingerprint from pre-hashed tokens (used by the benchmark and by ``fingerprint``)."""
    signature, distinct = text_signature(token_array)
    number_sketch, number_count = key_sketch(numbers, NUMBER_SKETCH)
    name_sketch, name_count = key_sketch(names, NAME_SKETCH)
    return Fingerprint(
        digest=digest,
        signature=signature,
        shingle_count=distinct,
        numbers=number_sketch,
        number_count=number_count,
        names=name_sketch,
        name_count=name_count,
    )


# ---------------------------------------------------------------------------- fast text path
#
# Most bodies are ASCII once typographic punctuation is mapped to ASCII. For those, the
# content lines are found on the UTF-8 bytes and framed by newlines as ASCII (_fast_ascii_text);
# the compiled core (workers._native, Rust) then computes from these bytes, in one pass, what the
# general str path above gives: the canonical text and its digest, the token hashes, the key
# sketches and the MinHash signature. Anything else takes the general path, the reference.

# Symbols that are no word, space, break or terminal character, like "#" to which they are
# mapped. Texts with these, letters or _NFKC_ASCII characters (widened texts) took the general
# path before; they take the compiled one only where it provably agrees with the general path.
_WIDENING_SYMBOLS = "£€¥¢°§®×±„‚‹›"
_TO_ASCII = tuple(
    (char, replacement)
    for char, replacement in (
        ("’", ""),
        ("‘", ""),
        ("´", ""),
        ("“", '"'),
        ("”", '"'),
        ("«", '"'),
        ("»", '"'),
        ("–", " "),
        ("—", " "),
        ("…", " "),
        ("•", " "),
        ("·", " "),
        ("©", " "),
    )
)
# Latin letters the compiled core keeps as they are: those of U+00C0-U+017F that are upper- or
# lower-case with a non-ASCII upper- and lower-case, case-folding to their lower-case letter
# with the same first UTF-8 byte, unchanged by NFKC (not ß, whose case fold is "ss", nor the
# dotted and dotless i, long s, Ÿ, the ligature Ĳ or Ŀ). Like ASCII letters they are word
# characters that start no name and no sentence.
_LATIN_LETTERS = frozenset(
    char
    for char in map(chr, range(0xC0, 0x180))
    if char.isalpha()
    and (char.isupper() or char.islower())
    and not (char.upper().isascii() or char.lower().isascii())
    and char.casefold() == char.lower()
    and len(char.lower()) == 1
    and char.lower().encode()[0] == char.encode()[0]
    and unicodedata.is_normalized("NFKC", char)
)
# Characters NFKC (which content_lines applies first) maps to ASCII spaces or dots; the
# compiled core replaces them by that text before it applies the rules.
_NFKC_ASCII = {
    char: unicodedata.normalize("NFKC", char)
    for char in "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u2026"
}


def _ascii_text(lines: list[str]) -> bytes | None:
    """The lines framed and joined by newlines, typographic punctuation made ASCII,
    apostrophes dropped and tabs made spaces; None if the text is not ASCII then."""
    text = "\n".join(["", *lines, ""])
    if not text.isascii():
        for char, replacement in _TO_ASCII:
            if char in text:
                text = text.replace(char, replacement)
        if not text.isascii():
            return None
    return text.encode("ascii").translate(_TIDY_TABLE, _TIDY_DELETE)


def _widened_text(lines: list[str]) -> bytes | None:
    """:func:`_ascii_text` with the widening symbols made "#" and the Latin letters kept (as
    UTF-8): the text the compiled core gives a widened text it takes (the reference)."""
    text = "\n".join(["", *lines, ""])
    for symbol in _WIDENING_SYMBOLS:
        text = text.replace(symbol, "#")
    for char, replacement in _TO_ASCII:
        text = text.replace(char, replacement)
    if not all(char.isascii() or char in _LATIN_LETTERS for char in text):
        return None
    return text.encode("utf-8").translate(_TIDY_TABLE, _TIDY_DELETE)


# Texts of printable ASCII, newlines, tabs, the typographic characters and symbols below, the
# Latin letters and the characters of _NFKC_ASCII (the usual case) go to the compiled core,
# which applies the rules of content_lines (the regexes, head words and characters above,
# passed once here) and the mapping of _ascii_text. None of the safe characters is a space,
# letter, digit, cased or line break, or changes under NFKC, so on such text the str methods
# of the general path reduce to ASCII tests there; the letters are word characters, upper- or
# lower-case, that change under neither NFKC nor the rules (whose word boundaries the core
# then takes as Unicode ones).
_SAFE_CHARS = frozenset("’‘“”«»–—•·©" + _WIDENING_SYMBOLS)
_SAFE_TO_ASCII = {**dict(_TO_ASCII), **dict.fromkeys(_WIDENING_SYMBOLS, "#")}
_TIDY_TABLE = bytes(32 if c == 9 else c for c in range(256))  # tabs as spaces
_TIDY_DELETE = b"'`"
_CONTENT_RULES = _native.ContentRules(
    related_header=_RELATED_HEADER,
    bullet_line=_BULLET_LINE,
    boilerplate_line=_BOILERPLATE_LINE,
    byline=_BYLINE,
    photo_credit_end=_PHOTO_CREDIT_END,
    dateline=_DATELINE,
    agency_inline=_AGENCY_INLINE,
    boilerplate_heads=list(_BOILERPLATE_HEADS),
    bullet_heads="".join(sorted(_BULLET_HEADS)),
    terminal_chars="".join(sorted(_TERMINAL_CHARS)),
    to_ascii={char: _SAFE_TO_ASCII[char] for char in sorted(_SAFE_CHARS)},
    tidy_table=_TIDY_TABLE,
    tidy_delete=_TIDY_DELETE,
    limits=LINE_LIMITS,
    letters={char: char.casefold() for char in sorted(_LATIN_LETTERS)},
    nfkc_ascii=_NFKC_ASCII,
    widened=_WIDENING_SYMBOLS,
)


def _kept_line(line: str, in_related: bool) -> tuple[str, bool]:
    """A stripped, non-empty line as :func:`strip_boilerplate` keeps it ("" if it drops it),
    and whether the next line is still inside a block of related links."""
    if line[:7].lower() == "related" and _RELATED_HEADER.match(line):
        return "", True
    if in_related and (_BULLET_LINE.match(line) or line[-1] not in _TERMINAL_CHARS):
        return "", True
    if _is_boilerplate(line):
        return "", False
    cut = _dateline_end(line)
    if cut:
        line = line[cut:]
    if "(" in line:
        line = _AGENCY_INLINE.sub("", line)
    return line, False


def _fast_ascii_text(text: str) -> bytes | None:
    """:func:`_ascii_text` of :func:`content_lines`, in the compiled core where ``text`` is safe."""
    ascii_text = _CONTENT_RULES.ascii_text(text)
    if ascii_text is None:
        return _ascii_text(content_lines(text))
    return ascii_text


_KeyedSpans = tuple["TokenSpans", U32, int, U32, int]
# digest, signature, shingle count, numbers, number count, names, name count (see the core).
_NativeParts = tuple[bytes, bytes, int, bytes, int, bytes, int]


def fingerprint(text: str) -> Fingerprint:
    """Fingerprint the body ``text`` (headline excluded by the caller).

    A safe text (the usual case) takes one call to the compiled core, which computes
    :func:`_fast_ascii_text` and :func:`_ascii_fingerprint` of it.
    """
    parts = _NATIVE_TABLES.fingerprint_text(_CONTENT_RULES, text)
    if parts is not None:
        return _fingerprint_of_parts(parts)
    return _slow_fingerprint(text)


def _slow_fingerprint(text: str) -> Fingerprint:
    """:func:`fingerprint` of a text the core found unsafe, without asking the core again."""
    ascii_text = _ascii_text(content_lines(text))
    if ascii_text is None:
        return _general_fingerprint(text)
    return _ascii_fingerprint(ascii_text)


def _fingerprint_reference(text: str) -> Fingerprint:
    """:func:`fingerprint` through :func:`_fast_ascii_text` (a call to the core for the text,
    another for the fingerprint)."""
    ascii_text = _fast_ascii_text(text)
    if ascii_text is not None:
        return _ascii_fingerprint(ascii_text)
    return _general_fingerprint(text)


# Everything the compiled core needs, from the definitions above (their one source).
_NATIVE_TABLES = _native.FingerprintTables(
    poly=_POLY,
    mix=[int(multiplier) for multiplier in _MIX],
    fmix32=(int(_FMIX32[0]), int(_FMIX32[1])),
    shingle_size=SHINGLE_SIZE,
    num_perm=NUM_PERM,
    bin_shift=int(_BIN_SHIFT),
    probe_bins=_PROBE_BINS,
    stopword_table=np.packbits(_STOPWORD_TABLE, bitorder="little").tobytes(),
    units=_UNITS,
    tens=_TENS,
    generic_names=sorted(GENERIC_NAMES),
    number_sketch=NUMBER_SKETCH,
    name_sketch=NAME_SKETCH,
)


def _ascii_fingerprint(ascii_text: bytes) -> Fingerprint:
    """:func:`_general_fingerprint` of a text, computed by the compiled core from its
    :func:`_fast_ascii_text` bytes."""
    return _fingerprint_of_parts(_NATIVE_TABLES.fingerprint_ascii(ascii_text))


# The byte order of stored signatures (u16 slots) and sketches (u32 hashes).
LE_U2, LE_U4 = np.dtype("<u2"), np.dtype("<u4")


def _fingerprint_of_parts(parts: _NativeParts) -> Fingerprint:
    """The fingerprint of what ``FingerprintTables.fingerprint_ascii`` returns."""
    digest, signature, shingles, numbers, number_count, names, name_count = parts
    return Fingerprint(
        digest=digest,
        signature=np.frombuffer(signature, dtype=LE_U2),
        shingle_count=shingles,
        numbers=np.frombuffer(numbers, dtype=LE_U4),
        number_count=number_count,
        names=np.frombuffer(names, dtype=LE_U4),
        name_count=name_count,
    )


def _general_fingerprint(text: str) -> Fingerprint:
    """The fingerprint of any text, through the str functions."""
    spans, number_sketch, number_count, name_sketch, name_count = _general_spans(text)
    signature, distinct = _signature(spans.hashes, stopword_mask(spans.hashes))
    return Fingerprint(
        digest=hashlib.blake2b(spans.text, digest_size=16).digest(),
        signature=signature,
        shingle_count=distinct,
        numbers=number_sketch,
        number_count=number_count,
        names=name_sketch,
        name_count=name_count,
    )


def _general_spans(text: str) -> _KeyedSpans:
    """Token hashes and key sketches of any text, through the str functions."""
    lines = content_lines(text)
    tokens = canonical_tokens(lines)
    spans = hash_canonical(" ".join(tokens).encode("utf-8"))
    numbers, names = key_tokens(lines, tokens)
    number_sketch, number_count = key_sketch(numbers, NUMBER_SKETCH)
    name_sketch, name_count = key_sketch(names, NAME_SKETCH)
    return spans, number_sketch, number_count, name_sketch, name_count
