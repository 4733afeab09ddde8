"""fusion-strategies tag: many products in one process, as an analyst runs it on a folder."""

from __future__ import annotations

import csv
import importlib.util
import inspect
import io
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

import fusion_strategies as fs
from console_script import (
    SCRIPT,
    one_line_error,
    run,
    run_in_terminal,
    run_with_stderr_on_a_terminal,
)
from fusion_strategies import cli, products
from fusion_strategies.export import escape_markdown
from fusion_strategies.products import read_product
from test_products import tiny_pdf, write_docx

CATALOG = fs.catalog()
TEXTS = {
    "a.txt": "Fentanyl seizures at the southwest border",
    "b.md": "# Pandemic fraud\n\nThreats against *health officials* and hospitals.",
    "sub/c.html": "<title>x</title><p>Suspicious activity reporting</p><script>HIDTA</script>",
    "sub/deeper/d.htm": "<ul><li>tribal partners<li>critical infrastructure</ul>",
}


def make_folder(root: Path, texts: dict[str, str] = TEXTS) -> Path:
    for name, text in texts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def run_with_stdin(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(SCRIPT), *args], input=stdin, capture_output=True, timeout=120, check=False
    )


def json_lines(result: subprocess.CompletedProcess[bytes]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]


def expected_record(product: str, text: str, limit: int = 5) -> dict[str, Any]:
    """What tag must say of a product: exactly `Catalog.match`'s answer."""
    return {
        "product": product,
        "strategies": [
            {
                "id": match.strategy.id,
                "title": match.strategy.title,
                "score": match.score,
                "excerpts": [excerpt.id for excerpt in match.excerpts],
            }
            for match in CATALOG.match(text, limit=limit)
        ],
    }


