"""Cold start, warm queries and memory of the bundled catalog, next to their baselines.

Every figure is measured in this one run, next to a baseline measured in the same run:
``python -c pass``, ``import attrs`` and pycountry (the best-known library of bundled
reference data). Targets are ratios or budgets, printed beside each figure; nothing here
fails a build, since these machines are noisy. So that a missed target can be judged,
it also prints the one-shot's floor (importing attrs, cattrs and json, which any load
through cattrs does before it reads a byte), where the import's time goes by
``-X importtime``, and the one-shot's phases. Where valgrind is installed, it also counts
the one-shots' instructions (callgrind), the figure that a busy machine leaves alone. Every
command runs from an empty folder, as the current folder is the first on ``sys.path``.
Last, ``loads`` of a large catalog (the 50,000-excerpt synthetic one of ``corpus.py``) next
to ``json.loads`` and a walk over every excerpt's text, the least that any reader does.

Run it with a wheel installed, not the source tree, so that modules are byte-compiled
as a user's are::

    python -m venv /tmp/bench && /tmp/bench/bin/pip install dist/*.whl pycountry
    /tmp/bench/bin/python benchmarks/startup.py
"""

from __future__ import annotations

import gc
import importlib.util
import json
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import tracemalloc
from collections.abc import Callable
from pathlib import Path

RUNS = 40
LOADS_EXCERPTS = 50_000
LOADS_REPEATS = 3

COLD = {
    "python -c pass": "pass",
    "import attrs": "import attrs",
    "import fusion_strategies": "import fusion_strategies",
    "fusion_strategies one-shot": "import fusion_strategies as fs; fs.lookup('QHSR')",
    # What any one-shot through cattrs imports before it does anything: its floor.
    "import attrs, cattrs, json": "import attrs, cattrs, json",
    "pycountry one-shot": "import pycountry; pycountry.countries.get(alpha_2='DE')",
}
# `python -c` puts the current folder first on sys.path, and the first import lists it: run
# from a full one (a repository, /tmp), every command pays for it, and the ratios shrink.
QUIET = tempfile.mkdtemp(prefix="startup-")
SCRIPT = Path(sys.executable).with_name("fusion-strategies")
# The console script a user runs, from the venv of this Python; else the module.
SHOW = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "fusion_strategies"]


def main() -> None:
    """Print every figure of the performance issue, with its baseline and target."""
    import attrs

    import fusion_strategies as fs

    has_pycountry = importlib.util.find_spec("pycountry") is not None
    print(f"Python {platform.python_version()} ({sys.executable})")
    print(f"fusion_strategies {fs.__version__} from {fs.__file__}")
    print(f"attrs {attrs.__version__}, cattrs {_version('cattrs')}", end="")
    print(f", pycountry {_version('pycountry')}" if has_pycountry else ", pycountry missing")
    cold(has_pycountry)
    instructions(has_pycountry)
    import_breakdown()
    breakdown()
    warm(has_pycountry)
    memory()
    loads()


def cold(has_pycountry: bool) -> None:
    """Whole-process wall times, interleaved so that drift hits every command alike."""
    commands = {
        name: code for name, code in COLD.items() if has_pycountry or "pycountry" not in name
    }
    argvs = {name: [sys.executable, "-c", code] for name, code in commands.items()}
    argvs["fusion-strategies show QHSR"] = [*SHOW, "show", "QHSR"]
    times: dict[str, list[float]] = {name: [] for name in argvs}
    for _ in range(RUNS):
        for name, argv in argvs.items():
            start = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=QUIET)
            times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(values) * 1e3 for name, values in times.items()}
    print(f"\nCold, median of {RUNS} runs (ms)")
    for name, value in median.items():
        print(f"  {name:30s} {value:7.1f}")
    extra = median["import fusion_strategies"] - median["import attrs"]
    print(f"  import cost over import attrs  {extra:7.1f}   (target <= 5 ms)")
    if has_pycountry:
        pycountry = median["pycountry one-shot"]
        ratio = median["fusion_strategies one-shot"] / pycountry
        print(f"  one-shot / pycountry one-shot  {ratio:7.2f}x  (target <= 1.30x)")
        show = median["fusion-strategies show QHSR"] / pycountry
        print(f"  show QHSR / pycountry one-shot {show:7.2f}x  (was 1.7x)")
        floor = median["import attrs, cattrs, json"] / pycountry
        print(f"  its floor (the imports alone)  {floor:7.2f}x")


