"""Properties of the dedup fingerprints: stability, invariances and estimate accuracy."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from workers.pipeline.dedup.fingerprint import (
    _CONTENT_RULES,
    _LATIN_LETTERS,
    _NATIVE_TABLES,
    _NFKC_ASCII,
    _SAFE_CHARS,
    _WIDENING_SYMBOLS,
    NAME_SKETCH,
    NUM_PERM,
    NUMBER_SKETCH,
    Fingerprint,
    _ascii_fingerprint,
    _ascii_text,
    _fast_ascii_text,
    _general_fingerprint,
    _widened_text,
    canonical_text,
    content_hash,
    content_lines,
    estimate_jaccard,
    fingerprint,
    key_tokens,
    minhash,
    number_word,
    strip_boilerplate,
)

VOCABULARY = (
    "drone strike kyiv russia ukraine minister said talks ceasefire border troops missile "
    "power grid port grain city region attack governor army village"
)
WORDS = st.sampled_from(VOCABULARY.split(" "))
TEXTS = st.lists(WORDS, min_size=1, max_size=60).map(" ".join)

SAMPLE = (
    "KYIV (Reuters) - Russian drones hit a power substation in Kharkiv overnight, leaving "
    "40,000 homes without electricity, governor Oleh Syniehubov said on Tuesday.\n"
    "Repair crews restored supply to most homes by noon."
)


def _signature_hex(text: str) -> str:
    fp = fingerprint(text)
    return fp.digest.hex() + fp.signature.tobytes().hex()


def test_signature_does_not_depend_on_hash_seed() -> None:
    """A fingerprint computed in a process with another PYTHONHASHSEED is byte-identical."""
    code = (
        "import sys; sys.path.insert(0, '.');"
        "from tests.pipeline.dedup.test_dedup_fingerprint import _signature_hex, SAMPLE;"
        "print(_signature_hex(SAMPLE))"
    )
    outputs = set()
    for seed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout.strip())
    assert outputs == {_signature_hex(SAMPLE)}


@given(TEXTS)
def test_identical_text_identical_signature(text: str) -> None:
    """Fingerprinting the same text twice gives the same hash and signatures."""
    a, b = fingerprint(text), fingerprint(text)
    assert a.digest == b.digest
    assert np.array_equal(a.signature, b.signature)


@given(TEXTS, st.data())
def test_signature_ignores_whitespace_case_and_punctuation(text: str, data: st.DataObject) -> None:
    """Changing case, spacing and punctuation between words changes neither hash nor signature."""
    words = text.split()
    seps = data.draw(
        st.lists(
            st.sampled_from([" ", "  ", ", ", " - ", "; ", "\t", "... "]),
            min_size=len(words),
            max_size=len(words),
        )
    )
    noisy = "".join(
        sep + (w.upper() if i % 2 else w.title())
        for i, (w, sep) in enumerate(zip(words, seps, strict=True))
    )
    assert noisy  # the noisy variant keeps every word
    a, b = fingerprint(text + "."), fingerprint(noisy + " !")
    assert a.digest == b.digest
    assert np.array_equal(a.signature, b.signature)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=20, max_value=600),
    st.integers(min_value=0, max_value=600),
    st.integers(min_value=0, max_value=600),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_jaccard_estimate_close_to_true_jaccard(
    shared: int, only_a: int, only_b: int, seed: int
) -> None:
    """On random shingle sets the MinHash estimate is within 0.16 (≈3.5σ) of the true Jaccard."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 2**63, shared + only_a + only_b, dtype=np.uint64)
    a = values[: shared + only_a]
    b = np.concatenate([values[:shared], values[shared + only_a :]])
    true = shared / (shared + only_a + only_b)
    assert abs(estimate_jaccard(minhash(a), minhash(b)) - true) < 0.16
    assert len(minhash(a)) == NUM_PERM


def test_boilerplate_lines_are_dropped() -> None:
    """Bylines, datelines, promos, related links, credits and copyright lines are not content."""
    text = (
        "By Jane Roe and John Doe\nKYIV, Oct 12 (Reuters) - The first sentence stays.\n"
        "Sign up for our newsletter\nRead more: another story\nShare this article\n"
        "Follow us on X\nPhoto: smoke over the city. REUTERS/Staff\n"
        "Related Sources:\n• Source 1 • Source 2\n© 2025 Example Media\nThe last sentence stays."
    )
    assert strip_boilerplate(text) == ["The first sentence stays.", "The last sentence stays."]


