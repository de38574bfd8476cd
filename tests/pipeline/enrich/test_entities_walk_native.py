"""The compiled walk over capitalised runs leaves the state of its Python reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.bench.corpus import default_sources, generate_articles
from workers.pipeline.enrich._data import fold
from workers.pipeline.enrich.entities import _native_walker, find_entities, walked_runs
from workers.pipeline.enrich.gazetteer import load_gazetteer
from workers.pipeline.enrich.lexicon import load_lexicon
from workers.pipeline.enrich.orgs import _GATE as _INSTITUTION_GATE
from workers.pipeline.enrich.orgs import _country_starts
from workers.pipeline.enrich.spans import capitalised_runs_reference

_DATA = Path(__file__).resolve().parents[2] / "data"


def _state(text: str, *, reference: bool) -> dict[str, Any]:
    walk = walked_runs(text, reference=reference)
    collector = walk.collector
    return {
        "records": list(collector.records.items()),
        "first_seen": list(collector.first_seen.items()),
        "spans": collector.spans,
        "claimed": bytes(collector.claimed),
        "unknown": walk.unknown,
        "strays": walk.strays,
        "places": walk.places,
        "weak": sorted(walk.context.weak),
        "strong": sorted(walk.context.strong),
        "stated_roles": sorted(walk.stated_roles),
    }


def _assert_same_walk(text: str) -> None:
    assert _state(text, reference=False) == _state(text, reference=True)


def _team_texts() -> list[str]:
    """Every article and sentence text of the team corpora (the blind set excluded)."""
    texts: list[str] = []
    for path in sorted(_DATA.rglob("*.jsonl")):
        if "blind" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            parts = [record.get(name) for name in ("title", "body", "text", "sentence")]
            text = "\n\n".join(part for part in parts if isinstance(part, str) and part)
            if text:
                texts.append(text)
    return texts


def test_native_walk_matches_on_the_team_corpora() -> None:
    """Every team corpus text leaves the same walk state natively as in the reference."""
    texts = _team_texts()
    assert len(texts) > 100
    for text in texts:
        _assert_same_walk(text)


def test_native_walk_matches_on_generated_articles() -> None:
    """Generated bench articles give the same walk state and entities as the reference."""
    for record in generate_articles(default_sources(), 120, seed=11):
        fields = json.loads(record.value)
        text = "\n\n".join(fields[name] for name in ("title", "body") if fields.get(name))
        _assert_same_walk(text)
        assert find_entities(text) == find_entities(text, reference=True)


def _known_names() -> list[str]:
    """A sample of every index's names, as the walk sees them in text."""
    lexicon, gazetteer = load_lexicon(), load_gazetteer()
    people = [entry.name for entry in list(lexicon.people.values())[::25]]
    orgs = list(lexicon.orgs)[::10]
    weapons = [entry.name for entry in list(lexicon.weapons.values())[::20]]
    titles = [key.title() for key in list(lexicon.titles)[::8]]
    places = [entries[0][0].name for entries in list(gazetteer.index.values())[::3000]]
    demonyms = [key.title() for key in list(gazetteer.demonyms)[::6]]
    return sorted({*people, *orgs, *weapons, *titles, *places, *demonyms})


_PIECES = st.sampled_from(
    [
        *_known_names(),
        "President",
        "Defence Minister",
        "Russian",
        "Ukrainian Foreign Minister",
        "former ",
        "Gen.",
        "Mr.",
        "Priya",
        "Raman",
        "Jordan",
        "Georgia",
        "Kyiv",
        "Kherson",
        "Donetsk",
        "Zaporizhzhia",
        "New York",
        " region",
        " Oblast",
        " oblast",
        " nuclear power plant",
        " dam",
        " district",
        " refugee camp",
        " village",
        " in ",
        " in the ",
        " near ",
        " town of ",
        "“in ",
        "'s",
        "’s",
        " of ",
        " and ",
        " al-",
        "J-16",
        "Su-35",
        "MH-17",
        " fighter jet",
        " missile",
        " said",
        ", ",
        ". ",
        " ",
        "  ",
        "\n",
        "\t",
        "\u00a0",
        "\x1c",
        "\u2003",
        "’",
        "é",
        "\u0301",
        "\u212a",
        "ı",
        "İ",
        "ſ",
        "٣",
        "𝐀",
        "Élodie",
        "Łukasz",
    ]
)
_TEXTS = st.lists(_PIECES | st.text(max_size=5), max_size=30).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_TEXTS)
def test_native_walk_matches_on_arbitrary_text(text: str) -> None:
    """Arbitrary text built from names, titles, suffixes and odd characters walks alike."""
    _assert_same_walk(text)


@settings(max_examples=1000, deadline=None)
@given(_TEXTS)
def test_unknown_and_stray_token_keys_are_their_folds(text: str) -> None:
    """Every unknown or stray token's key is ``fold`` of its text (``merge_surnames`` reads it)."""
    for walk in (walked_runs(text), walked_runs(text, reference=True)):
        tokens = [*(token for group in walk.unknown for token in group), *walk.strays]
        assert [token.key for token in tokens] == [fold(token.text) for token in tokens]


