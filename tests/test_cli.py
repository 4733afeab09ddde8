"""The fusion-strategies command, run as users run it: the installed console script."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from hashlib import sha256
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from bibtexparser.entrypoint import parse_string

import fusion_strategies as fs
from console_script import run_in_terminal
from fusion_strategies.cli import main
from source_page import BULLETS, CAPTURE, DOCUMENTS

SCRIPT = Path(sys.executable).parent / "fusion-strategies"
CATALOG = fs.catalog()
FILE = json.loads(fs.dumps(CATALOG))
ANSI = re.compile(r"\x1b\[[0-9;]*m")
QHSR = "quadrennial-homeland-security-review-2014"


def run(
    *args: str, stdin: str | None = None, columns: int = 100, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the installed script with a known width and no color preference."""
    environment = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "COLUMNS"}}
    environment.update(COLUMNS=str(columns), **env)
    return subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=60,
        check=False,
    )


def succeeds(*args: str, stdin: str | None = None, columns: int = 100) -> str:
    result = run(*args, stdin=stdin, columns=columns)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def fails(status: int, *args: str, stdin: str | None = None) -> str:
    """Run a command that must fail: one clear line on stderr, no traceback."""
    result = run(*args, stdin=stdin)
    assert result.returncode == status, (result.returncode, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("fusion-strategies")
    return result.stderr


def as_json(text: str) -> Any:
    return json.loads(text)


def ids(objects: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in objects]


# -- the script itself ---------------------------------------------------------------------


def test_the_console_script_is_installed_and_python_dash_m_runs_the_same() -> None:
    assert SCRIPT.is_file(), f"no console script at {SCRIPT}: is the package installed?"
    module = subprocess.run(
        [sys.executable, "-m", "fusion_strategies", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert module.stdout == succeeds("--version")


def test_version_gives_the_code_and_the_data_the_capture_gives() -> None:
    # The data's version is read off the capture here, not off the catalog.
    capture = CAPTURE.read_bytes()
    month, day, year = re.findall(rb"Last Updated: (\d\d)/(\d\d)/(\d{4})", capture)[0]
    date = f"{year.decode()}-{month.decode()}-{day.decode()}"
    code, data = succeeds("--version").splitlines()
    assert code == f"fusion-strategies {fs.__version__}"
    assert data == f"data: page last updated {date}, capture sha256 {sha256(capture).hexdigest()}"


def test_help_lists_every_command_and_documents_the_json() -> None:
    text = succeeds("--help")
    for command in ("list", "show", "search", "match", "mentions", "entities", "export"):
        assert f"    {command} " in text
    for command in ("validate", "schema", "timeline"):
        assert f"    {command} " in text
    assert "JSON output (stable" in text
    assert "exit status:" in text


@pytest.mark.parametrize(
    "command",
    ["list", "show", "search", "match", "mentions", "entities", "export", "validate", "schema"],
)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    assert capsys.readouterr().out.startswith(f"usage: fusion-strategies {command}")


def test_no_command_is_a_usage_error() -> None:
    assert "a command is required" in fails(2)
    assert "invalid choice: 'lsit'" in fails(2, "lsit")


# -- list ----------------------------------------------------------------------------------


def test_list_prints_a_table_of_every_strategy_with_its_id() -> None:
    lines = succeeds("list", columns=50).splitlines()
    assert lines[0].split() == ["PERIOD", "ISSUER_ID", "TITLE", "ID"]
    assert len(lines) == 1 + len(CATALOG)
    for line, strategy in zip(lines[1:], CATALOG, strict=True):
        assert line.startswith(str(strategy.period))
        assert f"  {strategy.issuer.id}  " in line
        assert f"  {strategy.title}  " in line  # piped: never cut, however narrow
        assert line.endswith(f"  {strategy.id}")
    # Aligned: every title and every id starts in the same column.
    for name in ("title", "id"):
        starts = {line.rindex(getattr(s, name)) for line, s in zip(lines[1:], CATALOG, strict=True)}
        assert len(starts) == 1


@pytest.mark.parametrize("columns", [50, 80, 120])
def test_list_fits_the_terminal_but_never_cuts_an_id(columns: int) -> None:
    lines = ANSI.sub("", run_in_terminal("list", COLUMNS=str(columns))).splitlines()
    assert len(lines) == 1 + len(CATALOG)
    id_column = lines[0].index("ID", lines[0].index("TITLE"))
    if columns >= 80:  # narrower, the titles are down to a few letters, and ids run on
        assert id_column <= columns // 2
    for line, strategy in zip(lines[1:], CATALOG, strict=True):
        assert line[id_column:] == strategy.id
    assert any("…" in line for line in lines)


def test_list_filters_as_find_does_and_prints_the_file_formats_objects() -> None:
    args = ("list", "--year", "2018", "--theme", "counterterrorism", "--format", "json")
    found = as_json(succeeds(*args))
    expected = CATALOG.find(year=2018, theme="counterterrorism")
    assert ids(found) == [strategy.id for strategy in expected]
    assert found == [item for item in FILE["strategies"] if item["id"] in ids(found)]
    schema = fs.json_schema()
    definitions: Any = schema["$defs"]
    for item in found:
        jsonschema.validate(item, {**schema, **definitions["Strategy"]})


def test_list_filters_by_issuer_kind_and_mentions() -> None:
    args = ("list", "--issuer", "ONDCP", "--kind", "strategy", "--mentions", "HIDTA")
    assert ids(as_json(succeeds(*args, "--format", "json"))) == [
        "national-drug-control-strategy-2019"
    ]
    reports = succeeds("list", "--kind", "report", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(reports)))
    assert [row["id"] for row in rows] == [s.id for s in CATALOG.find(kind="report")]
    markdown = succeeds("list", "--year", "2007", "--format", "markdown").splitlines()
    assert markdown[:2] == ["| id | period | issuer_id | title |", "|---|---|---|---|"]
    assert len(markdown) == 3


def test_list_with_nothing_found_exits_1() -> None:
    assert "no strategy meets every filter given" in fails(1, "list", "--year", "1990")
    result = run("list", "--year", "1990", "--format", "json")
    assert (result.returncode, json.loads(result.stdout)) == (1, [])


def test_list_of_an_unknown_entity_suggests_one() -> None:
    assert "did you mean 'ONDCP'?" in fails(1, "list", "--issuer", "ONDCPP")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("list", "--theme", "nope"), "invalid choice: 'nope'"),
        (("list", "--kind", "memo"), "invalid choice: 'memo'"),
        (("list", "--year", "soon"), "invalid int value: 'soon'"),
        (("list", "--format", "yaml"), "invalid choice: 'yaml'"),
        (("list", "--color"), "unrecognized arguments: --color"),
    ],
)
def test_list_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    error = fails(2, *args)
    assert message in error
    assert "see 'fusion-strategies list --help'" in error or "--help" in error


