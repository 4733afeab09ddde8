r"""Exports of a catalog: JSON, CSV, Markdown, BibTeX, CSL-JSON and SQLite.

Every function takes the `Catalog` to export (``fusion_strategies.catalog()`` for the
bundled one). The text formats are returned as a `str`; `to_sqlite` writes a database
file, and `write` writes any format to a file: whole or not at all, through a temporary
beside it that no symlink can redirect, keeping an existing file's permissions, and in
place for a FIFO, a device or ``/dev/stdout``. `format_for_path` names the format a file
name's extension implies (`EXTENSIONS`). The command line is
``fusion-strategies export [--format FORMAT] [-o PATH]``.

- ``json``: the catalog file format, exactly `fusion_strategies.dumps`; `load` reads it
  back to an equal catalog.
- ``csv``: one row per excerpt, nested ones included, in page order, with the columns
  of `CSV_COLUMNS`: the strategy's, then the excerpt's id, its parent's id (empty for a
  top-level bullet), its depth (0 for a top-level bullet, 1 under it) and its text.
  They are the rows of ``catalog.rows("excerpts")``, which pandas reads as they are.
  Quoted where needed, UTF-8 without a byte-order mark, ``\r\n`` line ends (RFC 4180).
  A cell that a spreadsheet would run as a formula, one that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return, gets a leading ``'`` (see `csv_text`); a NUL
  character is written as U+FFFD, as CommonMark and HTML readers show it.
- ``markdown``: the page's title, source and introduction, then a section per strategy
  with its facts, its excerpts quoted with their nesting, and its citation.
- ``bibtex`` and ``csl-json``: one entry per strategy, as `Catalog.cite` makes it.
- ``sqlite``: the tables ``source``, ``entities``, ``strategies``, ``excerpts`` and
  ``mentions`` (which excerpt names which entity), with foreign keys, and an FTS5
  full-text index ``excerpts_fts`` on the excerpts' text, which Datasette finds.
  `datasette_metadata` is what Datasette shows with it (``datasette x.sqlite -m
  x.metadata.json``): the page's title, source and description, the license given, and
  the strategies in page order.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from ._tables import EXCERPT_COLUMNS, Cell, excerpt_rows
from ._tables import walk as _walk
from .catalog import Catalog
from .citation import cite_strategy
from .model import Excerpt, SourcePage, Strategy

if TYPE_CHECKING:
    import sqlite3

__all__ = [
    "CSV_COLUMNS",
    "EXTENSIONS",
    "FORMATS",
    "ExportFormat",
    "csv_text",
    "datasette_metadata",
    "escape_markdown",
    "format_for_path",
    "strategy_markdown",
    "to_bibtex",
    "to_csl_json",
    "to_csv",
    "to_json",
    "to_markdown",
    "to_sqlite",
    "write",
]

ExportFormat = Literal["json", "csv", "markdown", "bibtex", "csl-json", "sqlite"]
"""The export formats."""

FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
"""Every export format, in the order the docs list them."""

EXTENSIONS: Mapping[str, ExportFormat] = {
    ".json": "json",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".bib": "bibtex",
    ".csl.json": "csl-json",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".db": "sqlite",
}
"""The file name extensions that imply a format, in any case; see `format_for_path`.

CSL-JSON is JSON too: ``.csl.json`` tells it from the catalog's own ``.json``.
"""

CSV_COLUMNS = EXCERPT_COLUMNS
"""The header of the CSV export; ``themes`` are the theme values joined by ``"; "``."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# "#" anywhere, for a heading drops a closing run of them ("Plan #" would show "Plan").
# "_" between two letters or digits ("issuer_id") can neither open nor close emphasis.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*\[\]<>|~#]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)")
_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
# What a link's destination may hold as it is; the rest is percent-encoded, so that no
# ">", "<", quote, bracket or space can end the destination or start HTML.
_URL_SAFE = "/:?#@!$&*+,;=%~._-"
_MARKDOWN_BLOCK_START = re.compile(r"^(?:[#>+\-=]|\d+[.)])")


def to_json(catalog: Catalog) -> str:
    """The catalog in its own file format: exactly `fusion_strategies.dumps`.

    >>> import fusion_strategies as fs
    >>> fs.loads(to_json(fs.catalog())) == fs.catalog()
    True
    """
    from .fileformat import dumps

    return dumps(_catalog(catalog))


