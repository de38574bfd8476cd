"""The Python passes after the compiled walk agree with their references."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpora import enrichment_texts
from workers.pipeline.enrich.collect import Collector
from workers.pipeline.enrich.gazetteer import load_gazetteer
from workers.pipeline.enrich.lexicon import load_lexicon
from workers.pipeline.enrich.orgs import _NAMED, add_institutions, add_institutions_reference
from workers.pipeline.enrich.spans import capitalised_runs

_INSTITUTION_PIECES = st.sampled_from(
    [
        "Russia's Defense Ministry",
        "Russia’s defence ministry",
        "Ukraine's army",
        "Ukrainian military",
        "the Israeli Army",
        "Israeli army",
        "Former Soviet Army",
        "U.S. Navy",
        "US Navy",
        "France's Foreign Ministry",
        "Chinese Foreign Ministry",
        "the Kremlin",
        "Syrian Armed Forces General Staff",
        "Iran's parliament",
        "Kenyan troops",
        "Moscow Security Service",
        " ",
        "\t",
        ", ",
        ". ",
        "\n",
        "'",
        "-",
    ]
)
_TEXTS = st.lists(_INSTITUTION_PIECES | st.text(max_size=4), max_size=20).map("".join)


def _institutions(text: str, reference: bool) -> tuple[object, ...]:
    """The collector's state after the institutions of ``text``."""
    lexicon, gazetteer = load_lexicon(), load_gazetteer()
    collector = Collector(len(text))
    runs = capitalised_runs(text)
    if reference:
        add_institutions_reference(text, collector, lexicon, gazetteer, runs)
    else:
        add_institutions(text, collector, lexicon, gazetteer, runs)
    return (
        list(collector.records.items()),
        dict(collector.first_seen),
        list(collector.spans),
        bytes(collector.claimed),
    )


@settings(max_examples=1000, deadline=None)
@given(_TEXTS)
def test_memoised_institutions_are_the_reference(text: str) -> None:
    """Institutions recorded through the per-text memo are those judged anew, first and again."""
    expected = _institutions(text, reference=True)
    assert _institutions(text, reference=False) == expected
    assert _institutions(text, reference=False) == expected


def test_memoised_institutions_are_the_reference_on_the_corpora() -> None:
    """On every shipped enrichment article, cold and warm memo alike, institutions are the
    reference's."""
    found = 0
    for warm in (False, True):
        if not warm:
            _NAMED.clear()
        for text in enrichment_texts():
            expected = _institutions(text, reference=True)
            found += len(expected[2])  # type: ignore[arg-type]
            assert _institutions(text, reference=False) == expected
    assert found
