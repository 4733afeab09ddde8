"""The command line as analysts expect it: tables to read and act on, Unix conventions,
and a SQLite export that Datasette shows as the page is."""

from __future__ import annotations

import argparse
import csv
import inspect
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import fusion_strategies as fs
from console_script import SCRIPT, one_line_error, run, run_in_terminal
from fusion_strategies import export
from fusion_strategies.catalog import Catalog
from fusion_strategies.cli import build_parser, main

CATALOG = fs.catalog()
ANSI = re.compile(r"\x1b\[[0-9;]*m")
HIGHLIGHTED = re.compile(r"\x1b\[1;33m(.*?)\x1b\[0m")


def commands() -> dict[str, argparse.ArgumentParser]:
    """Each command's parser, by name."""
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the parser has no commands")


def out(*args: str, stdin: bytes | None = None, **env: str) -> str:
    result = subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        env={**_environment(), **env},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("utf-8")


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "COLUMNS"}}


def terminal(*args: str, columns: int = 80, **env: str) -> list[str]:
    """What a command prints on a terminal `columns` wide, colors kept."""
    return run_in_terminal(*args, COLUMNS=str(columns), **env).replace("\r\n", "\n").splitlines()


def cells(table: str) -> list[dict[str, str]]:
    """An aligned table (with nothing cut) read back by its header's columns."""
    header, *lines = table.splitlines()
    names = header.split()
    starts = [match.start() for match in re.finditer(r"\S+", header)]
    ends = [*starts[1:], None]
    return [
        {name.lower(): line[a:b].strip() for name, a, b in zip(names, starts, ends, strict=True)}
        for line in lines
    ]


def shown(cell: str) -> str:
    return ANSI.sub("", cell).strip("…")


# -- tables --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("list",), ("search", "tribal"), ("mentions", "fusion centers"), ("entities",)],
)
def test_a_piped_table_cuts_nothing_however_narrow(args: tuple[str, ...]) -> None:
    text = out(*args, COLUMNS="30")
    data = json.loads(out(*args, "--format", "json"))
    for expected in data:
        whole = expected.get("title") or expected.get("text") or expected["name"]
        assert whole in text


def test_on_a_terminal_tables_fit_and_wide_shows_everything() -> None:
    narrow = [ANSI.sub("", line) for line in terminal("search", "tribal", columns=80)]
    assert max(len(line) for line in narrow) <= 80
    assert any("…" in line for line in narrow)
    wide = "\n".join(terminal("search", "tribal", "--wide", columns=80, NO_COLOR="1"))
    for hit in CATALOG.search("tribal"):
        assert hit.excerpt.text in wide
        assert hit.strategy.heading in wide


def test_entities_never_cut_the_id_on_a_terminal() -> None:
    lines = [ANSI.sub("", line) for line in terminal("entities", columns=50)]
    for line, entity in zip(lines[1:], CATALOG.entities(), strict=True):
        assert line.startswith(f"{entity.id} ")
    assert any("…" in line for line in lines)


def test_search_shows_the_words_it_matched_highlighted_in_a_snippet() -> None:
    lines = terminal("search", "partners", columns=80)[1:]
    hits = CATALOG.search("partners")
    assert len(lines) == len(hits)
    for line, hit in zip(lines, hits, strict=True):
        text = line.split("  ")[-1]
        marked = HIGHLIGHTED.findall(text)
        assert marked, line  # the match is in view, not cut off past the first 30 letters
        assert {word.lower() for word in marked} <= {"partners", "partner"}
        assert shown(text).strip() in hit.excerpt.text
    # Some match is far into its excerpt: the snippet starts there, after an ellipsis.
    assert any(ANSI.sub("", line).split("  ")[-1].startswith("…") for line in lines)


def test_mentions_highlight_the_entity_as_mentions_finds_it() -> None:
    lines = terminal("mentions", "HIDTA", columns=100)[1:]
    found = CATALOG.mentioning("HIDTA")
    assert len(lines) == len(found)
    for line, mention in zip(lines, found, strict=True):
        marked = HIGHLIGHTED.findall(line)
        assert marked, line
        # The first is in view whole; a later one may run past the edge.
        assert marked[0].rstrip("s") in {"HIDTA", "High Intensity Drug Trafficking Area"}
        for name in marked:
            assert name in mention.excerpt.text


