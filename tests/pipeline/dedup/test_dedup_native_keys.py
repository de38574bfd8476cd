"""The one-call paths of the compiled core agree with their Python references: the fingerprint
of a body (content text and fingerprint in one call) and the store keys a dedup check reads."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpora import enrichment_fields_and_seeds
from workers import _native
from workers.pipeline.dedup.fingerprint import (
    BANDS,
    NUM_PERM,
    ROWS,
    _fingerprint_reference,
    band_keys,
    fingerprint,
)
from workers.pipeline.dedup.index import (
    _article_keys,
    _band_store_keys,
    _band_store_keys_reference,
    _id_key,
    _id_key_reference,
)

REPRINTS = Path(__file__).parents[2] / "data" / "dedup" / "reprints.jsonl"


def _reprint_bodies() -> list[str]:
    lines = REPRINTS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["body"] for line in lines if line]


_PIECES = st.sampled_from(
    [
        "Troops shelled Kherson on Monday, killing 12 people.",
        "KYIV, Oct 12 (Reuters) - Envoys met in Geneva.",
        "By Jane Doe",
        "Read more: https://example.com",
        "Photo: Getty Images",
        "- Related: earlier talks",
        "Forty-two drones were downed over Bryansk, officials said.",
        "Zürich and Kraków hosted the “talks” — again…",
        "\u00a0\u2009",
        "£40,000 € 1.5 ß µ \r \x0c",
        "\n",
        "\t",
        " ",
    ]
)
_TEXTS = st.lists(_PIECES, max_size=30).map("".join) | st.text()


def test_one_call_fingerprint_is_the_two_call_fingerprint_on_real_text() -> None:
    """Every corpus field, seed and reprint body gets the same fingerprint from both paths."""
    texts = enrichment_fields_and_seeds() + _reprint_bodies()
    assert len(texts) > 500
    for text in texts:
        assert fingerprint(text).to_bytes() == _fingerprint_reference(text).to_bytes()


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_one_call_fingerprint_is_the_two_call_fingerprint(text: str) -> None:
    """Generated texts, safe or not, get the same fingerprint from both paths."""
    assert fingerprint(text).to_bytes() == _fingerprint_reference(text).to_bytes()


def test_one_call_fingerprint_raises_for_lone_surrogates() -> None:
    """A body that cannot be UTF-8 raises UnicodeEncodeError, as the two-call path does."""
    text = "Troops left the town \ud800 on Monday."
    with pytest.raises(UnicodeEncodeError):
        _fingerprint_reference(text)
    with pytest.raises(UnicodeEncodeError):
        fingerprint(text)


_SIGNATURES = st.lists(st.integers(0, 0xFFFF), min_size=NUM_PERM, max_size=NUM_PERM).map(
    lambda slots: np.array(slots, dtype=np.uint16)
)


@given(_SIGNATURES)
def test_native_band_keys_are_the_numpy_band_keys(signature: np.ndarray) -> None:
    """The core's band keys are the numpy keys: the band prefix and the fingerprint's keys."""
    keys = _band_store_keys(signature)
    assert keys == _band_store_keys_reference(signature)
    assert keys == [b"b:" + key for key in band_keys(signature)]


def test_band_keys_of_big_endian_and_sliced_signatures() -> None:
    """A signature of another byte order or memory layout gives the keys of its values."""
    signature = np.arange(0xFF00, 0xFF00 + 2 * NUM_PERM, dtype=np.uint16)
    expected = _band_store_keys_reference(signature[::2].copy())
    assert _band_store_keys(signature[::2]) == expected
    assert _band_store_keys(signature[::2].astype(">u2")) == expected


@given(st.text(max_size=80))
def test_native_id_key_is_the_blake2b_id_key(article_id: str) -> None:
    """The id key is "i:" and the 8-byte blake2b of the id's UTF-8 bytes, as hashlib gives."""
    key = _id_key(article_id)
    assert key == _id_key_reference(article_id)
    assert key == b"i:" + hashlib.blake2b(article_id.encode(), digest_size=8).digest()


def test_id_key_raises_for_lone_surrogates() -> None:
    """An id that cannot be UTF-8 raises UnicodeEncodeError, as encoding it does."""
    with pytest.raises(UnicodeEncodeError):
        _id_key("id-\udc80")


def test_article_keys_are_the_id_hash_and_band_keys() -> None:
    """A check reads the id key, "h:" and the digest, then the band keys, in that order."""
    for index, text in enumerate(_reprint_bodies()[:50]):
        fp = fingerprint(text)
        article_id = f"reprint-{index}"
        keys = _article_keys(article_id, fp)
        assert keys == [
            _id_key_reference(article_id),
            b"h:" + fp.digest,
            *_band_store_keys_reference(fp.signature),
        ]
        assert len(keys) == 2 + BANDS


def test_index_keys_refuse_a_short_signature_and_a_bad_layout() -> None:
    """Too few slots for the bands, an impossible digest size or band count raise ValueError."""
    keys = _native.IndexKeys(
        id_prefix=b"i:", id_digest_size=8, hash_prefix=b"h:", band_prefix=b"b:", bands=4, rows=3
    )
    assert len(keys.band_keys(bytes(24))) == 4
    with pytest.raises(ValueError):
        keys.band_keys(bytes(23))
    with pytest.raises(ValueError):
        keys.article_keys("id", b"digest", bytes(2 * ROWS))
    for digest_size, bands, rows in [(0, 4, 3), (65, 4, 3), (8, 257, 3), (8, 4, 0)]:
        with pytest.raises(ValueError):
            _native.IndexKeys(
                id_prefix=b"i:",
                id_digest_size=digest_size,
                hash_prefix=b"h:",
                band_prefix=b"b:",
                bands=bands,
                rows=rows,
            )
