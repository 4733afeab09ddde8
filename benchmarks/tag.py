"""How fast products are tagged: warm match() throughput, and tag DIR against a shell loop.

1. Warm `fs.match` on product texts of about 200 words, made from a fixed seed: one word
   in three from the catalog (its excerpts' words, the themes' vocabulary and the
   glossary's names), the rest ordinary English. Products per second (target: 1,000/s).
2. ``fusion-strategies tag DIR`` on a folder of 100 such products, against what an analyst
   does without it: ``for f in DIR/*; do fusion-strategies match --file "$f" >/dev/null;
   done``. Both times (tag's the best of three, the loop's once: its 100 processes even
   out the noise) and their ratio (target: tag at least 30× faster).

Run it with the package installed, so that ``fusion-strategies`` is the console script
beside this Python::

    python benchmarks/tag.py [--products 100] [--words 200]
"""

from __future__ import annotations

import argparse
import random
import re
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import fusion_strategies as fs

SEED = 20231107
SCRIPT = Path(sys.executable).parent / "fusion-strategies"
THROUGHPUT_TARGET = 1_000.0
"""Products per second that warm match() should tag."""
SPEEDUP_TARGET = 30.0
"""How many times faster tag DIR should be than a process per file."""
_ENGLISH_TEXT = """the of and to in a is that for it as was with be by on not he this are or his
from at which but have an they you were her she there been one all we their has would
when if so no what up out more about into than them can only other new some could time
these two may then do first any my now such like our over man me even most made after
also did many before must through back years where much your way well down should
because each just those people how too little state good very make world still own see
men work long get here between both life being under never day same another know while
last might us great old year off come since against go came right used take three
report week morning officials said during meeting county city office plan team local
public data review staff area region program support issue early late month today
against near across around within without along behind beyond"""
ENGLISH = _ENGLISH_TEXT.split()
"""Ordinary English: the commonest words, and some a report is written with."""


def best_of(runs: int, call: Callable[[], object]) -> float:
    """The shortest of `runs` timings of `call`, in seconds."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append(time.perf_counter() - start)
    return min(timings)


def catalog_words() -> list[str]:
    catalog = fs.catalog()
    words = [
        word.strip(".,;:()“”\"'…")
        for strategy in catalog
        for excerpt in strategy.iter_excerpts()
        for word in excerpt.text.split()
    ]
    words += [term for terms in catalog.vocabulary().values() for term in terms]
    words += [name for entity in catalog.entities() for name in entity.names]
    return [word for word in words if word]


def product_texts(count: int, words: int, *, seed: int = SEED) -> list[str]:
    """`count` product texts of about `words` words, the same for the same seed."""
    rng = random.Random(seed)
    vocabulary = catalog_words()
    texts = []
    for _ in range(count):
        chosen = [
            rng.choice(vocabulary) if rng.random() < 1 / 3 else rng.choice(ENGLISH)
            for _ in range(words)
        ]
        sentences = [" ".join(chosen[start : start + 15]) for start in range(0, words, 15)]
        texts.append(". ".join(sentence.capitalize() for sentence in sentences) + ".")
    return texts


# -- 1. warm match() ----------------------------------------------------------------------


def fts5_ranking(texts: list[str]) -> Callable[[], object]:
    """The baseline: SQLite FTS5 ranking the strategies (one row each) by BM25 for each text.

    What a user could do instead with the standard library: each product an OR query of
    its distinct words, the five best strategies by ``bm25()``. No entities, no themes, no
    excerpts ranked and no terms explained, so it does less than match() does.
    """
    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE strategies USING fts5(id UNINDEXED, body)")
    database.executemany(
        "INSERT INTO strategies VALUES (?, ?)",
        [
            (s.id, " ".join([s.title, *(e.text for e in s.iter_excerpts())]))
            for s in fs.strategies()
        ],
    )
    queries = [
        " OR ".join(f'"{word}"' for word in dict.fromkeys(re.findall(r"\w+", text.lower())))
        for text in texts
    ]
    statement = (
        "SELECT id FROM strategies WHERE strategies MATCH ? ORDER BY bm25(strategies) LIMIT 5"
    )

    def run() -> None:
        for query in queries:
            database.execute(statement, (query,)).fetchall()

    return run


def throughput(texts: list[str]) -> None:
    words = statistics.mean(len(text.split()) for text in texts)
    print(f"== warm fs.match on {len(texts)} products of {words:.0f} words on average")
    for text in texts[:10]:
        fs.match(text)  # warm: the index is built, the caches are full
    seconds = best_of(5, lambda: [fs.match(text) for text in texts])
    baseline = fts5_ranking(texts)
    baseline()
    fts5 = best_of(5, baseline)
    rate = len(texts) / seconds
    print(
        f"  match:  {rate:7,.0f} products/s ({seconds / len(texts) * 1e3:.2f} ms each; "
        f"target {THROUGHPUT_TARGET:,.0f}/s: {rate / THROUGHPUT_TARGET:.2f}× the target)"
    )
    print(
        f"  SQLite FTS5 ranking the strategies, the baseline: {len(texts) / fts5:,.0f} "
        f"products/s; match takes {seconds / fts5:.2f}× its time"
    )


# -- 2. one process against a process per file --------------------------------------------


def one_process_against_a_loop(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for number, text in enumerate(texts):
            Path(folder, f"product-{number:03}.txt").write_text(text, encoding="utf-8")
        print(f"\n== {len(texts)} product files: one tag process against a match per file")
        tag = [str(SCRIPT), "tag", "--format", "jsonl", folder]
        loop = (
            f"for f in {shlex.quote(folder)}/*; do "
            f'{shlex.quote(str(SCRIPT))} match --file "$f" >/dev/null; done'
        )

        def run_tag() -> None:
            subprocess.run(tag, check=True, stdout=subprocess.DEVNULL)

        def run_loop() -> None:
            subprocess.run(["bash", "-c", loop], check=True)

        run_tag()  # warm the file system cache and the byte-compiled modules
        one = best_of(3, run_tag)
        many = best_of(1, run_loop)
        print(f"  fusion-strategies tag DIR:        {one:6.2f} s")
        print(f"  a shell loop of match --file:     {many:6.2f} s")
        print(
            f"  ratio: tag is {many / one:.1f}× faster "
            f"(target ≥ {SPEEDUP_TARGET:.0f}×: {many / one / SPEEDUP_TARGET:.2f}× the target)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--products", type=int, default=100)
    parser.add_argument("--words", type=int, default=200)
    arguments = parser.parse_args()
    if not SCRIPT.exists():
        raise SystemExit(f"{SCRIPT} is missing: install the package in this Python first")
    texts = product_texts(max(arguments.products, 200), arguments.words)
    throughput(texts)
    one_process_against_a_loop(texts[: arguments.products])


if __name__ == "__main__":
    main()
