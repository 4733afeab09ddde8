"""Every export, read back by a real reader: load, csv, bibtexparser, citeproc, sqlite3."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import attrs
import jsonschema
import pytest
from bibtexparser.entrypoint import parse_string
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

import fusion_strategies as fs
from fusion_strategies import export
from fusion_strategies.citation import citation_keys
from source_page import BULLETS, DOCUMENTS

CATALOG = fs.catalog()
EXCERPTS = [(s, e) for s in CATALOG for e in s.iter_excerpts()]
PAGE_URL = "https://www.dhs.gov/topic/fusion-centers-support-national-strategies-and-guidance"


def own_catalog(*texts: str, title: str = "A Plan of Our Own") -> fs.Catalog:
    """A small catalog of another publisher, with excerpts of our choosing."""
    issuer = fs.Entity(id="example-center", name="Example Center", kind=fs.EntityKind.ORGANIZATION)
    strategy = fs.Strategy(
        id="a-plan-of-our-own-2024",
        title=title,
        heading=f"{title} (2024)",
        period=fs.Period(start=2024, end=2024),
        issuer=issuer,
        kind=fs.DocumentKind.STRATEGY,
        excerpts=tuple(fs.Excerpt(id=str(i), text=text) for i, text in enumerate(texts, 1)),
    )
    source = attrs.evolve(CATALOG.source(), title="Our Reading List", url="https://example.org/")
    return fs.Catalog(source=source, strategies=[strategy], entities=[issuer])


# -- json ----------------------------------------------------------------------------------


def test_json_is_the_file_format_and_loads_back_equal(tmp_path: Path) -> None:
    assert export.to_json(fs.catalog()) == fs.dumps(CATALOG)
    path = tmp_path / "catalog.json"
    export.write(path, "json", fs.catalog())
    assert fs.load(path) == CATALOG
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), fs.json_schema())


def test_json_of_a_catalog_of_our_own_loads_back_equal() -> None:
    ours = own_catalog("One.", "Two.")
    assert fs.loads(export.to_json(ours)) == ours


# -- csv -----------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_one_row_per_excerpt_in_page_order() -> None:
    rows = read_csv(export.to_csv(fs.catalog()))
    assert len(rows) == len(EXCERPTS) == BULLETS
    assert [(row["strategy_id"], row["excerpt_id"], row["text"]) for row in rows] == [
        (strategy.id, excerpt.id, excerpt.text) for strategy, excerpt in EXCERPTS
    ]
    assert list(rows[0]) == [
        "strategy_id",
        "title",
        "heading",
        "period_start",
        "period_end",
        "issuer_id",
        "issuer",
        "kind",
        "themes",
        "published",
        "excerpt_id",
        "parent_excerpt_id",
        "depth",
        "text",
    ]


def test_csv_rows_carry_their_strategy() -> None:
    by_key = {
        (row["strategy_id"], row["excerpt_id"]): row
        for row in read_csv(export.to_csv(fs.catalog()))
    }
    for strategy, excerpt in EXCERPTS:
        row = by_key[strategy.id, excerpt.id]
        assert row["title"] == strategy.title
        assert row["heading"] == strategy.heading
        assert (int(row["period_start"]), int(row["period_end"])) == (
            strategy.period.start,
            strategy.period.end,
        )
        assert (row["issuer_id"], row["issuer"]) == (strategy.issuer.id, strategy.issuer.name)
        assert row["kind"] == strategy.kind.value
        assert row["themes"].split("; ") == [theme.value for theme in strategy.themes]
        assert row["published"] == (str(strategy.published) if strategy.published else "")


def test_csv_flattens_nesting_with_parent_and_depth() -> None:
    rows = read_csv(export.to_csv(fs.catalog()))
    nested = [row for row in rows if row["strategy_id"] == "dhs-information-sharing-strategy-2013"]
    assert [(r["excerpt_id"], r["parent_excerpt_id"], r["depth"]) for r in nested] == [
        ("1", "", "0"),
        ("1.1", "1", "1"),
        ("1.2", "1", "1"),
        ("1.3", "1", "1"),
    ]
    assert sum(row["depth"] == "1" for row in rows) == sum(
        len(excerpt.children) for _, excerpt in EXCERPTS
    )


def test_csv_file_is_utf8_without_bom_with_crlf(tmp_path: Path) -> None:
    path = tmp_path / "strategies.csv"
    export.write(path, "csv", fs.catalog())
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 55
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert "“If You See Something, Say Something®”".encode() in data
    with path.open(encoding="utf-8", newline="") as file:
        assert len(list(csv.reader(file))) == 55


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("https://example.org","click")', "+1 555 0100", "-2+3", "@SUM(A1:A2)"],
)
def test_csv_cells_a_spreadsheet_would_run_are_made_text(text: str) -> None:
    rows = read_csv(export.to_csv(own_catalog(text, title=text)))
    assert rows[0]["text"] == f"'{text}"
    assert rows[0]["title"] == f"'{text}"
    assert rows[0]["heading"] == f"'{text} (2024)"


def test_csv_quotes_commas_quotes_and_leaves_other_text_alone() -> None:
    text = 'Say "share", then share; a, b and c.'
    (row,) = read_csv(export.to_csv(own_catalog(text)))
    assert row["text"] == text
    assert row["period_start"] == "2024"


@pytest.mark.parametrize("cell", ["\tcmd", "\rcmd", "=1", "+1", "-1", "@1"])
def test_csv_text_guards_every_formula_start(cell: str) -> None:
    text = export.csv_text(["a"], [[cell], [f"x{cell}"]])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["a"], [f"'{cell}"], [f"x{cell}"]]


def test_csv_text_writes_numbers_and_none_plainly() -> None:
    assert export.csv_text(["n", "none"], [[-5, None]]) == "n,none\r\n-5,\r\n"


# -- markdown ------------------------------------------------------------------------------


def unescape(markdown: str) -> str:
    """CommonMark: a backslash before ASCII punctuation stands for that character."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def test_markdown_has_a_section_per_strategy_with_its_citation() -> None:
    text = export.to_markdown(fs.catalog())
    lines = text.splitlines()
    assert lines[0] == "# Fusion Centers' Support of National Strategies and Guidance"
    sections = [unescape(line[3:]) for line in lines if line.startswith("## ")]
    assert sections == [strategy.title for strategy in CATALOG]
    citations = [unescape(line) for line in lines if line.startswith("*Cite as:* ")]
    assert len(citations) == DOCUMENTS
    assert all(PAGE_URL in line and "November 7, 2023" in line for line in citations)
    assert f"(<{PAGE_URL}>)" in text
    for paragraph in CATALOG.source().introduction:
        assert f"> {paragraph}" in unescape(text)