def to_csv(catalog: Catalog) -> str:
    r"""One row per excerpt with its strategy's columns; see `CSV_COLUMNS` and `csv_text`.

    The rows are ``catalog.rows("excerpts")``, written as CSV.

    >>> import csv, io
    >>> import fusion_strategies as fs
    >>> rows = list(csv.DictReader(io.StringIO(to_csv(fs.catalog()))))
    >>> len(rows), rows[0]["strategy_id"], rows[0]["depth"]
    (54, 'dhs-fusion-center-engagement-and-information-sharing-strategy-2022', '0')
    """
    rows = excerpt_rows(_catalog(catalog).strategies())
    return csv_text(CSV_COLUMNS, ([row[name] for name in CSV_COLUMNS] for row in rows))


def to_markdown(catalog: Catalog) -> str:
    r"""A readable document: the page, then each strategy with its excerpts and citation.

    >>> import fusion_strategies as fs
    >>> text = to_markdown(fs.catalog())
    >>> print(text.splitlines()[0])
    # Fusion Centers' Support of National Strategies and Guidance
    >>> text.count("\n## ")
    22
    """
    catalog = _catalog(catalog)
    source = catalog.source()
    excerpts = sum(len(tuple(strategy.iter_excerpts())) for strategy in catalog)
    parts = [
        f"# {escape_markdown(source.title, inline=True)}",
        f"Quoted from {_markdown_link(source.title, source.url)}, published by "
        f"{escape_markdown(source.publisher, inline=True)}, "
        f"last updated {source.last_updated.isoformat()}: "
        f"{len(catalog)} documents and {excerpts} excerpts.",
        "\n>\n".join(f"> {escape_markdown(paragraph)}" for paragraph in source.introduction),
        *(strategy_markdown(strategy, source=source) for strategy in catalog),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def strategy_markdown(strategy: Strategy, *, source: SourcePage, level: int = 2) -> str:
    """One strategy as a Markdown section: heading, facts, quoted excerpts and citation.

    `source` is the page it is quoted from, its catalog's (see `Catalog.cite`); `level`
    is the heading's, from 1 (``#``) to 6 (``######``), as Markdown has them.

    >>> import fusion_strategies as fs
    >>> print(strategy_markdown(fs.lookup("NSISS"), source=fs.source()).splitlines()[0])
    ## National Strategy for Information Sharing and Safeguarding
    """
    if not isinstance(strategy, Strategy):
        raise TypeError(f"strategy must be a Strategy, not {type(strategy).__name__}")
    if not isinstance(level, int) or isinstance(level, bool):
        raise TypeError(f"level must be an int from 1 to 6, not {type(level).__name__}")
    if not 1 <= level <= 6:
        raise ValueError(f"level must be from 1 to 6, as Markdown headings are, not {level}")
    facts = [
        ("Period", str(strategy.period)),
        ("Issuer", escape_markdown(strategy.issuer.name, inline=True)),
        ("Published", "" if strategy.published is None else str(strategy.published)),
        ("Kind", strategy.kind.value),
        ("Themes", ", ".join(theme.value for theme in strategy.themes)),
        ("Page heading", escape_markdown(strategy.heading, inline=True)),
        ("Id", f"`{strategy.id}`"),
    ]
    lines = [
        f"{'#' * level} {escape_markdown(strategy.title, inline=True)}",
        "",
        *(f"- **{name}:** {value}" for name, value in facts if value),
        "",
        *_quoted(strategy.excerpts, depth=0),
        "",
        f"*Cite as:* {escape_markdown(cite_strategy(strategy, source=source), inline=True)}",
    ]
    return "\n".join(lines)


def to_bibtex(catalog: Catalog) -> str:
    """One BibTeX ``@misc`` entry per strategy, as `Catalog.cite` makes it.

    >>> import fusion_strategies as fs
    >>> to_bibtex(fs.catalog()).count("@misc{")
    22
    """
    catalog = _catalog(catalog)
    return "\n\n".join(catalog.cite(strategy, "bibtex") for strategy in catalog) + "\n"


def to_csl_json(catalog: Catalog) -> str:
    """A CSL-JSON array with one item per strategy, as `Catalog.cite` makes it.

    >>> import json
    >>> import fusion_strategies as fs
    >>> items = json.loads(to_csl_json(fs.catalog()))
    >>> len(items), items[1]["issued"]
    (22, {'date-parts': [[2017, 12, 18]]})
    """
    import json

    catalog = _catalog(catalog)
    items = [json.loads(catalog.cite(strategy, "csl-json")) for strategy in catalog]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def to_sqlite(path: str | os.PathLike[str], catalog: Catalog) -> None:
    """Write the catalog as a SQLite database, replacing any file at `path`.

    >>> import sqlite3, tempfile, pathlib
    >>> import fusion_strategies as fs
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "strategies.db"
    >>> to_sqlite(path, fs.catalog())
    >>> database = sqlite3.connect(path)
    >>> query = "SELECT DISTINCT strategy_id FROM excerpts WHERE id IN"
    >>> query += " (SELECT rowid FROM excerpts_fts WHERE excerpts_fts MATCH 'tribal')"
    >>> len(database.execute(query).fetchall())
    13
    >>> database.close()
    """
    import shutil
    import sqlite3
    import tempfile

    from ._atomic import write_atomically

    catalog = _catalog(catalog)
    # SQLite writes to a path, with a journal beside it: build the database in a folder
    # of its own, removed whatever happens, then copy it to `path` as any file is written.
    with tempfile.TemporaryDirectory(prefix="fusion-strategies-") as folder:
        built = Path(folder) / "catalog.db"
        try:
            _write_database(built, catalog)
        except sqlite3.Error as error:  # "database or disk is full", as an OSError says it
            raise OSError(errno.EIO, f"cannot write the SQLite database ({error})") from None
        with built.open("rb") as database:
            write_atomically(path, lambda file: shutil.copyfileobj(database, file))


def write(path: str | os.PathLike[str], format: ExportFormat, catalog: Catalog) -> None:
    """Write the catalog to `path` in one of the `FORMATS`, replacing the file whole.

    >>> import tempfile, pathlib
    >>> import fusion_strategies as fs
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "strategies.bib"
    >>> write(path, "bibtex", fs.catalog())
    >>> path.read_text(encoding="utf-8").startswith("@misc{")
    True
    """
    if format == "sqlite":
        to_sqlite(path, catalog)
        return
    from ._atomic import write_bytes_atomically

    text = _text_exporter(format)(catalog)
    write_bytes_atomically(path, text.encode("utf-8"))


def format_for_path(path: str | os.PathLike[str]) -> ExportFormat | None:
    """The format that the file name's extension implies (see `EXTENSIONS`), or None.

    >>> format_for_path("strategies.SQLite"), format_for_path("refs.csl.json")
    ('sqlite', 'csl-json')
    >>> print(format_for_path("notes.txt"))
    None
    """
    name = os.path.basename(os.fspath(path)).casefold()
    endings = sorted(EXTENSIONS, key=len, reverse=True)  # ".csl.json" before ".json"
    return next((EXTENSIONS[end] for end in endings if name.endswith(end) and name != end), None)


def datasette_metadata(
    catalog: Catalog,
    *,
    database: str,
    license: str | None = None,
    license_url: str | None = None,
) -> dict[str, object]:
    """What Datasette shows with the SQLite export: ``datasette x.sqlite -m x.metadata.json``.

    The page's title, publisher and URL as the source, a description, the `license` if
    one is given, and the tables of the database named `database` (Datasette names a
    database by its file name, less the extension): the strategies in page order and
    faceted, the excerpts in page order, each table described.

    >>> import fusion_strategies as fs
    >>> metadata = datasette_metadata(fs.catalog(), database="strategies")
    >>> metadata["source"], metadata["databases"]["strategies"]["tables"]["strategies"]["sort"]
    ('U.S. Department of Homeland Security', 'position')
    """
    catalog = _catalog(catalog)
    source = catalog.source()
    excerpts = sum(len(tuple(strategy.iter_excerpts())) for strategy in catalog)
    description = (
        f"{len(catalog)} national strategies and {excerpts} excerpts quoted from "
        f"\u201c{source.title}\u201d, last updated {source.last_updated.isoformat()}."
    )
    licensing = {"license": license, "license_url": license_url}
    tables = {
        "strategies": {
            "description": "One row per strategy, in the page's order (position).",
            "sort": "position",
            "label_column": "title",
            "facets": ["kind", "issuer_id", {"array": "themes"}],
        },
        "excerpts": {
            "description": "One row per excerpt, nested ones included, in page order (id); "
            "parent_id is the excerpt it is nested under.",
            "sort": "id",
            "label_column": "text",
        },
        "entities": {"description": "The glossary.", "label_column": "name"},
        "mentions": {"description": "Which excerpt names which entity."},
        "source": {"description": "The page the excerpts are quoted from."},
    }
    return {
        "title": source.title,
        "description": description,
        "source": source.publisher,
        "source_url": source.url,
        **{key: value for key, value in licensing.items() if value is not None},
        "databases": {database: {"title": source.title, "tables": tables}},
    }


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Cell]]) -> str:
    r"""Rows as CSV text, quoted where needed, that a spreadsheet opens without running.

    `None` is an empty cell. A text cell that starts with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return would be read as a formula by a spreadsheet, so it gets a
    leading ``'``, which spreadsheets show as text (OWASP's advice on CSV injection).

    >>> text = csv_text(["name", "note"], [["=1+1", 'said "hi", then left'], ["x", None]])
    >>> for line in text.splitlines():
    ...     print(line)
    name,note
    '=1+1,"said ""hi"", then left"
    x,
    """
    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_safe_cell(cell) for cell in header)
    writer.writerows((_safe_cell(cell) for cell in row) for row in rows)
    return buffer.getvalue()


