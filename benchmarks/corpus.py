"""Not a script: the synthetic catalog that search.py and scale.py measure, and its queries.

`synthetic_catalog(n)` makes a catalog of n excerpts from a fixed seed, through the
public API (`Catalog(...)`); `cached(n, folder)` writes it once as JSON (`fs.dumps`) and
gives the file, so that a run measures each size without making it again. `queries(n)`
gives realistic queries: glossary names and vocabulary terms, the page's words, and the
corpus' long tail of made-up words. `texts(document)` walks a catalog's JSON for every
excerpt's text, nested excerpts too: what a plain reader of the format does.
"""

from __future__ import annotations

import datetime
import random
from itertools import accumulate
from pathlib import Path
from typing import Any

import fusion_strategies as fs
from fusion_strategies._atomic import write_bytes_atomically

SEED = 20231107
PROBE = "quorvantine"
"""A made-up word that the probe experiment puts in exactly `PROBE_POSTINGS` excerpts."""
PROBE_POSTINGS = 100
EXCERPTS_PER_STRATEGY = 10


class Corpus:
    """Realistic text from a fixed seed: the page's own phrasing, a long tail of words.

    Each sentence is a run of 8 to 20 words of a bundled excerpt, in order; about one word
    in four is replaced by a word drawn from a Zipf-distributed lexicon of 40,000 made-up
    words, and one sentence in five also names a vocabulary term or a glossary entity.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        catalog = fs.catalog()
        self.phrases = [
            excerpt.text.split()
            for strategy in catalog.strategies()
            for excerpt in strategy.iter_excerpts()
            if len(excerpt.text.split()) >= 8
        ]
        self.terms = [term for terms in catalog.vocabulary().values() for term in terms]
        self.terms += [name for entity in catalog.entities() for name in entity.names]
        syllables = [a + b for a in "bdfgklmnprstvz" for b in ("a", "e", "i", "o", "u", "ar", "en")]
        lexicon: set[str] = set()
        while len(lexicon) < 40_000:
            lexicon.add("".join(rng.choices(syllables, k=rng.randint(2, 4))))
        self.lexicon = sorted(lexicon)
        rng.shuffle(self.lexicon)
        self.zipf = list(accumulate(1.0 / rank**1.05 for rank in range(1, len(lexicon) + 1)))

    def tail_words(self, count: int) -> list[str]:
        return self.rng.choices(self.lexicon, cum_weights=self.zipf, k=count)

    def sentence(self) -> str:
        rng = self.rng
        phrase = rng.choice(self.phrases)
        length = rng.randint(8, min(20, len(phrase)))
        start = rng.randint(0, len(phrase) - length)
        words = phrase[start : start + length]
        replaced = self.tail_words(len(words))
        words = [
            new if rng.random() < 0.25 else old for old, new in zip(words, replaced, strict=True)
        ]
        if rng.random() < 0.2:
            words.insert(rng.randint(0, len(words)), rng.choice(self.terms))
        return " ".join(words)

    def excerpt(self) -> str:
        return ". ".join(self.sentence() for _ in range(self.rng.randint(2, 4))) + "."


def synthetic_catalog(excerpts: int, *, seed: int = SEED) -> fs.Catalog:
    """A catalog of `excerpts` excerpts, PROBE in exactly PROBE_POSTINGS of them."""
    rng = random.Random(seed)
    corpus = Corpus(rng)
    bundled = fs.catalog()
    issuers = list(bundled.entities())
    themes = list(fs.Theme)
    probed = set(rng.sample(range(excerpts), PROBE_POSTINGS))
    strategies = []
    for index in range(excerpts // EXCERPTS_PER_STRATEGY):
        year = 2000 + index % 24
        texts = []
        for offset in range(EXCERPTS_PER_STRATEGY):
            text = corpus.excerpt()
            if index * EXCERPTS_PER_STRATEGY + offset in probed:
                text = f"{text} The {PROBE} program applies."
            texts.append(text)
        title = " ".join(word.capitalize() for word in corpus.tail_words(3)) + " Strategy"
        strategies.append(
            fs.Strategy(
                id=f"synthetic-strategy-{index}-{year}",
                title=title,
                heading=f"{title} ({year})",
                period=fs.Period(start=year, end=year),
                issuer=rng.choice(issuers),
                kind=fs.DocumentKind.STRATEGY,
                themes=tuple(rng.sample(themes, rng.randint(1, 3))),
                excerpts=tuple(
                    fs.Excerpt(id=str(number), text=text) for number, text in enumerate(texts, 1)
                ),
            )
        )
    return fs.Catalog(
        source=fs.SourcePage(
            title="A synthetic catalog",
            url="https://example.org/synthetic",
            publisher="fusion_strategies benchmarks",
            last_updated=datetime.date(2023, 11, 7),
        ),
        strategies=strategies,
        entities=bundled.entities(),
        vocabulary=bundled.vocabulary(),
    )


def queries(count: int, *, seed: int = SEED + 1) -> list[str]:
    """Realistic queries: glossary names and vocabulary terms, page words, tail words."""
    rng = random.Random(seed)
    corpus = Corpus(rng)
    page_words = [word.strip(".,;:()“”") for phrase in corpus.phrases for word in phrase]
    page_words = [word for word in page_words if len(word) > 3]
    found = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.35:
            found.append(rng.choice(corpus.terms))
        elif kind < 0.7:
            found.append(" ".join(rng.sample(page_words, rng.randint(1, 3))))
        else:
            found.append(" ".join(corpus.tail_words(rng.randint(1, 2))))
    return found


def cached(excerpts: int, folder: Path) -> Path:
    """The JSON file of `synthetic_catalog(excerpts)` in `folder`, made the first time."""
    path = folder / f"synthetic-{excerpts}-seed-{SEED}-v{fs.__version__}.json"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(path, fs.dumps(synthetic_catalog(excerpts)).encode())
    return path


def texts(document: Any) -> list[str]:
    """Every excerpt's text in a catalog's parsed JSON, nested excerpts too, in page order.

    A plain reader's walk, the baseline of `fs.loads`: it trusts the file (our own).
    """
    found: list[str] = []
    for strategy in document["strategies"]:
        _walk(strategy["excerpts"], found)
    return found


def _walk(excerpts: Any, found: list[str]) -> None:
    for excerpt in excerpts:
        found.append(excerpt["text"])
        _walk(excerpt.get("children", ()), found)
