"""Near-duplicate detection: fingerprints, a retention-bounded LSH index and the pipeline stage."""

from __future__ import annotations

from workers.pipeline.dedup.fingerprint import Fingerprint, canonical_text
from workers.pipeline.dedup.index import Deduplicator, Thresholds
from workers.pipeline.dedup.stage import DedupStage, make_memory_stage, parse_timestamp
from workers.pipeline.dedup.store import IndexStore, MemoryStore, RocksStore

__all__ = [
    "DedupStage",
    "Deduplicator",
    "Fingerprint",
    "IndexStore",
    "MemoryStore",
    "RocksStore",
    "Thresholds",
    "canonical_text",
    "make_memory_stage",
    "parse_timestamp",
]
