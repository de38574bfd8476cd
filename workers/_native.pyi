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
        letters: dict[str, str],
        nfkc_ascii: dict[str, str],
        widened: str,
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
