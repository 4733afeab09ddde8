"""The docs cannot go stale: change the package, and the build or the examples fail.

Each test changes something a user relies on (a docstring, a field's documentation, the
bundled data) in a copy or in a separate process, builds the docs or runs their
examples there, and checks that the change shows or that the build fails naming it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).parent
ROOT = DOCS.parent
SOURCE = ROOT / "src" / "fusion_strategies"
BUILD = "from sphinx.cmd.build import main; raise SystemExit(main(sys.argv[1:]))"


def build(
    tmp_path: Path, *, prelude: str = "", docs: Path = DOCS, python_path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Build the docs in a new process, after running `prelude` there."""
    script = f"import sys\n{prelude}\n{BUILD}"
    arguments = ["-W", "--keep-going", "-E", "-q", "-b", "html", "-d", str(tmp_path / "doctrees")]
    return subprocess.run(
        [sys.executable, "-c", script, *arguments, str(docs), str(tmp_path / "html")],
        capture_output=True,
        text=True,
        env=_environment(python_path),
        check=False,
    )


def run_examples(page: str, python_path: Path) -> subprocess.CompletedProcess[str]:
    """Run the examples of one page with the package found first at `python_path`."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(DOCS / page)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_environment(python_path),
        check=False,
    )


def _environment(python_path: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if python_path is not None:
        env["PYTHONPATH"] = str(python_path)
    return env


def package_copy(tmp_path: Path) -> Path:
    """A copy of the package to change; put its parent first on PYTHONPATH."""
    shutil.copytree(SOURCE, tmp_path / "src" / "fusion_strategies")
    return tmp_path / "src"


def test_deleting_a_docstring_fails_the_build(tmp_path: Path) -> None:
    """A public function and a public method without a docstring each fail the build."""
    prelude = (
        "import fusion_strategies as fs\nfs.get.__doc__ = None\nfs.Catalog.find.__doc__ = None\n"
    )
    result = build(tmp_path, prelude=prelude)
    assert result.returncode != 0
    assert "fusion_strategies.get has no docstring" in result.stderr
    assert "fusion_strategies.Catalog.find has no docstring" in result.stderr


def test_a_new_public_name_is_in_the_reference_and_needs_a_docstring(tmp_path: Path) -> None:
    """A name added to __all__ appears in the reference unasked, and needs a docstring."""
    prelude = (
        "import fusion_strategies as fs\n"
        "def timeline_of(strategy): return ()\n"
        "timeline_of.__module__ = 'fusion_strategies'\n"
        "fs.timeline_of = timeline_of\n"
        "fs.__all__.append('timeline_of')\n"
    )
    result = build(tmp_path, prelude=prelude)
    assert result.returncode != 0
    assert "fusion_strategies.timeline_of has no docstring" in result.stderr
    assert "fusion_strategies.timeline_of" in (tmp_path / "html" / "api.html").read_text()


def test_a_field_left_out_of_the_data_page_fails_the_build(tmp_path: Path) -> None:
    """Every field of every record must say whether it comes from the page or is curated."""
    shutil.copytree(DOCS, tmp_path / "docs", ignore=shutil.ignore_patterns("_build"))
    shutil.copy(ROOT / "CHANGELOG.md", tmp_path / "CHANGELOG.md")
    (tmp_path / "tests" / "data").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "data" / "curated-facts.md", tmp_path / "tests" / "data")
    page = tmp_path / "docs" / "data.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    page.write_text("".join(line for line in lines if not line.startswith("published |")))
    result = build(tmp_path / "out", docs=tmp_path / "docs")
    assert result.returncode != 0
    assert "Strategy.published is a field, but this table does not describe it" in result.stderr


def test_changing_the_data_changes_the_tables_and_fails_the_examples(tmp_path: Path) -> None:
    """A changed title shows in the generated table, and the examples that quote it fail."""
    python_path = package_copy(tmp_path)
    data = python_path / "fusion_strategies" / "data" / "catalog.json"
    catalog = json.loads(data.read_text(encoding="utf-8"))
    qhsr = next(s for s in catalog["strategies"] if "QHSR" in s["aliases"])
    qhsr["title"] = "The Second Quadrennial Homeland Security Review"
    data.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")

    assert build(tmp_path / "out", python_path=python_path).returncode == 0
    table = (tmp_path / "out" / "html" / "data.html").read_text(encoding="utf-8")
    assert "<p>The Second Quadrennial Homeland Security Review</p>" in table
    assert "<p>The 2014 Quadrennial Homeland Security Review</p>" not in table

    examples = run_examples("index.md", python_path)
    assert examples.returncode != 0
    assert "'The Second Quadrennial Homeland Security Review'" in examples.stdout


def test_renaming_a_flag_changes_the_reference_and_fails_the_examples(tmp_path: Path) -> None:
    """The CLI reference follows the parser, and the pages' commands run against it."""
    python_path = package_copy(tmp_path)
    cli = python_path / "fusion_strategies" / "cli.py"
    source = cli.read_text(encoding="utf-8")
    assert source.count('"--theme"') == 1
    cli.write_text(source.replace('"--theme"', '"--subject"'), encoding="utf-8")

    assert build(tmp_path / "out", python_path=python_path).returncode == 0
    reference = (tmp_path / "out" / "html" / "cli.html").read_text(encoding="utf-8")
    assert "--subject" in reference
    assert "--theme" not in reference

    examples = run_examples("quickstart.md", python_path)
    assert examples.returncode != 0
    assert "unrecognized arguments: --theme border-security" in examples.stdout


def test_the_timeline_picture_is_what_the_command_draws_today() -> None:
    """The Recipes page shows ``_static/timeline.svg``; it must be the bundled catalog's."""
    import fusion_strategies as fs
    from fusion_strategies import timeline

    picture = DOCS / "_static" / "timeline.svg"
    assert picture.read_text(encoding="utf-8") == timeline.to_svg(fs.catalog()), (
        "regenerate it: fusion-strategies timeline --svg docs/_static/timeline.svg"
    )