# -- show ----------------------------------------------------------------------------------


def test_show_prints_heading_facts_nested_excerpts_and_citation() -> None:
    text = succeeds("show", "DHS", "Information", "Sharing", "Strategy", columns=100)
    strategy = CATALOG.get("dhs-information-sharing-strategy-2013")
    lines = text.splitlines()
    assert lines[0] == strategy.heading
    assert f"title:     {strategy.title}" in lines
    assert "published: 2013" in lines
    bullets = [line for line in lines if line.lstrip().startswith(("•", "◦"))]
    (lead,) = strategy.excerpts
    assert [line.index(line.lstrip()[0]) for line in bullets] == [2, 6, 6, 6]
    flat = " ".join(text.split())
    for excerpt in strategy.iter_excerpts():
        assert excerpt.text in flat
    assert len(lead.children) == 3
    assert f"Cite as: {fs.cite(strategy)}" in flat
    assert max(len(line) for line in lines if "https://" not in line) <= 100


def test_show_takes_anything_lookup_takes() -> None:
    for name in ("QHSR", "2014 QHSR", QHSR, "Quadrennial Homeland Security Review (2014)"):
        assert as_json(succeeds("show", name, "--format", "json"))["id"] == QHSR


def test_show_formats() -> None:
    shown = as_json(succeeds("show", "NSS", "2017", "--format", "json"))
    assert isinstance(shown, dict)
    strategy = CATALOG.lookup("NSS 2017")
    assert shown.pop("citation") == fs.cite(strategy)
    assert shown == next(item for item in FILE["strategies"] if item["id"] == strategy.id)
    rows = list(csv.DictReader(io.StringIO(succeeds("show", "NSS 2017", "--format", "csv"))))
    assert [row["text"] for row in rows] == [e.text for e in strategy.iter_excerpts()]
    markdown = succeeds("show", "NSS 2017", "--format", "markdown")
    assert markdown.startswith(f"# {strategy.title}\n")
    assert "*Cite as:*" in markdown


