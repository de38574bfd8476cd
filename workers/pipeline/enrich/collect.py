"""Accumulates mentions into deduplicated entity records, keeping first-appearance order."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter

from workers import _native
from workers.pipeline.article import Entity

# Zero bytes to copy from when a range of offsets is released (a slice of it, no allocation loop).
_CLEAR = bytes(1 << 16)
# ``b"\x01" * n`` as a bytearray per short length: a bytearray slice assignment copies any other
# value (bytes included) into a new bytearray first.
_CLAIMS = [bytearray(b"\x01" * size) for size in range(256)]


@dataclass(slots=True)
class Collector:
    """Entities keyed by (type, canonical key); mentions kept unique and in order of appearance.

    ``claimed`` has one byte per text offset (plus a spare one so that offset -1 reads as free):
    non-zero where a recorded mention covers the offset.
    """

    size: int = 0
    records: dict[tuple[str, str], Entity] = field(default_factory=dict)
    first_seen: dict[tuple[str, str], int] = field(default_factory=dict)
    spans: list[tuple[int, int, tuple[str, str], str]] = field(default_factory=list)
    claimed: bytearray = field(init=False)

    def __post_init__(self) -> None:
        self.claimed = bytearray(self.size + 1)

    def add(
        self, key: tuple[str, str], entity: Entity, surface: str, start: int, end: int
    ) -> Entity:
        """Record one mention; the first record for a key wins, later ones only add mentions."""
        existing = self.records.get(key)
        if existing is None:
            self.records[key] = existing = entity
            self.first_seen[key] = start
        elif start < self.first_seen[key]:
            self.first_seen[key] = start
        self.spans.append((start, end, key, surface))
        if end > start:
            size = end - start
            self.claimed[start:end] = _CLAIMS[size] if size < 256 else b"\x01" * size
        return existing

    def release(self, start: int, end: int) -> None:
        """Mark offsets ``start``..``end`` as no longer covered by a mention."""
        if end > start:
            self.claimed[start:end] = _CLEAR[: end - start]

    def is_claimed(self, start: int, end: int) -> bool:
        claimed = self.claimed
        return bool(claimed[start] or claimed[end - 1])

    def entities(self) -> list[Entity]:
        """Records ordered by first mention, each with its surface forms in text order (one
        compiled call; ``entities_reference`` is its reference)."""
        return _native.collected_entities(self.records, self.first_seen, self.spans)

    def entities_reference(self) -> list[Entity]:
        """``entities`` in Python (the reference its tests compare with)."""
        # Every record was added with a mention (``add``): its list is made at its first span.
        surfaces: dict[tuple[str, str], list[str]] = {}
        for _, _, key, surface in sorted(self.spans, key=itemgetter(0)):
            seen = surfaces.get(key)
            if seen is None:
                surfaces[key] = [surface]
            elif surface not in seen:
                seen.append(surface)
        first_seen = self.first_seen
        out: list[Entity] = []
        for key in sorted(self.records, key=first_seen.__getitem__):
            record = self.records[key]
            record.mentions = surfaces.get(key, [])
            out.append(record)
        return out
