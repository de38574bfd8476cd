"""The entity passes after the walk agree with their references."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpora import enrichment_texts
from workers._native import LocalityGate as _LOCALITY_GATE_CLASS
from workers.pipeline.article import Place
from workers.pipeline.enrich.collect import Collector
from workers.pipeline.enrich.context import (
    APPOSITIVE_RE,
    LOCALITY_AFTER_PREFIXES,
    LOCALITY_AFTER_RE,
    SPEECH_AFTER_RE,
)
from workers.pipeline.enrich.entities import (
    LOCALITY_GATE,
    TITLE_GATE,
    _native_walker,
    _split_and,
    walked_runs,
)
from workers.pipeline.enrich.gazetteer import load_gazetteer
from workers.pipeline.enrich.lexicon import load_lexicon
from workers.pipeline.enrich.orgs import _GATE as _INSTITUTION_GATE
from workers.pipeline.enrich.orgs import (
    TEMPLATE_RE,
    _country_starts,
    _matches,
    _matches_at,
    _matches_reference,
)
from workers.pipeline.enrich.people import _CUE_OPENERS
from workers.pipeline.enrich.places import CountryContext, PlaceMention, build_place_resolver
from workers.pipeline.enrich.spans import Token, capitalised_runs
from workers.pipeline.enrich.weapons import _RULES as _WEAPON_RULES
from workers.pipeline.enrich.weapons import add_generic_weapons, add_generic_weapons_reference


def _state(walk: object) -> object:
    """Everything a pass can change: the collector's records, order, spans and claims."""
    collector = walk.collector  # type: ignore[attr-defined]
    return (
        list(collector.records.items()),
        dict(collector.first_seen),
        list(collector.spans),
        bytes(collector.claimed),
        walk.context,  # type: ignore[attr-defined]
    )


def test_resolve_places_is_the_reference_on_the_corpora() -> None:
    """Places resolved by the compiled resolver are the reference's, mention for mention."""
    texts = enrichment_texts()
    assert texts
    for text in texts:
        fast, slow = walked_runs(text), walked_runs(text)
        fast.resolve_places()
        slow.resolve_places_reference()
        assert _state(fast) == _state(slow)


# Every folded name with several candidates (cities of several countries, countries, curated
# areas) and every 97th of the rest.
_INDEX = load_gazetteer().index
_KEYS = [key for n, key in enumerate(sorted(_INDEX)) if len(_INDEX[key]) > 1 or n % 97 == 0]
_CODES = ["US", "GE", "RU", "UA", "FR", "GB", "JO"]
_SURFACES = ["Jordan", "Paris", "Victoria", "Georgia", "Kelvin \u212a", "İzmir", "Nice"]


@st.composite
def _mentions(draw: st.DrawFn) -> PlaceMention:
    key = draw(st.sampled_from(_KEYS))
    candidates = _INDEX[key]
    surface = draw(st.sampled_from([key.title(), key, *_SURFACES]))
    area = draw(st.sampled_from([None, None, "region", "river"]))
    start = draw(st.integers(0, 40))
    end = start + draw(st.integers(0, 12))
    return PlaceMention(surface, start, end, candidates, draw(st.booleans()), area)


@st.composite
def _articles(draw: st.DrawFn) -> tuple[list[PlaceMention], CountryContext, list[str]]:
    """Place mentions, a context (codes of the mentions' candidates or common ones), and
    person names some of whose words may be mention surfaces."""
    mentions = draw(st.lists(_mentions(), max_size=8))
    pool = st.sampled_from(
        [e.country_code or "US" for m in mentions for e, _ in m.candidates] + _CODES
    )
    context = CountryContext(
        set(draw(st.lists(pool, max_size=3))), set(draw(st.lists(pool, max_size=3)))
    )
    words = [m.surface for m in mentions] + ["Graham", "Smith"]
    people = draw(st.lists(st.sampled_from(words), max_size=2))
    return mentions, context, people


def _resolved(case: tuple[list[PlaceMention], CountryContext, list[str]], native: bool) -> object:
    mentions, context, people = case
    walk = walked_runs("x" * 60)
    walk.context = CountryContext(set(context.strong), set(context.weak))
    walk.places = list(mentions)
    for name in people:
        walk.add_person(f"Ann {name}", None, None, name, 50, 55)
    if native:
        walk.resolve_places()
    else:
        walk.resolve_places_reference()
    return _state(walk)


