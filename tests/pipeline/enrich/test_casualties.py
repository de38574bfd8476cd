"""Tests of the casualty stage: counting rules, traps, aggregation, and the corpus floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workers.pipeline.article import Article, Sentence
from workers.pipeline.enrich.casualties import extract_casualties, split_sentences
from workers.pipeline.enrich.numbers import parse_number

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "enrich" / "casualties.jsonl"
SEEDS = ROOT / "seeds"


def article(text: str, title: str | None = None) -> Article:
    full = f"{title}\n\n{text}" if title else text
    return Article(id="t", source="test", body=text, title=title, text=full)


def counts(text: str, title: str | None = None) -> tuple[int | None, int | None]:
    result = extract_casualties(article(text, title)).casualties
    return result.killed, result.injured


def load_corpus() -> list[dict[str, object]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "value"),
    [("12", 12), ("1,130", 1130), ("four", 4), ("twenty-three", 23), ("a dozen", 12),
     ("two hundred and five", 205), ("2022", None)],
)  # fmt: skip
def test_parse_number(fragment: str, value: int | None) -> None:
    """Digits, thousands separators, number words and 'a dozen' parse; a year does not."""
    assert parse_number(fragment) == value


# --- counting rules ----------------------------------------------------------------------


def test_number_words_with_passive_verb() -> None:
    """'Four people were killed' counts four killed."""
    assert counts("Four people were killed in Kharkiv on Monday.") == (4, None)


def test_hyphenated_number_word() -> None:
    """A compound number word ('twenty-three') is read as one figure."""
    assert counts("At least twenty-three civilians were killed in the shelling.") == (23, None)


def test_a_dozen() -> None:
    """'A dozen soldiers were wounded' counts twelve injured."""
    assert counts("A dozen soldiers were wounded in the ambush.") == (None, 12)


def test_two_children() -> None:
    """A count of children ('two children died') counts as killed people."""
    assert counts("Two children died when the shell hit their home.") == (2, None)


def test_at_least_digits() -> None:
    """'at least 12 killed' counts the stated figure."""
    assert counts("At least 12 killed as missiles hit the city centre.") == (12, None)


def test_killing_and_wounding() -> None:
    """'killing 3 and wounding 11' gives both kinds."""
    assert counts("A drone hit a bus, killing 3 and wounding 11.") == (3, 11)


def test_dead_and_injured_without_noun() -> None:
    """'three dead and 11 injured' gives both kinds without a noun after the counts."""
    assert counts("Three dead and 11 injured after the strike on the port.") == (3, 11)


def test_lost_their_lives_and_hospitalised() -> None:
    """'lost their lives' is killed and 'hospitalised' is injured."""
    text = "Five people lost their lives and 14 were hospitalised after the attack."
    assert counts(text) == (5, 14)


def test_age_is_not_a_count() -> None:
    """'injuring a 10-year-old child' is one injured person, not ten."""
    assert counts("The attack damaged homes, injuring a 10-year-old child.") == (None, 1)


def test_no_one_was_hurt() -> None:
    """'No one was hurt' sets both kinds to zero."""
    assert counts("No one was hurt when the missile fell in a field.") == (0, 0)


def test_no_casualties_were_reported() -> None:
    """'No casualties were reported' sets both kinds to zero."""
    assert counts("Debris fell on a warehouse. No casualties were reported.") == (0, 0)


def test_there_were_no_injuries() -> None:
    """'there were no injuries' sets injured to zero and leaves killed unknown."""
    assert counts("There were no injuries, but the strike damaged a substation.") == (None, 0)


def test_casualties_under_assessment_are_unknown() -> None:
    """Casualties reported without figures leave both kinds unknown (None)."""
    text = "Casualties were reported, though numbers remained under assessment."
    assert counts(text) == (None, None)


def test_never_stated_is_none() -> None:
    """An article that states no casualties at all has None for both kinds."""
    assert counts("Talks between the two foreign ministers ended without agreement.") == (
        None,
        None,
    )


def test_drones_downed_are_not_casualties() -> None:
    """'57 drones were downed' is not a casualty count."""
    assert counts("Air defences downed 57 drones and two missiles overnight.") == (None, None)


def test_dates_times_distances_money_percentages_are_not_counts() -> None:
    """Dates, years, times, distances, money and percentages never become counts."""
    text = (
        "On 12 March 2024, at 5:30 a.m., a shell landed 30 km from the border, causing "
        "$5 million in damage to 20% of the district. Two people were injured."
    )
    assert counts(text) == (None, 2)


def test_allies_and_residents_are_not_casualties() -> None:
    """'35 allies' and 'hundreds of thousands of residents lost power' are not casualties."""
    text = (
        "35 allies of Ukraine met in London. Hundreds of thousands of residents lost power "
        "after the strike."
    )
    assert counts(text) == (None, None)


def test_soldiers_lost_claim_counts_with_evidence() -> None:
    """'Russia lost 1,130 troops' counts as killed and is kept as evidence."""
    result = extract_casualties(
        article("Ukraine's General Staff said Russia lost 1,130 troops over the past day.")
    ).casualties
    assert result.killed == 1130
    assert [(e.kind, e.count) for e in result.evidence] == [("killed", 1130)]


def test_subset_including_children_not_added() -> None:
    """A part of a figure ('including two children') is not added to the figure."""
    assert counts("Ten people, including two children, were killed in the strike.") == (10, None)


def test_negated_none_of_passengers() -> None:
    """'None of the 40 passengers were hurt' is zero, not 40 injured."""
    assert counts("None of the 40 passengers were hurt when shrapnel hit the train.") == (0, 0)


# --- aggregation -------------------------------------------------------------------------


def test_death_toll_update_takes_latest_figure() -> None:
    """'The death toll rose to 15' after '12 dead' gives 15, not 27."""
    text = "Officials first reported 12 dead. By evening the death toll rose to 15."
    assert counts(text) == (15, None)


def test_title_and_body_restatement_counted_once() -> None:
    """A figure in the title and restated in the body counts once."""
    body = "Four people were killed when missiles hit Chernihiv, the mayor said."
    assert counts(body, title="Four killed in Russian strike on Chernihiv") == (4, None)


def test_restated_victims_counted_once() -> None:
    """'four killed ... the four victims' counts four."""
    text = "The strike killed four people. The four victims were civilians, police said."
    assert counts(text) == (4, None)


def test_separate_incidents_are_summed() -> None:
    """Figures of separate incidents ('another', 'elsewhere') add up."""
    text = (
        "A missile attack on Kyiv killed 2 people. "
        "Elsewhere, shelling in Nikopol killed 3 residents."
    )
    assert counts(text) == (5, None)


def test_lede_total_is_not_added_to_breakdown() -> None:
    """A lede total followed by its breakdown by city keeps the total."""
    text = (
        "At least 20 people were killed in overnight strikes across Ukraine. "
        "In Kharkiv, 12 died, while eight were killed in Dnipro."
    )
    assert counts(text) == (20, None)


def test_zero_in_one_place_does_not_hide_figure_elsewhere() -> None:
    """'no reported casualties' in one city and 'four killed' in another gives four killed."""
    text = (
        "In Kyiv there have been no reported casualties. In Chernihiv, four people were "
        "killed as strikes hit power facilities."
    )
    assert counts(text) == (4, 0)


def test_war_long_tally_is_not_this_events_toll() -> None:
    """A cumulative toll 'since the start of the invasion' does not add to the day's figure."""
    text = (
        "A Russian drone strike killed 4 people in Sumy on Tuesday. More than 12,000 civilians "
        "have been killed in Ukraine since the start of the full-scale invasion, the UN says."
    )
    assert counts(text) == (4, None)


