"""Type stub of the compiled core (``workers/native/``, a Rust crate built by setuptools-rust)."""

from __future__ import annotations

import re

def version() -> str: ...

class ContentRules:
    """The rules of ``content_lines`` and ``_ascii_text``, compiled once."""

    def __init__(
        self,
        *,
        related_header: re.Pattern[str],
        bullet_line: re.Pattern[str],
        boilerplate_line: re.Pattern[str],
        byline: re.Pattern[str],
        photo_credit_end: re.Pattern[str],
        dateline: re.Pattern[str],
        agency_inline: re.Pattern[str],
        boilerplate_heads: list[str],
        bullet_heads: str,
        terminal_chars: str,
        to_ascii: dict[str, str],
        tidy_table: bytes,
        tidy_delete: bytes,
        limits: dict[str, int],
    ) -> None: ...
    def ascii_text(self, text: str) -> bytes | None:
        """``_ascii_text(content_lines(text))`` if ``text`` is safe, else None (raises
        UnicodeEncodeError for lone surrogates)."""

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

# --- events (workers/native/src/events*.rs) ---

class EventTriggers:
    """The event catalogue compiled: candidate gates, trigger patterns and their filters."""

    def __init__(
        self,
        *,
        anchors: dict[str, list[int]],
        military_cues: list[str],
        diplomatic_cues: list[str],
        types: list[dict[str, object]],
        prefixes: list[tuple[int, list[str]]],
        triggers: list[dict[str, object]],
        filters: dict[str, object],
        classes: dict[str, list[tuple[int, int]]],
    ) -> None: ...
    def find(self, text: str, lowered: str) -> list[tuple[int, int, int]] | None:
        """(type index, start, end) of the sentence's triggers; None: ask the reference."""