@settings(max_examples=1500, deadline=None)
@given(_articles())
def test_resolve_places_is_the_reference(
    case: tuple[list[PlaceMention], CountryContext, list[str]],
) -> None:
    """For any mentions, flags, area words, context and people, the compiled resolver leaves the
    collector and context exactly as the reference does."""
    assert _resolved(case, True) == _resolved(case, False)


# ASCII surfaces the compiled resolver folds itself: apostrophes, every kind of ASCII white space
# Python splits on, and case, around words that are place names.
_FOLD_PIECES = st.sampled_from(
    ["Kharkiv", "kharKIV", "Paris", "O'", "'", "’", " ", "  ", "\t", "\x0b", "\x1c", "\x1f", "\x85"]
)
_FOLD_SURFACES = st.lists(_FOLD_PIECES | st.text("aK' \t\x1d", max_size=3), max_size=5).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_FOLD_SURFACES, _FOLD_SURFACES, st.booleans())
def test_resolve_places_folds_surfaces_as_fold_does(surface: str, name: str, same: bool) -> None:
    """A mention is skipped as a person's name exactly when the reference's ``fold`` says so,
    whatever its case, apostrophes and white space."""
    mention = PlaceMention(surface, 0, 5, load_gazetteer().lookup("Kharkiv"), True)
    context = CountryContext({"UA"}, set())
    case = ([mention], context, [surface if same else name])
    assert _resolved(case, True) == _resolved(case, False)


def test_resolve_places_reads_person_words_with_lone_surrogates() -> None:
    """A person word holding a lone surrogate neither raises nor changes which mentions the
    compiled resolver skips as names, as in the reference."""
    gazetteer = load_gazetteer()
    mentions = [
        PlaceMention("Kharkiv", 0, 7, gazetteer.lookup("Kharkiv"), True),
        PlaceMention("Paris", 10, 15, gazetteer.lookup("Paris"), True),
        PlaceMention("Par\ud800is", 20, 26, gazetteer.lookup("Paris"), True),
    ]
    case = (mentions, CountryContext({"UA"}, set()), ["Kh\udc00", "Kharkiv", "Par\ud800is"])
    fast = _resolved(case, True)
    assert fast == _resolved(case, False)
    assert [key[0] for key, _ in fast[0]] == ["person"] * 3  # type: ignore[index]


def test_resolve_places_outlives_its_cache() -> None:
    """An article naming more distinct candidate lists than the resolver caches keeps every
    place the reference finds."""
    gazetteer = load_gazetteer()
    names = ["Paris", "Georgia", "Jordan", "Kharkiv", "Lagos", "Victoria"]
    text = " ".join(names)
    mentions, start = [], 0
    for name in names:
        mentions.append(PlaceMention(name, start, start + len(name), gazetteer.lookup(name), True))
        start += len(name) + 1
    fast, slow = walked_runs(text), walked_runs(text)
    fast.places, slow.places = list(mentions), list(mentions)
    build_place_resolver(gazetteer, cache_limit=2).resolve(
        fast.places, fast.context, fast.collector, fast.person_words()
    )
    slow.resolve_places_reference()
    assert len(slow.collector.records) > 2
    assert _state(fast) == _state(slow)


def test_resolve_places_follows_the_context() -> None:
    """ "Georgia" names the US state or the country depending on which the article is about."""
    gazetteer = load_gazetteer()
    candidates = gazetteer.lookup("Georgia")
    for code in ("US", "GE"):
        walk = walked_runs("Georgia")
        walk.context = CountryContext({code}, set())
        walk.places = [PlaceMention("Georgia", 0, 7, candidates, True)]
        walk.resolve_places()
        (record,) = walk.collector.records.values()
        assert isinstance(record, Place)
        assert record.country_code == code
        assert walk.collector.claimed[:7] == b"\x01" * 7


def test_resolve_places_names_the_region_of_a_city() -> None:
    """ "Kharkiv region" is resolved to a region, not to the city of Kharkiv."""
    gazetteer = load_gazetteer()
    text = "Kharkiv region"
    walk = walked_runs(text)
    walk.places = [PlaceMention(text, 0, len(text), gazetteer.lookup("Kharkiv"), False, "region")]
    walk.resolve_places()
    (record,) = walk.collector.records.values()
    assert isinstance(record, Place)
    assert record.kind == "region"
    assert record.mentions == []


_SURFACE_SLOT = vars(PlaceMention)["surface"]


