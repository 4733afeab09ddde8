r"""Query, cite, export and chart the national strategies behind fusion centers.

usage: fusion-strategies [--catalog FILE] COMMAND [options]

commands:
  list [--year Y] [--theme T] [--issuer I] [--kind K] [--mentions E]
                        the strategies that meet every filter given (all,
                        without one), each with its id, to give to show
  show NAME             a strategy by id, title, heading or alias: its facts,
                        its excerpts with their ids and nesting, its citation
  cite NAME [--excerpt ID] [--style note|bibtex|csl-json]
                        the citation of a strategy, or of one of its excerpts
  search QUERY          the excerpts that best answer a query
  match [TEXT | - | --file PATH]
                        the strategies a text aligns with (with no text, or
                        "-", it reads standard input)
  tag PATH... [--format table|csv|jsonl|markdown]
                        the strategies each of many products aligns with:
                        files (.txt .md .html .htm, .pdf .docx with the
                        'documents' extra), folders of them, "-" for JSON
                        lines {"id", "text"} on stdin
  mentions ENTITY       every excerpt that names an organization, program or term
  entities              the glossary of entities
  export [--format F] [-o PATH]
                        the catalog as json, csv, markdown, bibtex, csl-json or
                        sqlite (without --format, -o's extension says which)
  validate FILE...      check catalog files: every problem with its JSON path
  schema                the JSON Schema of the catalog file format
  timeline [--svg PATH] the documents' periods as a text timeline, or an SVG
  build PAGE [--curated FILE] [--previous CATALOG] -o OUT
                        a catalog from a capture of the page (text or saved
                        HTML), keeping the previous catalog's ids
  diff OLD NEW [--format text|json|markdown]
                        what changed between two catalogs

--catalog FILE runs any query on a catalog of your own, in the same format.
--version prints the code's version and the data's: the page's last-updated
date and the SHA-256 of the capture the catalog was built from.

output:
  list, show, search, match, mentions and entities print an aligned table, or,
  with --format, JSON, CSV (a cell a spreadsheet would run as a formula gets a
  leading ') or Markdown; tag prints a table, CSV, JSON lines or a Markdown
  "Strategic alignment" section per product. A column means the same in every
  command: id (the row's own), strategy (a strategy's id), excerpt (an
  excerpt's id within its strategy), issuer_id (an entity's id), heading (the
  page's heading), title.
  Tables:
    list        PERIOD ISSUER_ID TITLE ID
    search      SCORE HEADING EXCERPT TEXT
    match       SCORE TERMS TITLE              (the first three terms)
    mentions    HEADING EXCERPT TEXT
    entities    ID ACRONYM KIND NAME
  Piped or redirected, nothing is cut. On a terminal, a table is cut with "…"
  to its width (--wide: not), ids and scores never; search and mentions show
  the text around the match, highlighted. Color only on a terminal, never
  with NO_COLOR. A catalog's control and bidi characters are shown as escapes
  (\x1b, \u202e) in tables, in every format on a terminal, and in JSON, which
  reads back the same. -o, --svg and --metadata write a file whole or not at
  all; "-o -" and "--svg -" write to stdout. A SQLite export is written to
  stdout as bytes when stdout is not a terminal; to a file, it comes with
  NAME.metadata.json for "datasette NAME.sqlite -m NAME.metadata.json".

JSON output (stable; new keys may be added, none removed or renamed):
  list        [STRATEGY, ...]
  show        STRATEGY with "citation": the plain-text note
  search      [{"score": number, "strategy": id, "excerpt": excerpt id,
                "text": str, "spans": [[start, end], ...]}, ...]
                (offsets into "text")
  match       [{"score": number, "strategy": id, "title": str,
                "excerpts": [excerpt id, ...], "terms": [{"text": str,
                "source": "excerpt"|"name"|"entity"|"theme", "key": str},
                ...]}, ...]
  mentions    [{"entity": id, "strategy": id, "excerpt": excerpt id,
                "text": str}, ...]
  tag         one line per product, in input order: {"product": path or id,
                "strategies": [{"id": id, "title": str, "score": number,
                "excerpts": [excerpt id, ...]}, ...]}, or {"product": ...,
                "error": str}
  entities    [ENTITY, ...]
  STRATEGY and ENTITY are the objects of the catalog file format (see the
  schema command): a strategy has "id", "title", "heading", "period" {"start",
  "end"}, "issuer" (an entity id), "kind", "themes", "aliases", "published"
  (YYYY, YYYY-MM or YYYY-MM-DD, or null) and "excerpts" [{"id", "text",
  "children"}]; an entity has "id", "name", "acronym", "kind", "aliases" and
  "description".

exit status:
  0 success; 1 nothing found, no such name (with suggestions), an invalid or
  unreadable file (for tag: any product that could not be read, once all
  the others are tagged), or output that cannot be written; 2 a usage error
  (a mistyped command or choice says which one was meant). diff, as diff(1)
  does: 0 the catalogs are equal, 1 they differ, 2 a usage error or a file it
  cannot use. Never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, NoReturn, TextIO

import fusion_strategies as fs

from ._reading import MAX_TEXT
from ._terminal import visible, visible_json, visible_json_text
from .catalog import Catalog
from .model import DocumentKind, Excerpt, Strategy, Theme

# A command imports what it needs when it runs: `show` has no use for the exports or the
# timeline, and each costs the one-shot a few milliseconds.
if TYPE_CHECKING:
    from ._results import Match
    from .products import Product, Unreadable

__all__ = ["build_parser", "main"]

PROG = "fusion-strategies"
_OUTPUT_FORMATS = ("table", "json", "csv", "markdown")
_BOLD, _HIGHLIGHT, _RESET = "\x1b[1m", "\x1b[1;33m", "\x1b[0m"
_MIN_LAST_COLUMN = 24
_TAG_FORMATS = ("table", "csv", "jsonl", "markdown")
_MATCH_LIMIT = 5
"""How many strategies tag gives a product by default: `Catalog.match`'s default."""
_PROGRESS_AFTER = (20, 2.0)
"""A progress bar is shown for more products than this, or after this many seconds."""
_MIN_COLUMN = 8
_ELLIPSIS = "…"
_LISTED_CHOICES = 6
"""A usage error lists the choices when there are at most this many, and none is close."""

