"""Types of the compiled core (workers/native, a Rust crate built by setuptools-rust)."""

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
    ) -> None: ...
    def ascii_text(self, text: str) -> bytes | None:
        """``_ascii_text(content_lines(text))`` if ``text`` is safe, else None (raises
        UnicodeEncodeError for lone surrogates)."""
