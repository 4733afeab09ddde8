"""``fs-cli``: the command-line reference, read from the argparse parser at build time.

The directive calls the function named by the ``fsdocs_cli_parser`` setting
(``module:function``), which builds the parser that ``fusion-strategies`` runs, and
renders every command with its usage, its description and a table of its arguments, as
``--help`` would print them. Rename a flag and the reference changes with it; rename or
break the function and the build fails.

argparse has no public way to list a parser's arguments or subcommands, so this module
reads ``parser._actions`` and formats each one with the parser's own help formatter, as
``--help`` does.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Iterator

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .markup import Cell, code_block, depend_on_package, literal, paragraph, table

logger = logging.getLogger(__name__)

HELP_WIDTH = 88
"""The terminal width the usage lines are wrapped to, as the console examples use."""


def parser_builder(setting: str) -> Callable[[], argparse.ArgumentParser]:
    """The function that ``module:function`` names."""
    module_name, _, function_name = setting.partition(":")
    builder: Callable[[], argparse.ArgumentParser] = getattr(
        importlib.import_module(module_name), function_name
    )
    return builder


def subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Each subcommand's name and parser, in the order ``--help`` lists them."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def arguments(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    """The arguments of a parser, subcommands left out."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction) and action.help != argparse.SUPPRESS:
            yield action


class CliReference(SphinxDirective):
    """``fs-cli``: the program, then a section per command."""

    def run(self) -> list[nodes.Node]:
        """The reference, or a warning (an error under ``-W``) if the parser cannot be had."""
        depend_on_package(self)
        setting = self.config.fsdocs_cli_parser
        try:
            parser = parser_builder(setting)()
        except (ImportError, AttributeError, TypeError) as error:
            logger.warning(
                "cannot build the CLI parser from fsdocs_cli_parser = %r: %s",
                setting,
                error,
                location=self.get_location(),
                type="fsdocs",
            )
            return []
        result: list[nodes.Node] = [*self._describe(parser)]
        for name, subparser in subcommands(parser):
            result.append(self._section(f"{parser.prog} {name}", name, subparser))
        if parser.epilog:
            result.append(self._section("Output and exit status", "output", None, parser.epilog))
        return result

    def _section(
        self,
        title: str,
        name: str,
        parser: argparse.ArgumentParser | None,
        text: str | None = None,
    ) -> nodes.section:
        section = nodes.section()
        section["ids"].append(nodes.make_id(f"cli-{name}"))
        section += nodes.title(title, "", literal(title) if parser else nodes.Text(title))
        if parser is not None:
            section += self._describe(parser)
        if text is not None:
            section += code_block(text.strip("\n"), "none")
        self.state.document.note_implicit_target(section, section)
        return section

    def _describe(self, parser: argparse.ArgumentParser) -> list[nodes.Node]:
        formatter = argparse.HelpFormatter(parser.prog, width=HELP_WIDTH)
        formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
        described: list[nodes.Node] = []
        if parser.description:
            described.append(paragraph(parser.description.strip()))
        described.append(code_block(formatter.format_help().strip(), "none"))
        rows = [_row(parser, action) for action in arguments(parser)]
        if rows:
            described.append(table(["Argument", "Meaning"], rows, widths=[34, 66]))
        return described


def _row(parser: argparse.ArgumentParser, action: argparse.Action) -> list[Cell]:
    formatter = parser._get_formatter()
    invocation = formatter._format_action_invocation(action)
    meaning = formatter._expand_help(action) if action.help else ""
    notes = []
    choices = [str(choice) for choice in action.choices or ()]
    # Shown unless the invocation ({a,b}) or the help text already lists them.
    if choices and "{" not in invocation and choices[0] not in meaning:
        notes.append("one of " + ", ".join(choices))
    if action.required and action.option_strings:
        notes.append("required")
    if _shows_default(action) and "default" not in meaning:
        notes.append(f"default: {action.default}")
    text = "; ".join(part for part in [meaning, *notes] if part)
    return [literal(invocation), text]


def _shows_default(action: argparse.Action) -> bool:
    if not action.option_strings or action.nargs == 0:
        return False
    return action.default not in (None, argparse.SUPPRESS)