def test_markdown_quotes_every_excerpt_with_its_nesting() -> None:
    quoted = [
        unescape(line)
        for line in export.to_markdown(fs.catalog()).splitlines()
        if line.startswith(">")
    ]

    def expected(excerpts: tuple[fs.Excerpt, ...], depth: int) -> list[str]:
        lines = []
        for excerpt in excerpts:
            lines.append(">" + "  " * depth + " - " + excerpt.text)
            lines += expected(excerpt.children, depth + 1)
        return lines

    bullets = [line for line in quoted if line.lstrip("> ").startswith("- ")]
    assert bullets == [line for s in CATALOG for line in expected(s.excerpts, 0)]


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "1. not a list",
        "- not a bullet",
        "+ nor this",
        "> nor a quote",
        "*not emphasis* and _nor this_",
        "[not](a link) <b>not html</b> `not code` | not a cell",
        "&copy; stays an ampersand, &#169; too",
        "a back\\slash",
    ],
)
def test_markdown_escapes_what_would_be_markup(text: str) -> None:
    escaped = export.escape_markdown(text)
    assert unescape(escaped) == text
    assert not re.match(r"[#>+\-]|\d+\.", escaped)
    assert not re.search(r"(?<!\\)[*_`<>\[\]|]", escaped)
    assert not re.search(r"(?<!\\)&#?\w+;", escaped)