def test_no_color_and_a_pipe_get_no_highlight() -> None:
    assert not ANSI.search("\n".join(terminal("search", "tribal", NO_COLOR="1")))
    assert not ANSI.search(out("mentions", "HIDTA"))


def test_a_hostile_excerpt_is_highlighted_where_its_escapes_show_it(tmp_path: Path) -> None:
    strategy = CATALOG.lookup("QHSR")
    text = "\x1b]52;c;aGk=\x07 the tribal \u202e chief\x9b"
    excerpt = fs.Excerpt(id="1", text=text)
    import attrs

    ours = fs.Catalog(
        source=CATALOG.source(),
        strategies=[attrs.evolve(strategy, excerpts=(excerpt,))],
        entities=CATALOG.entities(),
    )
    path = tmp_path / "ours.json"
    path.write_text(fs.dumps(ours), encoding="utf-8")
    (line,) = terminal("--catalog", str(path), "search", "tribal", "--wide")[1:]
    assert "\x1b]" not in line
    assert "\u202e" not in line
    assert HIGHLIGHTED.findall(line) == ["tribal"]


def test_show_gives_each_excerpt_its_id() -> None:
    strategy = CATALOG.get("dhs-information-sharing-strategy-2013")
    text = out("show", strategy.id, COLUMNS="100")
    for excerpt in strategy.iter_excerpts():
        words = " ".join(excerpt.text.split()[:3])
        assert re.search(rf"[•◦] \[{re.escape(excerpt.id)}\] {re.escape(words)}", text)


def test_a_column_means_the_same_thing_in_every_command() -> None:
    by_id = {strategy.id: strategy for strategy in CATALOG}
    entity_ids = {entity.id for entity in CATALOG.entities()}
    headings = {strategy.heading for strategy in CATALOG}
    tables = {
        args: cells(out(*args))
        for args in [("list",), ("search", "tribal"), ("mentions", "HIDTA"), ("entities",)]
    }
    records = {
        args: list(csv.DictReader(io.StringIO(out(*args, "--format", "csv"))))
        for args in [("list",), ("search", "tribal"), ("mentions", "HIDTA"), ("match", "border")]
    }
    meanings = {
        "strategy": lambda value: value in by_id,
        "issuer_id": lambda value: value in entity_ids,
        "heading": lambda value: value in headings,
        "title": lambda value: value in {s.title for s in CATALOG},
    }
    seen = set()
    for rows in [*tables.values(), *records.values()]:
        for row in rows:
            for name, value in row.items():
                if name in meanings:
                    seen.add(name)
                    assert meanings[name](value), (name, value)
    assert seen == set(meanings)
    assert [row["id"] for row in tables[("list",)]] == list(by_id)
    assert [row["id"] for row in records[("list",)]] == list(by_id)
    assert [row["id"] for row in tables[("entities",)]] == [e.id for e in CATALOG.entities()]
    # An excerpt column is an excerpt id within its row's strategy.
    for row in records[("search", "tribal")]:
        assert row["excerpt"] in {e.id for e in by_id[row["strategy"]].iter_excerpts()}
    # "issuer" is the issuer's full name wherever it is shown.
    assert "issuer:    U.S. Department of Homeland Security" in out("show", "QHSR")


def test_markdown_tables_leave_numbers_and_ids_alone() -> None:
    lines = out("search", "tribal", "--format", "markdown").splitlines()
    assert lines[0] == "| score | strategy | excerpt | text |"
    score = lines[2].split(" | ")[0].lstrip("| ")
    assert re.fullmatch(r"\d+\.\d\d", score), lines[2]
    assert "| issuer_id |" in out("list", "--format", "markdown")


# -- Unix conventions ----------------------------------------------------------------------


def test_dash_writes_to_stdout_for_every_writing_option(tmp_path: Path) -> None:
    listing = sorted(Path.cwd().iterdir())
    assert out("export", "--format", "csv", "-o", "-").startswith("strategy_id,")
    assert out("export", "--format=json", "--output=-").startswith("{")
    assert out("timeline", "--svg", "-").startswith("<?xml")
    assert sorted(Path.cwd().iterdir()) == listing  # no file named "-"


