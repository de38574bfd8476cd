"""Accumulates mentions into deduplicated entity records, keeping first-appearance order."""

from __future__ import annotations

from dataclasses import dataclass, field

from workers.pipeline.article import Entity


@dataclass(slots=True)
class Collector:
    """Entities keyed by (type, canonical key); mentions kept unique and in order of appearance."""

    records: dict[tuple[str, str], Entity] = field(default_factory=dict)
    first_seen: dict[tuple[str, str], int] = field(default_factory=dict)
    spans: list[tuple[int, int, tuple[str, str], str]] = field(default_factory=list)
    claimed: set[int] = field(default_factory=set)

    def add(
        self, key: tuple[str, str], entity: Entity, surface: str, start: int, end: int
    ) -> Entity:
        """Record one mention; the first record for a key wins, later ones only add mentions."""
        existing = self.records.get(key)
        if existing is None:
            self.records[key] = existing = entity
            self.first_seen[key] = start
        else:
            self.first_seen[key] = min(self.first_seen[key], start)
        self.spans.append((start, end, key, surface))
        self.claimed.update(range(start, end))
        return existing

    def is_claimed(self, start: int, end: int) -> bool:
        return start in self.claimed or (end - 1) in self.claimed

    def entities(self) -> list[Entity]:
        """Records ordered by first mention, each with its surface forms in text order."""
        surfaces: dict[tuple[str, str], list[str]] = {key: [] for key in self.records}
        for _, _, key, surface in sorted(self.spans, key=lambda s: s[0]):
            seen = surfaces[key]
            if surface not in seen:
                seen.append(surface)
        ordered = sorted(self.records, key=lambda k: self.first_seen[k])
        out: list[Entity] = []
        for key in ordered:
            record = self.records[key]
            record.mentions = surfaces[key]
            out.append(record)
        return out
