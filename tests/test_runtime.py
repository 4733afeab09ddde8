"""The bundled catalog at run time: loaded once under threads, and a light import."""

from __future__ import annotations

import json
import subprocess
import sys
import typing

import fusion_strategies as fs

RACE = """
import sys, threading, fusion_strategies as fs
barrier = threading.Barrier(16)
seen = []
def first_use():
    barrier.wait()
    seen.append(fs.catalog())
threads = [threading.Thread(target=first_use) for _ in range(16)]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(len(seen), len({id(catalog) for catalog in seen}))
"""


def test_the_first_load_raced_by_many_threads_yields_one_catalog() -> None:
    for _ in range(3):
        run = subprocess.run(
            [sys.executable, "-c", RACE], capture_output=True, text=True, check=True
        )
        assert run.stdout.split() == ["16", "1"]


def test_importing_the_package_loads_nothing_it_does_not_need() -> None:
    # The import budget, by module list rather than by time (machines here are noisy).
    code = "import sys, fusion_strategies; print('\\n'.join(sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(run.stdout.split())
    assert "fusion_strategies" in loaded
    for heavy in ("cattrs", "json", "difflib", "importlib.metadata", "argparse", "sqlite3", "csv"):
        assert heavy not in loaded, heavy


def test_the_first_query_loads_the_data_with_cattrs_but_no_metadata() -> None:
    code = "import sys, fusion_strategies as fs; fs.lookup('QHSR'); print(sorted(sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "'cattrs'" in run.stdout
    assert "'importlib.metadata'" not in run.stdout


def test_the_version_is_a_release_string() -> None:
    assert all(part.isdigit() for part in fs.__version__.split("."))


def test_no_public_signature_mentions_any() -> None:
    public = [getattr(fs, name) for name in fs.__all__ if callable(getattr(fs, name))]
    methods = [
        member
        for cls in (fs.Catalog, fs.Strategy, fs.Excerpt, fs.Period, fs.PartialDate, fs.Entity)
        for name, member in vars(cls).items()
        if callable(member) and not name.startswith("_")
    ]
    # Names the package imports on first use only, for its import time.
    from fusion_strategies import _results
    from fusion_strategies.comparison import CatalogDiff

    lazy = {
        "CatalogDiff": CatalogDiff,
        **{name: getattr(_results, name) for name in _results.__all__},
    }
    for function in public + methods:
        if isinstance(function, type):
            continue
        hints = typing.get_type_hints(function, localns=lazy)
        assert "Any" not in json.dumps({k: repr(v) for k, v in hints.items()}), function