class _SpokenMention(PlaceMention):
    """A mention whose surface is a property hiding its slot (which keeps the given one)."""

    @property
    def surface(self) -> str:
        return "Charkiw"

    @surface.setter
    def surface(self, value: str) -> None:
        _SURFACE_SLOT.__set__(self, value)


class _LooseMention:
    """A mention that is not a ``PlaceMention`` at all: plain attributes in a ``__dict__``."""

    def __init__(self, mention: PlaceMention) -> None:
        self.surface, self.start, self.end = mention.surface, mention.start, mention.end
        self.candidates, self.locative, self.area = (
            mention.candidates,
            mention.locative,
            mention.area,
        )


def test_resolve_places_reads_mentions_of_any_class_as_the_reference() -> None:
    """Mentions of other classes, mixed with ``PlaceMention``s in one article, are read through
    their attributes exactly as the reference reads them."""
    gazetteer = load_gazetteer()
    names = ["Kharkiv", "Paris", "Kharkiv", "Lagos", "Paris", "Kharkiv"]
    mentions: list[object] = []
    for n, name in enumerate(names):
        mention = PlaceMention(name, 10 * n, 10 * n + len(name), gazetteer.lookup(name), True)
        if n % 3 == 1:
            mentions.append(_LooseMention(mention))
        elif n % 3 == 2:
            fields = (mention.start, mention.end, mention.candidates, mention.locative)
            mentions.append(_SpokenMention(name, *fields))
        else:
            mentions.append(mention)
    fast, slow = walked_runs("x" * 60), walked_runs("x" * 60)
    fast.places = slow.places = mentions  # type: ignore[assignment]
    fast.resolve_places()
    slow.resolve_places_reference()
    assert _state(fast) == _state(slow)
    assert [span[3] for span in fast.collector.spans].count("Charkiw") == 2


def test_resolve_places_refuses_a_mention_with_an_unset_field() -> None:
    """A ``PlaceMention`` whose field was deleted raises the ``AttributeError`` attribute
    access raises, as the reference does."""
    mention = PlaceMention("Paris", 0, 5, load_gazetteer().lookup("Paris"), True)
    del mention.area
    for native in (True, False):
        walk = walked_runs("Paris")
        walk.places = [mention]
        with pytest.raises(AttributeError):
            walk.resolve_places() if native else walk.resolve_places_reference()


_WEAPON_PIECES = st.sampled_from(
    [
        "drones",
        "Drone",
        "tank",
        "tank shells",
        "think tank",
        "fuel tanks",
        "kamikaze ",
        "one-way attack ",
        "multiple rocket launchers",
        "air defence systems",
        "air-defense system",
        "main battle tanks",
        "Storm Shadow missiles",
        "cruise missile",
        "ballistic",
        "explosive-laden boat",
        "boats",
        "artillery",
        "tan\u212a",
        "\U0001d400",
        "guided missile destroyers",
        "car bomb",
        "Air Defence ",
        "x" * 45,
        "missile launcher",
        "land mines",
        "water  ",
        "20 ",
        "the ",
        "x_y-z ",
        "Ünal ",
        "\u212a",
        "ſ",
        "\u00a0",
        "\n",
        "\t",
        " ",
        "-",
        "’",
    ]
)
_WEAPON_TEXTS = st.lists(_WEAPON_PIECES | st.text(max_size=5), max_size=30).map("".join)


def _generic_weapons(text: str, reference: bool) -> object:
    walk = walked_runs(text)
    named_ends = {end for _, end, key, _ in walk.collector.spans if key[0] == "weapon"}
    add = add_generic_weapons_reference if reference else add_generic_weapons
    add(text, walk.collector, named_ends)
    return _state(walk)


@settings(max_examples=1500, deadline=None)
@given(_WEAPON_TEXTS)
def test_generic_weapons_are_the_reference(text: str) -> None:
    """Generic weapon phrases decided from the last modifier word are the reference's."""
    assert _generic_weapons(text, False) == _generic_weapons(text, True)


def test_generic_weapon_rules_refuse_heads_outside_the_text() -> None:
    """A head noun range past the end of the text is an error, not a crash."""
    with pytest.raises(ValueError, match="outside the text"):
        _WEAPON_RULES.accepted("drones", [(0, 9, "drone")], bytearray(7), set())


def test_generic_weapon_rules_find_modified_and_bare_heads() -> None:
    """ "kamikaze drones" and a bare "missile" are found; "think tank" and "tank shells" are
    not read as tanks."""
    text = "think tank staff saw kamikaze drones, tank shells and a missile"
    collector = Collector(len(text))
    add_generic_weapons(text, collector, set())
    assert [surface for _, _, _, surface in collector.spans] == [
        "kamikaze drones",
        "tank shells",
        "missile",
    ]


