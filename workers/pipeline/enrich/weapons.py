"""Named weapon systems (curated) and generic weapon mentions ("kamikaze drones", "glide bombs")."""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from workers import _native
from workers.pipeline.article import Weapon
from workers.pipeline.enrich._data import char_class, char_classes, compact
from workers.pipeline.enrich.collect import Collector
from workers.pipeline.enrich.context import has_weapon_cue
from workers.pipeline.enrich.lexicon import Lexicon, WeaponEntry

_HEAD_RE = re.compile(
    r"(?<![\w\-])(drones?|uavs?|missiles?|rockets?|bombs?|shells?|artillery|howitzers?|tanks?|"
    r"mortars?|launchers?|munitions?|mines?|landmines?|jets?|warplanes?|helicopters?|rifles?|"
    r"grenades?|ieds?|interceptors?|systems?|gunships?|warships?|frigates?|destroyers?|"
    r"corvettes?|submarines?|vehicles?|guns?|arms|warheads?|bombers?|boats?|aircraft|"
    r"cruisers?|gunboats?|carriers?|minesweepers?|explosives?|devices?)\b",
    re.IGNORECASE,
)
_MODIFIER_RE = re.compile(r"((?:[A-Za-z][\w\-]*\s+){0,3})$")


@dataclass(frozen=True, slots=True)
class Generic:
    name: str
    weapon_type: str


# (singular head, takes a plural "s") for the ``str.find`` scan; mirrors ``_HEAD_RE``.
_HEADS: tuple[tuple[str, bool], ...] = (
    ("drone", True),
    ("uav", True),
    ("missile", True),
    ("rocket", True),
    ("bomb", True),
    ("shell", True),
    ("artillery", False),
    ("howitzer", True),
    ("tank", True),
    ("mortar", True),
    ("launcher", True),
    ("munition", True),
    ("mine", True),
    ("landmine", True),
    ("jet", True),
    ("warplane", True),
    ("helicopter", True),
    ("rifle", True),
    ("grenade", True),
    ("ied", True),
    ("interceptor", True),
    ("system", True),
    ("gunship", True),
    ("warship", True),
    ("frigate", True),
    ("destroyer", True),
    ("corvette", True),
    ("submarine", True),
    ("vehicle", True),
    ("gun", True),
    ("arms", False),
    ("warhead", True),
    ("bomber", True),
    ("boat", True),
    ("aircraft", False),
    ("cruiser", True),
    ("gunboat", True),
    ("carrier", True),
    ("minesweeper", True),
    ("explosive", True),
    ("device", True),
)
_NO_PLURAL = frozenset(head for head, plural in _HEADS if not plural)


def _head_automaton() -> ahocorasick.Automaton:
    """Every head noun, for one pass over the lower-cased text (hits inside words included)."""
    automaton = ahocorasick.Automaton()
    for head, _ in _HEADS:
        automaton.add_word(head, head)
    automaton.make_automaton()
    return automaton


