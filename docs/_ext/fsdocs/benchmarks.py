"""``fs-benchmarks`` and ``fs-benchmark-scripts``: the Performance page's figures.

The figures are measured by the scripts in ``benchmarks/`` and written by hand into
``docs/performance.toml``, since a build must not time anything. What can be checked is:
every figure names a script that exists, and the page shows each script's own docstring,
which says what it measures and how to run it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tomllib
from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .markup import Cell, code_block, literal, paragraph, table

logger = logging.getLogger(__name__)

FIGURE_KEYS = ("name", "target", "result", "script")


class _BenchmarkDirective(SphinxDirective):
    @property
    def root(self) -> Path:
        """The repository: the parent of the docs."""
        return Path(self.env.srcdir).parent

    def warn(self, message: str) -> None:
        logger.warning(message, location=self.get_location(), type="fsdocs")


class BenchmarkTable(_BenchmarkDirective):
    """``fs-benchmarks FILE``: the figures of a TOML file, with their targets and scripts."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        """A note on the run and a table of the figures."""
        path = Path(self.env.srcdir) / self.arguments[0]
        self.env.note_dependency(str(path))
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        run = data.get("run", {})
        rows: list[list[Cell]] = []
        for index, figure in enumerate(data.get("figure", [])):
            missing = [key for key in FIGURE_KEYS if key not in figure]
            if missing:
                self.warn(f"figure {index + 1} of {path.name} lacks {', '.join(missing)}")
                continue
            script = self.root / figure["script"]
            self.env.note_dependency(str(script))
            if not script.is_file():
                self.warn(f"{path.name}: {figure['name']!r} names {figure['script']}, not a file")
            shown = figure["result"] or nodes.emphasis("not measured yet", "not measured yet")
            rows.append([figure["name"], figure["target"], shown, literal(figure["script"])])
        when = run.get("date") and run.get("machine")
        note = (
            f"Measured on {run['date']}, on {run['machine']}."
            if when
            else "These figures have not been measured for this version yet."
        )
        headers = ["Figure", "Target", "Result", "Script"]
        return [paragraph(note), table(headers, rows, widths=[44, 12, 20, 24])]


class BenchmarkScripts(_BenchmarkDirective):
    """``fs-benchmark-scripts``: each script of ``benchmarks/`` with its own docstring."""

    def run(self) -> list[nodes.Node]:
        """A definition of each script: its name, then its docstring verbatim."""
        scripts = sorted((self.root / "benchmarks").glob("*.py"))
        if not scripts:
            self.warn("benchmarks/ holds no script")
        result = nodes.definition_list()
        for script in scripts:
            self.env.note_dependency(str(script))
            docstring = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")))
            if not docstring:
                self.warn(f"benchmarks/{script.name} has no docstring to say what it measures")
                continue
            term = nodes.term("", "", literal(f"benchmarks/{script.name}"))
            definition = nodes.definition("", code_block(docstring, "none"))
            result += nodes.definition_list_item("", term, definition)
        return [result]