def test_sentence_starting_with_by_is_content() -> None:
    """A body sentence that starts with "By" is not mistaken for a byline."""
    assert strip_boilerplate("By Monday, troops had left the town.") == [
        "By Monday, troops had left the town."
    ]


def test_headline_not_part_of_exact_hash() -> None:
    """A different in-body headline line does not change the canonical text."""
    body = "Troops left the town on Monday, the army said."
    assert canonical_text("Old Headline Here\n" + body) == canonical_text("A New Headline\n" + body)


def test_key_tokens_normalise_numbers_and_skip_sentence_starts() -> None:
    """Number words become digits; capitalised names count only in mid-sentence."""
    numbers, names = key_tokens(["Air defences downed fifty-seven drones over Bryansk. Nine hit."])
    assert sorted(numbers) == ["57", "9"] and names == ["bryansk"]
    assert number_word("thirty-one") == "31" and number_word("ten-year") == "10"
    assert number_word("tenth") is None


@given(TEXTS)
def test_fingerprint_bytes_round_trip(text: str) -> None:
    """A fingerprint shipped as bytes decodes to an equal fingerprint."""
    fp = fingerprint(text + " 12 Kyiv said Bryansk 7.")
    back = Fingerprint.from_bytes(fp.to_bytes())
    assert back.to_bytes() == fp.to_bytes()
    assert np.array_equal(back.signature, fp.signature) and back.digest == fp.digest