def test_match_reads_a_pipe_without_a_dash() -> None:
    product = b"Fentanyl seizures at the southwest border"
    piped = json.loads(out("match", "--format", "json", stdin=product))
    dashed = json.loads(out("match", "-", "--format", "json", stdin=product))
    assert piped == dashed
    assert piped[0]["strategy"] == "national-southwest-border-counternarcotics-strategy-2016"
    error = one_line_error(run("match", "--format", "json"), status=2)  # stdin: nothing
    assert "give the text" in error


def test_match_has_the_default_limit_of_catalog_match() -> None:
    default = inspect.signature(Catalog.match).parameters["limit"].default
    text = b"intelligence sharing with state, local, tribal partners and fusion centers"
    assert len(json.loads(out("match", "--format", "json", stdin=text))) == default
    search = inspect.signature(Catalog.search).parameters["limit"].default
    assert len(json.loads(out("search", "partners", "--format", "json"))) == search
    help = out("match", "--help", COLUMNS="80")
    assert f"(default: {default})" in help


def format_of(path: Path) -> str:
    """Which export format a file holds, judged by its content alone."""
    data = path.read_bytes()
    if data.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    text = data.decode("utf-8")
    if text.startswith("@misc{"):
        return "bibtex"
    if text.startswith("# "):
        return "markdown"
    if text.startswith("strategy_id,"):
        return "csv"
    value = json.loads(text)
    return "csl-json" if isinstance(value, list) else "json"


NATURAL = {
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
"""Each format's natural extensions, as their users name their files."""


@pytest.mark.parametrize(("extension", "format"), NATURAL.items())
def test_export_infers_the_format_from_the_extension(
    tmp_path: Path, extension: str, format: str
) -> None:
    for name in (f"out{extension}", f"OUT{extension.upper()}"):
        path = tmp_path / name
        assert out("export", "-o", str(path)) == ""
        assert format_of(path) == format


def test_every_extension_is_documented_and_every_format_has_one() -> None:
    assert dict(export.EXTENSIONS) == NATURAL
    assert set(NATURAL.values()) == set(export.FORMATS)


def test_format_overrides_the_extension_and_an_unknown_one_names_the_known(
    tmp_path: Path,
) -> None:
    path = tmp_path / "refs.txt"
    assert out("export", "-o", str(path), "--format", "bibtex") == ""
    assert format_of(path) == "bibtex"
    error = one_line_error(run("export", "-o", str(tmp_path / "out.xlsx")), status=2)
    assert "'" + str(tmp_path / "out.xlsx") + "'" in error
    for extension in export.EXTENSIONS:
        assert extension in error
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "canonical"),
    [
        (("list", "--theme", "Cybersecurity"), ("list", "--theme", "cybersecurity")),
        (
            ("list", "--kind", "STRATEGY", "--format", "JSON"),
            ("list", "--kind=strategy", "--format=json"),
        ),
        (("export", "--format", "CSV"), ("export", "--format", "csv")),
    ],
)
def test_choices_forgive_case(args: tuple[str, ...], canonical: tuple[str, ...]) -> None:
    assert out(*args) == out(*canonical)


@pytest.mark.parametrize(
    ("args", "meant"),
    [
        (("serch", "tribal"), "search"),
        (("lsit",), "list"),
        (("list", "--theme", "cybersecurty"), "cybersecurity"),
        (("list", "--format", "jsn"), "json"),
        (("export", "--format", "sqlit"), "sqlite"),
    ],
)
def test_a_mistyped_command_or_choice_says_what_was_meant(
    args: tuple[str, ...], meant: str
) -> None:
    error = one_line_error(run(*args), status=2)
    assert f"did you mean '{meant}'?" in error
    assert "choose from" not in error  # one guess, not fifteen values


def test_a_choice_nothing_is_close_to_lists_a_short_list() -> None:
    error = one_line_error(run("list", "--kind", "zzz"), status=2)
    for kind in fs.DocumentKind:
        assert repr(kind.value) in error


@pytest.mark.parametrize("command", [None, *commands()])
def test_help_fits_80_columns_and_shows_defaults(command: str | None) -> None:
    args = ("--help",) if command is None else (command, "--help")
    text = out(*args, COLUMNS="80")
    assert max(len(line) for line in text.splitlines()) <= 80, text
    parser = build_parser() if command is None else commands()[command]
    for action in parser._actions:
        default = action.default
        if default == argparse.SUPPRESS or not action.option_strings:
            continue
        if isinstance(default, (str, int)) and not isinstance(default, bool):
            assert f"(default: {default})" in " ".join(text.split()), (command, action.dest)


