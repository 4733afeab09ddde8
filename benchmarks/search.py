"""How fast search() and match() are on the bundled catalog, and what a query's cost grows with.

1. The bundled catalog, warm: microseconds per search() and per match() call (targets:
   50 µs and 500 µs).
2. The cost of a query that touches a fixed number of postings, on synthetic catalogs
   (`corpus.py`, a fixed seed) of 5,000 and 50,000 excerpts: it should not grow with the
   catalog.

scale.py measures search on large catalogs next to SQLite FTS5 and tantivy: the index
build, p50 and p95, memory and `loads`.

    python benchmarks/search.py [--excerpts 50000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from corpus import PROBE, PROBE_POSTINGS, synthetic_catalog

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


# -- 2. cost against catalog size --------------------------------------------------------


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
    arguments = parser.parse_args()
    bundled()
    cost_against_size(sorted({arguments.excerpts // 10, arguments.excerpts}))


if __name__ == "__main__":
    main()
