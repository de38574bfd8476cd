"""People: titles before names, curated aliases, context cues and surname merging."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workers.pipeline.article import Person
from workers.pipeline.enrich._data import CALENDAR_WORDS, add_start, fold
from workers.pipeline.enrich.context import (
    APPOSITIVE_RE,
    SPEECH_AFTER_RE,
    lower_words_before,
    speech_before,
    window_after,
    window_before,
)
from workers.pipeline.enrich.lexicon import Lexicon, PersonEntry
from workers.pipeline.enrich.spans import Token

NAME_RE = re.compile(
    r"^(?:(?:al|el|ad|as|ash|bin|ibn|abu|Abu|Al|El)-)?[A-ZÀ-ÖØ-ÞĀ-Ž][a-zà-öø-ÿā-ž]+"
    r"(?:[-'’][A-Za-zà-öø-ÿ]+)*\.?$|^[A-Z]\.$|^(?:bin|ibn|al|el|van|von|de|der|da|du|la|le)$"
)
# Capitalised words that start sentences or name things, never people.
NOT_NAME = CALENDAR_WORDS | frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "But",
        "And",
        "Or",
        "If",
        "As",
        "So",
        "Yet",
        "For",
        "With",
        "Without",
        "From",
        "By",
        "To",
        "Of",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Here",
        "Then",
        "Than",
        "When",
        "While",
        "Where",
        "What",
        "Why",
        "How",
        "Who",
        "Whom",
        "Which",
        "After",
        "Before",
        "Since",
        "Until",
        "During",
        "Despite",
        "Although",
        "Though",
        "However",
        "Meanwhile",
        "Moreover",
        "Furthermore",
        "Also",
        "Still",
        "Earlier",
        "Later",
        "Last",
        "Next",
        "First",
        "Second",
        "Third",
        "New",
        "Old",
        "Many",
        "Some",
        "Several",
        "Both",
        "Each",
        "Every",
        "All",
        "Most",
        "No",
        "Not",
        "Officials",
        "Residents",
        "People",
        "Analysts",
        "Sources",
        "Source",
        "Reports",
        "Report",
        "Local",
        "Regional",
        "Senior",
        "Emergency",
        "Police",
        "Authorities",
        "Authority",
        "Forces",
        "Force",
        "Army",
        "Navy",
        "Ministry",
        "Minister",
        "Council",
        "Committee",
        "Office",
        "Agency",
        "Service",
        "Services",
        "Department",
        "Government",
        "Party",
        "Court",
        "Union",
        "Group",
        "News",
        "Times",
        "Post",
        "Institute",
        "University",
        "Bank",
        "Company",
        "Corporation",
        "Brigade",
        "Battalion",
        "Regiment",
        "Division",
        "Corps",
        "Command",
        "Guard",
        "Fleet",
        "Commission",
        "Organization",
        "Organisation",
        "Association",
        "Network",
        "Media",
        "Press",
        "Center",
        "Centre",
        "Foundation",
        "Society",
        "Movement",
        "Front",
        "Federation",
        "Republic",
        "Kingdom",
        "Region",
        "Oblast",
        "Province",
        "District",
        "City",
        "Street",
        "Square",
        "Airport",
        "Port",
        "Station",
        "Plant",
        "Embassy",
        "Parliament",
        "Senate",
        "House",
        "Palace",
        "Staff",
        "Council",
        "Summit",
        "Talks",
        "Deal",
        "Plan",
        "Peace",
        "War",
        "Strike",
        "Strikes",
        "Attack",
        "Attacks",
        "Ceasefire",
        "Today",
        "Yesterday",
        "Tomorrow",
        "Sunday",
        "Christmas",
        "Easter",
        "Ramadan",
        "Eid",
        "God",
        "Allah",
        "Internet",
        "Telegram",
        "Facebook",
        "Twitter",
        "X",
        "Instagram",
        "YouTube",
        "TikTok",
        "Related",
        "Read",
        "More",
        "Live",
        "Update",
        "Updates",
        "Breaking",
        "Exclusive",
        "Analysis",
        "Opinion",
        "Photo",
        "Video",
        "Watch",
        "Image",
        "Getty",
        "AFP",
        "AP",
        "Reuters",
        "EPA",
        "Copyright",
        "Editing",
        "Writing",
        "Reporting",
        "Additional",
        "Our",
        "We",
        "They",
        "He",
        "She",
        "It",
        "His",
        "Her",
        "Their",
        "Its",
        "I",
        "You",
        "Your",
        "My",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
    ]
)
MAX_NAME_TOKENS = 4


@dataclass(slots=True)
class TitleMatch:
    """A title found at a token position: the stated role and how many tokens it spans."""

    role: str | None
    length: int


def title_at(lexicon: Lexicon, tokens: list[Token], i: int) -> TitleMatch | None:
    """The longest title starting at token ``i`` that is followed by more tokens."""
    limit = lexicon.title_starts.get(tokens[i].key, 0)
    for n in range(min(limit, lexicon.max_title_words, len(tokens) - i - 1), 0, -1):
        if any(tokens[k].possessive for k in range(i, i + n)):
            continue
        key = fold(" ".join(t.text for t in tokens[i : i + n]))
        if key in lexicon.titles:
            return TitleMatch(lexicon.titles[key], n)
    return None


_NAME_WORDS: dict[str, bool] = {}


def is_name_token(token: Token) -> bool:
    """True when the word looks like part of a personal name (memoised by its text)."""
    text = token.text
    found = _NAME_WORDS.get(text)
    if found is None:
        if len(_NAME_WORDS) >= 100_000:
            _NAME_WORDS.clear()
        found = _NAME_WORDS[text] = text not in NOT_NAME and NAME_RE.match(text) is not None
    return found


def all_name_tokens(group: list[Token]) -> bool:
    """``all(map(is_name_token, group))`` reading the memo in place (no call per known word)."""
    known = _NAME_WORDS
    for token in group:
        found = known.get(token.text)
        if found is None:
            found = is_name_token(token)
        if not found:
            return False
    return True


def name_length(tokens: list[Token], i: int) -> int:
    """How many tokens from ``i`` look like parts of a personal name (at most four)."""
    n = 0
    while i + n < len(tokens) and n < MAX_NAME_TOKENS and is_name_token(tokens[i + n]):
        n += 1
        if tokens[i + n - 1].possessive:
            break
    while n and tokens[i + n - 1].is_connector:
        n -= 1
    return n


_TITLE_ENDS: dict[int, tuple[dict[str, str | None], frozenset[str]]] = {}


def title_ends(lexicon: Lexicon) -> frozenset[str]:
    """Last words of every title (computed once per index)."""
    cached = _TITLE_ENDS.get(id(lexicon.titles))
    if cached is None or cached[0] is not lexicon.titles:
        ends = frozenset(key.split()[-1] for key in lexicon.titles if key)
        cached = _TITLE_ENDS[id(lexicon.titles)] = (lexicon.titles, ends)
    return cached[1]


# How far before a name ``lower_title_before`` looks for a title.
TITLE_WINDOW = 60


def title_may_end_before(ends: frozenset[str], text: str, start: int) -> bool:
    """False when ``lower_title_before`` surely finds no title: the name does not follow white
    space, or the word before it is plain ASCII and ends no title (``ends``: ``title_ends``)."""
    if not start or not text[start - 1].isspace():
        return False
    pieces = text[max(0, start - TITLE_WINDOW) : start].rsplit(None, 1)
    return not (pieces and pieces[-1].isascii() and fold(pieces[-1]) not in ends)


def lower_title_before(
    lexicon: Lexicon, text: str, start: int, *, gated: bool = False
) -> str | None | bool:
    """A lower-case title right before a name ("spokesman Dmitry Peskov"): its role, else False
    (``gated``: ``title_may_end_before`` is already known true at ``start``)."""
    # Any title found ends with the word right before the name: most words end none.
    if not gated and not title_may_end_before(title_ends(lexicon), text, start):
        return False
    words = lower_words_before(text, start)
    if not words:
        return False
    for n in range(min(3, len(words)), 0, -1):
        key = fold(" ".join(words[-n:]))
        if key in lexicon.titles:
            return lexicon.titles[key]
    return False


def is_former(text: str, start: int) -> bool:
    """True when "former" (or "ex-") qualifies the title that starts at ``start``."""
    before = window_before(text, start, 30).rstrip().lower()
    return before.endswith(("former", "ex-", "then-", "late", "former u.s.", "former us"))


_CUE_OPENERS = frozenset(",'’")


def context_cue(text: str, start: int, end: int) -> tuple[bool, str | None]:
    """Whether the text around a name marks it as a person, plus any appositive role."""
    after = window_after(text, end)
    # Both patterns open with a comma, white space or an apostrophe: else neither can match.
    first = after[:1]
    if not (first in _CUE_OPENERS or first.isspace()):
        return speech_before(window_before(text, start, 30)), None
    appositive = APPOSITIVE_RE.match(after)
    if appositive is not None:
        role = appositive.group("role")
        return True, role.strip().lower() if role else None
    if SPEECH_AFTER_RE.match(after):
        return True, None
    return speech_before(window_before(text, start, 30)), None


_PERSON_STARTS: dict[int, tuple[dict[str, PersonEntry], dict[str, int]]] = {}


def _person_starts(lexicon: Lexicon) -> dict[str, int]:
    """First word of every curated name -> most words a name starting with it has."""
    cached = _PERSON_STARTS.get(id(lexicon.people))
    if cached is None or cached[0] is not lexicon.people:
        starts: dict[str, int] = {}
        for key in lexicon.people:
            add_start(starts, key)
        cached = _PERSON_STARTS[id(lexicon.people)] = (lexicon.people, starts)
    return cached[1]


def curated_person(
    lexicon: Lexicon, tokens: list[Token], i: int, limit: int
) -> tuple[PersonEntry, int] | None:
    """The longest curated name starting at token ``i`` (within ``limit`` tokens)."""
    if i >= len(tokens):
        return None
    # No curated name starts with this word, or none is this long: fewer lookups to try.
    limit = min(limit, _person_starts(lexicon).get(fold(tokens[i].text).split(" ", 1)[0], 0))
    for n in range(min(limit, len(tokens) - i), 0, -1):
        if any(tokens[k].possessive for k in range(i, i + n - 1)):
            continue
        entry = lexicon.people.get(fold(" ".join(t.text for t in tokens[i : i + n])))
        if entry is not None:
            return entry, n
    return None


def person_record(name: str, role: str | None, country: str | None) -> Person:
    return Person(name, [], role, country)


def person_key(name: str) -> tuple[str, str]:
    return ("person", fold(name))