def test_generic_weapons_are_the_reference_on_the_corpora() -> None:
    """Generic weapon phrases are the reference's on every shipped enrichment article."""
    for text in enrichment_texts():
        assert _generic_weapons(text, False) == _generic_weapons(text, True)


_PEOPLE_PIECES = st.sampled_from(
    [
        "spokesman ",
        "Foreign Minister ",
        "foreign minister ",
        "said ",
        ", a senior official,",
        " said.",
        "Dmitry Peskov",
        "Peskov",
        "Priya Raman",
        "Kim Ji-hoon and Park Min-soo",
        "the village of ",
        "near ",
        "Zabrodne",
        ", Ukraine",
        " district",
        "in ",
        "Ünal",
        "\u00a0",
        "\u2003",
        "\n",
        " ",
        ". ",
    ]
)
_PEOPLE_TEXTS = st.lists(_PEOPLE_PIECES | st.text(max_size=5), max_size=30).map("".join)


def _people(text: str) -> object:
    walk = walked_runs(text)
    walk.people_from_context()
    return _state(walk)


def _people_reference(text: str) -> object:
    walk = walked_runs(text)
    for group in walk.unknown:
        if len(group) == 1:
            walk.person_from_group(group, None)
            continue
        parts = _split_and(group)
        whole = (group[0].start, group[-1].end) if len(parts) > 1 else None
        for part in parts:
            walk.person_from_group(part, whole)
    return _state(walk)


@settings(max_examples=1500, deadline=None)
@given(_PEOPLE_TEXTS)
def test_people_from_context_skips_only_what_the_reference_rejects(text: str) -> None:
    """Testing lone words for a preceding title first finds the people the full rules find."""
    assert _people(text) == _people_reference(text)


def test_people_from_context_is_the_reference_on_the_corpora() -> None:
    """People found from context are the reference's on every shipped enrichment article."""
    for text in enrichment_texts():
        assert _people(text) == _people_reference(text)


_GATE_PIECES = st.sampled_from(
    [
        "spokesman ",
        "minister ",
        "Minister ",
        "minister's ",
        "ministers' ",
        "the village of ",
        "outskirts of the ",
        "near  the\t",
        "bathe ",
        "nearby ",
        "around\u00a0",
        "of\u2003",
        "\x1c",
        "\x1f",
        "\u0085",
        "Zabrodne",
        "Peskov",
        "Ünal ",
        "\u212a",
        "’",
        "'",
        "\n",
        " ",
        "x" * 45,
        "\ud800",
        "\U0001d400",
    ]
)
_GATE_TEXTS = st.lists(_GATE_PIECES | st.text(max_size=5), max_size=25).map("".join)


def _gates(text: str, native: bool) -> bytes:
    walk = walked_runs("")
    walk.text = text
    walk.unknown = [[Token("x", start, start, False, "x")] for start in range(len(text) + 1)]
    return walk.name_gates() if native else walk.name_gates_reference()


@settings(max_examples=1500, deadline=None)
@given(_GATE_TEXTS)
def test_native_name_gates_are_the_reference(text: str) -> None:
    """The compiled title and locality gates agree with the Python tests at every offset."""
    assert _gates(text, True) == _gates(text, False)


def test_native_name_gates_are_the_reference_on_the_corpora() -> None:
    """The compiled gates agree with the Python tests at every offset of the shipped articles."""
    for text in enrichment_texts()[:40]:
        assert _gates(text, True) == _gates(text, False)


def test_native_name_gates_see_titles_and_locality_cues() -> None:
    """A title word sets the title bit and "village of" the locality bit; plain words neither."""
    text = "the spokesman Peskov, the village of Zabrodne and the cat Tom"
    gates = _gates(text, True)
    assert gates[text.index("Peskov")] == TITLE_GATE
    assert gates[text.index("Zabrodne")] == LOCALITY_GATE
    assert gates[text.index("Tom")] == 0


def test_native_name_gates_refuse_offsets_past_the_end() -> None:
    """An offset past the end of the text is an error, not a crash."""
    walk = walked_runs("Kyiv")
    walk.unknown = [[Token("x", 9, 9, False, "x")]]
    with pytest.raises(ValueError, match="past the end"):
        walk.name_gates()


