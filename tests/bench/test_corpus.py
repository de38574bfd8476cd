"""The benchmark corpus: seed-sized articles whose sentences rarely repeat."""

from __future__ import annotations

import random
from pathlib import Path

import orjson

from workers.bench.corpus import generate_articles, vary

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _bodies(count: int) -> list[str]:
    return [orjson.loads(record.value)["body"] for record in generate_articles([SEEDS], count)]


def test_articles_have_seed_size() -> None:
    """Every generated article has between 300 and 700 words plus at most one last sentence."""
    for body in _bodies(50):
        assert 300 <= len(body.split()) <= 800


def test_sentences_rarely_repeat() -> None:
    """Across 200 articles drawn from the ~90 sentences of two seeds, most lines are distinct."""
    lines = [line for body in _bodies(200) for line in body.splitlines()]
    assert len(set(lines)) / len(lines) > 0.5


def test_vary_changes_numbers_and_keeps_shape() -> None:
    """A sentence keeps its words in place but its numbers are redrawn with as many digits."""
    original = "At least 12 people were killed in Kharkiv on Tuesday, officials said."
    varied = [vary(original, ["Odesa", "Lviv"], random.Random(seed)) for seed in range(20)]
    assert any(text != original for text in varied)
    for text in varied:
        assert text.startswith("At least ") and "people were killed in" in text
        number = text.split()[2]
        assert number.isdigit() and len(number) == 2


def test_same_seed_same_corpus() -> None:
    """The corpus is a pure function of its sources, size and seed."""
    first = [record.value for record in generate_articles([SEEDS], 20)]
    assert first == [record.value for record in generate_articles([SEEDS], 20)]