def test_coordinated_groups_are_added() -> None:
    """'three soldiers and 12 militants were killed' counts fifteen."""
    assert counts("Three Nigerian soldiers and 12 militants were killed in the clash.") == (
        15,
        None,
    )


def test_figures_in_one_sentence_for_two_places_are_added() -> None:
    """'2 injured in one district and 3 in another' counts five."""
    text = "The mayor said 2 people were injured in Solomianskyi and 3 in Darnytskyi district."
    assert counts(text) == (None, 5)


def test_evidence_points_at_sentences() -> None:
    """Evidence carries the kind, the count, the sentence index and its original text."""
    sentences = [
        Sentence(0, "Strikes hit the city overnight.", 0, 31),
        Sentence(1, "Three people were killed, officials said.", 32, 73),
    ]
    item = Article(id="t", source="s", body="", text=" ".join(s.text for s in sentences))
    item.sentences = sentences
    evidence = extract_casualties(item).casualties.evidence
    assert [(e.kind, e.count, e.sentence, e.text) for e in evidence] == [
        ("killed", 3, 1, "Three people were killed, officials said.")
    ]


def test_naive_split_keeps_abbreviations() -> None:
    """The fallback sentence splitter does not break after 'U.S.'."""
    text = "A call between U.S. Senator Marco Rubio and Sergei Lavrov ended. Talks stalled."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "A call between U.S. Senator Marco Rubio and Sergei Lavrov ended.",
        "Talks stalled.",
    ]


# --- real articles and the corpus ----------------------------------------------------------


def test_seed_article_with_killed_and_wounded_child() -> None:
    """Seed 003: four killed in Chernihiv and a child among the wounded; Kyiv had none."""
    text = (SEEDS / "003_35e8aa4aaff3b0b0.txt").read_text(encoding="utf-8")
    assert counts(text) == (4, 1)


def test_seed_article_with_unassessed_casualties() -> None:
    """Seed 000: casualties reported without figures stay unknown."""
    text = (SEEDS / "000_69f57737045acf77.txt").read_text(encoding="utf-8")
    assert counts(text) == (None, None)


def test_corpus_exact_match_rate() -> None:
    """Killed and injured are both exactly right on at least 90% of the written corpus."""
    rows = load_corpus()
    assert len(rows) >= 60
    right = 0
    for row in rows:
        text = str(row["text"])
        title, _, body = text.partition("\n\n") if "\n\n" in text else (None, "", text)
        item = Article(id=str(row["id"]), source="corpus", body=body, title=title, text=text)
        result = extract_casualties(item).casualties
        right += (result.killed, result.injured) == (row["killed"], row["injured"])
    assert right / len(rows) >= 0.9