def test_show_a_miss_suggests_and_an_ambiguous_name_lists_the_candidates() -> None:
    assert fails(1, "show", "QHRS").endswith("no strategy matches 'QHRS'; did you mean 'QHSR'?\n")
    error = fails(1, "show", "NBS")
    assert "'dhs-northern-border-strategy-2018', 'national-biodefense-strategy-2018'" in error
    assert "the following arguments are required: name" in fails(2, "show")


# -- search and match ----------------------------------------------------------------------


def test_search_finds_excerpts_with_the_spans_that_matched() -> None:
    hits = as_json(succeeds("search", "tribal", "partners", "--limit", "4", "--format", "json"))
    assert isinstance(hits, list)
    assert 0 < len(hits) <= 4
    for hit in hits:
        strategy = CATALOG.get(hit["strategy"])
        excerpt = next(e for e in strategy.iter_excerpts() if e.id == hit["excerpt"])
        assert hit["text"] == excerpt.text
        assert hit["spans"]
        for start, end in hit["spans"]:
            words = re.findall(r"\w+", hit["text"][start:end].lower())
            assert words
            assert set(words) <= {"tribal", "partners", "partner"}
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    table = succeeds("search", "tribal", "--limit", "3").splitlines()
    assert table[0].split() == ["SCORE", "HEADING", "EXCERPT", "TEXT"]
    assert len(table) == 4


def test_search_errors() -> None:
    assert "no excerpt answers 'zzqqxx'" in fails(1, "search", "zzqqxx")
    assert "the following arguments are required: query" in fails(2, "search")
    assert "must be 1 or more" in fails(2, "search", "tribal", "--limit", "0")
    fails(2, "search", "  ")


def test_match_reads_the_text_from_arguments_stdin_or_a_file(tmp_path: Path) -> None:
    product = "Fentanyl seizures at the southwest border"
    by_argument = as_json(succeeds("match", product, "--format", "json"))
    by_stdin = as_json(succeeds("match", "-", "--format", "json", stdin=product))
    path = tmp_path / "product.txt"
    path.write_text(product, encoding="utf-8")
    by_file = as_json(succeeds("match", "--file", str(path), "--format", "json"))
    assert by_argument == by_stdin == by_file
    assert isinstance(by_argument, list)
    best = by_argument[0]
    assert best["strategy"] == "national-southwest-border-counternarcotics-strategy-2016"
    assert best["title"] == CATALOG.get(best["strategy"]).title
    known = {e.id for e in CATALOG.get(best["strategy"]).iter_excerpts()}
    assert best["excerpts"]
    assert set(best["excerpts"]) <= known
    assert best["terms"]


def test_match_errors(tmp_path: Path) -> None:
    assert "give the text" in fails(2, "match")
    assert "give the text" in fails(2, "match", "words", "--file", "product.txt")
    assert "missing.txt: No such file or directory" in fails(1, "match", "--file", "missing.txt")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    assert "not UTF-8 text" in fails(1, "match", "--file", str(binary))
    fails(2, "match", "-", stdin="   ")


# -- mentions and entities -----------------------------------------------------------------


def test_mentions_lists_every_excerpt_naming_an_entity() -> None:
    found = as_json(succeeds("mentions", "HIDTAs", "--format", "json"))
    assert found == [
        {
            "entity": "hidta",
            "strategy": mention.strategy.id,
            "excerpt": mention.excerpt.id,
            "text": mention.excerpt.text,
        }
        for mention in CATALOG.mentioning("HIDTA")
    ]
    table = succeeds("mentions", "fusion", "centers").splitlines()
    assert len(table) == 1 + len(CATALOG.mentioning("fusion centers"))


def test_mentions_of_an_unknown_entity_suggests_one() -> None:
    assert "no entity matches 'HIDAT'; did you mean 'HIDTA'?" in fails(1, "mentions", "HIDAT")


def test_entities_lists_the_glossary() -> None:
    assert as_json(succeeds("entities", "--format", "json")) == FILE["entities"]
    lines = succeeds("entities").splitlines()
    assert lines[0].split() == ["ID", "ACRONYM", "KIND", "NAME"]
    assert len(lines) == 1 + len(CATALOG.entities())


# -- export --------------------------------------------------------------------------------


def test_export_json_to_stdout_is_the_file_format() -> None:
    assert fs.loads(succeeds("export", "--format", "json")) == CATALOG