_Columns = tuple[Sequence[str], Sequence[Sequence[str]]]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (``sys.argv[1:]`` by default); return its exit status.

    >>> main(["list", "--kind=framework", "--format=markdown"])  # doctest: +NORMALIZE_WHITESPACE
    | id | period | issuer_id | title |
    |---|---|---|---|
    | national-prevention-framework-2016 | 2016 | fema |
      National Prevention Framework, Second Edition |
    0
    """
    try:
        status = _run(argv)
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`fusion-strategies list | head -1`): as the Python docs
        # advise, point stdout at devnull so that the flush at exit does not fail again.
        _silence_stdout()
        return 1
    except OSError as error:  # stdout closed or full: say so once, where it can be read
        _silence_stdout()
        _complain(f"{PROG}: cannot write the output: {_describe_os_error(error)}")
        return 1
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        _complain(f"{PROG}: not enough memory for this input")
        return 1
    except Exception as error:  # a bug of ours: one line to report, never a traceback
        _complain(f"{PROG}: internal error ({type(error).__name__}: {error}); please report it")
        return 1
    return status


def _silence_stdout() -> None:
    """Point stdout at devnull, so that the flush at exit does not fail on it again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115  # lives to the exit


# -- errors --------------------------------------------------------------------------------


class _UsageError(Exception):
    """A command line that cannot be run as written: exit status 2."""


class _CommandError(Exception):
    """A command that ran and found nothing, or a file it could not use: exit status 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: error: {message} (see '{self.prog} --help')")

    def _check_value(self, action: argparse.Action, value: object) -> None:
        """A value that is not one of the choices: the closest ones, not all of them."""
        choices = action.choices
        if choices is None or value in choices:
            return
        known = [str(choice) for choice in choices]
        message = f"invalid choice: {value!r}"
        from ._suggestions import Suggester

        close = Suggester(known).closest(str(value).casefold())
        if close:
            message += f"; did you mean {close[0]!r}?"
        elif len(known) <= _LISTED_CHOICES:
            message += f" (choose from {', '.join(repr(c) for c in known)})"
        raise argparse.ArgumentError(action, message)


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help that shows each option's default, where it has one worth saying."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        help = action.help or ""
        default = action.default
        if default is None or default is False or default == argparse.SUPPRESS:
            return help
        if "%(default)" in help or not action.option_strings:
            return help
        return f"{help} (default: %(default)s)"


def _choice(choices: Sequence[str]) -> Callable[[str], str]:
    """An argument type that forgives case: "Cybersecurity" is "cybersecurity"."""
    by_folded = {choice.casefold(): choice for choice in choices}

    def choose(text: str) -> str:
        return by_folded.get(text.casefold(), text)

    return choose


def _run(argv: Sequence[str] | None) -> int:
    for stream in (sys.stdout, sys.stderr):
        _tolerate_any_encoding(stream)
    try:
        args = _parse_args(argv)
        if args.version:
            return _version(args, _Output(sys.stdout))
        if args.command is None:
            raise _UsageError(f"{PROG}: error: a command is required (see '{PROG} --help')")
        if sys.stdout is None:  # started with stdout closed (`fusion-strategies list >&-`)
            raise _CommandError("standard output is closed; there is nowhere to write")
        command: Callable[[argparse.Namespace, _Output], int] = args.run
        return command(args, _Output(sys.stdout, wide=getattr(args, "wide", False)))
    except SystemExit as exit:  # --help and --version
        return exit.code if isinstance(exit.code, int) else 0
    except _UsageError as error:
        _complain(str(error))
        return 2
    except _CommandError as error:
        _complain(f"{PROG}: {error}")
        return 1
    except fs.FusionStrategiesError as error:
        _complain(f"{PROG}: {' '.join(str(error).split())}")
        return 1
    except BrokenPipeError:
        raise  # not the user's error to read: main() handles it quietly
    except OSError as error:
        if _is_stdout_error(error):
            raise  # main() reports it, once stdout can no longer fail at exit
        _complain(f"{PROG}: {_describe_os_error(error)}")
        return 1


def _is_stdout_error(error: OSError) -> bool:
    """Whether an error is stdout's own (closed, full), not a file's that a command named."""
    return error.filename is None and sys.stdout is not None and _stdout_broken()


def _stdout_broken() -> bool:
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def _complain(message: str) -> None:
    """Print a message on stderr, whatever it quotes made visible, if stderr is there.

    Its lines stay lines: a list of problems is read one a line.
    """
    if sys.stderr is not None:
        with contextlib.suppress(OSError):
            print(visible(message, keep="\n"), file=sys.stderr)


def _describe_os_error(error: OSError) -> str:
    reason = error.strerror or str(error)
    return f"{error.filename}: {reason}" if error.filename else reason


def _tolerate_any_encoding(stream: TextIO | None) -> None:
    """Print what the stream cannot encode as escapes, rather than fail on a curly quote.

    Even in strict UTF-8 (PYTHONIOENCODING=utf-8:strict): an argument that was not
    UTF-8 arrives as lone surrogates, which no encoding can write.
    """
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="backslashreplace")


# -- the parser ----------------------------------------------------------------------------


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments, parsed by a parser that has the options of the command named only.

    A parser of every command's options costs more than the whole of ``show``'s work. So
    the command is found first, as argparse would (the first word that is not an option
    or the value of ``--catalog``), and the other commands are added by name alone. If
    that parser refuses the arguments, the whole one says why, as it always has.
    """
    words = sys.argv[1:] if argv is None else list(argv)
    wanted = _command_named(words)
    if wanted is None:
        return build_parser().parse_args(words)
    try:
        return _parser(wanted).parse_args(words)
    except _UsageError:
        return build_parser().parse_args(words)


def _command_named(words: Sequence[str]) -> str | None:
    """The command that `words` name, if the first word that is not an option is one."""
    after_catalog = False
    for word in words:
        if after_catalog:
            after_catalog = False
        elif word == "--catalog":
            after_catalog = True
        elif not word.startswith("-"):
            return word if word in _COMMANDS else None
        elif word == "--":
            return None
    return None