def escape_markdown(text: str, *, inline: bool = False) -> str:
    r"""Escape what Markdown would read as markup, so that the text shows as it is.

    A line break becomes a space, so that a text cannot start a block of its own (a
    heading, a rule, a list) inside the line it is written in. What would start a block
    at the start of a line (``1.``, ``-``, ``+``, ``>``, ``=``) is escaped there only:
    `inline` says that the text goes mid-line, in a table cell or after a heading's ``#``,
    where ``1.49`` or ``-3`` is just text.

    >>> print(escape_markdown("# 1. R&D for *all* <partners> | &amp;"))
    \# 1. R&D for \*all\* \<partners\> \| \&amp;
    >>> print(escape_markdown("Title\n# Injected\n<img src=x onerror=alert(1)>"))
    Title \# Injected \<img src=x onerror=alert(1)\>
    >>> print(escape_markdown("1.49"), escape_markdown("1.49", inline=True))
    1\.49 1.49
    """
    if not isinstance(text, str):
        raise TypeError(f"escape_markdown() takes a str, not {type(text).__name__}")
    if not text.isprintable():
        text = _LINE_BREAK.sub(" ", text)
    escaped = _MARKDOWN_SPECIAL.sub(lambda match: f"\\{match[0]}", text)
    start = None if inline else _MARKDOWN_BLOCK_START.match(escaped)
    if start is None:
        return escaped
    end = start.end()
    return f"{escaped[: end - 1]}\\{escaped[end - 1 :]}"


