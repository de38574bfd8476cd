"""The dedup index: decide whether an article repeats an earlier story, and remember it.

Key layout in the :class:`IndexStore` (all big-endian, so scans are in sequence order):

* ``m:seq`` / ``m:low`` – next sequence number / lowest sequence not yet evicted.
* ``m:applied`` – not the index's: the last changelog offset the local database reflects,
  kept by :class:`workers.stream.changelog.ChangelogStore` (and never in the changelog).
* ``r:<seq 8B>`` – the article record (:class:`Record`: 49-byte header, 256-byte signature,
  up to 160 bytes of number/name sketches, the article id and, for copies, the root's id).
* ``i:<blake2b-8 of article id>`` – seq of that article (idempotent redelivery).
* ``h:<content hash 16B>`` – seq of the first live article with that exact body.
* ``b:<band 1B><3 signature rows 6B>`` – seq of the first live article in that LSH bucket
  (one owner per bucket keeps both the candidate count and the per-article bytes bounded).

Decisions are sequential (one Kafka partition owns the index), so "first seen" is simply the
smallest sequence number, and a cluster's root is copied into every member's record.
"""

from __future__ import annotations

import hashlib
import itertools
import struct
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from workers import _native
from workers.pipeline.article import DedupResult, DedupStatus
from workers.pipeline.dedup.fingerprint import (
    BANDS,
    LE_U2,
    LE_U4,
    NUM_PERM,
    ROWS,
    U16,
    U32,
    Fingerprint,
    containment_from_jaccard,
    estimate_jaccard,
    fingerprint,
    sketch_containment,
    values_containment,
)
from workers.pipeline.dedup.store import IndexStore, Put

Clock = Callable[[], float]

