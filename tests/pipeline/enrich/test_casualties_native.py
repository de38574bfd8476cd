"""The compiled casualty gates agree with their Python definitions on real and arbitrary text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpora import enrichment_fields_and_seeds
from workers.bench.corpus import default_sources, generate_articles
from workers.pipeline.article import Sentence
from workers.pipeline.enrich import casualties
from workers.pipeline.normalise import normalise
from workers.pipeline.segment import segment, split_sentences
from workers.pipeline.validate import validate

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "enrich" / "casualties.jsonl"

# Words that exercise the gates: cue tokens with their suffixes, counts, qualifiers, case
# variants, words sharing a cue's first letters, non-ASCII look-alikes (Kelvin sign, dotted I,
# sigma) and odd whitespace.
_PIECES = st.sampled_from(
    [
        "killed", "Killed.", "KILLED,", "dead", "died,", "injured”", "lives", "toll:",
        "\u212aills", "\u212ailled", "\u0130njured", "ΣIGMA", "wounded)", "hurt;",
        "three", "Twenty-one", "a", "an", "another", "at", "least", "as", "many", "up", "to",
        "12", "1,000", "٣", "x2", "_a", "a_", "people", "were", "and", "no", "one",
        "the", "soldiers", "civilians", "é", "l'a", "\ud800", "-", ".", ";",
        "kilo", "Deaf", "dEAD", "li\u212ae", "de\u0130d", "hu", "to", "tol", "los\u00e9",
    ]
)  # fmt: skip
_SPACES = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\u2003", "\x1c", "\x85", "", "-"])
_TEXTS = st.lists(st.tuples(_PIECES, _SPACES).map("".join), max_size=30).map("".join)
# Words of subject figures ("at least three soldiers and 12 militants were killed"), so that
# generated sentences often hold a match, with stops and commas between clauses.
_SUBJECT_WORDS = st.sampled_from(
    [
        "at least", "three", "12", "a", "another", "people", "soldiers", "civilians", "young",
        "were", "was", "have been", "killed", "injured", "dead", "hurt", "lost their lives",
        "and", "in total", "seriously", ", including two children,", ".", ";", ",", "of the",
        "army", "10-year-old", "among the wounded", "two hundred",
    ]
)  # fmt: skip
_SUBJECT_TEXTS = st.lists(_SUBJECT_WORDS, max_size=14).map(" ".join)


def _sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(index, text, 0, len(text)) for index, text in enumerate(texts)]


def _corpus_texts() -> list[str]:
    texts = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line:
            text = json.loads(line)["text"]
            texts += [text[start:end] for start, end in split_sentences(text)]
    return texts


Found = list[tuple[tuple[int, int], dict[str, str | None]]]
_GATED_PATTERNS = (casualties._SUBJECT_RE, casualties._COORDINATED_RE)


def _subject_reference(text: str) -> list[Found]:
    return [[(m.span(), m.groupdict()) for m in p.finditer(text)] for p in _GATED_PATTERNS]


def _subject_gated(text: str) -> list[Found]:
    starts = casualties._COUNT_STARTS.starts(text)
    return [
        [(m.span(), m.groupdict()) for m in casualties._matches_at(p, text, starts)]
        for p in _GATED_PATTERNS
    ]


def test_cue_sentences_match_the_reference_on_the_corpus() -> None:
    """The compiled cue gate selects exactly the corpus sentences the Python gate selects."""
    sentences = _sentences(_corpus_texts())
    selected = casualties.cue_sentences(sentences)
    assert selected == casualties.cue_sentences_reference(sentences)
    assert 0 < len(selected) < len(sentences)


@settings(max_examples=400)
@given(st.lists(_TEXTS | st.text(), max_size=6))
def test_cue_sentences_match_the_reference_on_any_text(texts: list[str]) -> None:
    """The compiled cue gate agrees with lower-casing and splitting in Python on any text."""
    sentences = _sentences(texts)
    assert casualties.cue_sentences(sentences) == casualties.cue_sentences_reference(sentences)


def test_count_starts_hold_every_start_of_the_count_lookahead_on_the_corpus() -> None:
    """Every position where the count lookahead holds in a corpus sentence is a count start."""
    ahead = re.compile(rf"\b{casualties._QUAL_COUNT_AHEAD}")
    for text in _corpus_texts():
        lowered = text.lower()
        starts = set(casualties._COUNT_STARTS.starts(lowered))
        assert {m.start() for m in ahead.finditer(lowered)} <= starts


@settings(max_examples=400)
@given(_TEXTS | st.text())
def test_count_starts_hold_every_start_of_the_count_lookahead(text: str) -> None:
    """On any text, the count starts include every position where the lookahead holds."""
    ahead = re.compile(rf"\b{casualties._QUAL_COUNT_AHEAD}")
    for value in (text, text.lower()):
        assert {m.start() for m in ahead.finditer(value)} <= set(
            casualties._COUNT_STARTS.starts(value)
        )


def test_subject_matches_at_count_starts_are_the_full_search_on_the_corpus() -> None:
    """Matching the subject patterns at count starts finds what a full search finds."""
    for text in _corpus_texts():
        lowered = text.lower()
        assert _subject_gated(lowered) == _subject_reference(lowered)


@settings(max_examples=400)
@given(_TEXTS | _SUBJECT_TEXTS)
def test_subject_matches_at_count_starts_are_the_full_search(text: str) -> None:
    """On generated sentences the subject matches at count starts equal the full search."""
    lowered = text.lower()
    assert _subject_gated(lowered) == _subject_reference(lowered)


# The patterns tried at starts, with the starts Python gives each and the compiled gate.
_STARTED = (
    (casualties._SUBJECT_RE, casualties._SUBJECT_GATE, casualties._COUNT_STARTS.starts),
    (casualties._COORDINATED_RE, casualties._COORDINATED_GATE, casualties._COUNT_STARTS.starts),
    (
        casualties._OBJECT_RE,
        casualties._OBJECT_GATE,
        lambda text: casualties._occurrences(text, casualties._OBJECT_STARTS),
    ),
    (
        casualties._ZERO_RE,
        casualties._ZERO_GATE,
        lambda text: casualties._occurrences(text, casualties._ZERO_STARTS),
    ),
)


def _assert_gates_keep_every_match(text: str) -> None:
    """Each gate keeps every position where its pattern matches, and the matches tried at
    the kept starts are those tried at every start."""
    for pattern, gate, starts_of in _STARTED:
        everywhere = list(range(len(text) + 1))
        matching = [at for at in everywhere if pattern.match(text, at)]
        kept = gate.prune(text, everywhere)
        assert set(matching) <= set(kept)
        starts = starts_of(text)
        found = casualties._matches_at(pattern, text, gate.prune(text, starts))
        reference = casualties._matches_at(pattern, text, starts)
        assert [m.span() for m in found] == [m.span() for m in reference]


def _team_sentences() -> list[str]:
    """The sentences of every team enrichment corpus and seed, and of generated articles."""
    texts = enrichment_fields_and_seeds()
    sentences = [text[start:end] for text in texts for start, end in split_sentences(text)]
    for record in generate_articles(default_sources(), 40):
        article = validate(record.value, ingested_at="1970-01-01T00:00:00Z", max_bytes=10**7)
        sentences += [sentence.text for sentence in segment(normalise(article)).sentences]
    return sentences


def test_start_gates_keep_every_match_on_team_corpora_and_generated_articles() -> None:
    """On the team corpora, seeds and generated articles (lower-cased, as the stage reads
    them), the compiled gates drop no start where a casualty pattern matches, and drop some."""
    dropped = 0
    for text in _team_sentences():
        lowered = text.lower()
        if casualties._CUE_TOKENS.isdisjoint(lowered.split()):
            continue
        _assert_gates_keep_every_match(lowered)
        starts = casualties._COUNT_STARTS.starts(lowered)
        dropped += len(starts) - len(casualties._SUBJECT_GATE.prune(lowered, starts))
    assert dropped > 0


@settings(max_examples=300, deadline=None)
@given(_TEXTS | _SUBJECT_TEXTS | st.text())
def test_start_gates_keep_every_match(text: str) -> None:
    """On generated sentences and any text the gates keep every start where a pattern matches."""
    _assert_gates_keep_every_match(text.lower())


def test_relaxed_pattern_drops_look_arounds_only() -> None:
    """Look-arounds go with everything inside them; escapes and classes that look like them stay."""
    relaxed = casualties.relaxed_pattern
    assert relaxed(r"a(?=b(c)d)e(?!f)g(?<=h)(?<![)]i)j") == "aegj"
    assert relaxed(r"\(?=x[(?!]y(?:z)") == r"\(?=x[(?!]y(?:z)"
    assert relaxed(r"[]a](?!\))b[^]]") == "[]a]b[^]]"


# Words the sentence scan looks for: zero words, number tokens, verbs, "among", the parts of
# the toll, lost, lives, total, additive and background cues, and the patterns' first words,
# with cue words so that the sentences are scanned.
_SCAN_WORDS = st.sampled_from(
    [
        "killed", "Killing", "wounding", "injured.", "lives", "toll", "no", "nobody", "No-one",
        "none", "without", "among", "Among,", "number of", "total", "rose to", "los", "lost",
        "bodies", "family of", "since", "2019", "last", "similar", "another", "also",
        "separately", "meanwhile", "three,", "twenty-one", "a", "his", "12", "٣", "people",
        "were", "and", "\u212aill", "é", "“", "\u00a0", "\x1c", "injur", "kil", "\ud800",
    ]
)  # fmt: skip
_SCAN_TEXTS = st.lists(st.tuples(_SCAN_WORDS, _SPACES).map("".join), max_size=20).map("".join)


def _chunks(texts: list[str], size: int) -> list[list[str]]:
    return [texts[start : start + size] for start in range(0, len(texts), size)]


def test_sentence_scan_matches_the_reference_on_team_corpora_and_generated_articles() -> None:
    """The compiled scan of the team corpora, seeds and generated articles (sentences taken
    20 at a time, as articles) equals the Python scan, and finds figures to try."""
    scanned = []
    for texts in _chunks(_team_sentences() + _corpus_texts(), 20):
        found = casualties.scan_sentences(texts)
        assert found == casualties.scan_sentences_reference(texts)
        scanned += found
    flags = [flag for _, _, (flag, *_) in scanned]
    assert all(any(flag & bit for flag in flags) for bit in (1, 2, 4, 8, 16, 32, 64, 128, 256))
    assert sum(bool(subject) for _, _, (_, _, _, subject, _) in scanned) > 100


@settings(max_examples=400, deadline=None)
@given(st.lists(_SCAN_TEXTS | _SUBJECT_TEXTS | _TEXTS | st.text(), max_size=6))
def test_sentence_scan_matches_the_reference_on_any_text(texts: list[str]) -> None:
    """On generated and arbitrary texts the compiled scan equals the Python scan."""
    assert casualties.scan_sentences(texts) == casualties.scan_sentences_reference(texts)


# Latin-1 texts (read a byte at a time, eight at once) with cue words and every kind of
# white space and control character of Latin-1 between them.
_LATIN1_TEXTS = st.lists(
    st.sampled_from(["killed", "Dead,", "LOST", "toll.", "kill", "déad", "hurt;"])
    | st.text(st.characters(max_codepoint=255), max_size=12),
    max_size=12,
).map("".join)


@settings(max_examples=400)
@given(st.lists(_LATIN1_TEXTS, max_size=6))
def test_cue_sentences_match_the_reference_on_latin1_text(texts: list[str]) -> None:
    """On Latin-1 texts the compiled cue gate agrees with lower-casing and splitting in Python."""
    sentences = _sentences(texts)
    assert casualties.cue_sentences(sentences) == casualties.cue_sentences_reference(sentences)


_SUBSET_WORDS = st.sampled_from(
    [
        "including", "among", "them", "whom", "of", "the", "none", "no", "two", "12", "thé",
        "including\u00a0", "them\n", "the\x1c", "\u2003", " ", "  ", "\n", "\t", "x",
    ]
)  # fmt: skip
_SUBSET_TEXTS = st.lists(_SUBSET_WORDS, max_size=12).map(" ".join) | st.text(max_size=40)


@settings(max_examples=500, deadline=None)
@given(_SUBSET_TEXTS, st.integers(0, 45))
def test_subset_check_matches_the_reference(text: str, position: int) -> None:
    """Whether a figure is part of another or negated is decided as the reference decides it."""
    position = min(position, len(text))
    assert casualties._is_subset(text, position) == casualties._is_subset_reference(text, position)


def test_subset_check_matches_the_reference_on_team_corpora() -> None:
    """At every position of the team sentences (lower-cased), the subset check agrees with the
    reference, and finds some subsets."""
    found = 0
    for text in _team_sentences():
        lowered = text.lower()
        for position in range(len(lowered) + 1):
            expected = casualties._is_subset_reference(lowered, position)
            assert casualties._is_subset(lowered, position) == expected
            found += expected
    assert found > 0