def test_native_walk_leaves_lone_surrogates_to_the_reference() -> None:
    """Text the compiled walker cannot read is walked by the reference, with the same result."""
    text = "\ud800 President Joe Biden visited Kyiv region"
    _assert_same_walk(text)
    assert find_entities(text) == find_entities(text, reference=True)


_SEPARATORS = [" ", "  ", "\u00a0", "\u2003", "\x1c", "\t", "\n", " \u0301", "’ "]
_SUFFIXES = ["region", "Oblast", "regioné", "region\u0301", "\u212arai", "\u017ftate", "dam"]


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["Kherson", "Perm", "Texas", "Kakhovka", "Paris", "Priya Kherson"]),
    st.sampled_from(_SEPARATORS),
    st.sampled_from(_SUFFIXES),
    st.sampled_from(["", " in ", "“in ", " near the ", " city of "]),
)
def test_native_walk_reads_suffixes_and_locatives_as_python(
    name: str, separator: str, suffix: str, before: str
) -> None:
    """Area and facility words after odd white space, marks and case-blind letters walk alike."""
    _assert_same_walk(f"Officials said{before}{name}{separator}{suffix}, after strikes.")


def test_area_word_extends_a_place_mention() -> None:
    """A known place followed by an area word is one mention spanning both words."""
    walk = walked_runs("Shelling hit the Kherson region overnight.")
    assert [mention.surface for mention in walk.places] == ["Kherson region"]
    assert walk.places[0].candidates[0][0].kind == "region"


@pytest.mark.parametrize("size", [0, 3, 10_000])
def test_native_walk_reads_a_claimed_buffer_of_any_length(size: int) -> None:
    """A claimed buffer shorter or longer than the text walks as one of the text's length
    with the same offsets claimed, with no error."""
    text = "The Russian Defence Ministry said Kyiv and Vladimir Putin met in Kherson."
    walker = _native_walker(load_lexicon(), load_gazetteer())[0]
    scanned = walker.scan(text)
    assert scanned is not None
    claimed = min(size, 3)
    given = bytearray(b"\x01" * claimed + bytes(size - claimed))
    fitted = bytearray(b"\x01" * claimed + bytes(len(text) - claimed))
    assert walker.walk_scanned(scanned[0], given) == walker.walk_scanned(scanned[0], fitted)


_DESIGNATORS = ["QX-77", "J-16", "Su-35", "MH-17", "COVID-19", "F-16s", "Kh-101", "Yak-130", "F-١٦"]
_CUE_WORDS = ["tank", "TANK", "tan\u212a", "mi\u017f\u017file", "Air-Defense", "air defence"]
_CUE_WORDS += ["batteries", "ARMOUR", "armor", "drone", "strike", "weapon", "no cue here"]
_FILLERS = ["", " ", " near the ", " " + "x" * 60 + " ", " " + "y" * 97 + " ", "\u00a0é\u2003"]


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(_DESIGNATORS),
    st.sampled_from(_CUE_WORDS),
    st.sampled_from(_FILLERS),
    st.booleans(),
    st.sampled_from(["", " jet", " bombers", " helicopter", " Kyiv"]),
)
def test_native_walk_reads_weapon_cues_around_designators_as_python(
    designator: str, cue: str, filler: str, cue_first: bool, after: str
) -> None:
    """Designators with a weapon word in or out of the cue window, in odd case or letters,
    walk alike natively and in the reference."""
    parts = [cue, filler, designator + after] if cue_first else [designator + after, filler, cue]
    _assert_same_walk("Officials said " + "".join(parts) + ".")


def test_designator_needs_a_weapon_cue_within_the_window() -> None:
    """An uncatalogued designator is a weapon only with a weapon word within 100 characters."""
    near = walked_runs("The QX-77 jet flew over the strait.")
    far = walked_runs("The QX-77 flew " + "over the strait " * 8 + "and a drone followed.")
    assert list(near.collector.records) == [("weapon", "QX-77")]
    assert far.collector.records == {}


def test_scan_hands_institutions_the_country_openers_of_the_runs() -> None:
    """``scan`` gives ``add_institutions`` exactly the institution gate's starts among the run
    tokens whose key opens a country."""
    lexicon, gazetteer = load_lexicon(), load_gazetteer()
    walker = _native_walker(lexicon, gazetteer)[0]
    starts = _country_starts(gazetteer)
    texts = [*_team_texts()[:300], "The Russian Defence Ministry and the U.S. State Department"]
    for text in texts:
        scanned = walker.scan(text)
        assert scanned is not None
        expected = [t for run in capitalised_runs_reference(text) for t in run if t.key in starts]
        assert scanned[1] == _INSTITUTION_GATE.starts(text, [t.start for t in expected])
    assert texts[-1].index("Russian") in scanned[1]


