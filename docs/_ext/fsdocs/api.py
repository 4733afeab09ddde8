"""``fs-api GROUP``: the reference of the public names, from their docstrings, checked.

The names are those of ``fusion_strategies.__all__`` and no others. Each falls in one
group by what it is (a function, the catalog, a record, an enum, an error, the version),
so a new public name appears in the reference without anyone listing it. The build warns,
and so fails under ``-W``, when a public name, a public method or property of a public
class, or an enum member has no docstring, or when a public name is in no group on any
page.
"""

from __future__ import annotations

import enum
import inspect
import sys
from collections.abc import Iterator

import attrs
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

import fusion_strategies as fs

from .data import member_docs
from .markup import depend_on_package
from .registry import Registry

logger = logging.getLogger(__name__)

REFERENCED = Registry("fsdocs_api")
"""The public names that each page's ``fs-api`` directives document."""

GROUPS = ("functions", "catalog", "records", "enums", "errors", "version")


def group_of(name: str) -> str:
    """The reference group of a public name, decided by what the object is."""
    value = getattr(fs, name)
    if inspect.isfunction(value):
        return "functions"
    if not isinstance(value, type):
        return "version"
    if issubclass(value, BaseException):
        return "errors"
    if issubclass(value, enum.Enum):
        return "enums"
    if attrs.has(value):
        return "records"
    return "catalog"


def _source_order(name: str) -> tuple[str, int]:
    """Where a public name is defined, so that the reference reads in the source's order."""
    value = getattr(fs, name)
    if inspect.isfunction(value):
        return value.__module__, value.__code__.co_firstlineno
    if not isinstance(value, type):
        return "", 0
    try:
        return value.__module__, inspect.getsourcelines(value)[1]
    except (OSError, TypeError):  # no source to read: after the others
        return value.__module__, sys.maxsize


def undocumented(name: str) -> Iterator[str]:
    """The qualified names, under a public name, that have no docstring of their own."""
    value = getattr(fs, name)
    if group_of(name) == "version":
        return
    if not (value.__doc__ or "").strip():
        yield f"fusion_strategies.{name}"
    if not isinstance(value, type):
        return
    for attribute, member in vars(value).items():
        if attribute.startswith("_"):
            continue
        function = member.fget if isinstance(member, property) else member
        if callable(function) and not (getattr(function, "__doc__", None) or "").strip():
            yield f"fusion_strategies.{name}.{attribute}"
    if issubclass(value, enum.Enum):
        for member_name, doc in member_docs(value).items():
            if not doc:
                yield f"fusion_strategies.{name}.{member_name}"


class ApiReference(SphinxDirective):
    """Autodoc directives for every public name of one group; use it inside ``eval-rst``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        """The autodoc directives of the group, parsed; warnings for missing docstrings."""
        group = self.arguments[0]
        if group not in GROUPS:
            self._warn(f"unknown group {group!r}; the groups are {', '.join(GROUPS)}")
            return []
        depend_on_package(self)
        names = sorted((n for n in fs.__all__ if group_of(n) == group), key=_source_order)
        REFERENCED.add(self.env, names)
        for name in names:
            for missing in undocumented(name):
                self._warn(f"{missing} has no docstring; every public name needs one")
        lines = [line for name in names for line in self._lines(name, group)]
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(
            self.state, StringList(lines, source=self.get_source_info()[0]), node
        )
        return list(node.children)

    def _lines(self, name: str, group: str) -> list[str]:
        if group == "functions":
            return [f".. autofunction:: fusion_strategies.{name}", ""]
        if group == "version":
            return [
                f".. py:data:: fusion_strategies.{name}",
                f"   :value: {fs.__version__!r}",
                "",
                "   The version of the package, as a string; importing it costs nothing.",
                "",
            ]
        options = ["   :members:", "   :member-order: bysource"]
        if group == "errors":
            options.append("   :show-inheritance:")
        if group == "catalog":
            options.append("   :special-members: __len__, __iter__, __contains__")
        return [f".. autoclass:: fusion_strategies.{name}", *options, ""]

    def _warn(self, message: str) -> None:
        logger.warning(message, location=self.get_location(), type="fsdocs")


def check_every_name_referenced(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn about a public name that no ``fs-api`` directive documents."""
    referenced = REFERENCED.names(env)
    for name in fs.__all__:
        if name not in referenced:
            logger.warning(
                "fusion_strategies.%s is public but in no fs-api group (%s) on any page",
                name,
                group_of(name),
                type="fsdocs",
            )
