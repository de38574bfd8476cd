"""Sentence segmentation of normalised article text."""

from __future__ import annotations

from workers.pipeline.article import Article
from workers.pipeline.segment import segment, split_sentences


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def test_spans_are_offsets_into_the_text() -> None:
    """Every span slices the original text to exactly the sentence, without outer spaces."""
    text = "Troops advanced.  Talks stalled!\nWhy now? Nobody knows."
    for start, end in split_sentences(text):
        piece = text[start:end]
        assert piece == piece.strip()
        assert piece
    assert _sentences(text) == ["Troops advanced.", "Talks stalled!", "Why now?", "Nobody knows."]


def test_titles_and_abbreviations_do_not_end_sentences() -> None:
    """Sen., Gov., Lt. Gen., Dr. and Mr. are followed by a name, not a new sentence."""
    text = (
        "Sen. Marco Rubio met Gov. Jane Lee and Lt. Gen. Tom Ray. "
        "Dr. Ann Hill and Mr. Bo Li came too."
    )
    assert _sentences(text) == [
        "Sen. Marco Rubio met Gov. Jane Lee and Lt. Gen. Tom Ray.",
        "Dr. Ann Hill and Mr. Bo Li came too.",
    ]


def test_country_abbreviations_inside_a_sentence() -> None:
    """U.S., U.K. and U.N. before a name stay inside the sentence."""
    text = "The U.S. Senate and U.K. officials briefed U.N. envoys. They agreed."
    assert _sentences(text) == [
        "The U.S. Senate and U.K. officials briefed U.N. envoys.",
        "They agreed.",
    ]


def test_abbreviation_at_sentence_end_before_an_opener() -> None:
    """A dotted abbreviation that ends a sentence splits when a usual sentence opener follows."""
    text = "Troops arrived from the U.S. The base was quiet at 6 a.m. It stayed calm."
    assert _sentences(text) == [
        "Troops arrived from the U.S.",
        "The base was quiet at 6 a.m.",
        "It stayed calm.",
    ]


def test_months_numbers_and_initials() -> None:
    """Jan. 5, No. 10, St. Petersburg, decimals and initials like "J. R. Smith" do not split."""
    text = (
        "On Jan. 5 the No. 10 spokesman said growth was 3.5 percent. "
        "J. R. Smith went to St. Petersburg."
    )
    assert _sentences(text) == [
        "On Jan. 5 the No. 10 spokesman said growth was 3.5 percent.",
        "J. R. Smith went to St. Petersburg.",
    ]


def test_closing_quotes_stay_with_their_sentence() -> None:
    """A quote closing after the period or comma belongs to the sentence before it."""
    text = '"We want peace," he said. "They refuse." She added: "Not now?" he asked.'
    assert _sentences(text) == [
        '"We want peace," he said.',
        '"They refuse."',
        'She added: "Not now?" he asked.',
    ]


def test_curly_quotes_after_the_period() -> None:
    """Typographic closing quotes after the terminal punctuation end the sentence."""
    text = "\u201cNegotiations must stop the war.\u201d Zelensky spoke in Kyiv."
    assert _sentences(text) == [
        "\u201cNegotiations must stop the war.\u201d",
        "Zelensky spoke in Kyiv.",
    ]


def test_heading_without_punctuation_is_its_own_sentence() -> None:
    """A line without terminal punctuation (a sub-heading) is not merged with the next line."""
    text = "Violence overshadows diplomacy\nUkrainian officials reported attacks."
    assert _sentences(text) == [
        "Violence overshadows diplomacy",
        "Ukrainian officials reported attacks.",
    ]


def test_bullets_and_related_sources_trailer() -> None:
    """Bullet markers start sentences and are left out of them; the trailer is a sentence."""
    text = "Related Sources:\n\u2022 Source 1 \u2022 Source 2\n- first item\n- second item"
    assert _sentences(text) == [
        "Related Sources:",
        "Source 1",
        "Source 2",
        "first item",
        "second item",
    ]


def test_dateline_joins_the_first_sentence() -> None:
    """A dateline, on its own line or inline, is part of the first sentence."""
    own_line = "KYIV, Oct. 22 (Reuters) -\nRussia fired missiles overnight. Power failed."
    assert _sentences(own_line) == [
        "KYIV, Oct. 22 (Reuters) -\nRussia fired missiles overnight.",
        "Power failed.",
    ]
    inline = "KHARTOUM, May 3 (AP) \u2014 Shells hit the market. Seven died."
    assert _sentences(inline)[0] == "KHARTOUM, May 3 (AP) \u2014 Shells hit the market."


def test_byline_is_its_own_sentence() -> None:
    """A "By Jane Doe" line is not glued to the first paragraph."""
    text = "By Jane Doe\nThe talks resumed on Monday."
    assert _sentences(text) == ["By Jane Doe", "The talks resumed on Monday."]


def test_hard_wrapped_line_joins_its_continuation() -> None:
    """A line cut mid-sentence continues on a next line that starts in lower case."""
    text = "The foreign minister met his\ncounterpart in Ankara. Talks ended."
    assert _sentences(text) == [
        "The foreign minister met his\ncounterpart in Ankara.",
        "Talks ended.",
    ]


def test_segment_marks_the_title_as_sentence_zero() -> None:
    """The title is sentence 0 with is_title, and body sentences follow with exact offsets."""
    title = "Strikes hit Kyiv. Talks stall"
    body = "Missiles struck the capital. Diplomats met in Geneva."
    article = Article(id="a1", source="test", title=title, body=body, text=f"{title}\n\n{body}")
    sentences = segment(article).sentences
    assert [s.text for s in sentences] == [
        title,
        "Missiles struck the capital.",
        "Diplomats met in Geneva.",
    ]
    assert sentences[0].is_title and not any(s.is_title for s in sentences[1:])
    assert [s.index for s in sentences] == [0, 1, 2]
    for sentence in sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text


def test_segment_without_title() -> None:
    """Without a title (or when the text does not start with it) no sentence is a title."""
    article = Article(id="a2", source="test", title="Other", body="One. Two.", text="One. Two.")
    sentences = segment(article).sentences
    assert [s.text for s in sentences] == ["One.", "Two."]
    assert not any(s.is_title for s in sentences)


def test_empty_text_has_no_sentences() -> None:
    """Blank text yields no sentences rather than an empty one."""
    assert split_sentences("") == []
    assert split_sentences("  \n\n ") == []


def test_a_joining_line_at_the_end_is_still_a_sentence() -> None:
    """A dateline or an unfinished line with nothing after it closes the last block."""
    assert _sentences("Talks ended.\nKYIV, Oct 22 (Reuters) -") == [
        "Talks ended.",
        "KYIV, Oct 22 (Reuters) -",
    ]
    assert _sentences("The minister met his") == ["The minister met his"]


def test_inline_bullets_split_only_their_own_line() -> None:
    """A bullet between spaces cuts its own line; the other lines split as usual."""
    text = "Plain line. Second sentence.\nA \u2022 B"
    assert _sentences(text) == ["Plain line.", "Second sentence.", "A", "B"]


def test_marks_inside_words_and_numbers_do_not_split() -> None:
    """Decimal points and dotted abbreviations stay inside their sentence; outer spaces go."""
    text = "  Prices rose 3.5 percent in the U.S. Markets fell.  \n\n"
    assert _sentences(text) == ["Prices rose 3.5 percent in the U.S. Markets fell."]
