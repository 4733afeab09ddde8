"""Which way imports point: records at the bottom, the bundled catalog known at the top only.

The package's own imports are read from its source, lazy ones inside functions included,
since those run too; imports for type checkers alone are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fusion_strategies as fs

PACKAGE = Path(fs.__file__).parent


def runtime_imports(module: str) -> set[str]:
    """The package's modules that a module imports when it runs, lazily or not."""
    path = PACKAGE / ("__init__.py" if module == "__init__" else f"{module}.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            # `if not TYPE_CHECKING:` is what runs: its else is for type checkers alone.
            if isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not):
                node.orelse = []
            else:
                node.body = []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "fusion_strategies":
            found.add("__init__")
        elif isinstance(node, ast.Import):
            found.update("__init__" for a in node.names if a.name == "fusion_strategies")
    return found - {module}


MODULES = sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem not in {"__main__"})
GRAPH = {module: runtime_imports(module) for module in MODULES}
RECORDS = {"model", "_results"}
"""The records: the catalog's, and those of what a query found, which `model` gives lazily."""


def reaches(start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        for imported in GRAPH.get(module, ()):
            if imported == goal:
                return True
            if imported not in seen:
                seen.add(imported)
                todo.append(imported)
    return False


def test_only_the_public_face_knows_the_bundled_catalog() -> None:
    knowing = {module for module, imported in GRAPH.items() if "_bundled" in imported}
    assert knowing == {"__init__"}


@pytest.mark.parametrize(
    "module", ["model", "_results", "errors", "catalog", "citation", "_tables"]
)
def test_the_lower_layers_never_reach_the_public_face_or_the_bundled_catalog(
    module: str,
) -> None:
    assert not reaches(module, "_bundled")
    assert not reaches(module, "__init__")


def test_records_import_nothing_of_the_package_but_records() -> None:
    for module in RECORDS:
        assert GRAPH[module] <= RECORDS, module


def test_no_import_cycle_through_the_records_or_the_bundled_catalog() -> None:
    # Records import only records (above): the one loop among them is model giving the
    # query results by name, imported when first asked for, after both modules have run.
    assert GRAPH["model"] == {"_results"}
    assert GRAPH["_results"] == {"model"}
    for module in ("_bundled", "catalog", "citation", "export", "timeline"):
        assert not reaches(module, module), module
