"""Canonical text, exact hash, shingles, MinHash and LSH bands for near-duplicate detection.

Everything here is pure and deterministic across processes: no use of Python's salted
``hash()``; token hashes are ``zlib.crc32`` and every other hash is fixed-seed integer
arithmetic in numpy, so a signature computed by one worker matches one computed by another.

LSH S-curve (``BANDS`` = 20 bands of ``ROWS`` = 2 rows of the 128-slot MinHash): two texts
with shingle Jaccard ``J`` become candidates with probability ``1 - (1 - J**2) ** 20``:
J=0.2 → 0.56, 0.25 → 0.73, 0.3 → 0.85, 0.35 → 0.93, 0.4 → 0.96, 0.5 → 0.997. The decision
threshold (max(Jaccard, containment) ≥ 0.5, i.e. Jaccard ≈ 0.33 for equal-size texts) sits on
the steep part, so moderately re-worded copies are still found. Unrelated texts (J ≤ 0.05)
collide in some band with probability ≤ 5 %; each bucket keeps one owner (the first live
article), so a check verifies at most ``BANDS`` candidates whatever the index size. Only 40 of
the 128 slots are banded (each band is a store lookup, the budget is ~100 µs per article);
all 128 are used to verify.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

SHINGLE_SIZE = 3
NUM_PERM = 128
BANDS = 20
ROWS = 2
NUMBER_SKETCH = 16
NAME_SKETCH = 24

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
U16 = npt.NDArray[np.uint16]
U8 = npt.NDArray[np.uint8]

_rng = np.random.default_rng(0x5EED_DED0)
_PERM_A: U32 = (_rng.integers(1, 2**32, NUM_PERM, dtype=np.uint64).astype(np.uint32)) | np.uint32(1)
_PERM_B: U32 = _rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64).astype(np.uint32)
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
      | .*\b(?:getty\s+images|via\s+reuters|ap\s+photo|afp\s+via|/\s*reuters|/\s*afp)\s*\)?\s*$
      | (?:reporting|writing|editing|additional\s+reporting)\s+by\b.*$
      | advertisement\s*$
      | (?:click|tap)\s+here\b.*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_TERMINAL = re.compile(r"[.!?\"”’'»)…]\s*$")
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

_APOSTROPHE = re.compile(r"['’‘`´]")
_DIGIT_GROUP = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")
_NON_WORD = re.compile(r"[^\w]+|_+")
_KEY_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Z][\w'’-]*")
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
_LOWER_NUMBER = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(sorted({*_UNITS, *_TENS}, key=len, reverse=True))
    + r")(?:-[a-z]+)?(?![\w-])"
)
_SENTENCE_BREAK = re.compile(r"(?:^|[.!?:;\"“”«»(]\s*|\n)$")
_BYLINE = re.compile(r"^(?:by|written\s+by|words\s+by)\s+[A-Z]", re.IGNORECASE)


def _is_byline(line: str) -> bool:
    """A short "By Jane Doe, Staff Reporter" line, not a sentence that starts with "By"."""
    return bool(_BYLINE.match(line)) and len(line.split()) <= 12 and not line.endswith(".")


def strip_boilerplate(text: str) -> list[str]:
    """Return the content lines of ``text`` without bylines, credits, promos and datelines."""
    kept: list[str] = []
    in_related = False
    for raw in text.splitlines():
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            in_related = False
            continue
        if _RELATED_HEADER.match(line):
            in_related = True
            continue
        if in_related and (_BULLET_LINE.match(line) or not _TERMINAL.search(line)):
            continue
        in_related = False
        if _is_byline(line) or _BOILERPLATE_LINE.match(line) or _BULLET_LINE.fullmatch(line):
            continue
        line = _DATELINE.sub("", line, count=1)
        line = _AGENCY_INLINE.sub("", line)
        if line:
            kept.append(line)
    return kept


def is_heading(line: str) -> bool:
    """A short line without closing punctuation: a headline or subhead, not body copy."""
    return len(line.split()) <= 14 and not _TERMINAL.search(line)


def content_lines(text: str) -> list[str]:
    """Boilerplate-free lines without headings (all lines are kept if all are headings)."""
    lines = strip_boilerplate(text)
    body = [line for line in lines if not is_heading(line)]
    return body or lines


def canonical_tokens(lines: list[str]) -> list[str]:
    """Casefolded word tokens of the content lines, punctuation and case removed."""
    text = " ".join(lines).casefold()
    text = _APOSTROPHE.sub("", text)
    text = _DIGIT_GROUP.sub("", text)
    return _NON_WORD.sub(" ", text).split()


def canonical_text(text: str) -> str:
    """The canonical body text used for the exact hash: boilerplate-free, casefolded, spaced."""
    return " ".join(canonical_tokens(content_lines(text)))


def key_tokens(lines: list[str]) -> tuple[list[str], list[str]]:
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
                numbers.append(_DIGIT_GROUP.sub("", token))
                continue
            folded = _APOSTROPHE.sub("", token).casefold()
            as_number = number_word(folded)
            if as_number is not None:
                numbers.append(as_number)
            elif not _SENTENCE_BREAK.search(line[: match.start()]):
                names.append(folded)
        numbers.extend(
            value
            for word in _LOWER_NUMBER.findall(line)
            if (value := number_word(word.casefold())) is not None
        )
    return numbers, names


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


@lru_cache(maxsize=1 << 18)
def token_hash(token: str) -> int:
    """Stable 32-bit hash of one token (crc32 of its UTF-8 bytes)."""
    return zlib.crc32(token.encode("utf-8"))


def token_hashes(tokens: list[str]) -> U64:
    """Vector of stable token hashes."""
    return np.fromiter((token_hash(t) for t in tokens), dtype=np.uint64, count=len(tokens))


def _finalize(x: U64) -> U64:
    """splitmix64 finaliser: spreads entropy over all 64 bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX[1]
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX[3]
    return x ^ (x >> np.uint64(31))