# -- SQLite and Datasette ------------------------------------------------------------------


def metadata_of(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_sqlite_export_comes_with_datasette_metadata(tmp_path: Path) -> None:
    database = tmp_path / "strategies.sqlite"
    assert out("export", "-o", str(database)) == ""
    metadata = metadata_of(tmp_path / "strategies.metadata.json")
    source = CATALOG.source()
    assert metadata["title"] == source.title
    assert metadata["source"] == source.publisher
    assert metadata["source_url"] == source.url
    assert "public domain" in metadata["license"].lower()
    assert str(len(CATALOG)) in metadata["description"]
    assert "strategies" in metadata["databases"]
    # A catalog of your own: no license is claimed for it.
    own = tmp_path / "own.json"
    own.write_text(fs.dumps(CATALOG), encoding="utf-8")
    assert out("--catalog", str(own), "export", "-o", str(tmp_path / "own.db")) == ""
    assert "license" not in metadata_of(tmp_path / "own.metadata.json")


def test_datasette_shows_the_strategies_in_page_order(tmp_path: Path) -> None:
    database = tmp_path / "strategies.sqlite"
    out("export", "-o", str(database))
    run = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("datasette_get.py")),
            str(database),
            "--metadata",
            str(tmp_path / "strategies.metadata.json"),
            "/strategies/strategies.json?_shape=array&_size=max",
            "/strategies/excerpts.json?_shape=array&_size=max",
            "/-/metadata.json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    answers = json.loads(run.stdout)
    assert [answer["status"] for answer in answers] == [200, 200, 200], answers
    strategies, excerpts, metadata = (answer["json"] for answer in answers)
    assert [row["id"] for row in strategies] == [s.id for s in CATALOG]
    assert [(row["strategy_id"], row["excerpt_id"]) for row in excerpts] == [
        (s.id, e.id) for s in CATALOG for e in s.iter_excerpts()
    ]
    assert metadata["title"] == CATALOG.source().title


def test_the_rows_are_stored_in_page_order(tmp_path: Path) -> None:
    database = tmp_path / "strategies.db"
    out("export", "-o", str(database), "--no-metadata")
    assert not (tmp_path / "strategies.metadata.json").exists()
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute("SELECT id FROM strategies ORDER BY rowid").fetchall()
    finally:
        connection.close()
    assert [row[0] for row in rows] == [s.id for s in CATALOG]


def test_metadata_beside_the_database_is_never_clobbered(tmp_path: Path) -> None:
    database = tmp_path / "x.sqlite"
    beside = tmp_path / "x.metadata.json"
    beside.write_text('{"title": "my own edits"}\n', encoding="utf-8")
    error = one_line_error(run("export", "-o", str(database)))
    assert f"{beside} exists" in error
    assert "nothing was written" in error
    assert beside.read_text(encoding="utf-8") == '{"title": "my own edits"}\n'
    assert not database.exists()
    # Named with --metadata, it is replaced, as -o's file is; the same export again is fine.
    assert out("export", "-o", str(database), "--metadata", str(beside)) == ""
    assert metadata_of(beside)["title"] == CATALOG.source().title
    assert out("export", "-o", str(database)) == ""
    assert sorted(child.name for child in tmp_path.iterdir()) == [beside.name, database.name]


def test_sqlite_to_a_pipe_is_the_database_and_to_a_terminal_an_error(tmp_path: Path) -> None:
    result = run("export", "--format", "sqlite", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"SQLite format 3\x00")
    path = tmp_path / "piped.db"
    path.write_bytes(result.stdout)
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("SELECT count(*) FROM strategies").fetchone() == (len(CATALOG),)
    finally:
        connection.close()
    assert run("export", "--format", "sqlite").stdout == result.stdout
    assert "SQLite format" not in run_in_terminal("export", "--format", "sqlite")


def test_sqlite_to_a_text_only_stdout_in_process_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["export", "--format", "sqlite"]) == 1
    error = capsys.readouterr().err
    assert error == "fusion-strategies: standard output takes text only; give -o PATH\n"
