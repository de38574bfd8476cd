"""Canonical text, exact hash, shingles, MinHash and LSH bands for near-duplicate detection.

Everything here is pure and deterministic across processes: no use of Python's salted
``hash()``; token hashes are ``zlib.crc32`` and every other hash is fixed-seed integer
arithmetic in numpy, so a signature computed by one worker matches one computed by another.

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

_rng = np.random.default_rng(0x5EED_DED0)
_PERM_A: U32 = (_rng.integers(1, 2**32, NUM_PERM, dtype=np.uint64).astype(np.uint32)) | np.uint32(1)
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


def _is_boilerplate(line: str) -> bool:
    """A byline, promo, credit, copyright or empty bullet line."""
    return bool(
        _is_byline(line)
        or _BOILERPLATE_LINE.match(line)
        or _PHOTO_CREDIT_END.search(line[-48:])
        or _BULLET_LINE.fullmatch(line)
    )


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
        if _is_boilerplate(line):
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


_STOPWORD_TABLE_MASK = np.uint64((1 << 18) - 1)
_STOPWORD_TABLE = np.zeros(1 << 18, dtype=np.bool_)
_STOPWORD_TABLE[[token_hash(w) & ((1 << 18) - 1) for w in STOPWORDS]] = True
_BAND_PREFIX = [bytes([band]) for band in range(256)]


def stopword_mask(tokens: U64) -> npt.NDArray[np.bool_]:
    """True where the token is (almost surely) a stopword: a lookup on the hash's low 18 bits."""
    mask: npt.NDArray[np.bool_] = _STOPWORD_TABLE[tokens & _STOPWORD_TABLE_MASK]
    return mask


def shingle_hashes(tokens: U64, size: int = SHINGLE_SIZE) -> tuple[U64, int]:
    """Hashes of the ``size``-token shingles (whole text if shorter) and how many are distinct.

    Repeats are kept (they do not change a MinHash); shingles made only of stopwords ("one of
    the", "as well as") are dropped, as unrelated articles share them.
    """
    count = len(tokens)
    if count == 0:
        return np.zeros(0, dtype=np.uint64), 0
    width = min(size, count)
    n = count - width + 1
    stop = stopword_mask(tokens)
    all_stop = stop[:n].copy()
    acc = np.full(n, np.uint64(width), dtype=np.uint64)
    for offset in range(width):
        acc = (acc ^ tokens[offset : offset + n]) * _MIX[offset % 3]
        acc ^= acc >> np.uint64(29)
        all_stop &= stop[offset : offset + n]
    if all_stop.any() and not all_stop.all():
        acc = acc[~all_stop]
    acc = _finalize(acc)
    ordered = np.sort(acc)
    return acc, 1 + int(np.count_nonzero(ordered[1:] != ordered[:-1]))


def minhash(values: U64) -> U16:
    """MinHash signature: ``NUM_PERM`` minima of ``a*x mod 2**32``, 16 mixed bits each.

    ``x`` is already a well-mixed hash, so multiplying by a random odd ``a`` (a bijection of
    the 32-bit space) is enough of a random permutation; skipping the ``+ b`` saves a quarter.

    A minimum over n values is small (about 2**32 / n), so its top bits are mostly zero;
    murmur3's finaliser spreads it before 16 bits are kept (random agreement 2**-16).
    """
    if len(values) == 0:
        return np.full(NUM_PERM, 0xFFFF, dtype=np.uint16)
    low = (values ^ (values >> np.uint64(32))).astype(np.uint32)
    m = np.multiply(_PERM_A[:, None], low[None, :]).min(axis=1)
    m ^= m >> np.uint32(16)
    m *= np.uint32(0x85EBCA6B)
    m ^= m >> np.uint32(13)
    m *= np.uint32(0xC2B2AE35)
    m ^= m >> np.uint32(16)
    signature: U16 = (m >> np.uint32(16)).astype(np.uint16)
    return signature


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
    shingles, distinct = shingle_hashes(token_array)
    number_sketch, number_count = key_sketch(numbers, NUMBER_SKETCH)
    name_sketch, name_count = key_sketch(names, NAME_SKETCH)
    return Fingerprint(
        digest=digest,
        signature=minhash(shingles),
        shingle_count=distinct,
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
    numbers, names = key_tokens(lines, tokens)
    return fingerprint_tokens(token_hashes(tokens), numbers, names, digest)