_STOPWORD_HASHES: U64 = np.array(sorted(token_hash(w) for w in STOPWORDS), dtype=np.uint64)


def shingle_hashes(tokens: U64, size: int = SHINGLE_SIZE) -> U64:
    """Distinct 64-bit hashes of the contiguous ``size``-token shingles (whole text if shorter)."""
    count = len(tokens)
    if count == 0:
        return np.zeros(0, dtype=np.uint64)
    width = min(size, count)
    n = count - width + 1
    acc = np.full(n, np.uint64(width), dtype=np.uint64)
    for offset in range(width):
        acc = (acc ^ tokens[offset : offset + n]) * _MIX[offset % 3]
        acc = acc ^ (acc >> np.uint64(29))
    return np.unique(_finalize(acc))


def word_hashes(tokens: U64) -> U64:
    """Distinct 64-bit hashes of the content words (stopwords dropped; all words if none left)."""
    content = tokens[~np.isin(tokens, _STOPWORD_HASHES)]
    if len(content) == 0:
        content = tokens
    return np.unique(_finalize(content ^ _MIX[2]))


def _minima(values: U64) -> U32:
    """``NUM_PERM`` minima of the universal hashes ``(a*x + b) mod 2**32`` over ``values``."""
    if len(values) == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    low = (values ^ (values >> np.uint64(32))).astype(np.uint32)
    minima: U32 = (low[:, None] * _PERM_A + _PERM_B).min(axis=0)
    return minima


def _mixed_minima(values: U64) -> U32:
    """The minima passed through murmur3's 32-bit finaliser, so any bit slice is uniform.

    A minimum over n values is small (about 2**32 / n), so its top bits are mostly zero; the
    finaliser spreads it before the signature keeps only 16 or 8 bits of it.
    """
    m = _minima(values)
    m = m ^ (m >> np.uint32(16))
    m = m * np.uint32(0x85EBCA6B)
    m = m ^ (m >> np.uint32(13))
    m = m * np.uint32(0xC2B2AE35)
    mixed: U32 = m ^ (m >> np.uint32(16))
    return mixed