# -- helpers -----------------------------------------------------------------------------


def _markdown_link(text: str, url: str) -> str:
    """A link to an http(s) URL, percent-encoded; anything else is not linked at all."""
    from urllib.parse import quote, urlsplit

    shown = escape_markdown(text, inline=True)
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        return f"{shown} ({escape_markdown(url, inline=True)})"
    return f"[{shown}](<{quote(url, safe=_URL_SAFE)}>)"


def _catalog(catalog: object) -> Catalog:
    if not isinstance(catalog, Catalog):
        raise TypeError(f"catalog must be a Catalog, not {type(catalog).__name__}")
    return catalog


def _text_exporter(format: str) -> Callable[[Catalog], str]:
    exporters: dict[str, Callable[[Catalog], str]] = {
        "json": to_json,
        "csv": to_csv,
        "markdown": to_markdown,
        "bibtex": to_bibtex,
        "csl-json": to_csl_json,
    }
    if format not in exporters:
        valid = ", ".join(repr(known) for known in FORMATS)
        raise ValueError(f"unknown export format {format!r}; valid formats: {valid}")
    return exporters[format]


def _safe_cell(cell: Cell) -> str | int:
    if cell is None:
        return ""
    if isinstance(cell, str):
        if "\x00" in cell:  # Python 3.10's csv cannot write it, and spreadsheets cut at it
            cell = cell.replace("\x00", "\ufffd")
        if cell.startswith(_FORMULA_START):
            return f"'{cell}"
    return cell


def _quoted(excerpts: tuple[Excerpt, ...], depth: int) -> Iterator[str]:
    for excerpt in excerpts:
        yield f">{'  ' * depth} - {escape_markdown(excerpt.text)}"
        yield from _quoted(excerpt.children, depth + 1)


