"""How fast search() and match() are, on the bundled catalog and on a 50,000-excerpt one.

1. The bundled catalog, warm: microseconds per search() and per match() call (targets:
   50 µs and 500 µs).
2. A synthetic catalog of about 50,000 excerpts, made from a fixed seed through the
   public API (`Catalog(...)`, then `dumps`): the time `loads` takes to read it back, the
   time the first search takes (the index is built then), and search p50/p95 next to
   SQLite FTS5 with bm25 ranking on the same excerpts and the same queries, in this run.
   Both take a query's words as OR and return the 10 best; FTS5 returns row ids and
   scores, search() returns `Hit`s with their spans.
3. The cost of a query that touches a fixed number of postings, on catalogs of 5,000
   and 50,000 excerpts: it should not grow with the catalog.

    python benchmarks/search.py [--excerpts 50000] [--queries 300]
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import resource
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from itertools import accumulate
from pathlib import Path

import fusion_strategies as fs

SEED = 20231107
PROBE = "quorvantine"
"""A made-up word that the probe experiment puts in exactly `PROBE_POSTINGS` excerpts."""
PROBE_POSTINGS = 100
EXCERPTS_PER_STRATEGY = 10
CASES = Path(__file__).parent.parent / "tests" / "data" / "match_cases.json"
BUNDLED_QUERIES = (
    "HSIN",
    "SAR",
    "fusion centers",
    "information sharing",
    "suspicious activity reporting",
    "tribal partners",
    "critical infrastructure supply chain",
    "drug trafficking",
    "privacy and civil liberties",
    "joint products",
    "Northern border",
    "intelligence-driven operations",
)


def per_call(call: Callable[[], object], *, budget: float = 0.2) -> float:
    """Microseconds per call, the best of five rounds of about `budget` seconds each."""
    call()
    start = time.perf_counter()
    call()
    once = max(time.perf_counter() - start, 1e-7)
    number = max(1, int(budget / once))
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(number):
            call()
        rounds.append((time.perf_counter() - start) / number)
    return min(rounds) * 1e6


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# -- 1. the bundled catalog -------------------------------------------------------------


def bundled() -> None:
    print("== the bundled catalog, warm (22 strategies, 54 excerpts)")
    searches = [per_call(partial(fs.search, query)) for query in BUNDLED_QUERIES]
    for query, micros in zip(BUNDLED_QUERIES, searches, strict=True):
        print(f"  search {query!r:42} {micros:7.1f} µs")
    print(
        f"  search: median {statistics.median(searches):.1f} µs, max {max(searches):.1f} µs "
        f"(target 50 µs: median at {statistics.median(searches) / 50:.2f}× the target)"
    )
    texts = [case["text"] for case in json.loads(CASES.read_text(encoding="utf-8"))["cases"]]
    matches = [per_call(partial(fs.match, text), budget=0.05) for text in texts]
    print(
        f"  match over the {len(texts)} evaluation texts ({min(map(len, texts))}–"
        f"{max(map(len, texts))} characters): median {statistics.median(matches):.0f} µs, "
        f"max {max(matches):.0f} µs (target 500 µs: max at {max(matches) / 500:.2f}× the target)"
    )


# -- 2. a synthetic catalog -------------------------------------------------------------


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


def fts5(catalog: fs.Catalog) -> sqlite3.Connection:
    """The same excerpts in an in-memory SQLite FTS5 table (unicode61: case-folded words)."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE excerpts USING fts5(text)")
    connection.executemany(
        "INSERT INTO excerpts (rowid, text) VALUES (?, ?)",
        enumerate(
            (excerpt.text for strategy in catalog for excerpt in strategy.iter_excerpts()),
            start=1,
        ),
    )
    connection.commit()
    return connection


def fts5_query(query: str) -> str:
    words = ["".join(char for char in word if char.isalnum()) for word in query.split()]
    return " OR ".join(f'"{word}"' for word in words if word)


def search_vs_fts5(excerpts: int, count: int) -> None:
    print(f"\n== a synthetic catalog of {excerpts:,} excerpts (seed {SEED})")
    start = time.perf_counter()
    catalog = synthetic_catalog(excerpts)
    text = fs.dumps(catalog)
    print(f"  made with the public API and dumped in {time.perf_counter() - start:.1f} s")
    print(f"  {len(text) / 1e6:.1f} MB of JSON")
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        loaded = fs.loads(text)
        timings.append(time.perf_counter() - start)
    print(f"  loads: {min(timings):.2f} s (best of 3)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    loaded.search("warm up")
    build = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) / 1024
    start = time.perf_counter()
    connection = fts5(loaded)
    fts5_build = time.perf_counter() - start
    print(f"  first search (builds the index): {build:.2f} s, peak memory +{grown:.0f} MB")
    print(f"  FTS5 table built in {fts5_build:.2f} s")

    warm = queries(50, seed=SEED + 2)
    measured = queries(count)
    sql = (
        "SELECT rowid, bm25(excerpts) FROM excerpts WHERE excerpts MATCH ?"
        " ORDER BY bm25(excerpts) LIMIT 10"
    )
    for query in warm:
        loaded.search(query)
        connection.execute(sql, (fts5_query(query),)).fetchall()
    ours, theirs = [], []
    for query in measured:
        start = time.perf_counter_ns()
        loaded.search(query)
        ours.append((time.perf_counter_ns() - start) / 1e3)
        start = time.perf_counter_ns()
        connection.execute(sql, (fts5_query(query),)).fetchall()
        theirs.append((time.perf_counter_ns() - start) / 1e3)
    ours_p50, ours_p95 = percentile(ours, 0.5), percentile(ours, 0.95)
    fts_p50, fts_p95 = percentile(theirs, 0.5), percentile(theirs, 0.95)
    print(f"  {count} queries, limit 10:")
    print(f"    search():    p50 {ours_p50:8.0f} µs   p95 {ours_p95:8.0f} µs")
    print(f"    FTS5 bm25:   p50 {fts_p50:8.0f} µs   p95 {fts_p95:8.0f} µs")
    print(
        f"    ratio:       p50 {ours_p50 / fts_p50:8.2f}×     p95 {ours_p95 / fts_p95:8.2f}×"
        "   (target: within 3×)"
    )


# -- 3. cost against catalog size --------------------------------------------------------


def cost_against_size(sizes: Sequence[int]) -> None:
    print(f"\n== a query touching {PROBE_POSTINGS} postings, as the catalog grows")
    for size in sizes:
        catalog = synthetic_catalog(size)
        catalog.search("warm up")
        micros = per_call(partial(catalog.search, PROBE))
        hits = len(catalog.search(PROBE, limit=1000))
        print(f"  {size:>7,} excerpts: search({PROBE!r}) {micros:7.1f} µs ({hits} hits)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--excerpts", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=300)
    arguments = parser.parse_args()
    bundled()
    search_vs_fts5(arguments.excerpts, arguments.queries)
    cost_against_size(sorted({arguments.excerpts // 10, arguments.excerpts}))


if __name__ == "__main__":
    main()