_HEAD_AUTOMATON = _head_automaton()
_D = "drone"
# (modifier words, singular head) -> generic weapon; modifier "" = the bare head noun.
_GENERIC: dict[tuple[str, str], Generic] = {
    ("kamikaze", "drone"): Generic("kamikaze drone", _D),
    ("suicide", "drone"): Generic("kamikaze drone", _D),
    ("one-way attack", "drone"): Generic("kamikaze drone", _D),
    ("attack", "drone"): Generic("attack drone", _D),
    ("combat", "drone"): Generic("attack drone", _D),
    ("strike", "drone"): Generic("attack drone", _D),
    ("fpv", "drone"): Generic("FPV drone", _D),
    ("first-person-view", "drone"): Generic("FPV drone", _D),
    ("sea", "drone"): Generic("sea drone", "sea drone"),
    ("naval", "drone"): Generic("sea drone", "sea drone"),
    ("maritime", "drone"): Generic("sea drone", "sea drone"),
    ("surface", "drone"): Generic("sea drone", "sea drone"),
    ("underwater", "drone"): Generic("underwater drone", "sea drone"),
    ("reconnaissance", "drone"): Generic("reconnaissance drone", "reconnaissance drone"),
    ("surveillance", "drone"): Generic("reconnaissance drone", "reconnaissance drone"),
    ("", "drone"): Generic("drone", _D),
    ("", "uav"): Generic("drone", _D),
    ("loitering", "munition"): Generic("loitering munition", "loitering munition"),
    ("cluster", "munition"): Generic("cluster munition", "cluster munition"),
    ("cruise", "missile"): Generic("cruise missile", "cruise missile"),
    ("ballistic", "missile"): Generic("ballistic missile", "ballistic missile"),
    ("intercontinental ballistic", "missile"): Generic(
        "intercontinental ballistic missile", "intercontinental ballistic missile"
    ),
    ("hypersonic", "missile"): Generic("hypersonic missile", "hypersonic missile"),
    ("anti-aircraft", "missile"): Generic("surface-to-air missile", "air defence missile"),
    ("surface-to-air", "missile"): Generic("surface-to-air missile", "air defence missile"),
    ("air defence", "missile"): Generic("surface-to-air missile", "air defence missile"),
    ("air defense", "missile"): Generic("surface-to-air missile", "air defence missile"),
    ("anti-tank", "missile"): Generic("anti-tank missile", "anti-tank missile"),
    ("anti-ship", "missile"): Generic("anti-ship missile", "anti-ship missile"),
    ("air-to-air", "missile"): Generic("air-to-air missile", "air-to-air missile"),
    ("", "missile"): Generic("missile", "missile"),
    ("", "rocket"): Generic("rocket", "rocket"),
    ("multiple rocket", "launcher"): Generic("multiple rocket launcher", "MLRS"),
    ("multiple-rocket", "launcher"): Generic("multiple rocket launcher", "MLRS"),
    ("rocket", "launcher"): Generic("rocket launcher", "MLRS"),
    ("multiple launch rocket", "system"): Generic("multiple rocket launcher", "MLRS"),
    ("air defence", "system"): Generic("air defence system", "air defence system"),
    ("air defense", "system"): Generic("air defence system", "air defence system"),
    ("air-defence", "system"): Generic("air defence system", "air defence system"),
    ("air-defense", "system"): Generic("air defence system", "air defence system"),
    ("anti-aircraft", "system"): Generic("air defence system", "air defence system"),
    ("missile defence", "system"): Generic("air defence system", "air defence system"),
    ("missile defense", "system"): Generic("air defence system", "air defence system"),
    ("glide", "bomb"): Generic("glide bomb", "glide bomb"),
    ("guided aerial", "bomb"): Generic("glide bomb", "glide bomb"),
    ("guided", "bomb"): Generic("guided bomb", "guided bomb"),
    ("aerial", "bomb"): Generic("aerial bomb", "bomb"),
    ("cluster", "bomb"): Generic("cluster munition", "cluster munition"),
    ("barrel", "bomb"): Generic("barrel bomb", "bomb"),
    ("car", "bomb"): Generic("car bomb", "improvised explosive device"),
    ("roadside", "bomb"): Generic("roadside bomb", "improvised explosive device"),
    ("", "ied"): Generic("improvised explosive device", "improvised explosive device"),
    ("", "bomb"): Generic("bomb", "bomb"),
    ("artillery", "shell"): Generic("artillery shell", "artillery"),
    ("tank", "shell"): Generic("artillery shell", "artillery"),
    ("mortar", "shell"): Generic("mortar", "mortar"),
    ("", "shell"): Generic("artillery shell", "artillery"),
    ("", "artillery"): Generic("artillery", "artillery"),
    ("", "howitzer"): Generic("howitzer", "artillery"),
    ("", "mortar"): Generic("mortar", "mortar"),
    ("", "tank"): Generic("tank", "tank"),
    ("battle", "tank"): Generic("tank", "tank"),
    ("", "landmine"): Generic("landmine", "landmine"),
    ("land", "mine"): Generic("landmine", "landmine"),
    ("anti-personnel", "mine"): Generic("landmine", "landmine"),
    ("anti-tank", "mine"): Generic("anti-tank mine", "landmine"),
    ("naval", "mine"): Generic("naval mine", "naval mine"),
    ("sea", "mine"): Generic("naval mine", "naval mine"),
    ("fighter", "jet"): Generic("fighter jet", "fighter aircraft"),
    ("military", "jet"): Generic("fighter jet", "fighter aircraft"),
    ("", "warplane"): Generic("warplane", "military aircraft"),
    ("attack", "helicopter"): Generic("attack helicopter", "helicopter"),
    ("military", "helicopter"): Generic("military helicopter", "helicopter"),
    ("helicopter", "gunship"): Generic("attack helicopter", "helicopter"),
    ("", "gunship"): Generic("attack helicopter", "helicopter"),
    ("assault", "rifle"): Generic("assault rifle", "rifle"),
    ("sniper", "rifle"): Generic("sniper rifle", "sniper rifle"),
    ("", "rifle"): Generic("rifle", "rifle"),
    ("rocket-propelled", "grenade"): Generic("rocket-propelled grenade", "grenade launcher"),
    ("", "grenade"): Generic("grenade", "grenade"),
    ("hand", "grenade"): Generic("grenade", "grenade"),
    ("", "warship"): Generic("warship", "warship"),
    ("", "frigate"): Generic("frigate", "warship"),
    ("", "destroyer"): Generic("destroyer", "warship"),
    ("guided-missile", "destroyer"): Generic("destroyer", "warship"),
    ("guided missile", "destroyer"): Generic("destroyer", "warship"),
    ("", "corvette"): Generic("corvette", "warship"),
    ("", "cruiser"): Generic("cruiser", "warship"),
    ("", "gunboat"): Generic("gunboat", "warship"),
    ("", "minesweeper"): Generic("minesweeper", "warship"),
    ("aircraft", "carrier"): Generic("aircraft carrier", "warship"),
    ("", "submarine"): Generic("submarine", "submarine"),
    ("nuclear", "submarine"): Generic("submarine", "submarine"),
    ("nuclear-powered", "submarine"): Generic("submarine", "submarine"),
    ("submarine-launched", "missile"): Generic("submarine-launched missile", "ballistic missile"),
    ("submarine-launched ballistic", "missile"): Generic("ballistic missile", "ballistic missile"),
    ("short-range ballistic", "missile"): Generic("ballistic missile", "ballistic missile"),
    ("medium-range ballistic", "missile"): Generic("ballistic missile", "ballistic missile"),
    ("intermediate-range ballistic", "missile"): Generic("ballistic missile", "ballistic missile"),
    ("long-range ballistic", "missile"): Generic("ballistic missile", "ballistic missile"),
    ("intercontinental", "missile"): Generic(
        "intercontinental ballistic missile", "intercontinental ballistic missile"
    ),
    ("hypersonic ballistic", "missile"): Generic("hypersonic missile", "hypersonic missile"),
    ("", "icbm"): Generic(
        "intercontinental ballistic missile", "intercontinental ballistic missile"
    ),
    ("missile", "launcher"): Generic("missile launcher", "missile launcher"),
    ("", "launcher"): Generic("launcher", "missile launcher"),
    ("missile", "system"): Generic("missile system", "missile system"),
    ("rocket", "system"): Generic("multiple rocket launcher", "MLRS"),
    ("interceptor", "system"): Generic("air defence system", "air defence system"),
    ("armoured", "vehicle"): Generic("armoured vehicle", "armoured vehicle"),
    ("armored", "vehicle"): Generic("armoured vehicle", "armoured vehicle"),
    ("armoured personnel", "carrier"): Generic("armoured vehicle", "armoured vehicle"),
    ("armored personnel", "carrier"): Generic("armoured vehicle", "armoured vehicle"),
    ("infantry fighting", "vehicle"): Generic("infantry fighting vehicle", "armoured vehicle"),
    ("military", "vehicle"): Generic("military vehicle", "military vehicle"),
    ("machine", "gun"): Generic("machine gun", "machine gun"),
    ("heavy machine", "gun"): Generic("machine gun", "machine gun"),
    ("anti-aircraft", "gun"): Generic("anti-aircraft gun", "artillery"),
    ("small", "arms"): Generic("small arms", "small arms"),
    ("", "warhead"): Generic("warhead", "warhead"),
    ("nuclear", "warhead"): Generic("nuclear warhead", "warhead"),
    ("", "bomber"): Generic("bomber", "bomber aircraft"),
    ("heavy", "bomber"): Generic("heavy bomber", "bomber aircraft"),
    ("strategic", "bomber"): Generic("strategic bomber", "bomber aircraft"),
    ("fighter", "aircraft"): Generic("fighter jet", "fighter aircraft"),
    ("military", "aircraft"): Generic("military aircraft", "military aircraft"),
    ("explosive-laden", "boat"): Generic("explosive-laden boat", "sea drone"),
    ("explosives-laden", "boat"): Generic("explosive-laden boat", "sea drone"),
    ("explosive-laden", "drone"): Generic("kamikaze drone", _D),
    ("explosive", "device"): Generic("improvised explosive device", "improvised explosive device"),
    ("improvised explosive", "device"): Generic(
        "improvised explosive device", "improvised explosive device"
    ),
    ("self-propelled", "howitzer"): Generic("howitzer", "artillery"),
    ("interceptor", "missile"): Generic("interceptor missile", "air defence missile"),
    ("", "interceptor"): Generic("interceptor missile", "air defence missile"),
    ("main battle", "tank"): Generic("tank", "tank"),
    ("mark iv", "tank"): Generic("tank", "tank"),
}
_MAX_MODIFIER_WORDS = 3
# How many characters before a head noun its modifier words are read in.
_MODIFIER_WINDOW = 50
# Modifiers that make a head noun not a weapon ("think tank", "fuel tanks", "coal mines").
_NOT_WEAPON = frozenset(
    [
        "think",
        "fuel",
        "oil",
        "water",
        "gas",
        "storage",
        "septic",
        "fish",
        "coal",
        "gold",
        "salt",
        "diamond",
        "copper",
        "sea-shell",
        "political",
        "legal",
        "economic",
        "financial",
        "operating",
        "computer",
        "solar",
        "heating",
        "banking",
        "health",
        "education",
        "electoral",
        "justice",
        "immune",
        "warning",
        "alarm",
        "early-warning",
    ]
)