def instructions(has_pycountry: bool) -> None:
    """The one-shots in instructions (callgrind), which a busy machine does not change."""
    if shutil.which("valgrind") is None or not has_pycountry:
        print("\nInstructions: skipped (needs valgrind and pycountry)")
        return
    argvs = {
        "fusion_strategies one-shot": [sys.executable, "-c", COLD["fusion_strategies one-shot"]],
        "fusion-strategies show QHSR": [*SHOW, "show", "QHSR"],
        "pycountry one-shot": [sys.executable, "-c", COLD["pycountry one-shot"]],
    }
    counts = {name: _instructions(argv) for name, argv in argvs.items()}
    print("\nInstructions, callgrind (millions)")
    for name, count in counts.items():
        print(f"  {name:30s} {count / 1e6:7.1f}")
    pycountry = counts["pycountry one-shot"]
    one_shot, show = counts["fusion_strategies one-shot"], counts["fusion-strategies show QHSR"]
    print(f"  one-shot / pycountry one-shot  {one_shot / pycountry:7.2f}x")
    print(f"  show QHSR / pycountry one-shot {show / pycountry:7.2f}x")


def _instructions(argv: list[str]) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        check=True,
        capture_output=True,
        text=True,
        cwd=QUIET,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    assert found is not None, run.stderr
    return int(found[1])


IMPORTED = "import attrs; import fusion_strategies"


def import_breakdown() -> None:
    """Where ``import fusion_strategies`` spends its time after attrs: -X importtime."""
    own: dict[str, list[float]] = {}
    for _ in range(RUNS // 2):
        run = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", IMPORTED],
            check=True,
            capture_output=True,
            text=True,
            cwd=QUIET,
        )
        _, attrs_line, after_attrs = run.stderr.partition("| attrs\n")
        for line in (after_attrs if attrs_line else run.stderr).splitlines():
            self_us, _, name = line.removeprefix("import time:").split("|")
            own.setdefault(name.strip(), []).append(int(self_us) / 1e3)
    print(f"\nWhere the import goes after attrs, -X importtime, median of {RUNS // 2} (ms)")
    for name, values in sorted(own.items(), key=lambda item: -statistics.median(item[1])):
        print(f"  {name:34s} {statistics.median(values):6.2f}")


BREAKDOWN = """
import time
marks = [("start", time.perf_counter())]
def mark(label): marks.append((label, time.perf_counter()))
import attrs; mark("import attrs")
import fusion_strategies as fs; mark("import fusion_strategies")
import json; mark("import json")
import cattrs; mark("import cattrs")
import fusion_strategies.fileformat; mark("converter set-up (cattrs hooks)")
import sys
if sys.version_info >= (3, 13): import importlib.resources
else: import importlib_resources
mark("import importlib(_)resources")
from fusion_strategies import _bundled; _bundled._read(); mark("read, parse, structure (proven)")
catalog = fs.catalog(); mark("the same load again, hooks generated")
catalog.lookup("QHSR"); mark("first lookup (name index)")
for (_, before), (label, after) in zip(marks, marks[1:]):
    print(f"{label}\\t{(after - before) * 1e3:.2f}")
"""


