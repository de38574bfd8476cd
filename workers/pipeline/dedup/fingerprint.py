"""Canonical text, exact hash, shingles, MinHash and LSH bands for near-duplicate detection.

Everything here is pure and deterministic across processes: no use of Python's salted
``hash()``; token hashes are a polynomial hash of the canonical UTF-8 bytes, key-token hashes
``zlib.crc32``, and every other hash is fixed-seed 64-bit integer arithmetic, so a signature
computed by one worker matches one computed by another.

Cost (~600-word article): the text path is one pass of line checks and an ASCII fast path
(``bytes.translate`` + numpy for the canonical text, token hashes, shingles and a
one-permutation MinHash). Non-ASCII bodies (after mapping typographic punctuation) take the
general regex path, which yields the same canonical text.

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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

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
_BYLINE = re.compile(r"^(?:by|written\s+by|words\s+by)\s+[A-Z]", re.IGNORECASE)


def _is_byline(line: str) -> bool:
    """A short "By Jane Doe, Staff Reporter" line, not a sentence that starts with "By"."""
    return bool(_BYLINE.match(line)) and len(line.split()) <= 12 and not line.endswith(".")


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


def _is_boilerplate(line: str) -> bool:
    """A byline, promo, credit, copyright or empty bullet line."""
    if line[:14].lower().startswith(_BOILERPLATE_HEADS) and (
        _is_byline(line) or _BOILERPLATE_LINE.match(line)
    ):
        return True
    tail = line[-48:].lower()
    if (
        "getty" in tail or "reuters" in tail or "photo" in tail or "afp" in tail
    ) and _PHOTO_CREDIT_END.search(line[-48:]):
        return True
    return (line[0] in _BULLET_HEADS or line[0].isdigit()) and bool(_BULLET_LINE.fullmatch(line))


def _dateline_end(line: str) -> int:
    """Length of a leading dateline ("KYIV, Oct 12 (Reuters) -"), 0 if none."""
    paren = line.find("(", 0, 128)
    if paren < 0 and not line[:3].isupper():
        return 0
    dateline = _DATELINE.match(line)
    return dateline.end() if dateline else 0


def strip_boilerplate(text: str) -> list[str]:
    """Return the content lines of ``text`` without bylines, credits, promos and datelines."""
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    kept: list[str] = []
    in_related = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            in_related = False
            continue
        if line[:7].lower() == "related" and _RELATED_HEADER.match(line):
            in_related = True
            continue
        if in_related and (_BULLET_LINE.match(line) or line[-1] not in _TERMINAL_CHARS):
            continue
        in_related = False
        if _is_boilerplate(line):
            continue
        cut = _dateline_end(line)
        if cut:
            line = line[cut:]
        if "(" in line:
            line = _AGENCY_INLINE.sub("", line)
        if line:
            kept.append(line)
    return kept


def is_heading(line: str) -> bool:
    """A short line without closing punctuation: a headline or subhead, not body copy."""
    line = line.rstrip()
    return (not line or line[-1] not in _TERMINAL_CHARS) and len(line.split(None, 14)) <= 14


def content_lines(text: str) -> list[str]:
    """Boilerplate-free lines without headings (all lines are kept if all are headings)."""
    lines = strip_boilerplate(text)
    body = [line for line in lines if not is_heading(line)]
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
    """True if only spaces separate ``start`` from the line start or a sentence break."""
    i = start - 1
    while i >= 0 and line[i] in " \t":
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


def _nonzero(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """Indices of the true entries of a 1-D mask (``flatnonzero`` without its wrappers)."""
    return mask.nonzero()[0]


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


def _finalize(x: U64) -> U64:
    """splitmix64 finaliser: spreads entropy over all 64 bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX[1]
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX[3]
    return x ^ (x >> np.uint64(31))


@dataclass(frozen=True, slots=True)
class TokenSpans:
    """The canonical text (UTF-8, single spaces) with its token hashes and byte spans."""

    text: bytes
    hashes: U64
    starts: npt.NDArray[np.intp]
    ends: npt.NDArray[np.intp]

    def token(self, i: int) -> str:
        """The ``i``-th token."""
        return self.text[self.starts[i] : self.ends[i]].decode("utf-8")


