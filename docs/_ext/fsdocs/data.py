"""Directives that render the bundled data, the model and the file format at build time.

Every table here is computed from the package when the docs are built: change the data or
the model, and the pages change with it. Where the text around a table is written by
hand (which field comes from the page and which is curated), the directive checks it
against the model and warns, which fails the build under ``-W``, when the two disagree.
"""

from __future__ import annotations

import enum
import json
import typing
from collections.abc import Iterator, Mapping, Sequence
from typing import ClassVar

import attrs
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

import fusion_strategies as fs

from .markup import (
    Cell,
    code_block,
    depend_on_package,
    joined,
    literal,
    paragraph,
    table,
    type_name,
)
from .registry import Registry

logger = logging.getLogger(__name__)

DOCUMENTED_RECORDS = Registry("fsdocs_fields")
"""The record classes that each page's ``fs-fields`` tables describe."""

PROVENANCE = {
    "page": "from the page",
    "curated": "curated",
    "computed": "computed by a query",
}
"""Where a field's value comes from, as the data page marks it."""


def public_record_classes() -> dict[str, type]:
    """The attrs classes among the package's public names, by name."""
    found = {name: getattr(fs, name) for name in fs.__all__}
    return {name: value for name, value in found.items() if attrs.has(value)}


def member_docs(enum_type: type[enum.Enum]) -> dict[str, str]:
    """The docstring written under each member of an enum, by member name."""
    analyzer = ModuleAnalyzer.for_module(enum_type.__module__)
    found = analyzer.find_attr_docs()
    docs = {}
    for member in enum_type:
        lines = found.get((enum_type.__qualname__, member.name), [])
        docs[member.name] = " ".join(line.strip() for line in lines if line.strip())
    return docs


class _Generated(SphinxDirective):
    """A directive whose output is computed from the package; the page depends on it."""

    def run(self) -> list[nodes.Node]:
        depend_on_package(self)
        return self.generate()

    def generate(self) -> list[nodes.Node]:
        """The nodes that the directive stands for."""
        raise NotImplementedError

    def warn(self, message: str) -> None:
        logger.warning(message, location=self.get_location(), type="fsdocs")


class SourcePageTable(_Generated):
    """``fs-source``: the provenance of the bundled catalog, from ``fs.source()``."""

    def generate(self) -> list[nodes.Node]:
        """The nodes that the directive stands for."""
        page = fs.source()
        link = nodes.reference(page.url, page.url, refuri=page.url)
        rows: list[Sequence[Cell]] = [
            ["Title", page.title],
            ["Address", link],
            ["Publisher", page.publisher],
            ["Last updated", page.last_updated.isoformat()],
            ["Breadcrumb", " › ".join(page.breadcrumb)],
            ["Documents quoted", str(len(fs.strategies()))],
            ["Excerpts quoted", str(sum(1 for s in fs.strategies() for _ in s.iter_excerpts()))],
        ]
        return [table(["", "From fs.source() and the catalog"], rows, widths=[20, 80])]


class StrategyTable(_Generated):
    """``fs-strategies``: the documents of the bundled catalog, in page order."""

    option_spec: ClassVar[OptionSpec] = {"columns": directives.unchanged_required}

    def generate(self) -> list[nodes.Node]:
        """The nodes that the directive stands for."""
        if self.options.get("columns", "page") == "page":
            return [self._page_table()]
        return [self._classification_table()]

    def _page_table(self) -> nodes.table:
        rows = [
            [
                str(number),
                strategy.heading,
                strategy.title,
                strategy.issuer.acronym or strategy.issuer.name,
                "—" if strategy.published is None else str(strategy.published),
                str(sum(1 for _ in strategy.iter_excerpts())),
            ]
            for number, strategy in enumerate(fs.strategies(), start=1)
        ]
        headers = ["#", "Heading (page)", "Title (curated)", "Issuer", "Published", "Excerpts"]
        return table(headers, rows, widths=[4, 30, 34, 12, 11, 9])

    def _classification_table(self) -> nodes.table:
        rows = [
            [
                str(number),
                literal(strategy.id),
                str(strategy.period),
                strategy.kind.value,
                joined(literal(theme.value) for theme in strategy.themes),
                joined(literal(alias) for alias in strategy.aliases) or "—",
            ]
            for number, strategy in enumerate(fs.strategies(), start=1)
        ]
        headers = ["#", "id", "period", "kind", "themes", "aliases"]
        return table(headers, rows, widths=[4, 34, 10, 10, 28, 14])