_COMMANDS = frozenset(
    {
        *("list", "show", "cite", "search", "match", "tag", "mentions", "entities"),
        *("export", "validate", "schema", "timeline", "build", "diff"),
    }
)
"""Every command's name, for `_command_named`; a test holds it to `build_parser`'s."""


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the command, which the documentation's reference is built from.

    >>> parser = build_parser()
    >>> parser.parse_args(["list", "--year", "2021"]).year
    2021
    """
    return _parser(None)


def _parser(wanted: str | None) -> argparse.ArgumentParser:
    """The parser with every command's options, or with those of `wanted` only."""
    summary, _, details = (__doc__ or "").partition("\n\n")
    parser = _Parser(
        prog=PROG,
        description=summary,
        epilog=details.split("\n\n", 2)[-1],
        formatter_class=_HelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help="the code's version and the data's (of --catalog FILE, or the bundled catalog)",
    )
    catalog_help = "a catalog file of your own instead of the bundled one"
    parser.add_argument("--catalog", metavar="FILE", help=catalog_help)
    parser.set_defaults(command=None)
    # Also after the command; SUPPRESS keeps a --catalog given before it.
    on_catalog = _Parser(add_help=False)
    on_catalog.add_argument(
        "--catalog", metavar="FILE", default=argparse.SUPPRESS, help=catalog_help
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    output = _Parser(add_help=False)
    output.add_argument(
        "--format",
        type=_choice(_OUTPUT_FORMATS),
        choices=_OUTPUT_FORMATS,
        default="table",
        help="table, json, csv or markdown",
    )
    wide = _Parser(add_help=False)
    wide.add_argument(
        "--wide", action="store_true", help="on a terminal too, cut nothing to fit its width"
    )
    search_limit, match_limit = (_Parser(add_help=False) for _ in range(2))
    for parent, method in ((search_limit, Catalog.search), (match_limit, Catalog.match)):
        parent.add_argument(
            "--limit",
            type=_positive_int,
            default=_default_limit(method),
            metavar="N",
            help="at most N results",
        )

    def command(
        name: str, run: Callable[[argparse.Namespace, _Output], int], help: str, *parents: _Parser
    ) -> argparse.ArgumentParser:
        if wanted is not None and name != wanted:
            commands.add_parser(name, help=help, add_help=False)
            return _UNWANTED
        if run not in (_validate, _schema, _build, _diff):
            parents = (on_catalog, *parents)
        sub = commands.add_parser(
            name,
            help=help,
            description=help,
            parents=list(parents),
            formatter_class=_HelpFormatter,
        )
        sub.set_defaults(run=run)
        return sub

    listing = command("list", _list, "the strategies that meet every filter given", output, wide)
    listing.add_argument("--year", type=int, help="the period contains this year")
    themes = [theme.value for theme in Theme]
    listing.add_argument(
        "--theme", type=_choice(themes), choices=themes, metavar="THEME", help=", ".join(themes)
    )
    listing.add_argument("--issuer", metavar="ENTITY", help="issued by this entity")
    kinds = [kind.value for kind in DocumentKind]
    listing.add_argument(
        "--kind", type=_choice(kinds), choices=kinds, metavar="KIND", help=", ".join(kinds)
    )
    listing.add_argument("--mentions", metavar="ENTITY", help="an excerpt names this entity")
    show = command("show", _show, "a strategy, its excerpts and its citation", output)
    show.add_argument("name", nargs="+", help="an id, title, heading or alias, a year allowed")
    _add_cite_command(command)
    search = command(
        "search", _search, "the excerpts that best answer a query", output, wide, search_limit
    )
    search.add_argument("query", nargs="+", help="words to find in the excerpts")
    match = command("match", _match, "the strategies a text aligns with", output, wide, match_limit)
    match.add_argument(
        "text", nargs="*", help='the text; "-" or none at all reads a pipe on standard input'
    )
    match.add_argument("--file", metavar="PATH", help="read the text from a file")
    _add_tag_command(command)
    mentions = command("mentions", _mentions, "every excerpt that names an entity", output, wide)
    mentions.add_argument("entity", nargs="+", help="an id, acronym, name or alias")
    command("entities", _entities, "the glossary of entities", output, wide)
    _add_export_command(command)
    validate = command("validate", _validate, "check catalog files")
    validate.add_argument("files", nargs="+", metavar="FILE", help='a file, or "-" for stdin')
    command("schema", _schema, "the JSON Schema of the catalog file format")
    chart = command("timeline", _timeline, "the documents' periods on a timeline")
    chart.add_argument("--svg", metavar="PATH", help='write an SVG picture ("-": stdout)')
    _add_data_commands(command)
    return parser


class _Unwanted(argparse.ArgumentParser):
    """A command's parser when another command was named: it takes options and keeps none."""

    def add_argument(self, *args: object, **kwargs: object) -> argparse.Action:
        return argparse.Action([], "unwanted")


_UNWANTED = _Unwanted(add_help=False)


def _add_cite_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    """The command that cites a strategy or one of its excerpts."""
    citing = command("cite", _cite, "the citation of a strategy or of one of its excerpts")
    if citing is _UNWANTED:
        return
    from .citation import STYLES

    citing.add_argument("name", nargs="+", help="an id, title, heading or alias, a year allowed")
    citing.add_argument("--excerpt", metavar="ID", help="an excerpt of the strategy, such as 1.2")
    citing.add_argument(
        "--style",
        type=_choice(STYLES),
        choices=STYLES,
        default="note",
        help="note (the default), bibtex or csl-json",
    )


def _add_tag_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    """The command that tags many products in one process."""
    tag = command("tag", _tag, "the strategies each of many products aligns with")
    tag.add_argument(
        "paths", nargs="+", metavar="PATH", help='a file, a folder, or "-" for JSON lines'
    )
    tag.add_argument(
        "--format",
        type=_choice(_TAG_FORMATS),
        choices=_TAG_FORMATS,
        default="table",
        help="table (the default), csv, jsonl or markdown",
    )
    tag.add_argument(
        "--limit",
        type=_positive_int,
        default=_MATCH_LIMIT,
        help=f"at most N strategies a product (default {_MATCH_LIMIT})",
    )


def _add_export_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    exporting = command("export", _export, "the catalog in another format")
    if exporting is _UNWANTED:
        return
    from . import export

    extensions = ", ".join(export.EXTENSIONS)
    exporting.add_argument(
        "--format",
        type=_choice(export.FORMATS),
        choices=export.FORMATS,
        metavar="FORMAT",
        help=f"{', '.join(export.FORMATS)}; without it, -o's extension says ({extensions})",
    )
    exporting.add_argument(
        "-o", "--output", metavar="PATH", help='write to a file ("-" or none: stdout)'
    )
    exporting.add_argument(
        "--metadata",
        metavar="PATH",
        help="with sqlite: Datasette's metadata file, replaced if it exists "
        "(default: NAME.metadata.json beside the database, never replaced)",
    )
    exporting.add_argument(
        "--no-metadata", action="store_true", help="with sqlite: no Datasette metadata file"
    )


def _add_data_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """The commands that make and compare catalog files: build and diff."""
    building = command("build", _build, "a catalog from a capture of the page")
    building.add_argument("page", metavar="PAGE", help="the capture: plain text or saved HTML")
    building.add_argument("--curated", metavar="FILE", help="a curated overlay to apply")
    building.add_argument(
        "--previous", metavar="CATALOG", help="the catalog this one replaces: keep its ids"
    )
    building.add_argument("--url", help="the page's URL, where the capture does not hold it")
    building.add_argument("--publisher", help="who publishes the page")
    building.add_argument(
        "--strict",
        action="store_true",
        help="fail on curated facts for a strategy that is not on the page",
    )
    building.add_argument(
        "-o", "--output", metavar="OUT", required=True, help='the catalog to write ("-": stdout)'
    )
    comparing = command("diff", _diff, "what changed between two catalogs")
    comparing.add_argument("old", metavar="OLD", help="a catalog file")
    comparing.add_argument("new", metavar="NEW", help="another catalog file")
    comparing.add_argument(
        "--format",
        type=_choice(("text", "json", "markdown")),
        choices=("text", "json", "markdown"),
        default="text",
        help="text, json, or markdown for a changelog",
    )


def _default_limit(method: Callable[..., object]) -> int:
    """The default `limit` of a `Catalog` method, so that the shell's is the same."""
    defaults: dict[str, int] = getattr(method, "__kwdefaults__", None) or {}
    return defaults["limit"]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


# -- output --------------------------------------------------------------------------------


class _Table(NamedTuple):
    """Rows to print aligned: what each column holds, and which columns may be cut.

    The columns in `keys` (ids to type next, scores) are never cut. The last column that
    is not a key is the text to read, and gives way first on a narrow terminal; the last
    column, cut, is shown around the first of its row's `spans`, which are highlighted.
    """

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    keys: frozenset[int] = frozenset()
    spans: Sequence[Sequence[tuple[int, int]]] = ()


class _Output:
    """Where results go, how wide the terminal is, and whether color is welcome.

    Tables are cut to the terminal's width only on a terminal, and never with `wide`.
    """

    def __init__(self, stream: TextIO, *, wide: bool = False) -> None:
        self.stream = stream
        self.width = shutil.get_terminal_size().columns
        self.terminal = stream.isatty()
        self.cuts = self.terminal and not wide
        self.color = (
            self.terminal and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        )

    def write(self, text: str) -> None:
        self.stream.write(text if text.endswith("\n") or not text else text + "\n")

    def document(self, text: str) -> None:
        """Write a whole document (an export, Markdown), made visible on a terminal."""
        if self.terminal:
            text = visible(text.replace("\r\n", "\n"), keep="\n")
        self.write(text)

    def bold(self, text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if self.color else text

    def records(
        self, format: str, columns: _Columns, objects: object, *, table: _Table | None = None
    ) -> None:
        """Print rows as CSV or Markdown, `objects` as JSON, or `table` (or the rows) aligned."""
        from . import export

        header, rows = columns
        if format == "json":
            self.write(_json(objects))
        elif format == "csv":
            self.document(export.csv_text(header, rows))
        elif format == "markdown":
            self.document(_markdown_table(header, rows))
        elif rows:
            self.write(_table(table or _Table(header, rows), self))


def _json(value: object) -> str:
    return visible_json(value)


def _table(table: _Table, output: _Output) -> str:
    """Columns padded to line up; on a terminal, cut with "…" where it is too narrow."""
    last = len(table.header) - 1
    rows: list[list[str]] = []
    spans: list[tuple[tuple[int, int], ...]] = []
    for index, row in enumerate(table.rows):
        wanted = table.spans[index] if index < len(table.spans) else ()
        text, shown = _visible_spans(row[last], wanted)
        rows.append([*(visible(cell) for cell in row[:last]), text])
        spans.append(shown)
    widths = [max(len(cell) for cell in column) for column in zip(table.header, *rows, strict=True)]
    if output.cuts:
        widths = _fit(widths, table, output.width)
    titles = "  ".join(
        name.upper().ljust(width) for name, width in zip(table.header, widths, strict=True)
    )
    lines = [output.bold(titles.rstrip())]
    for row, row_spans in zip(rows, spans, strict=True):
        cells = [
            cell.ljust(width) if column in table.keys else _cut(cell, width).ljust(width)
            for column, (cell, width) in enumerate(zip(row[:last], widths, strict=False))
        ]
        text, text_spans = row[last], row_spans
        if last not in table.keys:
            text, text_spans = _snippet(text, row_spans, widths[last])
        cells.append(_highlight(text, text_spans) if output.color else text)
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _fit(widths: Sequence[int], table: _Table, width: int) -> list[int]:
    """Narrower widths for the columns that may be cut, so that the rows fit `width`.

    The text to read gives way first, down to two fifths of the terminal, then the widest
    other columns, then the text again. Keys are never cut: a last column of ids counts
    for at most half the width, a longer id running past the edge on its own row only.
    """
    fitted = list(widths)
    last = len(fitted) - 1
    counted = [
        *fitted[:last],
        min(fitted[last], width // 2) if last in table.keys else fitted[last],
    ]
    excess = sum(counted) + 2 * last - width
    cuttable = [column for column in range(len(fitted)) if column not in table.keys]
    if excess <= 0 or not cuttable:
        return fitted
    main = cuttable[-1]

    def shrink(column: int, floor: int, by: int) -> int:
        cut = max(0, min(by, fitted[column] - floor))
        fitted[column] -= cut
        return cut

    lowest = max(len(table.header[main]), min(fitted[main], _MIN_COLUMN))
    soft_floor = max(_MIN_LAST_COLUMN, width * 2 // 5)
    excess -= shrink(main, max(lowest, min(fitted[main], soft_floor)), excess)
    others = [column for column in cuttable if column != main]
    while excess > 0 and others and max(fitted[c] for c in others) > _MIN_COLUMN:
        excess -= shrink(max(others, key=fitted.__getitem__), _MIN_COLUMN, 1)
    shrink(main, lowest, excess)
    return fitted


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + _ELLIPSIS


def _snippet(
    text: str, spans: Sequence[tuple[int, int]], width: int
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The part of `text` that fits `width` around its first span, with the spans in it.

    What is left out on either side is shown as "…". Without a span, the end is cut.
    """
    if len(text) <= width:
        return text, tuple(spans)
    if not spans or width < 3:
        return _cut(text, width), _clipped(spans, 0, width - 1, shift=0)
    first, first_end = spans[0]
    room = width - 2  # between two ellipses
    start = first - max(0, room - (first_end - first)) // 3
    if start <= 1:  # the match is near the start: cut the end only
        return _cut(text, width), _clipped(spans, 0, width - 1, shift=0)
    if start + width - 1 >= len(text):  # near the end: cut the start only
        start = len(text) - (width - 1)
        return _ELLIPSIS + text[start:], _clipped(spans, start, len(text), shift=1)
    end = start + room
    return f"{_ELLIPSIS}{text[start:end]}{_ELLIPSIS}", _clipped(spans, start, end, shift=1)


def _clipped(
    spans: Sequence[tuple[int, int]], start: int, end: int, *, shift: int
) -> tuple[tuple[int, int], ...]:
    """The parts of `spans` within ``text[start:end]``, as offsets into what is shown."""
    return tuple(
        (max(first, start) - start + shift, min(last, end) - start + shift)
        for first, last in spans
        if first < end and last > start
    )


def _visible_spans(
    text: str, spans: Sequence[tuple[int, int]]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """`visible(text)`, with `spans` (in order, not overlapping) moved to where it shows them."""
    if text.isprintable():
        return text, tuple(spans)
    pieces: list[str] = []
    moved: list[tuple[int, int]] = []
    done = shown = 0
    for first, last in spans:
        before, inside = visible(text[done:first]), visible(text[first:last])
        pieces += (before, inside)
        moved.append((shown + len(before), shown + len(before) + len(inside)))
        shown += len(before) + len(inside)
        done = last
    pieces.append(visible(text[done:]))
    return "".join(pieces), tuple(moved)


def _highlight(text: str, spans: Sequence[tuple[int, int]]) -> str:
    pieces: list[str] = []
    done = 0
    for first, last in spans:
        pieces += (text[done:first], _HIGHLIGHT, text[first:last], _RESET)
        done = last
    pieces.append(text[done:])
    return "".join(pieces)


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    from . import export

    def line(cells: Sequence[str]) -> str:
        # Mid-line, in a cell: no "1." or "-" there starts a list.
        return "| " + " | ".join(export.escape_markdown(c, inline=True) for c in cells) + " |"

    return "\n".join([line(header), "|" + "|".join("---" for _ in header) + "|", *map(line, rows)])


# -- commands ------------------------------------------------------------------------------


def _catalog(args: argparse.Namespace) -> Catalog:
    if args.catalog is None:
        return fs.catalog()
    try:
        return fs.load(args.catalog)
    except fs.DatasetError as error:
        count = len(error.problems)
        raise _CommandError(
            f"{args.catalog}: invalid catalog ({count} problem{'s' * (count != 1)}); "
            f"'{PROG} validate {args.catalog}' lists them"
        ) from None


def _list(args: argparse.Namespace, output: _Output) -> int:
    from .fileformat import to_data

    catalog = _catalog(args)
    found = catalog.find(
        year=args.year,
        theme=args.theme,
        issuer=args.issuer,
        kind=args.kind,
        mentions=args.mentions,
    )
    rows = [(s.id, str(s.period), s.issuer.id, s.title) for s in found]
    # The id last in a table: it is never cut, and a long one runs past the edge alone.
    table = [(*row[1:], row[0]) for row in rows]
    objects = [to_data(strategy) for strategy in found]
    output.records(
        args.format,
        (("id", "period", "issuer_id", "title"), rows),
        objects,
        table=_Table(("period", "issuer_id", "title", "id"), table, keys=frozenset({0, 1, 3})),
    )
    if not found:
        raise _CommandError("no strategy meets every filter given")
    return 0


def _show(args: argparse.Namespace, output: _Output) -> int:
    catalog = _catalog(args)
    strategy = catalog.lookup(" ".join(args.name))
    citation = catalog.cite(strategy)
    if args.format == "json":
        from .fileformat import to_data

        output.write(_json({**to_data(strategy), "citation": citation}))
    elif args.format == "csv":
        from .export import to_csv

        alone = Catalog(source=catalog.source(), strategies=[strategy], entities=catalog.entities())
        output.document(to_csv(alone))
    elif args.format == "markdown":
        from .export import strategy_markdown

        output.document(strategy_markdown(strategy, source=catalog.source(), level=1))
    else:
        output.write(_describe(strategy, citation, output))
    return 0


def _cite(args: argparse.Namespace, output: _Output) -> int:
    catalog = _catalog(args)
    strategy = catalog.lookup(" ".join(args.name))
    item: Strategy | Excerpt = strategy
    if args.excerpt is not None:
        excerpts = {excerpt.id: excerpt for excerpt in strategy.iter_excerpts()}
        if args.excerpt not in excerpts:
            from difflib import SequenceMatcher

            # Ids are short: the three most alike, even when none is much alike ("9" for
            # "1"), in page order among equals.
            query = args.excerpt[:64]
            close = sorted(excerpts, key=lambda id: -SequenceMatcher(None, query, id).ratio())
            raise fs.ExcerptNotFoundError(args.excerpt, close[:3], strategy_id=strategy.id)
        item = excerpts[args.excerpt]
    output.document(catalog.cite(item, args.style))
    return 0


def _describe(strategy: Strategy, citation: str, output: _Output) -> str:
    width = max(output.width, 40)
    facts = [
        ("title", strategy.title),
        ("id", strategy.id),
        ("period", str(strategy.period)),
        ("issuer", strategy.issuer.name),
        ("published", "" if strategy.published is None else str(strategy.published)),
        ("kind", strategy.kind.value),
        ("themes", ", ".join(theme.value for theme in strategy.themes)),
        ("aliases", ", ".join(strategy.aliases)),
    ]
    lines = [output.bold(visible(strategy.heading)), ""]
    for name, value in facts:
        if value:
            lines += textwrap.wrap(
                visible(value),
                width,
                initial_indent=f"{name + ':':<11}",
                subsequent_indent=" " * 11,
            )
    lines.append("")
    lines += _bullets(strategy.excerpts, width, depth=0)
    lines.append("")
    lines += textwrap.wrap(
        visible(citation),
        width,
        initial_indent="Cite as: ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines)


def _bullets(excerpts: tuple[Excerpt, ...], width: int, depth: int) -> list[str]:
    lines = []
    indent = "    " * depth
    for excerpt in excerpts:
        # The excerpt's id, as search, mentions and the exports name it.
        lines += textwrap.wrap(
            visible(excerpt.text),
            width,
            initial_indent=f"{indent}  {'•◦'[depth % 2]} [{visible(excerpt.id)}] ",
            subsequent_indent=f"{indent}    ",
        )
        lines += _bullets(excerpt.children, width, depth + 1)
    return lines


def _search(args: argparse.Namespace, output: _Output) -> int:
    catalog = _catalog(args)
    query = " ".join(args.query)
    try:
        hits = catalog.search(query, limit=args.limit)
    except ValueError as error:
        raise _UsageError(f"{PROG} search: error: {error}") from None
    rows = [(f"{h.score:.2f}", h.strategy.id, h.excerpt.id, h.excerpt.text) for h in hits]
    objects = [
        {
            "score": hit.score,
            "strategy": hit.strategy.id,
            "excerpt": hit.excerpt.id,
            "text": hit.excerpt.text,
            "spans": [list(span) for span in hit.spans],
        }
        for hit in hits
    ]
    header = ("score", "strategy", "excerpt", "text")
    table = [(f"{h.score:.2f}", h.strategy.heading, h.excerpt.id, h.excerpt.text) for h in hits]
    output.records(
        args.format,
        (header, rows),
        objects,
        table=_Table(
            ("score", "heading", "excerpt", "text"),
            table,
            keys=frozenset({0, 2}),
            spans=[hit.spans for hit in hits],
        ),
    )
    if not hits:
        raise _CommandError(f"no excerpt answers {query!r}")
    return 0


def _match(args: argparse.Namespace, output: _Output) -> int:
    text = _match_text(args)
    catalog = _catalog(args)
    try:
        matches = catalog.match(text, limit=args.limit)
    except ValueError as error:
        raise _UsageError(f"{PROG} match: error: {error}") from None
    rows = [
        (f"{m.score:.2f}", m.strategy.id, "; ".join(map(str, m.terms)), m.strategy.title)
        for m in matches
    ]
    objects = [
        {
            "score": match.score,
            "strategy": match.strategy.id,
            "title": match.strategy.title,
            "excerpts": [excerpt.id for excerpt in match.excerpts],
            "terms": [
                {"text": term.text, "source": term.source.value, "key": term.key}
                for term in match.terms
            ],
        }
        for match in matches
    ]
    table = [(f"{m.score:.2f}", _terms(m.terms[:3]), m.strategy.title) for m in matches]
    output.records(
        args.format,
        (("score", "strategy", "terms", "title"), rows),
        objects,
        table=_Table(("score", "terms", "title"), table, keys=frozenset({0})),
    )
    if not matches:
        raise _CommandError("no strategy aligns with the text")
    return 0


def _terms(terms: Sequence[object]) -> str:
    """A match's terms, as their text (`str` of a term is its text)."""
    return ", ".join(str(term) for term in terms)


def _match_text(args: argparse.Namespace) -> str:
    usage = (
        f"{PROG} match: error: give the text, '-' to read standard input, "
        "or --file PATH, and only one of them"
    )
    if args.text and args.file is not None:
        raise _UsageError(usage)
    if not args.text and args.file is None:
        # `echo text | fusion-strategies match`, as grep reads a pipe; never a terminal.
        if sys.stdin is None or sys.stdin.isatty():
            raise _UsageError(usage)
        text = _read_stdin()
        if not text.strip():
            raise _UsageError(usage)
        return text
    if args.text == ["-"]:
        return _read_stdin()
    if args.text:
        return " ".join(args.text)
    try:
        file = open(args.file, "rb")  # noqa: SIM115  # closed below, once it opened
    except ValueError:  # a NUL, or a lone surrogate that the file system cannot encode
        raise _CommandError(f"{args.file}: not a valid path") from None
    with file:
        return _utf8_text(file.read(MAX_TEXT + 1), args.file)


def _read_stdin() -> str:
    """Standard input as UTF-8 text, whatever encoding Python was told stdin has."""
    if sys.stdin is None:
        raise _CommandError("standard input is closed; there is no text to read")
    return _utf8_text(sys.stdin.buffer.read(MAX_TEXT + 1), "standard input")


def _utf8_text(data: bytes, name: str) -> str:
    if len(data) > MAX_TEXT:
        raise _CommandError(f"{name}: more than {MAX_TEXT:,} bytes of text to match")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _CommandError(
            f"{name}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None


class _Tagged(NamedTuple):
    """A product tagged: its name, the strategies it aligns with, or why it was not read."""

    product: str
    matches: tuple[Match, ...] = ()
    error: str | None = None


def _tag(args: argparse.Namespace, output: _Output) -> int:
    import logging

    from .products import find_products, iter_products

    catalog = _catalog(args)
    # pypdf logs what it repairs in a broken PDF; without a handler, Python would print it.
    logging.getLogger("pypdf").addHandler(logging.NullHandler())
    entries = [entry for path in args.paths for entry in find_products(path)]
    stdin = None if sys.stdin is None else sys.stdin.buffer
    tagged = []
    with _Progress(sys.stderr, None if "-" in entries else len(entries)) as progress:
        for record in iter_products(entries, stdin=stdin):
            tagged.append(_tag_one(catalog, record, args.limit))
            progress.step()
    if not tagged:
        raise _CommandError("no product to tag: no .txt, .md, .html, .htm, .pdf or .docx file")
    writers = {
        "table": _tag_table,
        "csv": _tag_csv,
        "jsonl": _tag_jsonl,
        "markdown": _tag_markdown,
    }
    writers[args.format](tagged, catalog, output)
    failed = sum(record.error is not None for record in tagged)
    if failed:
        raise _CommandError(f"{failed} of {len(tagged)} products could not be tagged")
    return 0


def _tag_one(catalog: Catalog, record: Product | Unreadable, limit: int) -> _Tagged:
    from .products import Unreadable

    if isinstance(record, Unreadable):
        return _Tagged(record.name, error=record.reason)
    if not record.text.strip():
        return _Tagged(record.name, error="no text to tag")
    return _Tagged(record.name, catalog.match(record.text, limit=limit))


def _tag_table(tagged: Sequence[_Tagged], catalog: Catalog, output: _Output) -> None:
    rows = []
    for record in tagged:
        if record.error is not None:
            rows.append((record.product, "", "", f"not tagged: {record.error}"))
        elif not record.matches:
            rows.append((record.product, "", "", "no strategy aligns"))
        for rank, match in enumerate(record.matches):
            excerpts = " ".join(excerpt.id for excerpt in match.excerpts)
            name = record.product if rank == 0 else ""
            rows.append((name, f"{match.score:.2f}", excerpts, match.strategy.title))
    output.records("table", (("product", "score", "excerpts", "strategy"), rows), None)


_TAG_CSV_HEADER = ("product", "rank", "strategy", "title", "score", "excerpts", "error")


def _tag_csv(tagged: Sequence[_Tagged], catalog: Catalog, output: _Output) -> None:
    from . import export

    rows: list[tuple[str | int, ...]] = []
    for record in tagged:
        if not record.matches:
            rows.append((record.product, "", "", "", "", "", record.error or ""))
        for rank, match in enumerate(record.matches, 1):
            strategy = match.strategy
            excerpts = " ".join(excerpt.id for excerpt in match.excerpts)
            rows.append(
                (record.product, rank, strategy.id, strategy.title, repr(match.score), excerpts, "")
            )
    output.document(export.csv_text(_TAG_CSV_HEADER, rows))


def _tag_jsonl(tagged: Sequence[_Tagged], catalog: Catalog, output: _Output) -> None:
    import json

    lines = []
    for record in tagged:
        if record.error is not None:
            value: dict[str, object] = {"product": record.product, "error": record.error}
        else:
            strategies = [
                {
                    "id": match.strategy.id,
                    "title": match.strategy.title,
                    "score": match.score,
                    "excerpts": [excerpt.id for excerpt in match.excerpts],
                }
                for match in record.matches
            ]
            value = {"product": record.product, "strategies": strategies}
        lines.append(visible_json_text(json.dumps(value, ensure_ascii=False)))
    output.write("\n".join(lines))


def _tag_markdown(tagged: Sequence[_Tagged], catalog: Catalog, output: _Output) -> None:
    output.document("\n\n".join(_alignment(record, catalog) for record in tagged))


def _alignment(record: _Tagged, catalog: Catalog) -> str:
    """A product's "Strategic alignment" section: each strategy, cited, with its support."""
    from . import export

    escape = export.escape_markdown
    lines = [f"## Strategic alignment: {escape(record.product)}", ""]
    if record.error is not None:
        lines.append(f"*Not tagged:* {escape(record.error)}")
    elif not record.matches:
        lines.append("No strategy of the catalog aligns with this product.")
    for rank, match in enumerate(record.matches, 1):
        strategy = match.strategy
        lines += [
            f"{rank}. **{escape(strategy.title)}** ({strategy.period}), score {match.score:.2f}",
            "",
            *(
                f"   > - {escape(excerpt.text)} (excerpt {escape(excerpt.id)})"
                for excerpt in match.excerpts
            ),
            *([""] if match.excerpts else []),
            f"   *Cite as:* {escape(catalog.cite(strategy))}",
            "",
        ]
    return "\n".join(lines).rstrip("\n")


class _Progress:
    """A progress bar on stderr, for a batch long enough to wait for, and on a terminal only.

    Shown once more than `_PROGRESS_AFTER` products are done or seconds have passed;
    cleared at the end. `total` is None where it cannot be known (JSON lines on stdin).
    """

    def __init__(self, stream: TextIO | None, total: int | None) -> None:
        self.stream = stream if stream is not None and _is_terminal(stream) else None
        self.total = total
        self.done = 0
        self.started = self.drawn = time.monotonic()
        self.shown = False

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exception: object) -> None:
        if self.shown:
            self._write("\r\x1b[K")

    def step(self) -> None:
        self.done += 1
        if self.stream is None:
            return
        now = time.monotonic()
        count, seconds = _PROGRESS_AFTER
        if not self.shown and self.done <= count and now - self.started <= seconds:
            return
        if self.shown and now - self.drawn < 0.1 and self.done != self.total:
            return  # at most ten redraws a second
        self.shown, self.drawn = True, now
        self._write(f"\r{self._bar()} {now - self.started:.1f} s\x1b[K")

    def _bar(self) -> str:
        if self.total is None:
            return f"{self.done} products"
        width = 30
        full = width * self.done // max(self.total, 1)
        return f"[{'#' * full}{'.' * (width - full)}] {self.done}/{self.total} products"

    def _write(self, text: str) -> None:
        assert self.stream is not None
        with contextlib.suppress(OSError, ValueError):
            self.stream.write(text)
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):  # closed
        return False


def _mentions(args: argparse.Namespace, output: _Output) -> int:
    catalog = _catalog(args)
    entity = catalog.entity(" ".join(args.entity))
    found = catalog.mentioning(entity)
    rows = [(m.strategy.id, m.excerpt.id, m.excerpt.text) for m in found]
    objects = [
        {
            "entity": mention.entity.id,
            "strategy": mention.strategy.id,
            "excerpt": mention.excerpt.id,
            "text": mention.excerpt.text,
        }
        for mention in found
    ]
    table = [(m.strategy.heading, m.excerpt.id, m.excerpt.text) for m in found]
    output.records(
        args.format,
        (("strategy", "excerpt", "text"), rows),
        objects,
        table=_Table(
            ("heading", "excerpt", "text"),
            table,
            keys=frozenset({1}),
            spans=[m.spans for m in found],
        ),
    )
    if not found:
        raise _CommandError(f"no excerpt names {entity.name!r}")
    return 0


def _entities(args: argparse.Namespace, output: _Output) -> int:
    from .fileformat import to_data

    catalog = _catalog(args)
    rows = [(e.id, e.acronym or "", e.kind.value, e.name) for e in catalog.entities()]
    header = ("id", "acronym", "kind", "name")
    objects = [to_data(e) for e in catalog.entities()]
    output.records(
        args.format, (header, rows), objects, table=_Table(header, rows, frozenset({0, 2}))
    )
    if not rows:
        raise _CommandError("the catalog has no entities")
    return 0


_BUNDLED_LICENSE = "Public domain (quoted from a work of the U.S. federal government)"
"""The bundled data's license, which Datasette shows; a catalog of your own states none."""


def _export(args: argparse.Namespace, output: _Output) -> int:
    from . import export

    if args.output == "":
        raise _UsageError(f"{PROG} export: error: -o needs a file name ('-' for stdout)")
    to_stdout = args.output in (None, "-")
    format = args.format or (None if to_stdout else export.format_for_path(args.output))
    if format is None:
        known = ", ".join(export.EXTENSIONS)
        said = (
            "stdout has no extension"
            if to_stdout
            else f"no format has the extension of {args.output!r}"
        )
        raise _UsageError(
            f"{PROG} export: error: {said}: give --format, or -o PATH ending in {known}"
        )
    catalog = _catalog(args)
    if format != "sqlite":
        if to_stdout:
            output.document(_text_export(format, catalog))
        else:
            export.write(args.output, format, catalog)
        return 0
    if to_stdout:
        _sqlite_to_stdout(args, output, catalog)
        return 0
    metadata = None if args.no_metadata else _metadata_path(args, catalog)
    export.to_sqlite(args.output, catalog)
    if metadata is not None:
        _write_metadata(metadata, args, catalog)
    return 0


def _text_export(format: str, catalog: Catalog) -> str:
    from . import export

    exporters = {
        "json": export.to_json,
        "csv": export.to_csv,
        "markdown": export.to_markdown,
        "bibtex": export.to_bibtex,
        "csl-json": export.to_csl_json,
    }
    return exporters[format](catalog)


def _sqlite_to_stdout(args: argparse.Namespace, output: _Output, catalog: Catalog) -> None:
    """The database's bytes on stdout, which must be a pipe or a file, not a terminal."""
    from . import export

    if output.terminal:
        raise _UsageError(
            f"{PROG} export: error: a SQLite database is binary: give -o PATH, "
            "or redirect stdout to a file"
        )
    if args.metadata is not None:
        _write_metadata(args.metadata, args, catalog)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="fusion-strategies-") as folder:
        database = Path(folder) / "catalog.sqlite"
        export.to_sqlite(database, catalog)
        output.stream.flush()
        binary: BinaryIO | None = getattr(output.stream, "buffer", None)
        if binary is None:  # main() called with a text-only stdout, such as a StringIO
            raise _CommandError("standard output takes text only; give -o PATH")
        binary.write(database.read_bytes())
        binary.flush()


def _metadata_path(args: argparse.Namespace, catalog: Catalog) -> str | None:
    """Where Datasette's metadata goes: as given, or beside the database if nothing is there.

    The default, ``NAME.metadata.json`` beside ``NAME.sqlite``, is never replaced when it
    holds something else (it may be a user's own edits): that is an error, before anything
    is written. A path given with --metadata is replaced, as -o's file is.
    """
    if args.metadata is not None:
        if args.metadata == "":
            raise _UsageError(f"{PROG} export: error: --metadata needs a file name")
        return str(args.metadata)
    path = _beside(args.output)
    if path is None:  # a device or a pipe (/dev/stdout): nothing to put beside it
        return None
    try:
        with open(path, "rb") as existing:
            held = existing.read(_MAX_METADATA + 1)
    except FileNotFoundError:
        return path
    except OSError as error:
        raise _CommandError(f"{path}: cannot read it: {error.strerror or error}") from None
    if held != _metadata_bytes(args, catalog):
        raise _CommandError(
            f"{path} exists and is not this export's Datasette metadata; nothing was written "
            "(remove it, or pass --metadata PATH to replace a file, or --no-metadata)"
        )
    return path


_MAX_METADATA = 1024 * 1024


def _beside(database: str) -> str | None:
    """``x.metadata.json`` for ``x.sqlite``: the name Datasette users give ``-m``."""
    import stat

    try:
        if not stat.S_ISREG(os.stat(database).st_mode):
            return None
    except (OSError, ValueError):
        pass  # not there yet (or not a valid path, which writing it will report)
    folder, name = os.path.split(database)
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return os.path.join(folder, f"{stem}.metadata.json")


def _metadata_bytes(args: argparse.Namespace, catalog: Catalog) -> bytes:
    import json

    from . import export

    name = os.path.basename(args.output or "") if args.output not in (None, "-") else ""
    database = (name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name) or "catalog"
    license = _BUNDLED_LICENSE if args.catalog is None else None
    metadata = export.datasette_metadata(catalog, database=database, license=license)
    return (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _write_metadata(path: str, args: argparse.Namespace, catalog: Catalog) -> None:
    from ._atomic import write_bytes_atomically

    write_bytes_atomically(path, _metadata_bytes(args, catalog))


def _validate(args: argparse.Namespace, output: _Output) -> int:
    invalid = 0
    for name in args.files:
        try:
            catalog = _load_stdin() if name == "-" else fs.load(name)
        except fs.DatasetError as error:
            invalid += 1
            output.write("\n".join(visible(f"{name}: {problem}") for problem in error.problems))
        except OSError as error:
            invalid += 1
            _complain(f"{PROG}: {name}: cannot read it: {error.strerror or error}")
        else:
            excerpts = sum(len(tuple(strategy.iter_excerpts())) for strategy in catalog)
            counts = (
                (len(catalog), "strategy", "strategies"),
                (excerpts, "excerpt", "excerpts"),
                (len(catalog.entities()), "entity", "entities"),
            )
            said = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts)
            output.write(visible(f"{name}: valid: {said}"))
    if invalid:
        raise _CommandError(f"{invalid} of {len(args.files)} files invalid")
    return 0


def _load_stdin() -> Catalog:
    if sys.stdin is None:
        raise _CommandError("standard input is closed; there is no catalog to read")
    from .fileformat import MAX_FILE_SIZE

    return fs.loads(sys.stdin.buffer.read(MAX_FILE_SIZE + 1))


def _schema(args: argparse.Namespace, output: _Output) -> int:
    output.write(_json(fs.json_schema()))
    return 0


def _timeline(args: argparse.Namespace, output: _Output) -> int:
    from . import timeline

    catalog = _catalog(args)
    if not len(catalog):
        raise _CommandError("the catalog has no strategies to put on a timeline")
    if args.svg == "":
        raise _UsageError(f"{PROG} timeline: error: --svg needs a file name ('-' for stdout)")
    if args.svg == "-":
        output.write(timeline.to_svg(catalog))
    elif args.svg is not None:
        from ._atomic import write_bytes_atomically

        write_bytes_atomically(args.svg, timeline.to_svg(catalog).encode("utf-8"))
    else:
        output.write(timeline.to_text(catalog, width=output.width, color=output.color))
    return 0


def _version(args: argparse.Namespace, output: _Output) -> int:
    catalog = _catalog(args)
    version = catalog.data_version()
    capture = version.capture_sha256 or "none (not built from a capture)"
    output.write(
        f"{PROG} {fs.__version__}\n"
        f"data: page last updated {version.last_updated.isoformat()}, "
        f"capture sha256 {capture}"
    )
    return 0


def _build(args: argparse.Namespace, output: _Output) -> int:
    from . import export
    from .build import build_catalog
    from .capture import read_capture
    from .curation import load_curation

    try:
        capture = read_capture(args.page)
        curation = None if args.curated is None else load_curation(args.curated)
        previous = None if args.previous is None else fs.load(args.previous)
        built = build_catalog(
            capture,
            curation=curation,
            previous=previous,
            url=args.url,
            publisher=args.publisher,
            strict=args.strict,
        )
    except fs.DatasetError as error:
        raise _CommandError(f"{error}\nnothing was written") from None
    for note in built.notes:
        _complain(f"{PROG} build: note: {note}")
    if args.output == "-":
        output.document(fs.dumps(built.catalog))
    else:
        export.write(args.output, "json", built.catalog)
    return 0


def _diff(args: argparse.Namespace, output: _Output) -> int:
    catalogs = []
    for name in (args.old, args.new):
        try:
            catalogs.append(fs.load(name))
        except fs.DatasetError as error:
            count = len(error.problems)
            raise _UsageError(
                f"{PROG}: {name}: invalid catalog ({count} problem{'s' * (count != 1)}); "
                f"'{PROG} validate {name}' lists them"
            ) from None
        except OSError as error:
            raise _UsageError(f"{PROG}: {_describe_os_error(error)}") from None
    changes = fs.diff(*catalogs)
    if args.format == "json":
        output.write(_json(changes.to_data()))
    elif args.format == "markdown":
        output.document(changes.to_markdown())
    else:
        output.document(changes.to_text())
    return 1 if changes else 0


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