def _singular(word: str) -> str:
    word = word.lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _modifiers_by_head() -> dict[str, dict[str, Generic]]:
    by_head: dict[str, dict[str, Generic]] = {}
    for (modifier, head), generic in _GENERIC.items():
        by_head.setdefault(head, {})[modifier] = generic
    return by_head


# head -> modifier -> generic, and head -> last words of its non-empty modifiers (a modifier
# can only match when the word right before the head is one of them).
_BY_HEAD = _modifiers_by_head()
_LAST_WORDS = {
    head: frozenset(modifier.rsplit(" ", 1)[-1] for modifier in by_modifier if modifier)
    for head, by_modifier in _BY_HEAD.items()
}


def _generic_for(words: list[str], head: str) -> tuple[Generic, int] | None:
    """The longest modifier+head entry; returns it with the number of modifier words used."""
    by_modifier = _BY_HEAD.get(head)
    if by_modifier is None:
        return None
    if words:
        last = words[-1].lower()
        if last in _NOT_WEAPON:
            return None
        if last in _LAST_WORDS[head]:
            lowered = [w.lower() for w in words]
            size = len(lowered)
            for n in range(min(_MAX_MODIFIER_WORDS, size), 0, -1):
                generic = by_modifier.get(" ".join(lowered[size - n :]))
                if generic is not None:
                    return generic, n
    generic = by_modifier.get("")
    return (generic, 0) if generic is not None else None