def test_markdown_of_a_catalog_of_our_own_cites_its_page() -> None:
    text = export.to_markdown(own_catalog("*Stars* are text."))
    assert "> - \\*Stars\\* are text." in text
    assert "“Our Reading List,”" in text
    assert PAGE_URL not in text


# -- BibTeX and CSL-JSON -------------------------------------------------------------------


def test_bibtex_has_one_parsable_entry_per_strategy() -> None:
    library = parse_string(export.to_bibtex(fs.catalog()))
    assert not library.failed_blocks
    keys = citation_keys(CATALOG)
    assert [entry.key for entry in library.entries] == [keys[strategy.id] for strategy in CATALOG]
    for entry, strategy in zip(library.entries, CATALOG, strict=True):
        assert entry.fields_dict["title"].value == f"{{{strategy.title}}}"


def test_csl_json_is_an_array_citeproc_renders() -> None:
    items = json.loads(export.to_csl_json(fs.catalog()))
    assert [item["id"] for item in items] == [citation_keys(CATALOG)[s.id] for s in CATALOG]
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == DOCUMENTS
    for strategy in CATALOG:
        assert any(f") {strategy.title}. " in line for line in rendered), strategy.id


# -- SQLite --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "strategies.db"
    export.write(path, "sqlite", fs.catalog())
    return path


