"""Search at scale: ours next to SQLite FTS5 and tantivy, on 5,000 to 500,000 excerpts.

Every figure of the targets of search at scale, each with its baseline measured in this
one run, the ratio and the target beside it. For each size, the synthetic catalog of
`corpus.py` (a fixed seed) is written once as JSON to a cache folder (`--cache`), so that
a size is made only once, and read back from there:

- index build: ours is the first `catalog.search(...)` after `fs.loads` (the index is
  built then); SQLite FTS5 (in memory, unicode61) and tantivy (in RAM, one writer
  thread, one commit) are built from the same texts. Target: ours at most 2× FTS5.
- search p50 and p95 over the same queries (`corpus.queries`, a warm-up set first),
  each engine taking the query's words as an OR and giving the 10 best (ours `Hit`s
  with their spans, FTS5 row numbers by bm25, tantivy addresses). Targets: p50 at most
  1× FTS5's, p95 at most 10× tantivy's.
- the RSS the index adds, in a fresh process per engine and size: VmRSS (Linux's
  /proc/self/status), after gc.collect(), before and after building the index; for ours,
  after `fs.loads`, before and after the first search. Target: at most 2× FTS5's.
- `fs.loads` of the file against `json.loads` plus a walk over every excerpt's text
  (nested excerpts too), best of 3 each. Target: at most 2.5×.
- ranking: for a sample of queries, whether the 10 best equal the first 10 of the same
  search with no limit (every excerpt that scores), which no safe pruning can change.

Then the warm figures on the bundled catalog, as search.py and startup.py take them:
search's median over search.py's queries (target 50 µs) and the slowest of
startup.py's lookups (target 2 µs). Last, a summary in Markdown: every figure, baseline,
ratio, target and whether it is met, and the sizes side by side as ours, FTS5, tantivy.

    python benchmarks/scale.py [--sizes 5000,50000,500000] [--queries 300] [--cache DIR]

`--sizes 5000,50000` is a quick run. Ours at 500,000 excerpts takes minutes to build
and gigabytes of memory, twice (once in this process, once for its RSS). Its file, of
229 MB, is past the most that `fs.loads` reads by default (`fileformat.MAX_FILE_SIZE`,
64 MiB, about 140,000 such excerpts), so the run gives it a `max_size` the file's size, as
a user with such a catalog does, and says so.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple, TypeVar

from corpus import SEED, cached, queries, texts
from engines import Fts5, Tantivy
from search import bundled_searches, per_call, percentile

import fusion_strategies as fs
from fusion_strategies import fileformat

CACHE = Path("/tmp/fusion-strategies-bench")
FIRST_QUERY = "fusion centers"
"""The query of the first search, which builds our index."""
SAMPLE = 20
"""How many queries the ranking check compares."""
ENGINES = ("ours", "FTS5", "tantivy")
TARGETS = (
    ("index build (first search)", "FTS5", 2.0),
    ("search p50", "FTS5", 1.0),
    ("search p95", "tantivy", 10.0),
    ("RSS the index adds", "FTS5", 2.0),
)
"""Each figure of the engines that has a target: the engine it is held to, and the ratio."""
LOOKUPS = (
    "QHSR",
    "nss 2017",
    "dhs's northern border strategy",
    "U.S. Customs and Border Protection Strategy",
)
"""The lookups of startup.py: as written, normalized, a possessive, dotted initials."""

T = TypeVar("T")


class Figure(NamedTuple):
    """One row of the summary: a figure of ours, its baseline, their ratio and the target."""

    name: str
    excerpts: str
    ours: str
    baseline: str
    ratio: float
    target: float

    @property
    def met(self) -> bool:
        return round(self.ratio, 2) <= self.target  # as the ratio is shown


class Size(NamedTuple):
    """What one size measured: its rows of the summary, and each engine's figures."""

    excerpts: int
    figures: list[Figure]
    engines: dict[str, dict[str, str]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[5_000, 50_000, 500_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--rss", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.rss:
        print(added_rss(arguments.rss[0], Path(arguments.rss[1])))
        return
    print(f"Python {sys.version.split()[0]}, fusion_strategies {fs.__version__} from {fs.__file__}")
    print("load average over 1, 5 and 15 minutes: {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg()))
    sizes = [measure(size, arguments.cache, arguments.queries) for size in arguments.sizes]
    warm = bundled()
    summary(sizes, warm)


def _sizes(text: str) -> list[int]:
    return [int(each.replace("_", "")) for each in text.split(",")]


# -- one size ------------------------------------------------------------------------------


def measure(excerpts: int, cache: Path, count: int) -> Size:
    """Every figure of one size, printed as it is measured."""
    print(f"\n== {excerpts:,} excerpts (seed {SEED})")
    start = time.perf_counter()
    path = cached(excerpts, cache)
    print(f"  {path} ({path.stat().st_size / 1e6:.0f} MB), ready in {_since(start):.1f} s")
    cap = max_size(path)
    if cap > fileformat.MAX_FILE_SIZE:
        print(f"  past fs.loads' default cap (fileformat.MAX_FILE_SIZE): max_size={cap:,}")
    text = path.read_text(encoding="utf-8")
    plain, found = best_of(3, lambda: texts(json.loads(text)))
    gc.collect()
    loads, catalog = best_of(3, lambda: fs.loads(text, max_size=cap))
    print(f"  fs.loads {loads:.2f} s; json.loads and the walk over the texts {plain:.2f} s")
    print(f"  {len(found):,} texts, {sum(map(len, found)) / 1e6:.0f} million characters")

    builds = {}
    start = time.perf_counter()
    catalog.search(FIRST_QUERY)
    builds["ours"] = _since(start)
    start = time.perf_counter()
    table = Fts5(found)
    builds["FTS5"] = _since(start)
    start = time.perf_counter()
    tantivy = Tantivy(found)
    builds["tantivy"] = _since(start)
    print("  index build: " + ", ".join(f"{name} {builds[name]:.2f} s" for name in ENGINES))

    engines: dict[str, Callable[[str], object]] = {
        "ours": catalog.search,
        "FTS5": table.search,
        "tantivy": tantivy.search,
    }
    times = latencies(engines, count)
    p50 = {name: percentile(times[name], 0.5) for name in ENGINES}
    p95 = {name: percentile(times[name], 0.95) for name in ENGINES}
    print(f"  {count} queries, limit 10, in µs:")
    for name in ENGINES:
        print(f"    {name:8} p50 {p50[name]:9.0f}   p95 {p95[name]:9.0f}")
    same = ranking(catalog, queries(SAMPLE, seed=SEED + 3))
    print(f"  ranking: the 10 best equal the unlimited search's first 10 for {same}/{SAMPLE}")

    rss = {name: rss_in_child(name, path) for name in ENGINES}
    print("  RSS the index adds: " + ", ".join(f"{name} +{rss[name]:.0f} MB" for name in ENGINES))

    where = f"{excerpts:,}"
    measured: dict[str, tuple[dict[str, float], Callable[[float], str]]] = {
        "index build (first search)": (builds, _seconds),
        "search p50": (p50, _micros),
        "search p95": (p95, _micros),
        "RSS the index adds": (rss, "+{:.0f} MB".format),
    }
    figures = [
        Figure(
            name,
            where,
            shown(values["ours"]),
            f"{shown(values[against])} ({against})",
            values["ours"] / values[against],
            target,
        )
        for name, against, target in TARGETS
        for values, shown in [measured[name]]
    ]
    figures += [
        Figure(
            "fs.loads",
            where,
            _seconds(loads),
            f"{_seconds(plain)} (json.loads + walk)",
            loads / plain,
            2.5,
        ),
        # Its ratio is the number of queries whose 10 best differ; the target, none.
        Figure(
            "ranking: top 10 = unlimited first 10", where, f"{same}/{SAMPLE}", "—", SAMPLE - same, 0
        ),
    ]
    engines_figures = {
        engine: {name: shown(values[engine]) for name, (values, shown) in measured.items()}
        for engine in ENGINES
    }
    return Size(excerpts, figures, engines_figures)


def max_size(path: Path) -> int:
    """The `max_size` that `fs.loads` reads this file with: the default, or its size."""
    return max(fileformat.MAX_FILE_SIZE, path.stat().st_size)


def best_of(runs: int, call: Callable[[], T]) -> tuple[float, T]:
    """The least seconds of `runs` calls, and what the last call gave."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        timings.append(_since(start))
    return min(timings), result


def latencies(engines: dict[str, Callable[[str], object]], count: int) -> dict[str, list[float]]:
    """Each engine's µs per query, over a warm-up set and then `count` queries, interleaved."""
    for query in queries(50, seed=SEED + 2):
        for search in engines.values():
            search(query)
    times: dict[str, list[float]] = {name: [] for name in engines}
    for query in queries(count):
        for name, search in engines.items():
            start = time.perf_counter_ns()
            search(query)
            times[name].append((time.perf_counter_ns() - start) / 1e3)
    return times


def ranking(catalog: fs.Catalog, sample: Sequence[str]) -> int:
    """For how many queries the 10 best are the first 10 of the search with no limit."""
    every = sum(1 for strategy in catalog for _ in strategy.iter_excerpts())
    return sum(
        _ids(catalog.search(query)) == _ids(catalog.search(query, limit=every)[:10])
        for query in sample
    )


def _ids(hits: Sequence[fs.Hit]) -> list[tuple[str, str]]:
    return [(hit.strategy.id, hit.excerpt.id) for hit in hits]


# -- the memory an index adds, in a fresh process -------------------------------------------


def rss_in_child(engine: str, path: Path) -> float:
    """The MB of RSS that `engine`'s index adds to a fresh process that has read `path`."""
    run = subprocess.run(
        [sys.executable, __file__, "--rss", engine, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(run.stdout)


def added_rss(engine: str, path: Path) -> float:
    """In this process: read `path`, then the MB of RSS that building `engine`'s index adds."""
    text = path.read_text(encoding="utf-8")
    build: Callable[[], object]
    if engine == "ours":
        catalog = fs.loads(text, max_size=max_size(path))

        def build() -> object:
            return catalog.search(FIRST_QUERY)

    else:
        found = texts(json.loads(text))
        engine_class = {"FTS5": Fts5, "tantivy": Tantivy}[engine]

        def build() -> object:
            return engine_class(found)

    gc.collect()
    before = vm_rss()
    index = build()
    gc.collect()
    after = vm_rss()
    del index
    return (after - before) / 1024


def vm_rss() -> int:
    """This process' resident set size in kB, from /proc/self/status (Linux)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise OSError("/proc/self/status has no VmRSS line")


# -- the bundled catalog, warm --------------------------------------------------------------


def bundled() -> list[Figure]:
    """The warm figures of the bundled catalog: search's median and the slowest lookup."""
    print("\n== the bundled catalog, warm")
    searches = bundled_searches()
    lookups = [per_call(partial(fs.lookup, name)) for name in LOOKUPS]
    search, lookup = statistics.median(searches), max(lookups)
    print(f"  search median {search:.1f} µs over {len(searches)} queries")
    print(
        "  lookup "
        + ", ".join(
            f"{name!r} {micros:.2f} µs" for name, micros in zip(LOOKUPS, lookups, strict=True)
        )
    )
    excerpts = sum(1 for strategy in fs.catalog() for _ in strategy.iter_excerpts())
    where = f"{excerpts} (bundled)"
    return [
        Figure("search median, warm", where, f"{search:.1f} µs", "50 µs (budget)", search / 50, 1),
        Figure("lookup, slowest, warm", where, f"{lookup:.2f} µs", "2 µs (budget)", lookup / 2, 1),
    ]


# -- the summary ------------------------------------------------------------------------------


def summary(sizes: Sequence[Size], warm: Sequence[Figure]) -> None:
    """Every figure in Markdown tables, to paste in a closing note."""
    print("\n## Summary\n")
    print("| figure | excerpts | ours | baseline | ratio | target | |")
    print("|---|---|---|---|---|---|---|")
    for figure in [each for size in sizes for each in size.figures] + list(warm):
        if figure.baseline == "—":
            ratio, target = "—", "all"
        else:
            ratio, target = f"{figure.ratio:.2f}×", f"≤ {figure.target:g}×"
        verdict = "met" if figure.met else "**missed**"
        print(
            f"| {figure.name} | {figure.excerpts} | {figure.ours} | {figure.baseline} "
            f"| {ratio} | {target} | {verdict} |"
        )
    for size in sizes:
        print(f"\n| {size.excerpts:,} excerpts | " + " | ".join(ENGINES) + " |")
        print("|---" * (len(ENGINES) + 1) + "|")
        for name in size.engines["ours"]:
            print(f"| {name} | " + " | ".join(size.engines[e][name] for e in ENGINES) + " |")


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 1 else f"{value * 1e3:.0f} ms"


def _micros(value: float) -> str:
    return f"{value / 1e3:.2f} ms" if value >= 1e3 else f"{value:.0f} µs"


def _since(start: float) -> float:
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