# -- SQLite ------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE source (
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    publisher TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    breadcrumb TEXT NOT NULL,
    introduction TEXT NOT NULL
);
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    acronym TEXT,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    description TEXT
);
CREATE TABLE strategies (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    title TEXT NOT NULL,
    heading TEXT NOT NULL,
    period_start INTEGER NOT NULL,
    period_end INTEGER NOT NULL,
    issuer_id TEXT NOT NULL REFERENCES entities(id),
    kind TEXT NOT NULL,
    themes TEXT NOT NULL,
    aliases TEXT NOT NULL,
    published TEXT,
    citation TEXT NOT NULL
);
CREATE TABLE excerpts (
    id INTEGER PRIMARY KEY,
    strategy_id TEXT NOT NULL REFERENCES strategies(id),
    excerpt_id TEXT NOT NULL,
    parent_id INTEGER REFERENCES excerpts(id),
    depth INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (strategy_id, excerpt_id)
);
CREATE TABLE mentions (
    excerpt_id INTEGER NOT NULL REFERENCES excerpts(id),
    entity_id TEXT NOT NULL REFERENCES entities(id),
    PRIMARY KEY (excerpt_id, entity_id)
);
CREATE INDEX excerpts_strategy ON excerpts(strategy_id);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE VIRTUAL TABLE excerpts_fts USING fts5(
    text, content="excerpts", content_rowid="id", tokenize="porter unicode61"
);
"""


def _write_database(path: Path, catalog: Catalog) -> None:
    """Create the tables of the module docstring in a new database file at `path`.

    ``excerpts.id`` numbers every excerpt of the catalog in page order; ``excerpt_id``
    is its id within its strategy. JSON arrays (themes, aliases, breadcrumb and
    introduction) are stored as JSON text, which Datasette can facet on.
    """
    import json
    import sqlite3

    source = catalog.source()
    database = sqlite3.connect(path)
    try:
        database.execute("PRAGMA foreign_keys = ON")
        database.executescript(_SCHEMA)
        with database:
            database.execute(
                "INSERT INTO source VALUES (?, ?, ?, ?, ?, ?)",
                (
                    source.title,
                    source.url,
                    source.publisher,
                    source.last_updated.isoformat(),
                    json.dumps(source.breadcrumb, ensure_ascii=False),
                    json.dumps(source.introduction, ensure_ascii=False),
                ),
            )
            database.executemany(
                "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (e.id, e.name, e.acronym, e.kind.value, _json_list(e.aliases), e.description)
                    for e in catalog.entities()
                ),
            )
            database.executemany(
                "INSERT INTO strategies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_strategy_row(position, s, source) for position, s in enumerate(catalog, 1)),
            )
            _insert_excerpts(database, catalog)
            database.execute("INSERT INTO excerpts_fts(excerpts_fts) VALUES ('rebuild')")
        problems = database.execute("PRAGMA foreign_key_check").fetchall()
        assert not problems, problems  # the catalog's invariants rule these out
    finally:
        database.close()


def _insert_excerpts(database: sqlite3.Connection, catalog: Catalog) -> None:
    number = 0
    for strategy in catalog:
        numbers: dict[str, int] = {}
        for excerpt, parent, depth in _walk(strategy.excerpts):
            number += 1
            numbers[excerpt.id] = number
            parent_number = None if parent is None else numbers[parent.id]
            database.execute(
                "INSERT INTO excerpts VALUES (?, ?, ?, ?, ?, ?)",
                (number, strategy.id, excerpt.id, parent_number, depth, excerpt.text),
            )
            database.executemany(
                "INSERT INTO mentions VALUES (?, ?)",
                ((number, entity.id) for entity in catalog.entities_in(excerpt)),
            )


def _strategy_row(position: int, strategy: Strategy, source: SourcePage) -> tuple[Cell, ...]:
    return (
        strategy.id,
        position,
        strategy.title,
        strategy.heading,
        strategy.period.start,
        strategy.period.end,
        strategy.issuer.id,
        strategy.kind.value,
        _json_list(theme.value for theme in strategy.themes),
        _json_list(strategy.aliases),
        None if strategy.published is None else str(strategy.published),
        cite_strategy(strategy, source=source),
    )


def _json_list(values: Iterable[str]) -> str:
    import json

    return json.dumps(list(values), ensure_ascii=False)


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
