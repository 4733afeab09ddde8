"""What a one-shot imports: what its first query needs, by module list, for time is noisy."""

from __future__ import annotations

import subprocess
import sys

import fusion_strategies as fs
from fusion_strategies import model

LIST_MODULES = "import sys; print('\\n'.join(sorted(sys.modules)))"


def _modules_after(code: str) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", f"{code}\n{LIST_MODULES}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(run.stdout.split())


def test_show_imports_no_module_of_another_command() -> None:
    code = (
        "import contextlib, io\n"
        "from fusion_strategies import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    cli.main(['show', 'QHSR'])\n"
    )
    loaded = _modules_after(code)
    assert "fusion_strategies.citation" in loaded  # show cites: the run did show
    # cli's MAX_TEXT is products' (test_tag holds them the same object), from _reading.
    for other in ("export", "timeline", "build", "capture", "comparison", "products"):
        assert f"fusion_strategies.{other}" not in loaded, other


def test_citing_a_strategy_whose_key_is_its_own_imports_no_hash() -> None:
    loaded = _modules_after("import fusion_strategies as fs; fs.cite(fs.lookup('QHSR'))")
    assert "fusion_strategies.citation" in loaded
    assert "hashlib" not in loaded


def test_a_lookup_makes_no_class_of_what_a_query_finds() -> None:
    loaded = _modules_after("import fusion_strategies as fs; fs.lookup('QHSR')")
    assert "fusion_strategies.catalog" in loaded
    assert "fusion_strategies._results" not in loaded


def test_the_records_of_what_a_query_finds_are_the_same_by_every_name() -> None:
    for name in ("Hit", "Match", "Mention", "Term"):
        assert getattr(fs, name) is getattr(model, name), name
        assert name in fs.__all__
        assert name in model.__all__
    assert type(fs.search("SAR")[0]) is fs.Hit
    assert type(fs.mentioning("SAR")[0]) is model.Mention