# -- the answers ----------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [None, 1, 12])
def test_each_product_gets_exactly_what_match_gives_it(tmp_path: Path, limit: int | None) -> None:
    folder = make_folder(tmp_path)
    options = [] if limit is None else ["--limit", str(limit)]
    result = run("tag", "--format", "jsonl", *options, str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    found = sorted(str(folder / name) for name in TEXTS)
    assert json_lines(result) == [
        expected_record(path, read_product(path), limit or 5) for path in found
    ]


def test_the_default_limit_is_that_of_catalog_match() -> None:
    default = inspect.signature(fs.Catalog.match).parameters["limit"].default
    assert cli.build_parser().parse_args(["tag", "x"]).limit == default


def test_match_reads_text_under_the_same_bound_as_tag() -> None:
    assert vars(cli)["MAX_TEXT"] is products.MAX_TEXT


def test_paths_keep_their_order_and_a_folder_its_sorted_files(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "reports")
    (tmp_path / "first.txt").write_text("HSIN", encoding="utf-8")
    result = run("tag", "--format", "jsonl", str(folder / "sub"), str(tmp_path / "first.txt"))
    assert [record["product"] for record in json_lines(result)] == [
        str(folder / "sub" / "c.html"),
        str(folder / "sub" / "deeper" / "d.htm"),
        str(tmp_path / "first.txt"),
    ]


def test_a_custom_catalog_is_the_one_tagged_against(tmp_path: Path) -> None:
    catalog_file = tmp_path / "mine.json"
    strategy = CATALOG.lookup("QHSR")
    mine = fs.Catalog(source=CATALOG.source(), strategies=[strategy], entities=CATALOG.entities())
    catalog_file.write_text(fs.dumps(mine), encoding="utf-8")
    (tmp_path / "a.txt").write_text("joint products with fusion centers", encoding="utf-8")
    result = run("tag", "--catalog", str(catalog_file), "--format", "jsonl", str(tmp_path))
    [record] = json_lines(result)
    assert [found["id"] for found in record["strategies"]] == [strategy.id]


# -- JSON lines on standard input -----------------------------------------------------------


def test_json_lines_on_stdin_a_bad_line_its_own_failure() -> None:
    lines = [
        {"id": "r1", "text": "HIDTA drug trafficking"},
        {"id": "r2", "text": "Pandemic fraud"},
        {"id": "r3"},
        {"id": "r4", "text": "tribal partners"},
    ]
    stdin = b"\n".join(json.dumps(line).encode() for line in lines) + b"\nnot json\n"
    result = run_with_stdin("tag", "-", "--format", "jsonl", stdin=stdin)
    assert one_line_error(result) == "fusion-strategies: 2 of 5 products could not be tagged\n"
    assert json_lines(result) == [
        expected_record("r1", "HIDTA drug trafficking"),
        expected_record("r2", "Pandemic fraud"),
        {"product": "-", "error": "line 3: expected an object with string 'id' and 'text'"},
        expected_record("r4", "tribal partners"),
        {"product": "-", "error": "line 5: not JSON (Expecting value)"},
    ]


def test_an_empty_product_is_a_failure_not_a_traceback() -> None:
    result = run_with_stdin("tag", "-", "--format", "jsonl", stdin=b'{"id": "e", "text": " "}\n')
    one_line_error(result)
    assert json_lines(result) == [{"product": "e", "error": "no text to tag"}]


# -- failures -------------------------------------------------------------------------------


def test_an_unreadable_file_among_good_ones_fails_alone(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "b2.txt").write_bytes(b"\xff\xfe not UTF-8")
    result = run("tag", "--format", "jsonl", str(folder), str(tmp_path / "missing.md"))
    assert one_line_error(result) == "fusion-strategies: 2 of 6 products could not be tagged\n"
    records = {record["product"]: record for record in json_lines(result)}
    assert records.pop(str(folder / "b2.txt")) == {
        "product": str(folder / "b2.txt"),
        "error": "not UTF-8 text (invalid start byte at byte 0)",
    }
    assert records.pop(str(tmp_path / "missing.md")) == {
        "product": str(tmp_path / "missing.md"),
        "error": "No such file or directory",
    }
    assert records == {
        str(folder / name): expected_record(str(folder / name), read_product(folder / name))
        for name in TEXTS
    }


@pytest.mark.parametrize("format", ["table", "csv", "markdown"])
def test_a_failure_is_its_own_row_in_every_format(tmp_path: Path, format: str) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\xff")
    (tmp_path / "good.txt").write_text("HIDTA", encoding="utf-8")
    result = run("tag", "--format", format, str(tmp_path), COLUMNS="200")
    one_line_error(result)
    output = result.stdout.decode("utf-8")
    assert "not UTF-8 text (invalid start byte at byte 0)" in output
    assert "National Drug Control Strategy" in output


def test_no_product_in_the_paths_is_one_line_and_status_1(tmp_path: Path) -> None:
    (tmp_path / "notes.odt").write_bytes(b"not a product")
    error = one_line_error(run("tag", str(tmp_path)))
    assert "no product to tag" in error


@pytest.mark.parametrize(
    "arguments", [["tag"], ["tag", "x", "--format", "json"], ["tag", "x", "--limit", "0"]]
)
def test_a_usage_error_is_status_2(arguments: list[str]) -> None:
    assert "fusion-strategies tag: error: " in one_line_error(run(*arguments), status=2)


def test_a_document_without_the_extra_says_how_to_install_it(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "memo.docx").write_bytes(b"PK")
    (tmp_path / "ok.txt").write_text("HSIN", encoding="utf-8")
    script = (
        "import sys\nsys.modules['pypdf'] = sys.modules['docx'] = None\n"
        "from fusion_strategies.cli import main\n"
        f"raise SystemExit(main(['tag', '--format', 'jsonl', {str(tmp_path)!r}]))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    one_line_error(result)
    errors = [record.get("error") for record in json_lines(result)]
    extra = "needs the 'documents' extra: pip install 'fusion-strategies[documents]'"
    assert errors == [f"reading memo.docx {extra}", None, f"reading report.pdf {extra}"]


@pytest.mark.skipif(
    importlib.util.find_spec("pypdf") is None or importlib.util.find_spec("docx") is None,
    reason="pypdf and python-docx (the documents extra, in the test group) are not installed here",
)
def test_pdf_and_docx_products_are_tagged_as_their_text(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(tiny_pdf("Fentanyl seizures at the southwest border"))
    write_docx(tmp_path / "b.docx", ["Pandemic fraud against health officials"], ["HIDTA"])
    result = run("tag", "--format", "jsonl", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    [pdf, docx] = json_lines(result)
    assert pdf == expected_record(str(tmp_path / "a.pdf"), read_product(tmp_path / "a.pdf"))
    assert docx == expected_record(str(tmp_path / "b.docx"), read_product(tmp_path / "b.docx"))
    assert pdf["strategies"][0]["id"] == "national-southwest-border-counternarcotics-strategy-2016"


def test_hostile_html_is_tagged_in_linear_time(tmp_path: Path) -> None:
    # html.parser before CPython gh-135462: minutes for this (a minute for 60 KB of "<a ").
    (tmp_path / "hostile.html").write_text("<p>HIDTA</p>" + "<a " * 100_000, encoding="utf-8")
    start = time.perf_counter()
    result = run("tag", "--format", "jsonl", str(tmp_path))
    assert time.perf_counter() - start < 20
    [record] = json_lines(result)
    assert record == expected_record(str(tmp_path / "hostile.html"), "HIDTA")


# -- the formats ----------------------------------------------------------------------------


def test_csv_has_a_row_per_product_and_rank(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    result = run("tag", "--format", "csv", "--limit", "3", str(folder))
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"))))
    assert list(rows[0]) == ["product", "rank", "strategy", "title", "score", "excerpts", "error"]
    expected = []
    for name in sorted(TEXTS):
        path = str(folder / name)
        for rank, match in enumerate(CATALOG.match(read_product(path), limit=3), 1):
            excerpts = " ".join(excerpt.id for excerpt in match.excerpts)
            expected.append(
                [path, str(rank), match.strategy.id, match.strategy.title, excerpts, ""]
            )
    assert [[row[key] for key in row if key != "score"] for row in rows] == expected
    scores = [float(row["score"]) for row in rows]
    assert scores == [
        match.score
        for name in sorted(TEXTS)
        for match in CATALOG.match(read_product(folder / name), limit=3)
    ]


def test_table_shows_each_product_once_with_its_strategies(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"a.txt": TEXTS["a.txt"]})
    result = run("tag", "--limit", "2", str(folder), COLUMNS="200")
    lines = result.stdout.decode("utf-8").splitlines()
    matches = CATALOG.match(TEXTS["a.txt"], limit=2)
    assert lines[0].split() == ["PRODUCT", "SCORE", "EXCERPTS", "STRATEGY"]
    assert lines[1].startswith(str(folder / "a.txt"))
    assert lines[1].endswith(matches[0].strategy.title)
    assert f"{matches[0].score:.2f}" in lines[1]
    assert lines[2].lstrip().startswith(f"{matches[1].score:.2f}")
    assert lines[2].endswith(matches[1].strategy.title)
    assert len(lines) == 3


def test_markdown_is_a_strategic_alignment_section_per_product(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"a.txt": TEXTS["a.txt"]})
    result = run("tag", "--format", "markdown", "--limit", "2", str(folder))
    assert result.returncode == 0
    text = result.stdout.decode("utf-8")
    assert text.startswith("## Strategic alignment: ")
    for match in CATALOG.match(TEXTS["a.txt"], limit=2):
        strategy = match.strategy
        assert f"**{strategy.title}** ({strategy.period})" in text
        assert CATALOG.cite(strategy) in text
        for excerpt in match.excerpts:
            assert escape_markdown(excerpt.text) in text
    html = MarkdownIt("commonmark").render(text)
    assert html.count("<h2>") == 1
    assert html.count("<blockquote>") == 2


# -- strangers' names -----------------------------------------------------------------------

HOSTILE_NAME = "# <img src=x onerror=alert(1)> *bold* \x1b]52;c;aGk=\x07 \u202eevil"


def test_names_cannot_inject_markdown(tmp_path: Path) -> None:
    stdin = json.dumps({"id": HOSTILE_NAME, "text": "HIDTA"}).encode()
    result = run_with_stdin("tag", "-", "--format", "markdown", stdin=stdin)
    text = result.stdout.decode("utf-8")
    html = MarkdownIt("commonmark").render(text)
    assert "<img" not in html
    assert "<em>bold</em>" not in html
    assert "*bold*" in html
    assert html.count("<h2>") == 1
    assert html.startswith("<h2>Strategic alignment: # &lt;img src=x")


@pytest.mark.parametrize("format", ["table", "csv", "jsonl", "markdown"])
def test_names_cannot_send_escape_sequences_to_a_terminal(tmp_path: Path, format: str) -> None:
    name = "report \x1b[2J\x1b]8;;evil.example\x07link\u202e.txt"
    (tmp_path / name).write_text("HIDTA", encoding="utf-8")
    (tmp_path / "bad \x1b[31m.txt").write_bytes(b"\xff")
    shown = run_in_terminal("tag", "--format", format, str(tmp_path), COLUMNS="400")
    assert "\x1b]" not in shown
    assert "\x1b[2J" not in shown
    assert "\x1b[31m" not in shown
    assert "\u202e" not in shown
    assert "report \\x1b" in shown or "report \\u001b" in shown


def test_a_jsonl_id_with_controls_reads_back_the_same() -> None:
    stdin = json.dumps({"id": HOSTILE_NAME, "text": "HIDTA"}).encode()
    result = run_with_stdin("tag", "-", "--format", "jsonl", stdin=stdin)
    assert b"\x1b" not in result.stdout
    assert "\u202e".encode() not in result.stdout
    assert json_lines(result)[0]["product"] == HOSTILE_NAME


def test_a_spreadsheet_formula_in_a_name_is_made_inert(tmp_path: Path) -> None:
    stdin = json.dumps({"id": "=HYPERLINK(1)", "text": "HIDTA"}).encode()
    result = run_with_stdin("tag", "-", "--format", "csv", stdin=stdin)
    rows = list(csv.reader(io.StringIO(result.stdout.decode("utf-8"))))
    assert {row[0] for row in rows[1:]} == {"'=HYPERLINK(1)"}


# -- the progress bar -----------------------------------------------------------------------


def many_products(root: Path, count: int) -> Path:
    return make_folder(root, {f"{number:03}.txt": "HIDTA" for number in range(count)})


def test_a_long_batch_shows_progress_on_a_terminal_and_clears_it(tmp_path: Path) -> None:
    folder = many_products(tmp_path, 30)
    output, shown = run_with_stderr_on_a_terminal("tag", "--format", "jsonl", str(folder))
    assert "[" + "#" * 30 + "] 30/30 products" in shown
    assert shown.endswith("\r\x1b[K")
    assert b"products" not in output
    assert len(output.splitlines()) == 30


def test_a_short_batch_shows_no_progress(tmp_path: Path) -> None:
    folder = many_products(tmp_path, 20)
    _, shown = run_with_stderr_on_a_terminal("tag", "--format", "jsonl", str(folder))
    assert shown == ""


def test_no_progress_when_stderr_is_piped(tmp_path: Path) -> None:
    result = run("tag", "--format", "jsonl", str(many_products(tmp_path, 30)))
    assert result.returncode == 0
    assert result.stderr == b""
