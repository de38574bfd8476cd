"""Load the cue lexicon (``data/cues.tsv``) and term sets (``data/context.tsv``).

A cue phrase is a sequence of slots; a slot is a set of exact tokens plus a set of
prefixes (written ``word~``) and may name a term set (``@geo``). Cues are indexed by the
tokens and prefixes of their first slot so that matching costs one dict lookup per token.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from workers.errors import ConfigError

_PUNCTUATION = "!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~"
# Non-ASCII characters become "?" on encoding and then, like punctuation, a space: the
# lexicon goes through the same mapping, so "communiqué" and its cue agree as "communiqu".
TO_SPACE = bytes.maketrans(_PUNCTUATION.encode(), b" " * len(_PUNCTUATION))


def ascii_words(text: str) -> bytes:
    """ASCII bytes of ``text`` with punctuation (not hyphens) and non-ASCII turned to spaces."""
    return text.encode("ascii", "replace").translate(TO_SPACE)


def words(text: str) -> list[str]:
    """The lower-cased word tokens of a lexicon entry or a short text."""
    return ascii_words(text).lower().decode("ascii").split()


KINDS = frozenset(
    (
        "strong",
        "mstrong",
        "gstrong",
        "entity",
        "event",
        "mevent",
        "weak",
        "supply",
        "frame",
        "wframe",
        "limit",
        "background",
        "sense",
    )
)
LABEL_NAMES = frozenset(("military", "diplomatic", "none"))
DOMAINS = frozenset(
    ("sports", "business", "labour", "tech", "politics", "culture", "crime", "disaster", "history")
)


@dataclass(frozen=True, slots=True)
class Slot:
    """One position of a cue phrase: exact tokens and token prefixes that fill it."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def accepts(self, token: str) -> bool:
        return token in self.exact or any(token.startswith(p) for p in self.prefixes)


@dataclass(frozen=True, slots=True)
class Cue:
    """A weighted phrase that votes for a label (or, for label "none", consumes its words)."""

    label: str
    kind: str
    weight: float
    phrase: str
    rest: tuple[Slot, ...]
    key: str  # "label:kind", the bucket the matcher files its hits under


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Cues indexed by first-slot token and prefix, plus the named term sets."""

    by_token: dict[str, tuple[Cue, ...]]
    by_prefix: dict[str, tuple[Cue, ...]]
    prefix_lengths: tuple[int, ...]
    sets: dict[str, frozenset[str]]
    domain_of: dict[str, str]


def _data_text(name: str) -> str:
    return resources.files("workers.pipeline.classify").joinpath("data", name).read_text("utf-8")


def _data_rows(name: str) -> list[list[str]]:
    lines = [line for line in _data_text(name).splitlines() if line and not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]  # lines[0] is the column header


def load_sets() -> dict[str, frozenset[str]]:
    """Read the named term sets of ``context.tsv``."""
    return {row[0]: frozenset(row[1].split()) for row in _data_rows("context.tsv")}


def _expand_alternative(alternative: str, sets: dict[str, frozenset[str]]) -> list[str]:
    if alternative.startswith("@"):
        if alternative[1:] not in sets:
            raise ConfigError(f"cue lexicon names an unknown term set {alternative!r}")
        return sorted(sets[alternative[1:]])
    return [alternative]


def _parse_slots(phrase: str, sets: dict[str, frozenset[str]]) -> list[Slot]:
    """Turn ``"shell~|artillery fire"`` into slots; a lone multi-word token splits in place."""
    slots: list[Slot] = []
    for raw_slot in phrase.split():
        alternatives = raw_slot.split("|")
        pieces = words(alternatives[0].rstrip("~"))
        if len(alternatives) == 1 and len(pieces) > 1:  # "people's" -> people, s
            slots.extend(Slot(frozenset((piece,)), ()) for piece in pieces[:-1])
            alternatives = [pieces[-1] + ("~" if alternatives[0].endswith("~") else "")]
        exact: set[str] = set()
        prefixes: list[str] = []
        for alternative in alternatives:
            for word in _expand_alternative(alternative.lower(), sets):
                if word.endswith("~"):
                    prefixes.append("".join(words(word[:-1])))
                else:
                    exact.add("".join(words(word)))
        slots.append(Slot(frozenset(exact), tuple(prefixes)))
    return slots


def _check_row(row: list[str]) -> None:
    if len(row) != 4 or row[0] not in LABEL_NAMES or row[1] not in KINDS:
        raise ConfigError(f"bad cue lexicon row: {row!r}")


@cache
def load_lexicon() -> Lexicon:
    """Parse the data files once per process."""
    sets = load_sets()
    by_token: dict[str, list[Cue]] = {}
    by_prefix: dict[str, list[Cue]] = {}
    for row in _data_rows("cues.tsv"):
        _check_row(row)
        label, kind, weight = row[0], row[1], float(row[2])
        for phrase in (p.strip() for p in row[3].split(",")):
            first, *rest = _parse_slots(phrase, sets)
            cue = Cue(label, kind, weight, phrase, tuple(rest), f"{label}:{kind}")
            for token in first.exact:
                by_token.setdefault(token, []).append(cue)
            for prefix in first.prefixes:
                by_prefix.setdefault(prefix, []).append(cue)
    domain_of = {term: name for name, terms in sets.items() if name in DOMAINS for term in terms}
    return Lexicon(
        by_token={token: _longest_first(cues) for token, cues in by_token.items()},
        by_prefix={prefix: _longest_first(cues) for prefix, cues in by_prefix.items()},
        prefix_lengths=tuple(sorted({len(prefix) for prefix in by_prefix})),
        sets=sets,
        domain_of=domain_of,
    )


def _longest_first(cues: list[Cue]) -> tuple[Cue, ...]:
    return tuple(sorted(cues, key=lambda cue: -len(cue.rest)))