_LINE_PIECES = st.sampled_from(
    [
        "Russian drones hit Kharkiv overnight,",
        "Governor Oleh Syniehubov said",
        "40,000 homes",
        "twenty-one people",
        "“we will respond,”",
        "the U.S. envoy",
        "Zelensky’s office",
        "— officials said.",
        "• Related: Kyiv talks stall",
        "By Jane Smith",
        "Copyright 2025 Reuters",
        "KYIV (AP) -",
        "Sign up for our newsletter",
        "in 2024.",
        "« peace »",
        "Photo: Getty Images",
        "No. 3",
        "",
    ]
)
_MIXED_TEXTS = st.lists(
    st.lists(_LINE_PIECES, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=8
).map("\n".join)


def _assert_native_gives_general(text: str) -> None:
    ascii_text = _fast_ascii_text(text)
    assert ascii_text is not None
    native, general = _ascii_fingerprint(ascii_text), _general_fingerprint(text)
    assert native.digest == content_hash(canonical_text(text))
    assert native.to_bytes() == general.to_bytes()


@settings(max_examples=300, deadline=None)
@given(_MIXED_TEXTS)
def test_native_fast_path_gives_the_general_fingerprint(text: str) -> None:
    """The compiled core gives texts the byte fast path accepts the general path's fingerprint."""
    assume(_fast_ascii_text(text) is not None)
    _assert_native_gives_general(text)


_LONG_WORD = "Supercalifragilistic" * 12  # longer than the core's table of powers
_EDGE_TEXTS = {
    "empty": "",
    "blank lines": "\n \n\t\n",
    "punctuation only": '?! ... -- ,,, ;: () "" / *\n- \u2014 \u2019 \u201c\u201d',
    "long tokens": f"The {_LONG_WORD} 1{'0' * 100} troops, said {_LONG_WORD.lower()}-{_LONG_WORD}.",
    "long text": "\n".join([SAMPLE] * 1500),
    "long digit groups": f"{'1' + ',000' * 30} people, {'2' + '.000' * 25} and 40,000,000 more",
}


@pytest.mark.parametrize("text", _EDGE_TEXTS.values(), ids=_EDGE_TEXTS.keys())
def test_native_fast_path_handles_edge_texts(text: str) -> None:
    """Empty, punctuation-only and very long texts and tokens get the general path's fingerprint."""
    _assert_native_gives_general(text)


_STOPWORD_TEXTS = {
    "one stopword": "The.",
    "two stopwords": "of the",
    "only stopwords": "It is what they said it was, and so it is.",
    "stopwords around content": "It was in the town of Kherson that they said it was over.",
    "one content word": "Kherson",
    "two content words": "Kherson shelled",
}


@pytest.mark.parametrize("text", _STOPWORD_TEXTS.values(), ids=_STOPWORD_TEXTS.keys())
def test_native_stopword_shingles_give_the_general_fingerprint(text: str) -> None:
    """Texts of stopword shingles only, some or none, and of fewer tokens than a shingle get
    the general path's fingerprint."""
    _assert_native_gives_general(text)


_BYTE_PIECES = st.sampled_from(
    [
        b"A",
        b"z",
        b"7",
        b"-",
        b"_",
        b",",
        b".",
        b"000",
        b" ",
        b"\n",
        b"(",
        b"\xff",
        b"twenty",
        b"one",
    ]
)


@given(st.binary(max_size=400) | st.lists(_BYTE_PIECES, max_size=60).map(b"".join))
def test_native_fingerprint_takes_any_bytes(data: bytes) -> None:
    """The compiled core returns a well-formed fingerprint for any bytes, framed or not."""
    for raw in (data, b"\n" + data + b"\n"):
        digest, signature, shingles, numbers, number_count, names, name_count = (
            _NATIVE_TABLES.fingerprint_ascii(raw)
        )
        assert len(digest) == 16 and len(signature) == 2 * NUM_PERM
        assert 0 <= shingles <= len(raw)
        for sketch, count, size in (
            (numbers, number_count, NUMBER_SKETCH),
            (names, name_count, NAME_SKETCH),
        ):
            values = np.frombuffer(sketch, dtype="<u4")
            assert len(sketch) % 4 == 0 and len(values) == min(count, size)
            assert np.all(values[1:] > values[:-1])


# Line shapes of real bodies: boilerplate heads, bullets, related blocks, datelines, agency
# tags, credits, headings and body sentences, with typographic characters, tabs and spaces.
_LINE_HEADS = st.sampled_from(
    [
        "",
        "",
        "Related: ",
        "RELATED STORIES : ",
        "Related Sources:",
        "See also: ",
        "read also: ",
        "Sign up for ",
        "Subscribe ",
        "Read more ",
        "Continue reading on ",
        "Share this ",
        "Follow us ",
        "© ",
        "(c) ",
        "Copyright ",
        "All rights reserved ",
        "Photo: ",
        "File photo by ",
        "Image credit ",
        "Reporting by ",
        "Additional reporting by ",
        "Advertisement",
        "Click here ",
        "By ",
        "by ",
        "Written by ",
        "• ",
        "· ",
        "* ",
        "- ",
        "– ",
        "— ",
        "▪ ",
        "1. ",
        "12) ",
        "3.",
        "KYIV, Oct 12 (Reuters) - ",
        "WASHINGTON (AP) -- ",
        "Kyiv (Ukrinform) – ",
        "(AFP) — ",
        "(dpa): ",
        "LONDON — ",
        "NEW YORK, O’Brien - ",
        "ALL CAPS HEADING ",
    ]
)
_LINE_BODIES = st.sampled_from(
    [
        "",
        "Jane Doe",
        "Jane Doe, Staff Reporter",
        "Kyiv talks stall",
        "our newsletter",
        "Russian drones hit Kharkiv overnight, the governor said.",
        "It’s 40,000 troops (Reuters) and `tanks` at 12:30 in 2024.",
        "“we will respond,” he said (AP) — and more",
        "Zelensky’s «plan» · 5 points ©",
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen",
        "one two three four five six seven eight nine ten eleven twelve",
        "the ‘envoy’ left",
        "smoke over the city",
        "No. 3",
        "Ab" + " " * 130 + "(Reuters) - a dateline beyond the 128-character window",
    ]
)
_LINE_TAILS = st.sampled_from(
    [
        "",
        "",
        ".",
        "!",
        "?",
        "”",
        "’",
        "»",
        ")",
        "'",
        '"',
        "…",
        " Getty Images",
        " REUTERS/Staff",
        " AFP via Getty Images)",
        " AP Photo",
        " / AFP",
        " (AP)",
        " via Reuters .",
        " xgetty" + " " * 37 + "images",  # a credit only within the 48-character tail
    ]
)
_PADDING = st.sampled_from(["", "", " ", "\t", "  \t "])
_SHAPED_LINES = st.tuples(_PADDING, _LINE_HEADS, _LINE_BODIES, _LINE_TAILS, _PADDING).map("".join)
_SHAPED_TEXTS = st.lists(_SHAPED_LINES, min_size=0, max_size=12).map("\n".join)


def _is_widened(text: str) -> bool:
    return any(
        char in _LATIN_LETTERS or char in _NFKC_ASCII or char in _WIDENING_SYMBOLS for char in text
    )


def _reference_text(text: str) -> bytes | None:
    """The str path's text the compiled core gives a safe text it takes."""
    lines = content_lines(text)
    return _widened_text(lines) if _is_widened(text) else _ascii_text(lines)


def _is_safe(text: str) -> bool:
    return all(
        " " <= char <= "~"
        or char in "\n\t"
        or char in _SAFE_CHARS
        or char in _LATIN_LETTERS
        or char in _NFKC_ASCII
        for char in text
    )


@settings(max_examples=600, deadline=None)
@given(_SHAPED_TEXTS)
def test_native_content_text_is_the_general_content_text(text: str) -> None:
    """The compiled content text of a safe text is the str path's; other texts, and widened
    ones it refuses, get None."""
    result = _CONTENT_RULES.ascii_text(text)
    if _is_safe(text) and (result is not None or not _is_widened(text)):
        assert result == _reference_text(text)
    else:
        assert result is None
    fallback = _ascii_text(content_lines(text))
    assert _fast_ascii_text(text) == (fallback if result is None else result)


@given(st.text())
def test_native_content_text_accepts_any_text(text: str) -> None:
    """Any str gets bytes or None (no exception), bytes only for a safe text and for every safe
    text that is not widened."""
    result = _CONTENT_RULES.ascii_text(text)
    assert _is_safe(text) or result is None
    assert result is not None or not _is_safe(text) or _is_widened(text)
    if result is not None:
        assert result == _reference_text(text)


def test_native_content_text_refuses_other_line_breaks_and_controls() -> None:
    """Characters that break lines or are not in the safe set send the text to the str path."""
    for char in ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\x00", "ß", "µ"]:
        text = f"First line stays.{char}Second line stays."
        assert _CONTENT_RULES.ascii_text(text) is None
        assert _fast_ascii_text(text) == _ascii_text(content_lines(text))


def test_native_content_text_raises_for_lone_surrogates() -> None:
    """A str that cannot be UTF-8 raises UnicodeEncodeError, as the byte path's encode did."""
    with pytest.raises(UnicodeEncodeError):
        _CONTENT_RULES.ascii_text("Troops left the town \ud800 on Monday.")


def test_native_line_limits_come_from_the_python_module() -> None:
    """The compiled rules apply the limits they are given (fingerprint.LINE_LIMITS is their
    one definition): a five-word unpunctuated line is a heading under a limit of 14 words and
    body copy under a limit of 3."""
    from workers import _native
    from workers.pipeline.dedup import fingerprint as module

    def rules(heading_words: int) -> _native.ContentRules:
        return _native.ContentRules(
            related_header=module._RELATED_HEADER,
            bullet_line=module._BULLET_LINE,
            boilerplate_line=module._BOILERPLATE_LINE,
            byline=module._BYLINE,
            photo_credit_end=module._PHOTO_CREDIT_END,
            dateline=module._DATELINE,
            agency_inline=module._AGENCY_INLINE,
            boilerplate_heads=list(module._BOILERPLATE_HEADS),
            bullet_heads="".join(sorted(module._BULLET_HEADS)),
            terminal_chars="".join(sorted(module._TERMINAL_CHARS)),
            to_ascii={c: module._SAFE_TO_ASCII[c] for c in sorted(module._SAFE_CHARS)},
            tidy_table=module._TIDY_TABLE,
            tidy_delete=module._TIDY_DELETE,
            limits={**module.LINE_LIMITS, "heading_words": heading_words},
            letters={c: c.casefold() for c in sorted(module._LATIN_LETTERS)},
            nfkc_ascii=module._NFKC_ASCII,
            widened=module._WIDENING_SYMBOLS,
        )

    text = "Talks resume in Geneva today\nThe envoys met for three hours on Monday."
    assert module.LINE_LIMITS["heading_words"] == 14
    assert rules(14).ascii_text(text) == _CONTENT_RULES.ascii_text(text)
    assert b"Geneva" not in (rules(14).ascii_text(text) or b"")
    assert b"Geneva" in (rules(3).ascii_text(text) or b"")


# The characters the compiled core admits besides printable ASCII, and line pieces where the
# rules meet them: letters next to word boundaries, names and digit groups, NFKC spaces and
# ellipses inside datelines, bylines, headings and credits.
_ADMITTED = "".join(sorted(_SAFE_CHARS | _LATIN_LETTERS | set(_NFKC_ASCII)))
_ADMITTED_PIECES = st.sampled_from(
    [
        "Élysée",
        "élysée",
        "CAFÉ",
        "Zoé-Marie",
        "José Andrés",
        "Ålesund",
        "ÉTATS-UNIS — ",
        "São Paulo",
        "Łódź",
        "ERDOĞAN",
        "Erdoğan’s",
        "Šefčovič-Ž",
        "ŁUKASZ Ŀ ŀ",
        "1,000é",
        "é1,000",
        "éA",
        "Aé",
        "sign upé",
        "Subscribeé ",
        "by Élodie",
        "By Éric Dupont",
        "Getty Imagesé",
        "é Getty Images",
        "AFP via Getty Images)",
        "£40,000",
        "€5.5bn",
        "25°C",
        "§ 3",
        "„Ja“",
        "‹x›",
        "3 × 4",
        "\u00a0",
        "\u202f",
        "\u2009",
        "…",
        "Wait…",
        "KYIV,\u00a0Oct 12 (Reuters) - ",
        "Related:\u00a0",
        "\u00a0\u00a0• ",
        "Copyright\u00a0",
    ]
)
_ADMITTED_CHARS = st.sampled_from(list(_ADMITTED) + list(" \n\t.,-(AZaz09'\"") + ["\u2026"])
_ADMITTED_LINES = st.lists(
    _SHAPED_LINES | _ADMITTED_PIECES | st.text(_ADMITTED_CHARS, max_size=12), max_size=8
).map(" ".join)
_ADMITTED_TEXTS = st.lists(_ADMITTED_LINES, max_size=8).map("\n".join) | st.text(
    _ADMITTED_CHARS, max_size=200
)


@settings(max_examples=800, deadline=None)
@given(_ADMITTED_TEXTS)
@example(" \xa00'.0")
def test_native_path_agrees_with_general_path_on_admitted_characters(text: str) -> None:
    """Text with Latin letters, symbols and NFKC spaces and ellipses gets, where the compiled
    path takes it, the str path's content text and the general path's fingerprint."""
    assume(_is_safe(text) and _is_widened(text))
    ascii_text = _CONTENT_RULES.ascii_text(text)
    assume(ascii_text is not None)
    assert ascii_text == _widened_text(content_lines(text))
    _assert_native_gives_general(text)


def test_widened_text_with_apostrophes_where_keys_would_differ_is_refused() -> None:
    """A widened text whose dropped apostrophe would change its key tokens goes to the general
    path; a possessive or elision between letters stays on the compiled path."""
    for text in ["Café talks ‘ Jane Doe left.", "Café d’Alembert spoke.", "Café Jane‘s team."]:
        assert _CONTENT_RULES.ascii_text(text) is None
        assert fingerprint(text).to_bytes() == _general_fingerprint(text).to_bytes()
    kept = "Café owner Zoé’s team said l’amie left."
    assert _CONTENT_RULES.ascii_text(kept) is not None
    _assert_native_gives_general(kept)


def test_widened_text_with_an_apostrophe_inside_a_number_is_refused() -> None:
    """A widened text whose dropped apostrophe would join a digit to a number's "." "," or ":"
    goes to the general path; one after a digit before a letter stays on the compiled path."""
    refused = ["Café prices rose 3'.5 points.", "Café owners paid 12',000.", "Zoé left at 9':30."]
    for text in refused:
        assert _CONTENT_RULES.ascii_text(text) is None
        assert fingerprint(text).to_bytes() == _general_fingerprint(text).to_bytes()
    kept = "Café owners of the 1990's said so."
    assert _CONTENT_RULES.ascii_text(kept) is not None
    _assert_native_gives_general(kept)


def test_admitted_letters_are_latin_letters_with_one_letter_case_folds() -> None:
    """The admitted letters are Latin-1 and Latin Extended-A letters but ß (case fold "ss"),
    the Turkish i's, long s, Ÿ, Ŀ, ŀ and the ligature Ĳ; × and ÷ are none."""
    assert {"é", "É", "ÿ", "ğ", "Ş", "Ł", "ł", "Ž", "ő"} <= _LATIN_LETTERS
    assert not {"ß", "×", "÷", "ª", "µ", "İ", "ı", "ſ", "Ÿ", "Ŀ", "ĳ", "Ĳ"} & _LATIN_LETTERS
    assert _NFKC_ASCII["…"] == "..." and _NFKC_ASCII["\u00a0"] == " "


def test_accented_names_are_key_tokens_folded_like_the_general_path() -> None:
    """An accented capitalised name is a name key on the compiled path, as on the general path,
    and a name after a letter is none."""
    text = "Officials met José Andrés in Zoé-Marie’s café near ÉLYSÉE, said Zéa.\nThey left."
    lines = content_lines(text)
    assert "josé" in key_tokens(lines)[1] and "zoé-maries" in key_tokens(lines)[1]
    _assert_native_gives_general(text)
    assert fingerprint(text).name_count == _general_fingerprint(text).name_count
