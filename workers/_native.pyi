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

# --- casualties (workers/native/src/casualties.rs) ---

class CueTokens:
    """The casualty cue tokens (``casualties._CUE_TOKENS``), compiled once."""

    def __init__(self, tokens: list[str]) -> None: ...
    def sentences_with_cue(self, texts: list[str]) -> list[int]:
        """Indices of the texts with a whitespace-separated word whose ``str.lower()`` is a
        cue token."""

class CountStarts:
    """Where a count can begin (``casualties._QUAL_COUNT_AHEAD``'s words), compiled once."""

    def __init__(self, words: list[str]) -> None: ...
    def starts(self, text: str) -> list[int]:
        """Ascending positions that include every one where ``\\b(?=\\d|(?:words)\\b)``
        holds."""

# --- segment (workers/native/src/segment.rs) ---

class SegmentRules:
    """The sentence splitter's characters, words and limits (from ``segment.py``)."""

    def __init__(
        self,
        *,
        terminal_marks: str,
        closers: str,
        line_end_punct: str,
        leading_bullets: str,
        inline_marks: str,
        bullet_start: str,
        openers: str,
        dashes: str,
        dateline_head: str,
        next_word_stops: str,
        plain_punctuation: str,
        never_final: list[str],
        before_number: list[str],
        ambiguous: list[str],
        never_after_dotted: list[str],
        sentence_openers: list[str],
        dateline_max_line: int,
        dateline_max_middle: int,
        dateline_max_paren: int,
        wrap_window: int,
        dotted_abbreviation_max: int,
    ) -> None: ...
    def split(self, text: str) -> list[tuple[int, int]] | None:
        """``split_sentences_reference(text)``, or None if ``text`` holds a character that is
        not plain."""

# --- normalise (workers/native/src/normalise.rs) ---

class CleanText:
    """What ``normalise.clean_text`` leaves alone: an NFC-stability table and its specials."""

    def __init__(self, nfc_stable: bytes, special: str) -> None: ...
    def is_clean(self, text: str) -> bool:
        """True only if ``clean_text_reference(text) == text``."""
