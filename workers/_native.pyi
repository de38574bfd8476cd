"""Type stub of the compiled core (``workers/native/``, Rust)."""

from __future__ import annotations

def version() -> str: ...

class FingerprintTables:
    """The dedup fingerprint's tables and constants (from ``dedup.fingerprint``)."""

    def __init__(
        self,
        *,
        poly: int,
        mix: list[int],
        fmix32: tuple[int, int],
        shingle_size: int,
        num_perm: int,
        bin_shift: int,
        probe_bins: list[list[int]],
        stopword_table: bytes,
        units: dict[str, int],
        tens: dict[str, int],
        generic_names: list[str],
        number_sketch: int,
        name_sketch: int,
    ) -> None: ...
    def fingerprint_ascii(self, text: bytes) -> tuple[bytes, bytes, int, bytes, int, bytes, int]:
        """(digest, signature as LE u16, shingle count, number sketch as LE u32, number count,
        name sketch as LE u32, name count) of an ASCII text from ``_fast_ascii_text``."""
