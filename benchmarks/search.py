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
import json
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from corpus import PROBE, PROBE_POSTINGS, SEED, queries, synthetic_catalog
from engines import Fts5

import fusion_strategies as fs

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


def bundled_searches() -> list[float]:
    """Microseconds per search() of each of `BUNDLED_QUERIES`, on the bundled catalog."""
    return [per_call(partial(fs.search, query)) for query in BUNDLED_QUERIES]


def bundled() -> None:
    print("== the bundled catalog, warm (22 strategies, 54 excerpts)")
    searches = bundled_searches()
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
    table = Fts5(excerpt.text for strategy in loaded for excerpt in strategy.iter_excerpts())
    fts5_build = time.perf_counter() - start
    print(f"  first search (builds the index): {build:.2f} s, peak memory +{grown:.0f} MB")
    print(f"  FTS5 table built in {fts5_build:.2f} s")

    warm = queries(50, seed=SEED + 2)
    measured = queries(count)
    for query in warm:
        loaded.search(query)
        table.search(query)
    ours, theirs = [], []
    for query in measured:
        start = time.perf_counter_ns()
        loaded.search(query)
        ours.append((time.perf_counter_ns() - start) / 1e3)
        start = time.perf_counter_ns()
        table.search(query)
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
