"""A generated benchmark corpus in which no sentence repeats.

Articles are made of sentences drawn from the given documents. Each drawn sentence is varied
before use: its numbers get new values and some of its capitalised words are swapped for
capitalised words seen elsewhere in the sources. The text therefore stays news-like (same
grammar, same vocabulary, names that the gazetteers know and names they do not), yet a cache
keyed by sentence text rarely hits, so the figures measure the cost of unseen text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from pathlib import Path

import orjson

from workers.io.sources import RawRecord, read_records

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")
_NUMBER = re.compile(r"\d+")
_CAPITALISED = re.compile(r"(?<=\s)[A-Z][a-z]{2,}\b")
_SWAP_SHARE = 0.5


def default_sources() -> list[Path]:
    """The seeds, plus the team's dev corpus when run from a checkout (more varied sentences)."""
    candidates = [Path("seeds"), Path("tests/data/classify/dev_articles.jsonl")]
    return [path for path in candidates if path.exists()]


def source_sentences(records: Iterable[RawRecord]) -> list[str]:
    """The distinct sentences of more than three words in the records' bodies, in order."""
    found: dict[str, None] = {}
    for record in records:
        try:
            body = orjson.loads(record.value).get("body", "")
        except orjson.JSONDecodeError:
            continue
        for line in str(body).splitlines():
            for part in _SENTENCE_END.split(line):
                part = part.strip()
                if len(part.split()) > 3:
                    found[part] = None
    return list(found)


def _name_pool(sentences: list[str]) -> list[str]:
    """Capitalised words that appear inside sentences (not as their first word)."""
    return sorted({word for sentence in sentences for word in _CAPITALISED.findall(sentence)})


def vary(sentence: str, names: list[str], rng: random.Random) -> str:
    """The sentence with new numbers and about half of its inner capitalised words swapped.

    A sentence left unchanged by both gets an attribution ("..., Name said.") instead.
    """

    def new_number(match: re.Match[str]) -> str:
        digits = len(match.group())
        return str(rng.randint(10 ** (digits - 1) if digits > 1 else 0, 10**digits - 1))

    def new_name(match: re.Match[str]) -> str:
        return rng.choice(names) if rng.random() < _SWAP_SHARE else match.group()

    varied = _NUMBER.sub(new_number, sentence)
    varied = _CAPITALISED.sub(new_name, varied) if names else varied
    if varied == sentence and names and sentence.endswith("."):
        varied = f"{sentence[:-1]}, {rng.choice(names)} said."
    return varied


def generate_articles(sources: list[Path], count: int, seed: int = 7) -> list[RawRecord]:
    """``count`` articles of 300-700 words made of varied sentences of the sources."""
    sentences = source_sentences(read_records(sources))
    if not sentences:
        raise ValueError("the benchmark sources have no sentences")
    names = _name_pool(sentences)
    rng = random.Random(seed)
    corpus = []
    for index in range(count):
        target, words, body = rng.randint(300, 700), 0, []
        while words < target:
            sentence = vary(rng.choice(sentences), names, rng)
            body.append(sentence)
            words += len(sentence.split())
        paragraphs = ["\n".join(body[i : i + 4]) for i in range(0, len(body), 4)]
        record = {
            "id": f"bench-{index}",
            "source": "bench",
            "title": body[0][:90],
            "body": "\n".join(paragraphs),
        }
        corpus.append(RawRecord(record["id"].encode(), orjson.dumps(record), "bench"))
    return corpus