def minhash16(values: U64) -> U16:
    """MinHash signature keeping 16 bits of each (mixed) minimum; banded for LSH."""
    signature: U16 = (_mixed_minima(values) >> np.uint32(16)).astype(np.uint16)
    return signature


def minhash8(values: U64) -> U8:
    """b-bit (8) MinHash: 128 bytes; random agreement 1/256 is corrected in the estimate."""
    signature: U8 = (_mixed_minima(values) >> np.uint32(24)).astype(np.uint8)
    return signature


def band_keys(signature: U16) -> list[bytes]:
    """One 8-byte LSH bucket key per band (band index mixed in, so bands never collide)."""
    rows = signature[: BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
    packed = np.zeros(BANDS, dtype=np.uint64)
    for row in range(ROWS):
        packed = (packed << np.uint64(16)) | rows[:, row]
    mixed = _finalize(packed ^ (np.arange(BANDS, dtype=np.uint64) * _MIX[0]))
    raw = mixed.astype(">u8").tobytes()
    return [raw[i * 8 : i * 8 + 8] for i in range(BANDS)]


def key_sketch(keys: list[str], size: int) -> tuple[U32, int]:
    """Bottom-``size`` sorted 32-bit hashes of the distinct key tokens, and their count."""
    distinct = sorted({token_hash(k) for k in keys})
    return np.asarray(distinct[:size], dtype=np.uint32), len(distinct)


def content_hash(canonical: str) -> bytes:
    """16-byte blake2b of the canonical body text: equal for exact (modulo boilerplate) copies."""
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).digest()


# ---------------------------------------------------------------------------- estimates


def estimate_jaccard(a: U16 | U8, b: U16 | U8) -> float:
    """Jaccard estimate from agreeing MinHash slots, corrected for b-bit random agreement."""
    agree = float(np.count_nonzero(a == b)) / len(a)
    chance = 1.0 / (1 << (8 * a.dtype.itemsize))
    return max(0.0, (agree - chance) / (1.0 - chance))


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
    if size_a <= len(a) and size_b <= len(b):
        common = len(np.intersect1d(a, b, assume_unique=True))
        return common / min(size_a, size_b)
    union_bottom = np.union1d(a, b)[: min(len(a), len(b))]
    in_both = np.isin(union_bottom, a) & np.isin(union_bottom, b)
    jaccard = float(np.count_nonzero(in_both)) / len(union_bottom)
    return containment_from_jaccard(jaccard, size_a, size_b)


# ---------------------------------------------------------------------------- fingerprint


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Everything the index needs about one text.

    words: 16-bit MinHash of the content-word set (LSH bands; catches re-worded copies).
    phrases: 8-bit MinHash of the 3-word shingle set (phrase overlap; trims and additions).
    numbers / names: bottom-k hashes of the numbers and capitalised names (template veto).
    """

    digest: bytes
    words: U16
    word_count: int
    phrases: U8
    phrase_count: int
    numbers: U32
    number_count: int
    names: U32
    name_count: int


def fingerprint_tokens(
    token_array: U64, numbers: list[str], names: list[str], digest: bytes
) -> Fingerprint:
    """Build a fingerprint from pre-hashed tokens (used by the benchmark and by ``fingerprint``)."""
    words = word_hashes(token_array)
    phrases = shingle_hashes(token_array)
    number_sketch, number_count = key_sketch(numbers, NUMBER_SKETCH)
    name_sketch, name_count = key_sketch(names, NAME_SKETCH)
    return Fingerprint(
        digest=digest,
        words=minhash16(words),
        word_count=len(words),
        phrases=minhash8(phrases),
        phrase_count=len(phrases),
        numbers=number_sketch,
        number_count=number_count,
        names=name_sketch,
        name_count=name_count,
    )


def fingerprint(text: str) -> Fingerprint:
    """Fingerprint the body ``text`` (headline excluded by the caller)."""
    lines = content_lines(text)
    tokens = canonical_tokens(lines)
    digest = content_hash(" ".join(tokens))
    numbers, names = key_tokens(lines)
    return fingerprint_tokens(token_hashes(tokens), numbers, names, digest)