def _localities(text: str, native: bool) -> object:
    walk = walked_runs(text)
    gates = walk.name_gates() if native else walk.name_gates_reference()
    walk.people_from_context(gates)
    walk.merge_surnames()
    walk.resolve_places()
    walk.localities(gates)
    return _state(walk)


@settings(max_examples=800, deadline=None)
@given(_PEOPLE_TEXTS)
def test_passes_on_native_gates_are_the_passes_on_reference_gates(text: str) -> None:
    """People and localities found with the compiled gates are those found with the Python ones."""
    assert _localities(text, True) == _localities(text, False)


_LOCALITY_PIECES = st.sampled_from(
    [
        "the village of ",
        "near ",
        "outskirts of the ",
        "Zabrodne",
        "Nova Kakhovka",
        "Kyiv",
        "Peskov",
        " district",
        " District",
        " refugee  camp",
        " areas",
        " townships",
        " \u212aounty",
        " ſuburb",
        ", Ukraine",
        ", Nigeria",
        ", Kharkiv Oblast",
        ",",
        "in ",
        "from ",
        "Ünal",
        "\u00a0",
        "\u2003",
        "\x1c",
        "\n",
        " ",
        ". ",
    ]
)
_LOCALITY_TEXTS = st.lists(_LOCALITY_PIECES | st.text(max_size=4), max_size=30).map("".join)


def _localities_only(text: str, native: bool) -> object:
    walk = walked_runs(text)
    gates = walk.name_gates()
    walk.people_from_context(gates)
    walk.merge_surnames()
    walk.resolve_places()
    if native:
        walk.localities(gates)
    else:
        walk.localities_reference(gates)
    return _state(walk)


@settings(max_examples=1500, deadline=None)
@given(_LOCALITY_TEXTS)
def test_localities_behind_the_gate_are_the_reference(text: str) -> None:
    """Judging only the names the compiled gate passes finds the localities judging all finds."""
    assert _localities_only(text, True) == _localities_only(text, False)


def test_localities_behind_the_gate_are_the_reference_on_the_corpora() -> None:
    """The gated localities are the reference's on every shipped enrichment article."""
    for text in enrichment_texts():
        assert _localities_only(text, True) == _localities_only(text, False)


@settings(max_examples=1500, deadline=None)
@given(_LOCALITY_TEXTS)
def test_locality_gate_keeps_every_locality_word_match(text: str) -> None:
    """A one-letter name right before a ``LOCALITY_AFTER_RE`` match always passes the gate."""
    gate = _LOCALITY_GATE_CLASS(
        after_prefixes=list(LOCALITY_AFTER_PREFIXES), locality_bit=LOCALITY_GATE, max_tokens=4
    )
    ends = [end for end in range(1, len(text)) if LOCALITY_AFTER_RE.match(text, end)]
    groups = [[Token(text[end - 1], end - 1, end, False, "x")] for end in ends]
    found = gate.candidates(text, groups, bytearray(len(text) + 1), bytes(len(groups)))
    assert found == list(range(len(groups)))


def test_locality_gate_skips_names_in_no_locality_context() -> None:
    """Names after a locality cue, before a locality word or before a comma pass the gate;
    names in none of these contexts are left out."""
    text = "Qwertov said. They fled near Zabrodne, to Bucholz district, Irvinovo, and Plomka went."
    walk = walked_runs(text)
    gate = _LOCALITY_GATE_CLASS(
        after_prefixes=list(LOCALITY_AFTER_PREFIXES), locality_bit=LOCALITY_GATE, max_tokens=4
    )
    found = gate.candidates(text, walk.unknown, walk.collector.claimed, walk.name_gates())
    names = [" ".join(token.text for token in walk.unknown[index]) for index in found]
    assert names == ["Zabrodne", "Bucholz", "Irvinovo"]
    assert [group[0].text for group in walk.unknown] == [
        "Qwertov",
        "Zabrodne",
        "Bucholz",
        "Irvinovo",
        "Plomka",
    ]


_INSTITUTION_PIECES = st.sampled_from(
    [
        "Russia",
        "Russia's",
        "Russia’s",
        "Ukrainian",
        "South Korean",
        "U.S.",
        "United States",
        " ",
        "  ",
        "\t",
        "\n",
        "\u00a0",
        "Defence Ministry",
        "defense ministry",
        "DEFENSE MINISTRY",
        "Ministry of Defense",
        "armed forces",
        "Armed Forces General Staff",
        "army",
        "armyX",
        "army-led",
        "army_",
        "Navy",
        "Air Force",
        "embassy",
        "Border Guards",
        "\u212army",
        "ſecurity service",
        "foreign ministry",
        "-",
        "'",
        "’",
        ".",
        "é",
    ]
)
_INSTITUTION_TEXTS = st.lists(_INSTITUTION_PIECES | st.text(max_size=4), max_size=20).map("".join)