def hash_canonical(canonical: bytes) -> TokenSpans:
    """Token hashes of space-separated canonical text (no leading, trailing or double spaces)."""
    if not canonical:
        empty = np.zeros(0, dtype=np.intp)
        return TokenSpans(canonical, np.zeros(0, dtype=np.uint64), empty, empty)
    data = np.frombuffer(canonical, dtype=np.uint8)
    return _hash_canonical_numpy(canonical, data)


def _hash_canonical_numpy(canonical: bytes, data: npt.NDArray[np.uint8]) -> TokenSpans:
    """The numpy core of :func:`hash_canonical`."""
    size = len(data)
    spaces = _nonzero(data == 32)
    starts = np.empty(len(spaces) + 1, dtype=np.intp)
    starts[0] = 0
    starts[1:] = spaces + 1
    ends = np.empty(len(spaces) + 1, dtype=np.intp)
    ends[:-1] = spaces
    ends[-1] = size
    forward, inverse = _poly_powers(size + 1)
    prefix = np.empty(size + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(data * forward[:size], out=prefix[1:])
    hashes = _finalize((prefix[ends] - prefix[starts]) * inverse[starts])
    return TokenSpans(canonical, hashes, starts, ends)


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
_NUMBER_HEAD_TABLE = _hash_table(_NUMBER_HEADS)
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
    width = min(size, count)
    n = count - width + 1
    stop = _STOPWORD_TABLE[tokens & _TABLE_MASK]
    all_stop = stop[:n].copy()
    acc = tokens[:n] * _MIX[0]
    for offset in range(1, width):
        acc ^= tokens[offset : offset + n] * _MIX[offset]
        all_stop &= stop[offset : offset + n]
    stopped = int(np.count_nonzero(all_stop))
    if 0 < stopped < n:
        acc = acc[~all_stop]
    acc ^= acc >> np.uint64(29)
    acc *= _MIX[3]
    acc ^= acc >> np.uint64(32)
    acc.sort()
    return acc, 1 + int(np.count_nonzero(acc[1:] != acc[:-1]))


_BIN_SHIFT = np.uint64(64 - NUM_PERM.bit_length() + 1)  # top 7 bits pick one of 128 bins
_BIN_BOUNDS = np.arange(NUM_PERM + 1, dtype=np.uint64) << _BIN_SHIFT
_BIN_BOUNDS[-1] = np.uint64(2**64 - 1)
_BINS = np.arange(NUM_PERM, dtype=np.intp)
_PROBES = 48
# Fixed pseudo-random probe sequence of bins for each bin (optimal densification).
_PROBE_BINS = np.random.default_rng(0x5EED_DED1).integers(0, NUM_PERM, (NUM_PERM, _PROBES))


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
    mixed ^= mixed >> np.uint64(31)
    mixed.sort()
    starts = mixed.searchsorted(_BIN_BOUNDS)
    if mixed[-1] == _BIN_BOUNDS[-1]:
        starts[-1] = len(mixed)
    full = starts[:-1] < starts[1:]
    source = _BINS
    if not full.all():
        hits = full[_PROBE_BINS]
        first = hits.argmax(axis=1)
        source = np.where(full, _BINS, _PROBE_BINS[_BINS, first])
        missed = ~(full | hits[_BINS, first])
        if missed.any():
            filled = full.nonzero()[0]
            nearest = filled.searchsorted(_BINS[missed])
            source[missed] = filled[np.where(nearest == len(filled), 0, nearest)]
    x = mixed[starts[source]]
    m = (x ^ (x >> np.uint64(32))).astype(np.uint32)
    m ^= m >> np.uint32(16)
    m *= np.uint32(0x85EBCA6B)
    m ^= m >> np.uint32(13)
    m *= np.uint32(0xC2B2AE35)
    m ^= m >> np.uint32(16)
    signature: U16 = (m >> np.uint32(16)).astype(np.uint16)
    return signature


def text_signature(tokens: U64) -> tuple[U16, int]:
    """MinHash signature of the token hashes' shingles and the number of distinct shingles.

    ``minhash(shingle_hashes(tokens))``.
    """
    if len(tokens) == 0:
        return minhash(np.zeros(0, dtype=np.uint64)), 0
    shingles, distinct = shingle_hashes(tokens)
    return minhash(shingles), distinct


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
        signature = np.frombuffer(raw, "<u2", NUM_PERM, pos).astype(np.uint16)
        pos += 2 * NUM_PERM
        numbers = np.frombuffer(raw, "<u4", n_numbers, pos).astype(np.uint32)
        names = np.frombuffer(raw, "<u4", n_names, pos + 4 * n_numbers).astype(np.uint32)
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
# canonical text is one bytes.translate (case, punctuation) plus numpy (digit groups, spaces),
# and the key tokens are two findall passes whose patterns start with a character class (so
# the regex engine skips ahead in C). Anything else takes the general regex path above, which
# gives the same canonical text and (up to rare punctuation corner cases) the same key tokens.

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
_ASCII_TIDY = ((b"'", b""), (b"`", b""), (b"\t", b" "))
_WORD_BYTES = b"0123456789abcdefghijklmnopqrstuvwxyz"
_CANONICAL_TABLE = bytes(
    c if c in _WORD_BYTES else c + 32 if 65 <= c <= 90 else 32 for c in range(256)
)
_DIGIT_GROUP_DELETE = 39  # an apostrophe: deleted by the translate


def _byte_table(chars: bytes) -> npt.NDArray[np.bool_]:
    table = np.zeros(256, dtype=np.bool_)
    table[list(chars)] = True
    return table


_ALNUM = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BREAK_BYTES = b'.!?:;"(\n'
_WORD_TABLE = _byte_table(_ALNUM + b"_")
_NAME_TABLE = _byte_table(_ALNUM + b"_-")
_BREAK_TABLE = _byte_table(_BREAK_BYTES)
_NUMBER_AT = re.compile(rb"[0-9]+(?:[.,:][0-9]+)*")
_KEY_EXCLUDED = GENERIC_NAMES | _NUMBER_HEADS


def _ascii_text(lines: list[str]) -> bytes | None:
    """The lines joined after a newline, typographic punctuation made ASCII, apostrophes
    dropped and runs of spaces collapsed; None if the text is not ASCII then."""
    text = "\n" + "\n".join(lines)
    if not text.isascii():
        for char, replacement in _TO_ASCII:
            if char in text:
                text = text.replace(char, replacement)
        if not text.isascii():
            return None
    raw = text.encode("ascii")
    for mark, substitute in _ASCII_TIDY:
        if mark in raw:
            raw = raw.replace(mark, substitute)
    while b"  " in raw:
        raw = raw.replace(b"  ", b" ")
    return raw


def _canonical_bytes(raw: bytes) -> bytes:
    """Canonical text of ASCII ``raw``: lower-case alphanumeric tokens joined by single spaces."""
    data = np.frombuffer(raw, dtype=np.uint8)
    if len(data) >= 5:
        # Digit-group separators: "40,000" -> "40000" (a , or . between a digit and exactly 3).
        is_digit = (data - np.uint8(48)) < 10
        middle = data[1:-3]
        seps = _nonzero(((middle == 44) | (middle == 46)) & is_digit[:-4]) + 1
        if len(seps):
            mutable = bytearray(raw)
            for pos in seps.tolist():
                tail = pos + 4
                if (
                    is_digit[pos + 1]
                    and is_digit[pos + 2]
                    and is_digit[pos + 3]
                    and (tail == len(raw) or not _WORD_TABLE[raw[tail]])
                ):
                    mutable[pos] = _DIGIT_GROUP_DELETE
            raw = bytes(mutable)
    translated = np.frombuffer(raw.translate(_CANONICAL_TABLE, b"'"), dtype=np.uint8)
    word = translated != 32
    keep = word.copy()
    keep[1:] |= word[:-1]  # a space directly after a word char
    kept = translated[keep]
    if len(kept) and kept[-1] == 32:
        kept = kept[:-1]
    canonical: bytes = kept.tobytes()
    return canonical


def _fast_key_tokens(raw: bytes, spans: TokenSpans) -> tuple[list[str], list[str]]:
    """:func:`key_tokens` of :func:`_ascii_text` output, located with numpy byte tables.

    As in the regex version, a capitalised word runs on through letters, digits and hyphens
    ("Jean-Claude", "F-16", "Warsaw-Lublin"): a later capital or number in that run is part of
    it. A number runs on through ``[.,:]`` followed by digits ("40,000", "12:30").
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    before = data[:-1]
    not_word_before = ~_WORD_TABLE[before]
    name_char = _NAME_TABLE[data]
    run_starts = _nonzero(name_char[1:] & ~name_char[:-1]) + 1
    capitals = _nonzero(((data[1:] - np.uint8(65)) < 26) & not_word_before) + 1
    digits = _nonzero(((data[1:] - np.uint8(48)) < 10) & not_word_before) + 1

    def inside_name(starts: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
        """True where an earlier capital of the same letter/digit/hyphen run started a name."""
        if not len(capitals):
            return np.zeros(len(starts), dtype=np.bool_)
        run = run_starts[run_starts.searchsorted(starts, side="right") - 1]
        previous = capitals.searchsorted(starts) - 1
        return (previous >= 0) & (capitals[np.maximum(previous, 0)] >= run)

    numbers: list[str] = []
    if len(digits):
        consumed = 0
        for pos in digits[~inside_name(digits)].tolist():
            if pos < consumed:
                continue
            match = _NUMBER_AT.match(raw, pos)
            assert match is not None
            consumed = match.end()
            token = match.group().decode("ascii")
            if ":" in token or (len(token) == 4 and _YEAR.fullmatch(token)):
                continue  # times and years: dates
            numbers.append(_DIGIT_GROUP.sub("", token) if len(token) > 3 else token)
    names: list[str] = []
    if len(capitals):
        # Not at a sentence start: neither the previous byte nor, after one space, the one
        # before it is a sentence break (the text starts with a newline; spaces are single).
        previous = data[capitals - 1]
        starts = capitals[
            ~_BREAK_TABLE[previous] & ~((previous == 32) & _BREAK_TABLE[data[capitals - 2]])
        ]
        starts = starts[~inside_name(starts)]
        if len(starts):
            edge = name_char.copy()
            edge[:-1] &= ~name_char[1:]
            ends = _nonzero(edge) + 1
            stops = ends[ends.searchsorted(starts, side="right")]
            found = b"\n".join(
                [raw[a:b] for a, b in zip(starts.tolist(), stops.tolist(), strict=True)]
            )
            names = [
                name
                for name in found.lower().decode("ascii").split("\n")
                if name not in _KEY_EXCLUDED
                and ("-" not in name or name.split("-", 1)[0] not in _NUMBER_HEADS)
            ]
    heads = _nonzero(_NUMBER_HEAD_TABLE[spans.hashes & _TABLE_MASK])
    if len(heads):
        numbers.extend(_number_words_at(spans, heads.tolist()))
    return numbers, names


def _number_words_at(spans: TokenSpans, candidates: list[int]) -> list[str]:
    """:func:`number_words` for the tokens at ``candidates`` (a superset of the number words)."""
    values: list[str] = []
    skip = -1
    last = len(spans.hashes) - 1
    for i in candidates:
        token = spans.token(i)
        if i == skip or token not in _NUMBER_HEADS:
            continue
        value = _UNITS.get(token, _TENS.get(token, 0))
        if token in _TENS and i < last:
            following = _UNITS.get(spans.token(i + 1), 0)
            if 0 < following < 10:
                value += following
                skip = i + 1
        values.append(str(value))
    return values


def fingerprint(text: str) -> Fingerprint:
    """Fingerprint the body ``text`` (headline excluded by the caller)."""
    lines = content_lines(text)
    ascii_text = _ascii_text(lines)
    if ascii_text is None:
        tokens = canonical_tokens(lines)
        spans = hash_canonical(" ".join(tokens).encode("utf-8"))
        numbers, names = key_tokens(lines, tokens)
    else:
        spans = hash_canonical(_canonical_bytes(ascii_text))
        numbers, names = _fast_key_tokens(ascii_text, spans)
    digest = hashlib.blake2b(spans.text, digest_size=16).digest()
    return fingerprint_tokens(spans.hashes, numbers, names, digest)
