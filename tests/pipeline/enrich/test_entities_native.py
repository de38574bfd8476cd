"""The compiled entity scanners agree with their Python references."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpora import enrichment_texts
from workers.pipeline.enrich.orgs import TEMPLATE_RE, _may_match
from workers.pipeline.enrich.spans import CONNECTORS, capitalised_runs, capitalised_runs_reference
from workers.pipeline.enrich.weapons import _HEAD_SCANNER, _head_matches, _head_matches_reference

# Pieces that exercise the scanner's rules: capitals (ASCII, Latin-1, Latin Extended-A),
# possessives, abbreviations, Arabic prefixes, connectors, numbers, dashes, line breaks,
# non-BMP letters and digits, and Unicode spaces and digits.
_PIECES = st.sampled_from(
    [
        "U.S.",
        "Gen.",
        "Mr.",
        "A.",
        "Sen. ",
        "'s",
        "’s",
        "s'",
        "al-",
        "-Bashir",
        " bin ",
        " of the ",
        " and ",
        " de la ",
        " bint ",
        " bintang ",
        " della ",
        " theme ",
        "\n",
        "\t",
        " ",
        "  ",
        "\u00a0",
        "\u2003",
        "Kh-101",
        "F-16s",
        " 12",
        " 3rd",
        " 45,",
        " 7.5",
        "٣",
        "²",
        "Élodie",
        "Łukasz",
        "Ōsaka",
        "Ñ",
        "ß",
        "x",
        "abc",
        "Zelensky",
        "Vladimir Putin",
        "New York",
        "-",
        "/",
        ".",
        ",",
        "’",
        "'",
        "_",
        "9",
        "𝐀",
        "𝟙",
        "\U00010400",
        "\u0301",
    ]
)
_TEXTS = st.lists(_PIECES | st.text(max_size=6), max_size=40).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_TEXTS)
def test_native_runs_are_the_reference_runs(text: str) -> None:
    """The compiled scanner returns the reference's runs and tokens for arbitrary text."""
    assert capitalised_runs(text) == capitalised_runs_reference(text)


def test_native_runs_match_on_the_enrichment_corpora() -> None:
    """The compiled scanner returns the reference's runs on every shipped enrichment article."""
    texts = enrichment_texts()
    assert texts
    for text in texts:
        assert capitalised_runs(text) == capitalised_runs_reference(text)


@pytest.mark.parametrize(
    "text",
    ["", "A", "'s", "al-Bashir", "X al-", "\ud800 Mr. Smith", "U.S. of\nthe Kremlin 12 people"],
)
def test_native_runs_handle_edge_texts(text: str) -> None:
    """Empty, tiny, lone-surrogate and line-broken texts give the reference's runs."""
    assert capitalised_runs(text) == capitalised_runs_reference(text)


def test_native_runs_join_across_connectors_only() -> None:
    """Names joined by connector words form one run; a line break or other word splits them."""
    runs = capitalised_runs("Bank of the Republic met Ana de la Cruz\nThe Hague")
    texts = [[token.text for token in run] for run in runs]
    assert ["Bank", "of", "the", "Republic"] in texts
    assert ["Ana", "de", "la", "Cruz"] in texts
    assert ["The", "Hague"] in texts
    assert all(run[0] not in CONNECTORS for run in texts)


def test_native_runs_split_at_words_that_only_open_with_a_connector() -> None:
    """A gap word longer than every connector, even one opening with a connector, splits runs."""
    text = "Ana bint Omar met Sara bintang Ali; Bank della Roma theme Park"
    runs = capitalised_runs(text)
    assert runs == capitalised_runs_reference(text)
    texts = [[token.text for token in run] for run in runs]
    assert ["Ana", "bint", "Omar"] in texts
    assert ["Sara"] in texts
    assert ["Ali"] in texts
    assert ["Bank"] in texts
    assert ["Roma"] in texts