_NEXT_WORD_RE = re.compile(r"[ \t]+([A-Za-z]+)")


# Head nouns that are also a modifier of some head ("tank" in "tank shells").
_MODIFYING_HEADS = frozenset(modifier for modifier, _ in _GENERIC)


def _modifies_next(text: str, end: int, word: str) -> bool:
    """True when the word only modifies the next head noun ("artillery shells", "tank shells")."""
    if word not in _MODIFYING_HEADS:
        return False
    nxt = _NEXT_WORD_RE.match(text, end)
    return nxt is not None and (word, _singular(nxt.group(1))) in _GENERIC


def _follows_named(text: str, start: int, named_ends: set[int]) -> bool:
    """True when the phrase directly follows a named weapon ("Storm Shadow missiles")."""
    probe = start
    while probe > 0 and text[probe - 1] in " \t-":
        probe -= 1
    return probe in named_ends


_HEAD_SCANNER = _native.HeadScanner(classes=char_classes(), classify=char_class, heads=list(_HEADS))


def _head_matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, singular head) of every head noun that is a whole word of the lower text."""
    # Lower-cased natively (no lower copy of the text made here) unless that could differ.
    found = _HEAD_SCANNER.matches_text(text)
    if found is not None:
        return found
    lower = text.lower()
    if len(lower) == len(text):
        found = _HEAD_SCANNER.matches(lower)
        if found is not None:
            return found
    return _head_matches_reference(text)


def _head_matches_reference(text: str) -> list[tuple[int, int, str]]:
    """``_head_matches`` in Python: the compiled scanner's reference (and lone-surrogate path)."""
    lower = text.lower()
    if len(lower) != len(text):
        return [(m.start(), m.end(), _singular(m.group(1))) for m in _HEAD_RE.finditer(text)]
    size = len(lower)
    out: list[tuple[int, int, str]] = []
    for last, head in _HEAD_AUTOMATON.iter(lower):
        end = last + 1
        idx = end - len(head)
        before = lower[idx - 1] if idx else " "
        if before.isalnum() or before in "_-":
            continue
        nxt = lower[end] if end < size else " "
        if nxt == "s" and head not in _NO_PLURAL:
            after = lower[end + 1] if end + 1 < size else " "
            if not (after.isalnum() or after == "_"):
                out.append((idx, end + 1, head))
        elif not (nxt.isalnum() or nxt in "_-"):
            out.append((idx, end, head))
    out.sort()
    return out