def test_export_each_format_to_a_file(tmp_path: Path) -> None:
    for format in ("json", "csv", "markdown", "bibtex", "csl-json", "sqlite"):
        assert succeeds("export", "--format", format, "-o", str(tmp_path / format)) == ""
    assert fs.load(tmp_path / "json") == CATALOG
    with (tmp_path / "csv").open(encoding="utf-8", newline="") as file:
        assert len(list(csv.DictReader(file))) == BULLETS
    assert (tmp_path / "markdown").read_text(encoding="utf-8").count("\n## ") == DOCUMENTS
    library = parse_string((tmp_path / "bibtex").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    assert len(library.entries) == DOCUMENTS
    assert len(json.loads((tmp_path / "csl-json").read_text(encoding="utf-8"))) == DOCUMENTS
    database = sqlite3.connect(tmp_path / "sqlite")
    try:
        assert database.execute("SELECT count(*) FROM excerpts").fetchone() == (BULLETS,)
    finally:
        database.close()


def test_export_text_formats_to_stdout() -> None:
    rows = list(csv.DictReader(io.StringIO(succeeds("export", "--format", "csv"), newline="")))
    assert len(rows) == BULLETS
    assert succeeds("export", "--format", "bibtex").count("@misc{") == DOCUMENTS
    assert len(json.loads(succeeds("export", "--format", "csl-json"))) == DOCUMENTS
    assert succeeds("export", "--format", "markdown").startswith("# Fusion Centers'")


def test_export_errors(tmp_path: Path) -> None:
    assert "stdout has no extension: give --format" in fails(2, "export")
    assert "invalid choice: 'xlsx'" in fails(2, "export", "--format", "xlsx")
    missing = tmp_path / "missing" / "out.csv"
    assert f"{missing}: No such file or directory" in fails(
        1, "export", "--format", "csv", "-o", str(missing)
    )


# -- validate and schema -------------------------------------------------------------------


def test_validate_accepts_the_exported_catalog(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(fs.dumps(CATALOG), encoding="utf-8")
    assert succeeds("validate", str(path)) == (
        f"{path}: valid: {DOCUMENTS} strategies, {BULLETS} excerpts, "
        f"{len(CATALOG.entities())} entities\n"
    )
    assert succeeds("validate", "-", stdin=fs.dumps(CATALOG)).startswith("-: valid: ")


def test_validate_prints_every_problem_with_its_path(tmp_path: Path) -> None:
    broken = json.loads(fs.dumps(CATALOG))
    broken["strategies"][2]["excerpts"][1]["text"] = 7
    del broken["source"]["url"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(broken), encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(fs.dumps(CATALOG), encoding="utf-8")
    result = run("validate", str(good), str(bad), str(tmp_path / "missing.json"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{good}: valid")
    assert f"{bad}: $.source.url: missing required field" in lines
    assert f"{bad}: $.strategies[2].excerpts[1].text: expected a string, not an integer" in lines
    errors = result.stderr.splitlines()
    assert errors[0].endswith("missing.json: cannot read it: No such file or directory")
    assert errors[1] == "fusion-strategies: 2 of 3 files invalid"
    assert "Traceback" not in result.stderr


def test_validate_reports_invariants_and_bad_json(tmp_path: Path) -> None:
    broken = json.loads(fs.dumps(CATALOG))
    broken["strategies"][5]["period"] = {"start": 2009, "end": 2007}
    path = tmp_path / "order.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 1
    assert f"{path}: $.strategies[5].period: ends in 2007, before it starts in 2009\n" in (
        result.stdout
    )
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    result = run("validate", str(garbage))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{garbage}: $: invalid JSON: ")
    assert "the following arguments are required: FILE" in fails(2, "validate")


def test_schema_prints_the_json_schema() -> None:
    assert as_json(succeeds("schema")) == fs.json_schema()


# -- timeline ------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [72, 120])
def test_timeline_prints_text_that_fits_the_terminal(columns: int) -> None:
    lines = succeeds("timeline", columns=columns).splitlines()
    assert max(len(line) for line in lines) <= columns
    assert sum(line.startswith("  ") for line in lines[2:]) == DOCUMENTS


def test_timeline_writes_an_svg(tmp_path: Path) -> None:
    path = tmp_path / "timeline.svg"
    assert succeeds("timeline", "--svg", str(path)) == ""
    root = ET.parse(path).getroot()
    documents = root.findall(".//{http://www.w3.org/2000/svg}g[@class='document']")
    assert len(documents) == DOCUMENTS
    assert "No such file or directory" in fails(
        1, "timeline", "--svg", str(tmp_path / "missing" / "t.svg")
    )


# -- --catalog -----------------------------------------------------------------------------


@pytest.fixture
def own_catalog(tmp_path: Path) -> Path:
    kept = [s for s in CATALOG if s.issuer.id == "ondcp"]
    renamed = [attrs.evolve(kept[0], title="Our Own Drug Strategy"), *kept[1:]]
    source = attrs.evolve(CATALOG.source(), title="Our Reading List", url="https://example.org/")
    ours = fs.Catalog(source=source, strategies=renamed, entities=CATALOG.entities())
    path = tmp_path / "ours.json"
    path.write_text(fs.dumps(ours), encoding="utf-8")
    return path


def test_every_query_runs_on_a_catalog_of_your_own(own_catalog: Path) -> None:
    listed = as_json(succeeds("--catalog", str(own_catalog), "list", "--format", "json"))
    assert ids(listed) == [s.id for s in CATALOG if s.issuer.id == "ondcp"]
    after = as_json(succeeds("list", "--catalog", str(own_catalog), "--format", "json"))
    assert after == listed
    shown = as_json(
        succeeds("--catalog", str(own_catalog), "show", "Our Own Drug Strategy", "--format", "json")
    )
    assert isinstance(shown, dict)
    assert "“Our Reading List,”" in shown["citation"]
    assert "https://example.org/" in shown["citation"]
    hits = as_json(succeeds("--catalog", str(own_catalog), "search", "HIDTA", "--format", "json"))
    assert {hit["strategy"] for hit in hits} <= set(ids(listed))
    exported = succeeds("--catalog", str(own_catalog), "export", "--format", "json")
    assert fs.loads(exported) == fs.load(own_catalog)
    timeline = succeeds("--catalog", str(own_catalog), "timeline")
    assert "Office of National Drug Control Policy" in timeline
    assert "The White House" not in timeline
    assert "no strategy matches 'QHSR'" in fails(1, "--catalog", str(own_catalog), "show", "QHSR")


def test_a_broken_or_missing_catalog_is_one_line_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "strategies": []}', encoding="utf-8")
    error = fails(1, "--catalog", str(bad), "list")
    assert f"{bad}: invalid catalog (1 problem); 'fusion-strategies validate {bad}'" in error
    missing = tmp_path / "missing.json"
    assert f"{missing}: No such file or directory" in fails(1, "--catalog", str(missing), "list")


# -- pipes, color and encodings ------------------------------------------------------------


@pytest.mark.parametrize("args", [("list",), ("export", "--format", "json")])
def test_a_closed_pipe_is_not_an_error_to_print(args: tuple[str, ...]) -> None:
    process = subprocess.Popen([str(SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # as `| head -0` would, before the first line is written
    error = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=60) in {0, 1}
    assert error == b""


def test_head_dash_1_through_a_shell() -> None:
    shell = subprocess.run(
        f"'{SCRIPT}' export --format json | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shell.stdout == "{\n"
    assert shell.stderr == ""


def test_color_only_on_a_terminal_and_never_with_no_color() -> None:
    assert ANSI.search(run_in_terminal("list"))
    assert ANSI.search(run_in_terminal("search", "tribal"))
    assert not ANSI.search(run_in_terminal("list", NO_COLOR="1"))
    assert not ANSI.search(succeeds("list"))
    plain = ANSI.sub("", run_in_terminal("show", "QHSR")).replace("\r\n", "\n")
    assert plain.startswith("Quadrennial Homeland Security Review (2014)\n")


def test_a_terminal_that_cannot_show_unicode_gets_escapes_not_a_traceback() -> None:
    result = run("show", "DHS's Northern Border Strategy", PYTHONIOENCODING="ascii")
    assert result.returncode == 0, result.stderr
    assert "DHS\\u2019s Northern Border Strategy (2018)" in result.stdout


# -- in-process, for what a subprocess cannot see ------------------------------------------


def test_main_returns_exit_statuses_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--kind", "framework"]) == 0
    assert main(["show", "QHRS"]) == 1
    assert main(["list", "--theme", "nope"]) == 2
    captured = capsys.readouterr()
    assert "National Prevention Framework" in captured.out
    assert captured.err.count("\n") == 2