def _spans(matches: list[re.Match[str]]) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(match.span(), match.groupdict()) for match in matches]


@settings(max_examples=1500, deadline=None)
@given(_INSTITUTION_TEXTS)
def test_native_institution_gate_keeps_every_template_match(text: str) -> None:
    """Every offset where the institution pattern matches passes the compiled gate."""
    offsets = list(range(len(text) + 1))
    kept = set(_INSTITUTION_GATE.starts(text, offsets))
    for offset in offsets:
        if TEMPLATE_RE.match(text, offset) is not None:
            assert offset in kept


@settings(max_examples=1000, deadline=None)
@given(_INSTITUTION_TEXTS)
def test_institution_matches_are_the_reference(text: str) -> None:
    """Institution matches found through the compiled gate are the Python gate's."""
    runs = capitalised_runs(text)
    gazetteer = load_gazetteer()
    assert _spans(_matches(text, gazetteer, runs)) == _spans(
        _matches_reference(text, gazetteer, runs)
    )


def test_institution_matches_are_the_reference_on_the_corpora() -> None:
    """Institution matches are the Python gate's on every shipped enrichment article."""
    gazetteer = load_gazetteer()
    found = 0
    for text in enrichment_texts():
        runs = capitalised_runs(text)
        matches = _matches(text, gazetteer, runs)
        found += len(matches)
        assert _spans(matches) == _spans(_matches_reference(text, gazetteer, runs))
    assert found


def _scanned_institution_starts(text: str) -> list[int] | None:
    walker, _ = _native_walker(load_lexicon(), load_gazetteer())
    scanned = walker.scan(text)
    return None if scanned is None else scanned[1]


def _python_institution_openers(text: str) -> list[int]:
    starts = _country_starts(load_gazetteer())
    runs = capitalised_runs(text)
    return _INSTITUTION_GATE.starts(
        text, [token.start for run in runs for token in run if token.key in starts]
    )


@settings(max_examples=1000, deadline=None)
@given(_INSTITUTION_TEXTS)
def test_scanned_institution_starts_are_the_token_gate(text: str) -> None:
    """The walker's scan offers the institution gate's starts over the runs' country tokens."""
    scanned = _scanned_institution_starts(text)
    if scanned is not None:
        assert scanned == _python_institution_openers(text)
        assert _spans(_matches_at(text, scanned)) == _spans(
            _matches_reference(text, load_gazetteer(), capitalised_runs(text))
        )


def test_scanned_institution_starts_are_the_token_gate_on_the_corpora() -> None:
    """On every shipped enrichment article the scan's institution starts are the token gate's."""
    offered = 0
    for text in enrichment_texts():
        scanned = _scanned_institution_starts(text)
        assert scanned == _python_institution_openers(text)
        offered += len(scanned)
    assert offered


def test_native_institution_gate_refuses_phrases_it_cannot_pre_filter() -> None:
    """A phrase shorter than two bytes or not lower-case ASCII is refused when the gate is built."""
    for phrase in ["a", "", "Army", "défense"]:
        with pytest.raises(ValueError, match="institution phrase"):
            type(_INSTITUTION_GATE)(phrases=["army", phrase])


def test_native_institution_gate_refuses_offsets_past_the_end() -> None:
    """An offset past the end of the text is an error, not a crash."""
    with pytest.raises(ValueError, match="past the end"):
        _INSTITUTION_GATE.starts("Russia's army", [3, 40])


_AFTER_PIECES = st.sampled_from(
    [
        ", a spokesman for",
        ", who",
        " said",
        ",  said",
        "'s wife",
        "’s lawyer",
        ", 45,",
        "\u00a0said",
        "\x1csaid",
        "said",
        "x",
        ";",
        "",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_AFTER_PIECES | st.text(max_size=4), max_size=6).map("".join))
def test_cue_patterns_need_their_opening_character(after: str) -> None:
    """Text not opening with a comma, white space or an apostrophe matches neither cue pattern."""
    first = after[:1]
    if not (first in _CUE_OPENERS or first.isspace()):
        assert APPOSITIVE_RE.match(after) is None
        assert SPEECH_AFTER_RE.match(after) is None
