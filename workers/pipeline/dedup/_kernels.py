# mypy: ignore-errors
"""Compiled (numba) kernels of the fingerprint's numeric core.

They compute exactly what the numpy reference code in :mod:`fingerprint` computes (the tests
compare them), in one pass without temporaries: at ~600 tokens the numpy version is bound by
per-call overhead (~60 array operations), these by the arithmetic. Compiled on first use and
cached next to this file (``cache=True``), so later processes load them in milliseconds.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_U64 = np.uint64


@njit(cache=True, nogil=True)
def _finalize(x: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xC2B2AE3D27D4EB4F)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0xD6E8FEB86659FD93)
    return x ^ (x >> _U64(31))


@njit(cache=True, nogil=True)
def token_hashes(data, poly):  # pragma: no cover - compiled
    """Hashes, starts and ends of the space-separated tokens of ``data`` (uint8, non-empty)."""
    size = data.shape[0]
    count = 1
    for i in range(size):
        if data[i] == 32:
            count += 1
    hashes = np.empty(count, dtype=np.uint64)
    starts = np.empty(count, dtype=np.intp)
    ends = np.empty(count, dtype=np.intp)
    h = _U64(0)
    power = _U64(1)
    token = 0
    start = 0
    for i in range(size):
        c = data[i]
        if c == 32:
            hashes[token] = _finalize(h)
            starts[token] = start
            ends[token] = i
            token += 1
            h = _U64(0)
            power = _U64(1)
            start = i + 1
        else:
            h = h + _U64(c) * power
            power = power * poly
    hashes[token] = _finalize(h)
    starts[token] = start
    ends[token] = size
    return hashes, starts, ends


@njit(cache=True, nogil=True)
def signature(tokens, stop_table, mix, probe_bins, num_perm):  # pragma: no cover - compiled
    """Shingle hashes, distinct count and one-permutation MinHash of token hashes (non-empty)."""
    count = tokens.shape[0]
    width = min(3, count)
    n = count - width + 1
    mask = _U64((1 << 18) - 1)
    acc = np.empty(n, dtype=np.uint64)
    stopped = 0
    for i in range(n):
        h = tokens[i] * mix[0]
        all_stop = stop_table[tokens[i] & mask]
        for offset in range(1, width):
            h ^= tokens[i + offset] * mix[offset]
            all_stop = all_stop and stop_table[tokens[i + offset] & mask]
        acc[i] = h
        if all_stop:
            stopped += 1
    if 0 < stopped < n:
        kept = np.empty(n - stopped, dtype=np.uint64)
        j = 0
        for i in range(n):
            all_stop = True
            for offset in range(width):
                all_stop = all_stop and stop_table[tokens[i + offset] & mask]
            if not all_stop:
                kept[j] = acc[i]
                j += 1
        acc = kept
    m = acc.shape[0]
    for i in range(m):
        x = acc[i]
        x ^= x >> _U64(29)
        x = x * mix[3]
        x ^= x >> _U64(32)
        acc[i] = x
    acc.sort()
    distinct = 1
    for i in range(1, m):
        if acc[i] != acc[i - 1]:
            distinct += 1
    # Minimum of each bin (top 7 bits) of the re-mixed values: what the reference gets by
    # sorting them and taking each bin's first.
    minima = np.zeros(num_perm, dtype=np.uint64)
    full = np.zeros(num_perm, dtype=np.bool_)
    for i in range(m):
        x = acc[i] * mix[1]
        x ^= x >> _U64(31)
        b = np.intp(x >> _U64(57))
        if not full[b] or x < minima[b]:
            minima[b] = x
            full[b] = True
    sig = np.empty(num_perm, dtype=np.uint16)
    probes = probe_bins.shape[1]
    for b in range(num_perm):
        source = b
        if not full[b]:
            source = -1
            for t in range(probes):
                if full[probe_bins[b, t]]:
                    source = probe_bins[b, t]
                    break
            if source < 0:
                for d in range(num_perm):
                    if b + d < num_perm and full[b + d]:
                        source = b + d
                        break
                if source < 0:
                    for d in range(num_perm):
                        if full[d]:
                            source = d
                            break
        x = minima[source]
        v = np.uint32((x ^ (x >> _U64(32))) & _U64(0xFFFFFFFF))
        v ^= v >> np.uint32(16)
        v = np.uint32(v * np.uint32(0x85EBCA6B))
        v ^= v >> np.uint32(13)
        v = np.uint32(v * np.uint32(0xC2B2AE35))
        v ^= v >> np.uint32(16)
        sig[b] = np.uint16(v >> np.uint32(16))
    return sig, distinct


@njit(cache=True, nogil=True)
def key_spans(data, word_table, name_table, break_table):  # pragma: no cover - compiled
    """Spans of numbers and of mid-sentence capitalised words in ASCII ``data``.

    What ``finditer(r"\\b(?:\\d+(?:[.,:]\\d+)*|[A-Z][\\w-]*)")`` finds, a capitalised word
    counting only if neither the previous byte nor, after one space, the byte before it is a
    sentence break. Returns ``(starts, ends)`` arrays for the numbers, then for the names.
    """
    n = data.shape[0]
    number_starts = np.empty(n, dtype=np.intp)
    number_ends = np.empty(n, dtype=np.intp)
    name_starts = np.empty(n, dtype=np.intp)
    name_ends = np.empty(n, dtype=np.intp)
    numbers = 0
    names = 0
    i = 0
    while i < n:
        c = data[i]
        if i > 0 and word_table[data[i - 1]]:
            i += 1
            continue
        if 48 <= c <= 57:
            j = i + 1
            while j < n and 48 <= data[j] <= 57:
                j += 1
            while (
                j + 1 < n
                and (data[j] == 46 or data[j] == 44 or data[j] == 58)
                and 48 <= data[j + 1] <= 57
            ):
                j += 2
                while j < n and 48 <= data[j] <= 57:
                    j += 1
            number_starts[numbers] = i
            number_ends[numbers] = j
            numbers += 1
            i = j
            continue
        if 65 <= c <= 90:
            j = i + 1
            while j < n and name_table[data[j]]:
                j += 1
            before = data[i - 1] if i > 0 else 10
            if not (
                i == 0
                or break_table[before]
                or (before == 32 and i > 1 and break_table[data[i - 2]])
            ):
                name_starts[names] = i
                name_ends[names] = j
                names += 1
            i = j
            continue
        i += 1
    return (
        number_starts[:numbers].copy(),
        number_ends[:numbers].copy(),
        name_starts[:names].copy(),
        name_ends[:names].copy(),
    )