def _plain_word(piece: str) -> bool:
    """A letter first, then letters, digits, hyphens and underscores only."""
    rest = piece[1:].replace("-", "").replace("_", "")
    return piece[0].isascii() and piece[0].isalpha() and (not rest or rest.isalnum())


def _modifier_words(text: str, start: int) -> list[str]:
    """Up to three plain words (letter first) right before ``start``."""
    window = text[max(0, start - _MODIFIER_WINDOW) : start]
    if not window or not window[-1].isspace():
        return []
    words: list[str] = []
    pieces = window.rsplit(None, _MAX_MODIFIER_WORDS)
    if len(pieces) > _MAX_MODIFIER_WORDS:
        del pieces[0]  # the unsplit rest of the window
    for piece in reversed(pieces):
        if not _plain_word(piece):
            break
        words.append(piece)
        if len(words) == _MAX_MODIFIER_WORDS:
            break
    words.reverse()
    return words


# The generic weapons by id (position) for the compiled rules, and the rules themselves.
_GENERIC_IDS = list(_GENERIC.values())
_RULES = _native.GenericWeaponRules(
    generics=list(_GENERIC),
    last_words={head: sorted(words) for head, words in _LAST_WORDS.items()},
    modifying=sorted(_MODIFYING_HEADS),
    not_weapon=sorted(_NOT_WEAPON),
    max_words=_MAX_MODIFIER_WORDS,
    window=_MODIFIER_WINDOW,
    classes=char_classes(),
    classify=char_class,
)