_SEQ = struct.Struct(">Q")
_HEADER = struct.Struct("<dQBHIHHBBHH16s")
_STATUSES: tuple[DedupStatus, ...] = ("unique", "duplicate", "near_duplicate")
# Fields read straight from an encoded record (see _HEADER): timestamp, shingle count, digest.
_TIMESTAMP = struct.Struct("<d")
_ROOT_SEQ = struct.Struct("<8xQ")
_SHINGLES = struct.Struct("<19xI")
_KEY_COUNTS = struct.Struct("<23xHHBB")
_DIGEST_AT = _HEADER.size - 16
_SIGNATURE_END = _HEADER.size + 2 * NUM_PERM
_META_SEQ = b"m:seq"
_META_LOW = b"m:low"
_EVICT_CHUNK = 512


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision thresholds (tuned on the dev half of ``tests/data/dedup/reprints.jsonl``).

    similarity: minimum phrase overlap, max(Jaccard, containment) of 3-word shingles.
    containment_min_jaccard: containment only counts once Jaccard reaches this (noise guard).
    min_size_ratio: containment only counts if smaller/larger shingle count reaches this.
    number_containment: share of the smaller set of numbers that the other text must contain;
        this vetoes template series (same wording, other figures).
    name_containment: the same for mid-sentence capitalised words (places, people, weekdays).
    """

    similarity: float = 0.4
    containment_min_jaccard: float = 0.2
    min_size_ratio: float = 0.3
    number_containment: float = 0.75
    name_containment: float = 0.6


def _pack_record(
    timestamp: float,
    root_seq: int,
    status: int,
    similarity: float,
    shingle_count: int,
    number_count: int,
    name_count: int,
    digest: bytes,
    signature: U16,
    numbers: U32,
    names: U32,
    article_id: bytes,
    root_id: bytes,
) -> bytes:
    """The encoded :class:`Record` (see ``_HEADER``); ``root_id`` empty for its own root."""
    header = _HEADER.pack(
        timestamp,
        root_seq,
        status,
        round(similarity * 65535),
        shingle_count,
        number_count,
        name_count,
        len(numbers),
        len(names),
        len(article_id),
        len(root_id),
        digest,
    )
    return b"".join(
        (
            header,
            np.asarray(signature, LE_U2).tobytes(),
            np.asarray(numbers, LE_U4).tobytes(),
            np.asarray(names, LE_U4).tobytes(),
            article_id,
            root_id,
        )
    )


@dataclass(frozen=True, slots=True)
class Record:
    """What the index keeps about one article."""

    seq: int
    timestamp: float
    root_seq: int
    status: DedupStatus
    similarity: float
    shingle_count: int
    number_count: int
    name_count: int
    digest: bytes
    signature: U16
    numbers: U32
    names: U32
    article_id: str
    root_id: str

    def result(self) -> DedupResult:
        """The decision this article received when first seen."""
        if self.status == "unique":
            return DedupResult(status="unique", similarity=0.0, cluster=self.article_id)
        return DedupResult(
            status=self.status,
            duplicate_of=self.root_id,
            similarity=self.similarity,
            cluster=self.root_id,
        )

    def encode(self) -> bytes:
        """Pack into bytes (root id omitted when the article is its own root)."""
        return _pack_record(
            self.timestamp,
            self.root_seq,
            _STATUSES.index(self.status),
            self.similarity,
            self.shingle_count,
            self.number_count,
            self.name_count,
            self.digest,
            self.signature,
            self.numbers,
            self.names,
            self.article_id.encode(),
            b"" if self.root_seq == self.seq else self.root_id.encode(),
        )

    @classmethod
    def decode(cls, seq: int, raw: bytes) -> Record:
        """Inverse of :meth:`encode`."""
        (
            timestamp,
            root_seq,
            status,
            sim,
            shingle_count,
            number_count,
            name_count,
            n_numbers,
            n_names,
            id_len,
            root_len,
            digest,
        ) = _HEADER.unpack_from(raw)
        pos = _HEADER.size
        # Read-only views of ``raw`` (records are never modified).
        signature = np.frombuffer(raw, dtype=LE_U2, count=NUM_PERM, offset=pos)
        pos += 2 * NUM_PERM
        numbers = np.frombuffer(raw, dtype=LE_U4, count=n_numbers, offset=pos)
        pos += 4 * n_numbers
        names = np.frombuffer(raw, dtype=LE_U4, count=n_names, offset=pos)
        pos += 4 * n_names
        article_id = raw[pos : pos + id_len].decode()
        root_id = raw[pos + id_len : pos + id_len + root_len].decode() or article_id
        return cls(
            seq=seq,
            timestamp=timestamp,
            root_seq=root_seq,
            status=_STATUSES[status],
            similarity=sim / 65535,
            shingle_count=shingle_count,
            number_count=number_count,
            name_count=name_count,
            digest=digest,
            signature=signature,
            numbers=numbers,
            names=names,
            article_id=article_id,
            root_id=root_id,
        )


@dataclass(frozen=True, slots=True)
class Match:
    """A verified candidate and its similarity to the new article."""

    record: Record
    similarity: float
    exact: bool


def _record_key(seq: int) -> bytes:
    return b"r:" + _SEQ.pack(seq)


_ID_PREFIX, _HASH_PREFIX, _BAND_PREFIX = b"i:", b"h:", b"b:"
_ID_DIGEST_SIZE = 8
# The key layout above, for the compiled core that builds a check's keys in one call.
_KEYS = _native.IndexKeys(
    id_prefix=_ID_PREFIX,
    id_digest_size=_ID_DIGEST_SIZE,
    hash_prefix=_HASH_PREFIX,
    band_prefix=_BAND_PREFIX,
    bands=BANDS,
    rows=ROWS,
)


def _id_key(article_id: str) -> bytes:
    return _KEYS.id_key(article_id)


def _id_key_reference(article_id: str) -> bytes:
    """:func:`_id_key` through hashlib."""
    return _ID_PREFIX + hashlib.blake2b(article_id.encode(), digest_size=_ID_DIGEST_SIZE).digest()


def _hash_key(digest: bytes) -> bytes:
    return _HASH_PREFIX + digest


def _slot_bytes(signature: U16) -> bytes:
    return np.asarray(signature, LE_U2).tobytes()


def _band_store_keys(signature: U16) -> list[bytes]:
    """``b:`` + :func:`band_keys`."""
    return _KEYS.band_keys(_slot_bytes(signature))


def _article_keys(article_id: str, fp: Fingerprint) -> list[bytes]:
    """The keys a check reads: the id key, the exact-hash key, then the band keys."""
    return _KEYS.article_keys(article_id, fp.digest, _slot_bytes(fp.signature))


_BAND_KEY_TEMPLATE = np.array(
    [list(_BAND_PREFIX + bytes([band]) + bytes(2 * ROWS)) for band in range(BANDS)],
    dtype=np.uint8,
)
_BAND_KEYS = struct.Struct(f"{3 + 2 * ROWS}s" * BANDS)


def _band_store_keys_reference(signature: U16) -> list[bytes]:
    """:func:`_band_store_keys` through numpy: the keys filled in as one array, then split by
    struct."""
    keys = _BAND_KEY_TEMPLATE.copy()
    rows = signature[: BANDS * ROWS].astype(">u2").view(np.uint8)
    keys[:, 3:] = rows.reshape(BANDS, 2 * ROWS)
    return list(_BAND_KEYS.unpack(keys.tobytes()))


class _KeyValues:
    """A new text's number and name sketches, to test encoded records against
    (:func:`is_same_story` after the similarity test)."""

    def __init__(self, fp: Fingerprint) -> None:
        self.fp = fp
        self.numbers = fp.numbers.tolist()
        self.names = fp.names.tolist()

    def agree(self, record: bytes, thresholds: Thresholds) -> bool:
        """No conflicting numbers or names in the encoded record."""
        fp = self.fp
        number_count, name_count, n_numbers, n_names = _KEY_COUNTS.unpack_from(record)
        containment = 1.0  # an empty set vetoes nothing
        if fp.number_count and number_count:
            numbers = struct.unpack_from(f"<{n_numbers}I", record, _SIGNATURE_END)
            containment = values_containment(self.numbers, fp.number_count, numbers, number_count)
        if containment < thresholds.number_containment:
            return False
        containment = 1.0
        if fp.name_count and name_count:
            at = _SIGNATURE_END + 4 * n_numbers
            names = struct.unpack_from(f"<{n_names}I", record, at)
            containment = values_containment(self.names, fp.name_count, names, name_count)
        return containment >= thresholds.name_containment


def _timestamp_of(record: bytes) -> float:
    return float(_TIMESTAMP.unpack_from(record)[0])


def _digest_of(record: bytes) -> bytes:
    return record[_DIGEST_AT : _DIGEST_AT + 16]


def _seq_of(raw: bytes | None) -> int | None:
    return None if raw is None else int(_SEQ.unpack(raw)[0])


def overlap(jaccard: float, size_a: int, size_b: int, thresholds: Thresholds) -> float:
    """max(Jaccard, containment of the smaller set in the larger), with noise guards."""
    smaller, larger = min(size_a, size_b), max(size_a, size_b, 1)
    if jaccard < thresholds.containment_min_jaccard or smaller / larger < thresholds.min_size_ratio:
        return jaccard
    return max(jaccard, containment_from_jaccard(jaccard, size_a, size_b))


def similarity(fp: Fingerprint, record: Record, thresholds: Thresholds) -> float:
    """Shingle overlap between a new text and a stored article: max(Jaccard, containment)."""
    jaccard = estimate_jaccard(fp.signature, record.signature)
    return overlap(jaccard, fp.shingle_count, record.shingle_count, thresholds)


def is_same_story(fp: Fingerprint, record: Record, sim: float, thresholds: Thresholds) -> bool:
    """Enough shared phrasing and no conflicting numbers or names."""
    if sim < thresholds.similarity:
        return False
    numbers = sketch_containment(fp.numbers, fp.number_count, record.numbers, record.number_count)
    if numbers < thresholds.number_containment:
        return False
    names = sketch_containment(fp.names, fp.name_count, record.names, record.name_count)
    return names >= thresholds.name_containment


class Deduplicator:
    """Sequential near-duplicate index with bounded retention over an :class:`IndexStore`."""

    def __init__(
        self,
        store: IndexStore,
        *,
        threshold: float = 0.4,
        thresholds: Thresholds | None = None,
        retention_seconds: float = 7 * 86400,
        clock: Clock = time.time,
    ) -> None:
        base = thresholds or Thresholds()
        self.thresholds = Thresholds(
            similarity=threshold,
            containment_min_jaccard=base.containment_min_jaccard,
            min_size_ratio=base.min_size_ratio,
            number_containment=base.number_containment,
            name_containment=base.name_containment,
        )
        self.store = store
        self.retention = retention_seconds
        self.clock = clock
        next_seq, low = store.get_many([_META_SEQ, _META_LOW])
        self._next_seq = _seq_of(next_seq) or 0
        self._low = _seq_of(low) or 0

    # ------------------------------------------------------------------ decide

    def check(self, article_id: str, text: str, timestamp: float) -> DedupResult:
        """Decide whether ``text`` repeats a live earlier story, and record the article."""
        return self.check_fingerprint(article_id, fingerprint(text), timestamp)

    def check_fingerprint(self, article_id: str, fp: Fingerprint, timestamp: float) -> DedupResult:
        """:meth:`check` for a precomputed fingerprint.

        One multi-get reads the article id, exact-hash and band owners; a second reads the
        distinct owners' records (keyed by the stored 8-byte sequence numbers, unparsed).
        Records stay bytes until a candidate passes the phrase-overlap threshold: the
        signatures of all live candidates are compared in one numpy operation.
        """
        keys = _article_keys(article_id, fp)
        raws = self.store.get_many(keys)
        id_key, claimable = keys[0], keys[1:]  # the hash and band keys
        if raws.count(None) == len(raws):  # no key known yet: a new story (most articles)
            return self._save_new(article_id, fp, timestamp, None, id_key, claimable)
        id_raw, hash_raw = raws[0], raws[1]
        wanted = set(raws)
        wanted.discard(None)
        records = self._load(wanted)  # type: ignore[arg-type]
        if id_raw is not None and id_raw in records:
            previous = Record.decode(_SEQ.unpack(id_raw)[0], records[id_raw])
            if previous.article_id == article_id and self._live(previous, timestamp):
                return previous.result()
        cutoff = timestamp - self.retention
        live = {
            seq: raw for seq, raw in records.items() if _TIMESTAMP.unpack_from(raw)[0] >= cutoff
        }
        match = self._best_match(fp, live, hash_raw)
        # Claim the hash and band keys that have no live owner (owned ones are not rewritten).
        unowned = [
            key
            for key, owner in zip(claimable, raws[1:], strict=True)
            if owner is None or owner not in live
        ]
        return self._save_new(article_id, fp, timestamp, match, id_key, unowned)

    def _live(self, record: Record, timestamp: float) -> bool:
        return record.timestamp >= timestamp - self.retention

    def _load(self, seqs: Iterable[bytes]) -> dict[bytes, bytes]:
        """Encoded records by their packed sequence numbers (absent ones left out)."""
        ordered = sorted(seqs)
        if not ordered:
            return {}
        raws = self.store.get_many([b"r:" + seq for seq in ordered])
        return {seq: raw for seq, raw in zip(ordered, raws, strict=True) if raw is not None}

    def _best_match(
        self, fp: Fingerprint, live: dict[bytes, bytes], exact: bytes | None
    ) -> Match | None:
        """The live record of the same story with the highest similarity (ties: the oldest
        root); the records stay bytes, only the winner is decoded."""
        if exact is not None and exact in live and _digest_of(live[exact]) == fp.digest:
            return Match(Record.decode(_SEQ.unpack(exact)[0], live[exact]), 1.0, exact=True)
        if not live:
            return None
        signatures = np.frombuffer(
            b"".join([raw[_HEADER.size : _SIGNATURE_END] for raw in live.values()]), dtype=LE_U2
        ).reshape(len(live), NUM_PERM)
        agreeing = np.count_nonzero(signatures == fp.signature, axis=1).tolist()
        keys = _KeyValues(fp)
        thresholds = self.thresholds
        best: tuple[float, int, bytes, bytes] | None = None
        for (seq, raw), slots in zip(live.items(), agreeing, strict=True):
            jaccard = float(slots) / NUM_PERM  # estimate_jaccard
            sim = overlap(jaccard, fp.shingle_count, _SHINGLES.unpack_from(raw)[0], thresholds)
            if sim < thresholds.similarity or not keys.agree(raw, thresholds):
                continue
            root_seq = int(_ROOT_SEQ.unpack_from(raw)[0])
            if best is None or (sim, -root_seq) > (best[0], -best[1]):
                best = (sim, root_seq, seq, raw)
        if best is None:
            return None
        return Match(Record.decode(_SEQ.unpack(best[2])[0], best[3]), best[0], exact=False)

    def _save_new(
        self,
        article_id: str,
        fp: Fingerprint,
        timestamp: float,
        match: Match | None,
        id_key: bytes,
        unowned: list[bytes],
    ) -> DedupResult:
        """Write the new article's record, point its id key and the ``unowned`` hash and band
        keys at it, and return its decision."""
        seq = self._next_seq
        self._next_seq += 1
        packed_seq = _SEQ.pack(seq)
        if match is None:
            status, root_seq, root_id, sim = 0, seq, b"", 0.0
            result = DedupResult(status="unique", similarity=0.0, cluster=article_id)
        else:
            root = match.record
            status, sim = (1 if match.exact else 2), min(1.0, match.similarity)
            root_seq, root_id = root.root_seq, root.root_id.encode()
            result = DedupResult(
                status=_STATUSES[status],
                duplicate_of=root.root_id,
                similarity=sim,
                cluster=root.root_id,
            )
        record = _pack_record(
            timestamp,
            root_seq,
            status,
            sim,
            fp.shingle_count,
            fp.number_count,
            fp.name_count,
            fp.digest,
            fp.signature,
            fp.numbers,
            fp.names,
            article_id.encode(),
            root_id,
        )
        puts: list[Put] = [
            (b"r:" + packed_seq, record),
            (id_key, packed_seq),
            (_META_SEQ, _SEQ.pack(self._next_seq)),
            *zip(unowned, itertools.repeat(packed_seq)),
        ]
        self.store.write(puts)
        return result

    # ------------------------------------------------------------------ retention

    def evict(self, now: float | None = None) -> int:
        """Delete records older than the retention window (in arrival order); return the count."""
        cutoff = (self.clock() if now is None else now) - self.retention
        evicted = 0
        while True:
            expired = self._expired_chunk(cutoff)
            if not expired:
                return evicted
            self._delete(expired)
            evicted += len(expired)

    def _expired_chunk(self, cutoff: float) -> list[Record]:
        expired: list[Record] = []
        start, stop = _record_key(self._low), _record_key(self._next_seq)
        for key, raw in self.store.scan(start, stop):
            record = Record.decode(int(_SEQ.unpack(key[2:])[0]), raw)
            if record.timestamp >= cutoff or len(expired) >= _EVICT_CHUNK:
                break
            expired.append(record)
        return expired

    def _delete(self, expired: list[Record]) -> None:
        owned: list[tuple[bytes, int]] = []
        for record in expired:
            owned.append((_id_key(record.article_id), record.seq))
            owned.append((_hash_key(record.digest), record.seq))
            owned.extend((key, record.seq) for key in _band_store_keys(record.signature))
        owners = self.store.get_many([key for key, _ in owned])
        deletes = [
            key for (key, seq), raw in zip(owned, owners, strict=True) if _seq_of(raw) == seq
        ]
        deletes.extend(_record_key(record.seq) for record in expired)
        self._low = expired[-1].seq + 1
        self.store.write([(_META_LOW, _SEQ.pack(self._low))], deletes)