_HEAD_PIECES = st.sampled_from(
    [
        "drone",
        "drones",
        "Drones",
        "uav",
        "arms",
        "armss",
        "landmine",
        "mines",
        "gunship",
        "guns",
        "begun",
        "determine",
        "-",
        "_",
        "s",
        " ",
        "\n",
        "é",
        "İ",
        "ß",
        "9",
        "𝐀",
        "aircraft",
        "aircrafts",
        "systems-based",
        "drone-based",
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_HEAD_PIECES | st.text(max_size=4), max_size=30).map("".join))
def test_native_head_matches_are_the_reference_matches(text: str) -> None:
    """The compiled head-noun scan finds the reference's whole-word heads in arbitrary text."""
    assert _head_matches(text) == _head_matches_reference(text)


_CASED_HEAD_PIECES = st.tuples(
    _HEAD_PIECES | st.text(max_size=4) | st.sampled_from(["Σ", "ΣΑΣ", "İ", "Ⓐ", "É", "ẞ"]),
    st.sampled_from([str.lower, str.upper, str.title]),
).map(lambda piece: piece[1](piece[0]))


@settings(max_examples=1500, deadline=None)
@given(st.lists(_CASED_HEAD_PIECES, max_size=30).map("".join))
def test_natively_lowered_head_matches_are_the_reference_matches(text: str) -> None:
    """The scan that lower-cases the text itself finds the reference's heads, or declines."""
    found = _HEAD_SCANNER.matches_text(text)
    if found is not None:
        assert found == _head_matches_reference(text)
    assert _head_matches(text) == _head_matches_reference(text)


def test_natively_lowered_head_matches_decline_context_and_widening_cases() -> None:
    """A capital sigma or a character that lowers to two is left to Python's ``str.lower``."""
    assert _HEAD_SCANNER.matches_text("ΟΔΟΣ drones") is None
    assert _HEAD_SCANNER.matches_text("İzmir drones") is None
    assert _HEAD_SCANNER.matches_text("\ud800 drones") is None
    assert _HEAD_SCANNER.matches_text("Drones hit Dnipró’s TANKS") == [
        (0, 6, "drone"),
        (20, 25, "tank"),
    ]


def test_native_head_matches_match_on_the_enrichment_corpora() -> None:
    """The compiled head-noun scan finds the reference's heads on every enrichment article."""
    for text in enrichment_texts():
        assert _head_matches(text) == _head_matches_reference(text)


_INSTITUTION_PIECES = st.sampled_from(
    [
        "Russia",
        "Russia's",
        "Ukraine’s",
        "U.S.",
        "South Korea",
        "Korea X",
        "defence ministry",
        "Defense Ministry",
        "DEFENCE MINISTRY",
        "armed forces",
        "miniſtry of defence",
        "aır force",
        "embassy",
        "forces",
        " ",
        "\t",
        "\n",
        "\u00a0",
        "-",
        "'s",
        "x",
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_INSTITUTION_PIECES | st.text(max_size=3), max_size=12).map("".join))
def test_institution_gate_never_hides_a_template_match(text: str) -> None:
    """Wherever the institution template matches, the cheap gate lets the match be tried."""
    for start in range(len(text)):
        if TEMPLATE_RE.match(text, start) is not None:
            assert _may_match(text, start)


def test_institution_gate_passes_real_phrases() -> None:
    """The gate admits country-institution phrases and refuses a country followed by a verb."""
    text = "Russia's defence ministry said. South Korea's Air Force. Russia said nothing."
    assert _may_match(text, 0)
    assert _may_match(text, text.index("South"))
    assert not _may_match(text, text.index("Russia said"))


@settings(max_examples=1000, deadline=None)
@given(st.lists(_CASED_HEAD_PIECES, max_size=30).map("".join))
def test_head_matches_of_lowered_text_are_the_reference_matches(text: str) -> None:
    """The scan of an already lower-cased text finds the reference's heads in it."""
    lower = text.lower()
    if lower.lower() == lower:
        assert _HEAD_SCANNER.matches(lower) == _head_matches_reference(lower)


def test_natively_lowered_heads_include_letters_lowered_to_ascii() -> None:
    """A Kelvin sign lowers to "k", so "TAN\u212a" is the head "tank" and "\u212aTANK" is none."""
    assert _HEAD_SCANNER.matches_text("the TAN\u212a, \u212aTANK and tan\u212as") == [
        (4, 8, "tank"),
        (20, 25, "tank"),
    ]
    assert _HEAD_SCANNER.matches_text("the TAN\u212a") == _head_matches_reference("the TAN\u212a")