def add_generic_weapons(text: str, collector: Collector, named_ends: set[int]) -> None:
    """Type generic weapon phrases that no named weapon already explains (the phrases found by
    the compiled ``GenericWeaponRules``; ``add_generic_weapons_reference`` is its reference)."""
    found = _RULES.accepted(text, _head_matches(text), collector.claimed, named_ends)
    records = collector.records
    for start, end, index in found:
        generic = _GENERIC_IDS[index]
        key = ("weapon", generic.name)
        # ``Collector.add`` keeps the first record for a key: build one only for a new key.
        weapon = records.get(key)
        if weapon is None:
            weapon = Weapon(generic.name, [], generic.weapon_type)
        collector.add(key, weapon, text[start:end], start, end)


def add_generic_weapons_reference(text: str, collector: Collector, named_ends: set[int]) -> None:
    """``add_generic_weapons`` as first written (the reference its tests compare with)."""
    for match_start, match_end, head in _head_matches(text):
        if _modifies_next(text, match_end, head):
            continue
        words = _modifier_words(text, match_start)
        found = _generic_for(words, head)
        if found is None:
            continue
        generic, used = found
        start = match_start
        if used:
            start = text.rfind(words[len(words) - used], 0, match_start)
        if _follows_named(text, start, named_ends) or collector.is_claimed(start, match_end):
            continue
        surface = text[start:match_end]
        key = ("weapon", generic.name)
        weapon = collector.records.get(key)
        if weapon is None:
            weapon = Weapon(generic.name, [], generic.weapon_type)
        collector.add(key, weapon, surface, start, match_end)


def named_weapon(
    lexicon: Lexicon, text: str, surface: str, start: int, end: int
) -> WeaponEntry | None:
    """The curated weapon a capitalised span names, honouring the needs-a-cue flag."""
    key = compact(surface)
    entry = lexicon.weapons.get(key)
    if entry is None and key.endswith("s"):
        entry = lexicon.weapons.get(key[:-1])
    if entry is None or (entry.needs_cue and not has_weapon_cue(text, start, end)):
        return None
    return entry


def weapon_record(entry: WeaponEntry) -> Weapon:
    return Weapon(entry.name, [], entry.weapon_type, list(entry.origin))


DESIGNATOR_RE = re.compile(r"[A-Z][A-Za-z]{0,10}-\d{1,4}[A-Z0-9]{0,3}")
_NOT_DESIGNATOR = frozenset(["COVID", "G", "MH", "SARS", "PM", "CO", "NO", "SO", "PS", "EU", "UN"])
_DESIGNATOR_TYPES = {
    "bomber": "bomber aircraft",
    "fighter": "fighter aircraft",
    "jet": "fighter aircraft",
    "aircraft": "military aircraft",
    "warplane": "military aircraft",
    "plane": "military aircraft",
    "trainer": "military aircraft",
    "helicopter": "helicopter",
    "gunship": "helicopter",
    "tank": "tank",
    "missile": "missile",
    "rocket": "rocket",
    "drone": "drone",
    "howitzer": "artillery",
    "launcher": "MLRS",
    "vehicle": "armoured vehicle",
    "destroyer": "warship",
    "frigate": "warship",
    "submarine": "submarine",
}


def designator_weapon(text: str, surface: str, start: int, end: int) -> Generic | None:
    """An uncatalogued model designator ("H-6", "Yak-130") named in a weapon context."""
    if DESIGNATOR_RE.fullmatch(surface) is None:
        return None
    if surface.split("-", 1)[0].upper() in _NOT_DESIGNATOR:
        return None
    if not has_weapon_cue(text, start, end):
        return None
    return cued_designator(text, surface, end)


def cued_designator(text: str, surface: str, end: int) -> Generic:
    """The weapon a designator in a weapon context names, typed by the word after it."""
    nxt = _NEXT_WORD_RE.match(text, end)
    head = _singular(nxt.group(1)) if nxt is not None else ""
    return Generic(surface, _DESIGNATOR_TYPES.get(head, "military equipment"))
