"""Capitalised runs of text ("U.S. Senator Marco Rubio") split into tokens with offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workers import _native
from workers.pipeline.enrich._data import char_class, char_classes, fold

_WORD_RE = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-/.]*")
# ``_WORD_RE`` matches (same places, same extents) sorted by what ``capitalised_runs`` does:
# group 1 = a plain word (not after a dash, no special end, no number after: a token as is),
# no group = a word glued to a letter, digit or apostrophe before it (skipped), group 2 =
# any other word (the full treatment). Possessive ``*+``: the word is never cut short.
# (The capital comes first so that the scan skips to capitals; the checks on the character
# before it then look two characters back.)
_CLASSIFIED_WORD_RE = re.compile(
    r"[A-ZÀ-ÖØ-ÞĀ-Ž](?:"
    r"(?<![^\W_].)(?<!['’-].)([\w'’\-/.]*+(?<![.\-/'’])(?<!['’]s)(?! \d))"
    r"|(?<=[^\W_].|['’].)[\w'’\-/.]*+"
    r"|([\w'’\-/.]*+))"
)
_ABBREVIATIONS = (
    "Gen.", "Lt.", "Col.", "Maj.", "Capt.", "Sgt.", "Adm.", "Sen.", "Rep.", "Gov.", "Dr.", "Mr.",
    "Mrs.", "Ms.", "Prof.", "Brig.", "Cmdr.", "St.", "Jr.", "Mt.",
)  # fmt: skip
_ABBREVIATION_RE = re.compile(
    r"(?:[A-Z]\.){2,}|(?:" + "|".join(re.escape(word) for word in _ABBREVIATIONS) + ")"
)
_ARABIC_PREFIXES = ("al-", "el-", "ad-", "as-", "an-", "at-", "ar-", "az-", "ash-", "bin-", "ibn-")
_NUMBER_AFTER_RE = re.compile(r" (\d+[A-Za-z]*)(?![\w,.:/%-]*\w)")
_POSSESSIVES = frozenset({"'s", "’s"})
# Word endings that need the full ``_token`` treatment (abbreviations, possessives, dashes).
_SPECIAL_ENDS = frozenset(".-/'’s")
CONNECTORS = frozenset(
    [
        "of",
        "the",
        "and",
        "de",
        "del",
        "da",
        "dos",
        "du",
        "la",
        "le",
        "al",
        "bin",
        "ibn",
        "van",
        "von",
        "der",
        "den",
        "ez",
        "el",
        "bint",
    ]
)


@dataclass(slots=True)
class Token:
    """One word of a capitalised run; ``text`` has any possessive suffix removed."""

    text: str
    start: int
    end: int
    possessive: bool
    key: str

    @property
    def is_connector(self) -> bool:
        return self.text in CONNECTORS


# A gap (starting and ending with a space or tab) that joins two capitalised words into one run:
# lower-case connector words separated by white space other than a line feed. Matched in place
# with ``fullmatch(text, gap_start, gap_end)``, so long gaps are never sliced or split.
_JOINABLE_GAP_RE = re.compile(
    r"[ \t](?:[^\S\n]*(?:"
    + "|".join(sorted(CONNECTORS, key=lambda word: (-len(word), word)))
    + r")(?=\s))*[^\S\n]*"
)


def _token(text: str, start: int, end: int) -> tuple[Token, int] | None:
    """The token for a capitalised word match, with the offset where its raw form ends."""
    raw = text[start:end]
    if raw[-1] == "." and _ABBREVIATION_RE.fullmatch(raw) is None:
        raw = raw.rstrip(".")
    if start and text[start - 1] == "-":
        for prefix in _ARABIC_PREFIXES:
            begin = start - len(prefix)
            if (
                begin >= 0
                and text.startswith(prefix, begin)
                and (begin == 0 or not text[begin - 1].isalnum())
            ):
                start = begin
                raw = prefix + raw
                break
    if raw[-1] in "-/'’":
        raw = raw.rstrip("-/'’")
    bare = raw[:-2] if raw[-2:] in _POSSESSIVES else raw
    if not bare:
        return None
    return Token(bare, start, start + len(bare), bare != raw, fold(bare)), start + len(raw)


def _connector_tokens(text: str, gap_start: int, gap: str) -> list[Token]:
    out = []
    for word in re.finditer(r"\S+", gap):
        begin = gap_start + word.start()
        out.append(Token(word.group(), begin, begin + len(word.group()), False, word.group()))
    return out


def capitalised_runs_reference(text: str) -> list[list[Token]]:
    """Every maximal run of capitalised words (joined by spaces and lower-case connectors).

    The reference for ``capitalised_runs`` (the compiled scanner), and its path for text it
    cannot take (lone surrogates).
    """
    runs: list[list[Token]] = []
    current: list[Token] = []
    last_end = -1
    size = len(text)
    # Locals: this loop runs once per capitalised word of every article.
    new_token, fold_key, special_ends = Token, fold, _SPECIAL_ENDS
    possessives, joinable_gap = _POSSESSIVES, _JOINABLE_GAP_RE.fullmatch
    for match in _CLASSIFIED_WORD_RE.finditer(text):
        kind = match.lastindex
        if kind is None:
            continue
        begin, raw_end = match.span()
        raw = match.group()
        if kind == 1:
            token = new_token(raw, begin, raw_end, False, fold_key(raw))
        else:
            prev = text[begin - 1] if begin else ""
            last = raw[-1]
            if prev != "-" and (
                last not in special_ends or (last == "s" and raw[-2:] not in possessives)
            ):
                token = new_token(raw, begin, raw_end, False, fold_key(raw))
            else:
                found = _token(text, begin, raw_end)
                if found is None:
                    continue
                token, raw_end = found
        if current:
            start = token.start
            if start - last_end == 1 and text[last_end] == " ":
                pass  # the common one-space gap: same run
            elif (
                start <= last_end
                or text[last_end] not in " \t"
                or text[start - 1] not in " \t"
                or joinable_gap(text, last_end, start) is None
            ):
                runs.append(current)
                current = []
            else:
                current.extend(_connector_tokens(text, last_end, text[last_end:start]))
        current.append(token)
        last_end = raw_end
        if (
            kind == 1
            or raw_end + 1 >= size
            or text[raw_end] != " "
            or not text[raw_end + 1].isdigit()
        ):
            continue
        number = _NUMBER_AFTER_RE.match(text, raw_end)
        if number is not None and not token.possessive:
            begin, last_end = number.start(1), number.end(1)
            current.append(Token(number.group(1), begin, last_end, False, number.group(1).lower()))
    if current:
        runs.append(current)
    return runs


_SCANNER = _native.CapitalScanner(
    classes=char_classes(),
    classify=char_class,
    token=Token,
    fold=fold,
    connectors=sorted(CONNECTORS),
    arabic_prefixes=list(_ARABIC_PREFIXES),
    abbreviations=list(_ABBREVIATIONS),
)


def capitalised_runs(text: str) -> list[list[Token]]:
    """Every maximal run of capitalised words (joined by spaces and lower-case connectors)."""
    runs: list[list[Token]] | None = _SCANNER.runs(text)
    return runs if runs is not None else capitalised_runs_reference(text)
