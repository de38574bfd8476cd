"""Classification of hand-written hard-case sentences and of whole articles."""

from __future__ import annotations

import pytest

from workers.pipeline.article import LABELS, Article
from workers.pipeline.classify import classify
from workers.pipeline.segment import segment

M = "military"
D = "diplomatic"


def _article(body: str, title: str | None = None) -> Article:
    text = f"{title}\n\n{body}" if title else body
    return classify(segment(Article(id="t", source="test", body=body, title=title, text=text)))


def _sentence_labels(sentence: str) -> set[str]:
    article = _article(sentence)
    assert len(article.sentences) == 1
    return set(article.sentences[0].labels)


OTHER_SENSES = [
    "Container terminals stayed shut as the dockers' strike entered its second week.",
    "The striker finished a lightning counter-attack to make it 2-0.",
    "The takeover battle for the insurer ended when the rival bid was withdrawn.",
    "Coffee chains are locked in a price war that is squeezing margins.",
    "The tech summit in Austin drew record crowds of developers.",
    "The league imposed sanctions on the club for breaching spending rules.",
    "The opposition leader launched a fierce attack on the housing policy.",
    "His resignation landed like a missile on the party conference.",
    "The report was a bombshell for the company's board.",
    "The steady drone of the engine sent the passengers to sleep.",
    "Her campaign for the mayoralty raised record sums from small donors.",
    "The retailer missed its sales targets for the third straight quarter.",
    "Market forces, not ministers, will set the price of electricity.",
    "Firefighters battled the blaze at the warehouse through the night.",
    "The war on drugs has filled the country's prisons.",
]


@pytest.mark.parametrize("sentence", OTHER_SENSES)
def test_war_words_in_other_senses_are_neither(sentence: str) -> None:
    """War words used figuratively (strike, battle, missile, campaign, forces...) get no label."""
    assert _sentence_labels(sentence) == set()


MILITARY_WITHOUT_KEYWORDS = [
    "The brigade pulled back to prepared positions west of the river.",
    "Overnight shelling damaged the water station in the town.",
    "Sappers cleared the mines from the approach road.",
    "The garrison surrendered after a six-week siege.",
    "Air raid sirens sounded over the city before dawn.",
    "Rebel fighters overran an army outpost near the border.",
    "The navy intercepted two fast boats carrying rifles and grenades.",
    "Paratroopers seized the airfield at first light.",
]


@pytest.mark.parametrize("sentence", MILITARY_WITHOUT_KEYWORDS)
def test_military_news_without_the_obvious_words(sentence: str) -> None:
    """Combat described through units, positions and munitions is military and not diplomatic."""
    assert _sentence_labels(sentence) == {M}


DIPLOMACY_WITHOUT_KEYWORDS = [
    "Kyiv recalled its ambassador from Budapest for consultations.",
    "The foreign minister met his Brazilian counterpart in Brasilia.",
    "The envoy is due in Riyadh on Thursday.",
    "The summit ended with a communique on food security.",
    "Warsaw expelled two diplomats accused of spying.",
    "The UN Security Council adopted a resolution on the Red Sea.",
    "The two governments signed a memorandum on energy cooperation.",
]


@pytest.mark.parametrize("sentence", DIPLOMACY_WITHOUT_KEYWORDS)
def test_diplomacy_without_the_obvious_words(sentence: str) -> None:
    """Envoys, counterparts, communiques and resolutions are diplomatic and not military."""
    assert _sentence_labels(sentence) == {D}


def test_weapons_as_subject_of_talks_are_diplomatic_only() -> None:
    """Missiles that are only the topic of arms-control talks do not make a sentence military."""
    assert _sentence_labels(
        "Talks on limiting deliveries of Tomahawk missiles ended in Geneva."
    ) == {D}
    assert _sentence_labels(
        "The ministers debated a ban on cluster munitions at the conference."
    ) == {D}


def test_arms_delivery_decision_is_military() -> None:
    """A decision to deliver weapons is military; made with allies it is diplomatic too."""
    assert M in _sentence_labels("Berlin will deliver two more Patriot batteries to Kyiv.")
    both = "After talks with allies, the president approved sending Abrams tanks to Ukraine."
    assert _sentence_labels(both) == {M, D}


def test_background_mentions_add_no_label() -> None:
    """'The war began in 2022' and 'since the full-scale invasion' are background, not news."""
    assert _sentence_labels("The war began in February 2022.") == set()
    assert _sentence_labels("Since the full-scale invasion, the school has moved online.") == set()


def test_passing_peace_in_a_battlefield_quote_is_not_diplomatic() -> None:
    """A fighter's quote mentioning peace stays military only."""
    quote = '"We will have peace when the last shell falls," a soldier said in the trench.'
    assert _sentence_labels(quote) == {M}


def test_other_conflicts_are_recognised() -> None:
    """Combat and diplomacy are recognised far from Ukraine."""
    assert _sentence_labels("M23 rebels shelled Congolese army positions near Goma.") == {M}
    assert _sentence_labels("Houthi forces fired an anti-ship missile at a tanker.") == {M}
    assert _sentence_labels("Yerevan and Baku agreed to resume border delimitation talks.") == {D}
    assert _sentence_labels("Myanmar's junta bombed a village in Sagaing.") == {M}


def test_article_with_fighting_and_talks_is_both() -> None:
    """An article reporting strikes and negotiations gets both topics, in LABELS order."""
    article = _article(
        "Russian missiles hit Odesa overnight, killing three people. "
        "Meanwhile the foreign ministers met in Geneva to discuss a ceasefire.",
        title="Strikes and talks",
    )
    assert article.topics == [M, D]
    assert set(article.labels) == set(LABELS)
    evidence = article.labels[M].evidence
    assert evidence and "Odesa" in evidence[0].text and evidence[0].cues


def test_sports_article_is_neither_despite_war_words() -> None:
    """A match report full of attack, battle and fight gets no topic but still both label keys."""
    article = _article(
        "It was a battle from the first whistle. The visitors' attack tore through the defence. "
        "The striker fired home twice and the coach said his players had fought like warriors.",
        title="Derby war ends in rout",
    )
    assert article.topics == []
    assert set(article.labels) == set(LABELS)
    assert all(result.evidence == [] for result in article.labels.values())


def test_sentence_scores_and_cues_are_filled() -> None:
    """Every sentence gets both scores in 0..1, and cues only for labels that had any."""
    article = _article("Artillery pounded the town. The weather was mild.")
    first, second = article.sentences
    assert set(first.scores) == set(LABELS) and set(second.scores) == set(LABELS)
    assert all(0.0 <= score <= 1.0 for s in article.sentences for score in s.scores.values())
    assert first.labels == [M] and "artillery" in first.cues[M]
    assert second.labels == [] and second.cues == {}


def test_empty_article_gets_both_labels_with_zero_score() -> None:
    """An article without text still gets both label keys, zero scores and no topics."""
    article = _article("")
    assert article.sentences == [] and article.topics == []
    assert {label: result.score for label, result in article.labels.items()} == {M: 0.0, D: 0.0}


def test_unicode_punctuation_is_handled() -> None:
    """Accents, curly quotes, dashes and ellipses neither crash nor invent labels."""
    article = _article("Ça va? Ünïcödé \u201cquotes\u201d \u2014 dash\u2026 The café reopened.")
    assert article.topics == []