class ThemeTable(_Generated):
    """``fs-themes``: each theme, its definition, how many documents have it, its words."""

    def generate(self) -> list[nodes.Node]:
        """The nodes that the directive stands for."""
        docs = member_docs(fs.Theme)
        vocabulary = fs.catalog().vocabulary()
        rows: list[list[Cell]] = []
        for theme in fs.Theme:
            if not docs[theme.name]:
                self.warn(f"Theme.{theme.name} has no docstring to define it")
            count = sum(1 for strategy in fs.strategies() if theme in strategy.themes)
            words = vocabulary.get(theme, ())
            rows.append([literal(theme.value), docs[theme.name], str(count), ", ".join(words)])
        headers = ["Theme", "Definition", "Documents", "Vocabulary (curated)"]
        return [table(headers, rows, widths=[20, 30, 10, 40])]


class EnumTable(_Generated):
    """``fs-enum NAME``: the values of a public enum with the docstring of each member."""

    required_arguments = 1

    def generate(self) -> list[nodes.Node]:
        """The nodes that the directive stands for."""
        enum_type = getattr(fs, self.arguments[0], None)
        if not (isinstance(enum_type, type) and issubclass(enum_type, enum.Enum)):
            self.warn(f"fusion_strategies.{self.arguments[0]} is not a public enum")
            return []
        docs = member_docs(enum_type)
        rows: list[list[Cell]] = []
        for member in enum_type:
            if not docs[member.name]:
                self.warn(f"{enum_type.__name__}.{member.name} has no docstring")
            rows.append([literal(member.value), literal(member.name), docs[member.name]])
        return [table(["Value", "Member", "Meaning"], rows, widths=[22, 26, 52])]


class EntityTable(_Generated):
    """``fs-entities``: the glossary of the bundled catalog."""

    def generate(self) -> list[nodes.Node]:
        """The nodes that the directive stands for."""
        rows = [
            [
                literal(entity.id),
                entity.name,
                entity.acronym or "—",
                entity.kind.value,
                joined(literal(alias) for alias in entity.aliases) or "—",
                str(len(fs.mentioning(entity))),
            ]
            for entity in fs.entities()
        ]
        headers = ["id", "Name", "Acronym", "Kind", "Aliases", "Mentions"]
        return [table(headers, rows, widths=[20, 30, 10, 12, 20, 8])]


class FieldTable(_Generated):
    """``fs-fields NAME``: every field of a public record and where its value comes from.

    Each line of the content is ``field | page, curated or computed | note``. The
    directive warns when a field of the class is missing from the content, when the
    content names a field the class does not have, or when a provenance is unknown.
    """

    required_arguments = 1
    has_content = True

    def generate(self) -> list[nodes.Node]:
        """The nodes that the directive stands for."""
        name = self.arguments[0]
        record = public_record_classes().get(name)
        if record is None:
            self.warn(f"fusion_strategies.{name} is not a public attrs class")
            return []
        DOCUMENTED_RECORDS.add(self.env, [name])
        described = dict(self._described())
        hints = typing.get_type_hints(record)
        rows: list[list[Cell]] = []
        for field in attrs.fields(record):
            provenance, note = described.pop(field.name, ("", ""))
            if not provenance:
                self.warn(f"{name}.{field.name} is a field, but this table does not describe it")
            kind = literal(type_name(hints[field.name]))
            rows.append([literal(field.name), kind, _badge(provenance), self._markdown(note)])
        for extra in described:
            self.warn(f"{name} has no field {extra!r}, but this table describes one")
        return [table(["Field", "Type", "Value", "Notes"], rows, widths=[16, 26, 14, 44])]

    def _markdown(self, text: str) -> list[nodes.Node]:
        parsed, messages = self.state.inline_text(text, self.lineno)
        return [*parsed, *messages]

    def _described(self) -> Iterator[tuple[str, tuple[str, str]]]:
        for line in self.content:
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|", 2)]
            if len(parts) != 3 or parts[1] not in PROVENANCE:
                self.warn(f"expected 'field | {' or '.join(PROVENANCE)} | note', got {line!r}")
                continue
            yield parts[0], (parts[1], parts[2])