def breakdown() -> None:
    """Where a one-shot's time goes, phase by phase, in a fresh process (median of runs)."""
    phases: dict[str, list[float]] = {}
    for _ in range(RUNS // 2):
        run = subprocess.run(
            [sys.executable, "-c", BREAKDOWN], check=True, capture_output=True, text=True, cwd=QUIET
        )
        for line in run.stdout.splitlines():
            label, value = line.split("\t")
            phases.setdefault(label, []).append(float(value))
    print(f"\nWhere a one-shot's time goes, in-process, median of {RUNS // 2} runs (ms)")
    for label, values in phases.items():
        print(f"  {label:34s} {statistics.median(values):6.2f}")


def warm(has_pycountry: bool) -> None:
    """Per-call times on a loaded catalog: the best of repeats, in microseconds."""
    import fusion_strategies as fs

    catalog = fs.catalog()
    catalog.lookup("QHSR")
    fs.mentioning("HIDTA")
    qhsr = "quadrennial-homeland-security-review-2014"
    figures: list[tuple[str, Callable[[], object], float | None]] = [
        ("get", lambda: fs.get(qhsr), 1),
        ("lookup, as written ('QHSR')", lambda: fs.lookup("QHSR"), 2),
        ("lookup, normalized ('nss 2017')", lambda: fs.lookup("nss 2017"), 2),
        ("lookup, possessive heading", lambda: fs.lookup("dhs's northern border strategy"), 2),
        (
            "lookup, dotted initials",
            lambda: fs.lookup("U.S. Customs and Border Protection Strategy"),
            2,
        ),
        ("miss with suggestions ('QHRS')", lambda: _miss(fs.lookup, "QHRS"), 200),
        ("miss with suggestions (long)", lambda: _miss(fs.lookup, "natinal cyber stratgy"), 200),
        ("find(year=, theme=)", lambda: fs.find(year=2018, theme="counterterrorism"), 20),
        ("find(mentions='HIDTA')", lambda: fs.find(mentions="HIDTA"), 20),
        ("mentioning('HIDTA')", lambda: fs.mentioning("HIDTA"), 10),
    ]
    if has_pycountry:
        import pycountry

        pycountry.countries.get(alpha_2="DE")
        figures += [
            ("pycountry countries.get", lambda: pycountry.countries.get(alpha_2="DE"), None),
            ("pycountry search_fuzzy", lambda: pycountry.countries.search_fuzzy("Germany"), None),
        ]
    print("\nWarm, best of 5 repeats (µs per call)")
    for label, call, target in figures:
        value = _per_call(call) * 1e6
        budget = f"(target <= {target:g} µs)" if target is not None else "(baseline)"
        print(f"  {label:34s} {value:9.2f}   {budget}")


def memory() -> None:
    """What the bundled catalog and its indexes allocate, loading machinery excluded."""
    import fusion_strategies as fs
    from fusion_strategies import _bundled, fileformat

    del fileformat  # imported so that its modules and converter are not counted
    tracemalloc.start()
    catalog = _bundled._read()
    catalog.lookup("QHSR")
    catalog.mentioning("HIDTA")
    with_indexes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print("\nMemory (tracemalloc)")
    print(
        f"  catalog with its name and mention indexes  {with_indexes / 1e6:.2f} MB (target < 2 MB)"
    )
    assert len(catalog) == len(fs.strategies())


def loads() -> None:
    """`fs.loads` of a large catalog next to `json.loads` and a walk over the excerpts' texts.

    Both are timed on the same text, interleaved, after a full collection each, best of
    LOADS_REPEATS: the ratio is the figure, for the machine's speed cancels out.
    """
    from corpus import synthetic_catalog, texts

    import fusion_strategies as fs

    text = fs.dumps(synthetic_catalog(LOADS_EXCERPTS))
    baseline: list[float] = []
    ours: list[float] = []
    for _ in range(LOADS_REPEATS):
        gc.collect()
        start = time.perf_counter()
        texts(json.loads(text))
        baseline.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        fs.loads(text)
        ours.append(time.perf_counter() - start)
    best, best_baseline = min(ours), min(baseline)
    size = f"{len(text) / 1e6:.1f} MB"
    print(f"\nloads of {LOADS_EXCERPTS:,} excerpts ({size}), best of {LOADS_REPEATS}")
    print(f"  json.loads + walk over the texts {best_baseline * 1e3:8.1f} ms   (baseline)")
    print(f"  fs.loads                         {best * 1e3:8.1f} ms")
    print(f"  fs.loads / baseline              {best / best_baseline:8.2f}x  (target <= 2.50x)")


def _miss(lookup: Callable[[str], object], name: str) -> None:
    import fusion_strategies as fs

    try:
        lookup(name)
    except fs.NotFoundError:
        return


def _per_call(call: Callable[[], object]) -> float:
    timer = timeit.Timer(call)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=5, number=number)) / number


def _version(name: str) -> str:
    from importlib import metadata

    return metadata.version(name)


if __name__ == "__main__":
    main()