# Pieces that set the str's storage kind (Latin-1, two-byte, four-byte) and lone surrogates
# in each kind: `scan` reads the code units of whichever kind the text has.
_KIND_PIECES = ["é", "Ā", "Łukasz", "Ελλάδα", "𝐀", "\U0001f600", "\ud800", "\udfff"]
_KIND_TEXTS = st.lists(_PIECES | st.sampled_from(_KIND_PIECES), max_size=25).map("".join)


@settings(max_examples=800, deadline=None)
@given(_KIND_TEXTS)
def test_native_walk_matches_on_every_string_kind(text: str) -> None:
    """Texts stored one, two or four bytes a character, lone surrogates among them, walk alike
    natively (or, when unreadable, through the reference) and in the reference."""
    _assert_same_walk(text)


@settings(max_examples=800, deadline=None)
@given(_KIND_TEXTS)
def test_scan_reads_unreadable_text_only_when_it_has_lone_surrogates(text: str) -> None:
    """``scan`` declines exactly the texts holding a lone surrogate."""
    walker = _native_walker(load_lexicon(), load_gazetteer())[0]
    surrogate = any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    assert (walker.scan(text) is None) == surrogate


_CONNECTED = st.lists(
    st.sampled_from(["Élodie", "Łukasz", "Kyiv", "Ban", "of", "al", "de", "the", "12b", "7", "𝐀"]),
    min_size=1,
    max_size=8,
).map(" ".join)


@settings(max_examples=600, deadline=None)
@given(_CONNECTED)
def test_connector_and_number_tokens_walk_alike(text: str) -> None:
    """Runs joined by connector words and ended by numbers, ASCII or not, keep each token's
    own text, key and fold natively as in the reference."""
    _assert_same_walk(f"Officials said {text} Agency 3 and {text}'s office.")


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(_DESIGNATORS),
    st.sampled_from(["tank", "drone", "mi\u017f\u017file", "no cue"]),
    st.integers(min_value=85, max_value=115),
    st.sampled_from(["x", " ", "é", "\u2003", "\u212a", "ж"]),
    st.booleans(),
    st.sampled_from(["", " in Kherson", " near the Kyiv region"]),
)
def test_weapon_cue_window_edges_walk_alike(
    designator: str, cue: str, distance: int, filler: str, cue_first: bool, place: str
) -> None:
    """A weapon word just inside or outside the 100-character cue window, across odd
    characters, cues a designator natively exactly as in the reference."""
    gap = " " + filler * distance + " "
    parts = [cue, gap, designator] if cue_first else [designator, gap, cue]
    _assert_same_walk("Officials said " + "".join(parts) + place + ".")


def _word_table_words() -> list[str]:
    """Single words the walker's merged word tables answer for: lexicon and gazetteer starts
    (also with a plural "s", and in their text's case), title starts, demonyms, country keys,
    given names and connectors."""
    lexicon, gazetteer = load_lexicon(), load_gazetteer()
    words = [
        *list(lexicon.starts)[::40],
        *list(gazetteer.starts)[::4000],
        *list(lexicon.title_starts)[::10],
        *list(gazetteer.demonyms)[::7],
        *list(gazetteer.country_keys)[::25],
        *sorted(lexicon.given_names)[::40],
        *sorted(_country_starts(gazetteer))[::20],
    ]
    singles = sorted({word for word in words if word and " " not in word})
    return [form for word in singles for form in (word.title(), word.title() + "s", word)]


_WORD_RUNS = st.lists(
    st.sampled_from([*_word_table_words(), "of", "al", "the", "'s", "Ministry", "7"]),
    min_size=1,
    max_size=6,
).map(" ".join)


@settings(max_examples=800, deadline=None)
@given(_WORD_RUNS, _WORD_RUNS)
def test_runs_of_table_words_and_their_plurals_walk_alike(first: str, second: str) -> None:
    """Runs of words the lexicon, gazetteer, title, demonym, country and given-name tables
    hold, and of those words with a plural "s", walk natively as in the reference."""
    _assert_same_walk(f"{first} said on Monday that {second}, and {first}.")


@pytest.mark.parametrize("at", [0, 1, 63, 64, 65, 130])
@pytest.mark.parametrize("code", [0xD800, 0xDBFF, 0xDC00, 0xDFFF])
def test_scan_declines_a_lone_surrogate_anywhere(at: int, code: int) -> None:
    """A lone surrogate at any position, in any block of the text, makes ``scan`` decline."""
    walker = _native_walker(load_lexicon(), load_gazetteer())[0]
    base = "Kyiv region, said President Joe Biden. " * 4
    assert walker.scan(base[:at] + chr(code) + base[at:]) is None


@pytest.mark.parametrize("code", [0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF])
def test_scan_reads_characters_next_to_the_surrogates(code: int) -> None:
    """Characters just outside the surrogate range are read, as Python reads them."""
    walker = _native_walker(load_lexicon(), load_gazetteer())[0]
    assert walker.scan("President Joe Biden " * 5 + chr(code) + " Kyiv") is not None
