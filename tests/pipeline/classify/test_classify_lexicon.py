"""The shipped cue lexicon and term sets load and behave as the matcher expects."""

from __future__ import annotations

from workers.pipeline.classify.lexicon import load_lexicon, load_sets, words
from workers.pipeline.classify.matching import Matcher, tokenize


def test_data_files_load_with_required_sets() -> None:
    """The lexicon parses and names the geo, state and domain term sets it relies on."""
    lexicon = load_lexicon()
    sets = load_sets()
    assert {"geo", "state", "sports", "business", "labour"} <= set(sets)
    assert lexicon.by_token and lexicon.by_prefix
    assert lexicon.domain_of["striker"] == "sports"


def test_tokenize_makes_country_abbreviations_unambiguous() -> None:
    """U.S./US become 'usa' (not the pronoun 'us'), U.K. 'uk', U.N. 'un'; hyphens stay."""
    assert tokenize("The U.S. and US envoys told us about a drone-strike.") == [
        "the",
        "usa",
        "and",
        "usa",
        "envoys",
        "told",
        "us",
        "about",
        "a",
        "drone-strike",
    ]
    assert tokenize("U.K. and U.N. officials") == ["uk", "and", "un", "officials"]


def test_lexicon_words_and_text_agree_on_accents() -> None:
    """Accented lexicon entries and accented text map to the same token."""
    assert words("communiqué") == tokenize("Communiqué")


def test_longest_phrase_wins_and_consumes_its_words() -> None:
    """'price war' is consumed as another sense, so 'war' does not fire on its own."""
    match = Matcher(load_lexicon()).match("Grocers are in a price war.")
    assert not match.hits


def test_prefix_cues_match_inflections() -> None:
    """A prefix cue ('ambassador~') matches its inflected forms."""
    match = Matcher(load_lexicon()).match("The ambassadors were summoned.")
    texts = [hit.text for hits in match.hits.values() for hit in hits]
    assert "ambassadors" in texts
