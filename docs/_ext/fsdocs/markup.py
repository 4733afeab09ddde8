"""Docutils nodes built from Python values: tables, code blocks and inline code.

The generators build nodes rather than markup text, so that no value from the data (a
title with a ``|``, an alias with a ``*``) can be misread as Markdown or reST.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeAlias

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import fusion_strategies

Cell: TypeAlias = str | nodes.Node | Sequence[nodes.Node]

PACKAGE = Path(fusion_strategies.__file__).parent
"""The package directory: its modules and its data are what the generated pages read."""


def table(
    headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, widths: Sequence[int]
) -> nodes.table:
    """A table with a header row; each cell is text, a node or a list of nodes."""
    if len(widths) != len(headers):
        raise ValueError(f"{len(headers)} headers but {len(widths)} widths")
    group = nodes.tgroup(cols=len(headers))
    group += [nodes.colspec(colwidth=width) for width in widths]
    head = nodes.thead()
    head += _row(headers)
    body = nodes.tbody()
    for cells in rows:
        if len(cells) != len(headers):
            raise ValueError(f"a row of {len(cells)} cells under {len(headers)} headers")
        body += _row(cells)
    group += [head, body]
    result = nodes.table(classes=["fsdocs-table", "colwidths-given"])
    result += group
    return result


def _row(cells: Sequence[Cell]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += paragraph(cell)
        row += entry
    return row


def paragraph(content: Cell) -> nodes.paragraph:
    """A paragraph of text, of a node, or of several nodes in a row."""
    if isinstance(content, str):
        return nodes.paragraph("", content)
    if isinstance(content, nodes.Node):
        return nodes.paragraph("", "", content)
    return nodes.paragraph("", "", *content)


def literal(text: str) -> nodes.literal:
    """Inline code."""
    return nodes.literal(text, text)


def joined(items: Iterable[nodes.Node | str], separator: str = ", ") -> list[nodes.Node]:
    """Nodes separated by text, for a cell that lists several values."""
    result: list[nodes.Node] = []
    for item in items:
        if result:
            result.append(nodes.Text(separator))
        result.append(nodes.Text(item) if isinstance(item, str) else item)
    return result


def code_block(text: str, language: str) -> nodes.literal_block:
    """A highlighted block of code."""
    block = nodes.literal_block(text, text)
    block["language"] = language
    return block


def type_name(annotation: object) -> str:
    """A type as a reader writes it: ``tuple[Excerpt, ...]``, ``int | None``."""
    if annotation is type(None):
        return "None"
    if annotation is Ellipsis:
        return "..."
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return " | ".join(type_name(arg) for arg in typing.get_args(annotation))
    origin = typing.get_origin(annotation)
    if origin is not None:
        arguments = ", ".join(type_name(arg) for arg in typing.get_args(annotation))
        return f"{type_name(origin)}[{arguments}]"
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation)


def strip_trailing_blank_lines(app: Sphinx, doctree: nodes.document) -> None:
    """Drop the blank line that ends a doctest block in a page (``doctree-read``).

    Python's doctest needs a blank line after the last expected output, before the
    closing fence; a reader does not.
    """
    for block in doctree.findall(nodes.literal_block):
        if len(block.children) == 1 and isinstance(block[0], nodes.Text):
            text = block.astext()
            if text != text.rstrip("\n"):
                # Sphinx highlights a block only while its rawsource is its text.
                block.rawsource = text.rstrip("\n")
                block[0] = nodes.Text(block.rawsource)


def depend_on_package(directive: SphinxDirective) -> None:
    """Re-read the page when any module or data file of the package changes."""
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in {".py", ".json"}:
            directive.env.note_dependency(str(path))