def _badge(provenance: str) -> nodes.Node:
    if not provenance:
        return nodes.Text("")
    return nodes.inline(
        PROVENANCE[provenance], PROVENANCE[provenance], classes=[f"fsdocs-{provenance}"]
    )


def check_every_record_documented(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn about a public record class that no ``fs-fields`` table describes."""
    documented = DOCUMENTED_RECORDS.names(env)
    for name in sorted(public_record_classes()):
        if name not in documented:
            logger.warning(
                "fusion_strategies.%s has no fs-fields table: say where each field comes from",
                name,
                type="fsdocs",
            )


class JsonSchema(_Generated):
    """``fs-json-schema``: the JSON Schema of the file format, from ``fs.json_schema()``."""

    def generate(self) -> list[nodes.Node]:
        """The nodes that the directive stands for."""
        text = json.dumps(fs.json_schema(), indent=2, ensure_ascii=False)
        return [code_block(text, "json")]


class SchemaObjects(_Generated):
    """``fs-schema-objects``: each object of the file format, its keys and their JSON types.

    It warns on a schema construct it cannot describe, rather than describe it wrongly.
    """

    def generate(self) -> list[nodes.Node]:
        """The nodes that the directive stands for."""
        schema = fs.json_schema()
        definitions = schema["$defs"]
        assert isinstance(definitions, dict)
        objects = {"The file (top level)": schema, **definitions}
        result: list[nodes.Node] = []
        for name, described in objects.items():
            result.append(nodes.rubric(name, name))
            if described.get("description"):
                result.append(paragraph(str(described["description"])))
            required = set(described.get("required", ()))
            rows = [
                [literal(key), self._describe(value), "yes" if key in required else "no"]
                for key, value in described["properties"].items()
            ]
            result.append(table(["Key", "JSON value", "Required"], rows, widths=[20, 66, 14]))
        return result

    def _describe(self, schema: Mapping[str, object]) -> list[nodes.Node]:
        described = _describe_schema(schema)
        if described is None:
            self.warn(f"cannot describe the schema {json.dumps(schema)}: teach fsdocs.data")
            return [literal(json.dumps(schema))]
        parsed, messages = self.state.inline_text(described, self.lineno)
        return [*parsed, *messages]


def _describe_schema(schema: Mapping[str, object], *, plural: bool = False) -> str | None:
    """A schema as a phrase of inline Markdown: "an array of `Excerpt` objects"."""
    kind = schema.get("type")
    if "$ref" in schema:
        name = str(schema["$ref"]).rpartition("/")[2]
        return f"`{name}` objects" if plural else f"{_article(name)} `{name}` object"
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        values = schema["enum"]
        assert isinstance(values, list)
        listed = ", ".join(f"`{json.dumps(value)}`" for value in values)
        return f"values, each one of {listed}" if plural else f"one of {listed}"
    if "anyOf" in schema:
        options = schema["anyOf"]
        assert isinstance(options, list)
        described = [_describe_schema(option, plural=plural) for option in options]
        return None if None in described else " or ".join(str(each) for each in described)
    if kind == "array":
        items = schema.get("items")
        assert isinstance(items, dict)
        inner = _describe_schema(items, plural=True)
        return None if inner is None else f"{'arrays' if plural else 'an array'} of {inner}"
    if kind == "object" and "propertyNames" in schema:
        keys, values = schema["propertyNames"], schema["additionalProperties"]
        assert isinstance(keys, dict)
        assert isinstance(values, dict)
        key_text = _describe_schema(keys, plural=True)
        value_text = _describe_schema(values)
        if key_text is None or value_text is None or plural:
            return None
        return f"an object whose keys are {key_text}, and whose values are {value_text}"
    if kind == "string" and "pattern" in schema:
        noun = ("dates" if plural else "a date") if schema.get("format") == "date" else ""
        strings = "strings" if plural else "a string"
        return f"{noun + ' as ' if noun else ''}{strings} matching `{schema['pattern']}`"
    nouns = {"string": ("a string", "strings"), "integer": ("an integer", "integers")}
    if kind == "null" and not plural:
        return "`null`"
    if kind in nouns:
        extra = f" ({schema['description']})" if "description" in schema else ""
        return nouns[str(kind)][plural] + extra
    return None


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