def query(path: Path, sql: str, *parameters: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def test_sqlite_tables_hold_the_catalog(database: Path) -> None:
    count = {
        table: query(database, f"SELECT count(*) FROM {table}")[0][0]
        for table in ("source", "entities", "strategies", "excerpts", "mentions")
    }
    mentions = sum(len(CATALOG.entities_in(excerpt)) for _, excerpt in EXCERPTS)
    assert count == {
        "source": 1,
        "entities": len(CATALOG.entities()),
        "strategies": DOCUMENTS,
        "excerpts": BULLETS,
        "mentions": mentions,
    }
    rows = query(database, "SELECT strategy_id, excerpt_id, text FROM excerpts ORDER BY id")
    assert rows == [(s.id, e.id, e.text) for s, e in EXCERPTS]
    assert query(database, "SELECT id FROM strategies ORDER BY position") == [
        (strategy.id,) for strategy in CATALOG
    ]
    assert query(database, "SELECT url, last_updated FROM source") == [(PAGE_URL, "2023-11-07")]


def test_sqlite_nesting_and_mentions(database: Path) -> None:
    rows = query(
        database,
        "SELECT child.excerpt_id, parent.excerpt_id, child.depth FROM excerpts AS child "
        "JOIN excerpts AS parent ON child.parent_id = parent.id "
        "WHERE child.strategy_id = 'dhs-information-sharing-strategy-2013'",
    )
    assert sorted(rows) == [("1.1", "1", 1), ("1.2", "1", 1), ("1.3", "1", 1)]
    hidta = query(
        database,
        "SELECT strategy_id FROM mentions JOIN excerpts ON excerpts.id = mentions.excerpt_id "
        "WHERE entity_id = 'hidta' ORDER BY excerpts.id",
    )
    assert hidta == [(mention.strategy.id,) for mention in fs.mentioning("HIDTA")]


def test_sqlite_declares_and_keeps_its_foreign_keys(database: Path) -> None:
    def references(table: str) -> set[tuple[str, str, str]]:
        rows = query(database, f"PRAGMA foreign_key_list({table})")
        return {(str(row[3]), str(row[2]), str(row[4])) for row in rows}

    assert references("strategies") == {("issuer_id", "entities", "id")}
    assert references("excerpts") == {
        ("strategy_id", "strategies", "id"),
        ("parent_id", "excerpts", "id"),
    }
    assert references("mentions") == {
        ("excerpt_id", "excerpts", "id"),
        ("entity_id", "entities", "id"),
    }
    assert query(database, "PRAGMA foreign_key_check") == []


TRIBAL = [
    (strategy.id, excerpt.id)
    for strategy, excerpt in EXCERPTS
    if re.search(r"(?i)\btribal\b", excerpt.text)
]


def test_sqlite_full_text_index_finds_words_in_excerpts(database: Path) -> None:
    found = query(
        database,
        "SELECT strategy_id, excerpt_id FROM excerpts WHERE id IN "
        "(SELECT rowid FROM excerpts_fts WHERE excerpts_fts MATCH ?) ORDER BY id",
        "tribal",
    )
    assert found == TRIBAL
    assert len(TRIBAL) > 5


def test_sqlite_opens_in_the_sqlite3_shell(database: Path) -> None:
    shell = shutil.which("sqlite3")
    if shell is None:
        pytest.skip("the sqlite3 shell is not installed")
    run = subprocess.run(
        [shell, "-readonly", str(database), "SELECT count(*) FROM excerpts_fts('tribal');"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == str(len(TRIBAL))


def test_sqlite_opens_in_datasette(database: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("datasette_get.py")),
            str(database),
            "/strategies.json",
            "/strategies/excerpts.json?_search=tribal&_shape=array&_size=max",
            "/strategies/strategies.json?_shape=array&_labels=on&id=national-drug-control-strategy-2019",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    answers = json.loads(run.stdout)
    assert [answer["status"] for answer in answers] == [200, 200, 200], answers
    tables, search, labels = (answer["json"] for answer in answers)
    by_name = {table["name"]: table for table in tables["tables"]}
    assert by_name["excerpts"]["fts_table"] == "excerpts_fts"
    assert by_name["strategies"]["count"] == DOCUMENTS
    assert sorted((row["strategy_id"], row["excerpt_id"]) for row in search) == sorted(TRIBAL)
    (strategy,) = labels
    assert strategy["issuer_id"] == {
        "value": "ondcp",
        "label": "Office of National Drug Control Policy",
    }


def test_sqlite_of_a_catalog_of_our_own(tmp_path: Path) -> None:
    path = tmp_path / "ours.db"
    export.to_sqlite(path, own_catalog("One.", "Two."))
    assert query(path, "SELECT count(*) FROM excerpts") == [(2,)]
    assert query(path, "SELECT url FROM source") == [("https://example.org/",)]


# -- writing files -------------------------------------------------------------------------


@pytest.mark.parametrize("format", export.FORMATS)
def test_write_replaces_a_file_whole_and_leaves_no_temporary(
    tmp_path: Path, format: export.ExportFormat
) -> None:
    path = tmp_path / "out"
    path.write_bytes(b"old content that is longer than nothing" * 1000)
    export.write(path, format, fs.catalog())
    assert b"old content" not in path.read_bytes()
    assert [child.name for child in tmp_path.iterdir()] == ["out"]


def test_write_to_a_missing_directory_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        export.write(tmp_path / "missing" / "out.db", "sqlite", fs.catalog())
    with pytest.raises(FileNotFoundError) as raised:
        export.write(tmp_path / "missing" / "out.csv", "csv", fs.catalog())
    assert raised.value.filename == str(tmp_path / "missing" / "out.csv")
    assert list(tmp_path.iterdir()) == []


def test_wrong_format_and_wrong_catalog() -> None:
    with pytest.raises(ValueError, match="valid formats: 'json', 'csv', 'markdown'"):
        export.write("out.txt", "yaml", fs.catalog())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a Catalog"):
        export.to_csv("catalog.json")  # type: ignore[arg-type]
