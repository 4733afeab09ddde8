"""Reading products: text, Markdown, HTML, PDF and DOCX files, folders and JSON lines."""

from __future__ import annotations

import importlib.util
import io
import os
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import fusion_strategies as fs
from fusion_strategies import products
from fusion_strategies.products import (
    Product,
    Unreadable,
    find_products,
    iter_products,
    parse_html,
    read_json_lines,
    read_product,
)

GENEROUS = 20.0  # seconds; the linear reader takes well under one
EXTRA = "needs the 'documents' extra: pip install 'fusion-strategies[documents]'"
needs_pypdf = pytest.mark.skipif(
    importlib.util.find_spec("pypdf") is None,
    reason="pypdf (the documents extra, in the test group) is not installed here",
)
needs_docx = pytest.mark.skipif(
    importlib.util.find_spec("docx") is None,
    reason="python-docx (the documents extra, in the test group) is not installed here",
)


@contextmanager
def finishes_within(seconds: float) -> Iterator[None]:
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.1f} s"


def tiny_pdf(*lines: str) -> bytes:
    """A valid one-page PDF that shows `lines` in Helvetica, its cross-reference table exact."""
    shown = b" ".join(
        b"(" + line.encode("latin-1") + b") Tj 0 -14 Td" for line in lines
    )  # no parentheses or backslashes in the lines, so no escapes needed
    stream = b"BT /F1 12 Tf 72 720 Td " + shown + b" ET"
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(pdf)


def write_docx(path: Path, paragraphs: list[str], cells: list[str]) -> None:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=len(cells))
    for cell, text in zip(table.rows[0].cells, cells, strict=True):
        cell.text = text
    document.save(str(path))


# -- text and Markdown ----------------------------------------------------------------------


def test_text_and_markdown_are_utf8_with_a_byte_order_mark_dropped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbfFentanyl at the border")
    (tmp_path / "b.md").write_text("# Café\n\n*threats*", encoding="utf-8")
    assert read_product(tmp_path / "a.txt") == "Fentanyl at the border"
    assert read_product(str(tmp_path / "b.md")) == "# Café\n\n*threats*"


def test_undecodable_bytes_are_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("réseau".encode("latin-1"))
    with pytest.raises(fs.ProductError) as raised:
        read_product(tmp_path / "latin.txt")
    assert str(raised.value) == "not UTF-8 text (invalid continuation byte at byte 1)"


def test_a_file_larger_than_the_bound_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(products, "MAX_TEXT", 10)
    (tmp_path / "fits.txt").write_text("0123456789", encoding="utf-8")
    (tmp_path / "big.html").write_text("<p>0123456789</p>", encoding="utf-8")
    assert read_product(tmp_path / "fits.txt") == "0123456789"
    with pytest.raises(fs.ProductError, match=r"^more than 10 bytes of text$"):
        read_product(tmp_path / "big.html")


def test_a_missing_file_is_the_usual_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_product(tmp_path / "gone.txt")


# -- HTML ---------------------------------------------------------------------------------


def test_html_gives_the_visible_text_a_line_per_block() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Not shown</title>"
        "<style>p { color: red }</style><script>alert('no')</script></head>"
        "<body><h1>Fentanyl&nbsp;seizures</h1><p>at the <b>southwest</b>\n   border"
        "<br>and ports &amp; &#x41;irports</p><ul><li>one<li>two</ul>"
        "<template><p>hidden</p></template><!-- a comment --><div>end</div></body></html>"
    )
    assert parse_html(page) == (
        "Fentanyl seizures\nat the southwest border\nand ports & Airports\none\ntwo\nend"
    )


def test_an_html_file_is_read_as_html_by_its_suffix(tmp_path: Path) -> None:
    (tmp_path / "page.HTM").write_text("<p>a<script>b</script>c</p>", encoding="utf-8")
    (tmp_path / "page.txt").write_text("<p>a<script>b</script>c</p>", encoding="utf-8")
    assert read_product(tmp_path / "page.HTM") == "ac"
    assert read_product(tmp_path / "page.txt") == "<p>a<script>b</script>c</p>"


def test_an_end_tag_closes_the_hidden_elements_opened_inside_it() -> None:
    assert parse_html("<svg><math></svg>shown<style>x</style>too") == "showntoo"
    assert parse_html("<p>before<script>never closed") == "before"


# Each is big enough that html.parser before CPython gh-135462 takes minutes (60 KB of
# "<a " took a minute on 3.11.7, and the time grows with the square of the size).
HOSTILE = {
    "unclosed start tags": "<a " * 100_000,
    "unclosed quoted attributes": '<a href="' * 100_000,
    "elements never closed": "<div><p><span>text" * 100_000,
    "hidden elements never closed": "<svg>" * 100_000 + "</p>" * 100_000,
    "unclosed comments and end tags": "<!--</a" * 100_000,
}


@pytest.mark.parametrize("page", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_html_is_read_in_linear_time(page: str) -> None:
    with finishes_within(GENEROUS):
        text = parse_html(page)
    assert len(text) <= len(page)


# -- folders --------------------------------------------------------------------------------


def make_files(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"text of {name}", encoding="utf-8")


def test_a_folder_gives_its_product_files_recursively_in_sorted_order(tmp_path: Path) -> None:
    make_files(
        tmp_path,
        ["b.txt", "a/z.html", "a/b/c.md", "a.md", "C.PDF", "d.docx", "e.htm", "x.odt", "noext"],
    )
    found = find_products(str(tmp_path))
    relative = [os.path.relpath(str(path), tmp_path) for path in found]
    assert relative == ["C.PDF", "a/b/c.md", "a/z.html", "a.md", "b.txt", "d.docx", "e.htm"]
    assert found[0] == os.path.join(str(tmp_path), "C.PDF")  # the folder's path, joined


def test_any_file_named_is_read_as_it_is_whatever_its_suffix(tmp_path: Path) -> None:
    make_files(tmp_path, ["notes"])
    assert find_products(str(tmp_path / "notes")) == [str(tmp_path / "notes")]
    notes = str(tmp_path / "notes")
    assert list(iter_products([notes])) == [Product(notes, "text of notes")]


def test_symbolic_links_are_not_followed_out_of_the_folder(tmp_path: Path) -> None:
    folder, outside = tmp_path / "folder", tmp_path / "outside"
    make_files(folder, ["real.txt"])
    make_files(outside, ["secret.txt", "deep/secret.md"])
    (folder / "inside.txt").symlink_to(folder / "real.txt")
    (folder / "escape.txt").symlink_to(outside / "secret.txt")
    (folder / "escape-folder").symlink_to(outside, target_is_directory=True)
    found = [os.path.basename(str(path)) for path in find_products(str(folder))]
    assert found == ["inside.txt", "real.txt"]


def test_a_subfolder_that_cannot_be_listed_is_its_own_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_files(tmp_path, ["a.txt", "locked/b.txt", "z.txt"])
    scandir = os.scandir

    def refusing(path: str) -> object:
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    records = list(iter_products([str(tmp_path)]))
    assert [os.path.basename(record.name) for record in records] == ["a.txt", "locked", "z.txt"]
    assert records[1] == Unreadable(str(tmp_path / "locked"), "Permission denied")


def test_each_source_in_order_and_a_failure_in_its_place(tmp_path: Path) -> None:
    make_files(tmp_path, ["one.txt", "dir/two.md"])
    (tmp_path / "bad.txt").write_bytes(b"\xff")
    sources = [str(tmp_path / "dir"), str(tmp_path / "bad.txt"), "-", str(tmp_path / "one.txt")]
    stdin = io.BytesIO(b'{"id": "from-stdin", "text": "HSIN"}\n')
    assert list(iter_products(sources, stdin=stdin)) == [
        Product(str(tmp_path / "dir" / "two.md"), "text of dir/two.md"),
        Unreadable(str(tmp_path / "bad.txt"), "not UTF-8 text (invalid start byte at byte 0)"),
        Product("from-stdin", "HSIN"),
        Product(str(tmp_path / "one.txt"), "text of one.txt"),
    ]
    assert list(iter_products(["-"], stdin=None)) == [
        Unreadable("-", "standard input is closed; there is nothing to read")
    ]


# -- JSON lines -----------------------------------------------------------------------------


def test_json_lines_each_bad_line_its_own_failure() -> None:
    lines = [
        b'{"id": "r1", "text": "Fentanyl"}',
        b"",
        b"   ",
        b'{"id": "r2"}',
        b"not json",
        b'["id", "text"]',
        b'{"id": 7, "text": "x"}',
        b'{"id": "r\xff", "text": "x"}',
        b"[" * 100_000,
        b'{"id": "r3", "text": "HIDTA", "extra": 1}',
    ]
    records = list(read_json_lines(io.BytesIO(b"\n".join(lines))))
    expected = "expected an object with string 'id' and 'text'"
    assert records == [
        Product("r1", "Fentanyl"),
        Unreadable("-", f"line 4: {expected}"),
        Unreadable("-", "line 5: not JSON (Expecting value)"),
        Unreadable("-", f"line 6: {expected}"),
        Unreadable("-", f"line 7: {expected}"),
        Unreadable("-", "line 8: not UTF-8 text (invalid start byte at byte 9)"),
        Unreadable("-", "line 9: not JSON (nested too deeply)"),
        Product("r3", "HIDTA"),
    ]


def test_a_json_line_over_the_bound_is_passed_over_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(products, "MAX_TEXT", 40)
    long = b'{"id": "long", "text": "' + b"x" * 200 + b'"}'
    records = list(read_json_lines(io.BytesIO(long + b'\n{"id": "next", "text": "y"}\n')))
    assert records == [Unreadable("-", "line 1: more than 40 bytes"), Product("next", "y")]


# -- PDF and DOCX ---------------------------------------------------------------------------


@needs_pypdf
def test_a_pdf_gives_its_text(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(tiny_pdf("Fentanyl seizures", "at the border"))
    text = read_product(tmp_path / "report.pdf")
    assert "Fentanyl seizures" in text
    assert "at the border" in text


@needs_pypdf
def test_a_broken_pdf_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really\n")
    with pytest.raises(fs.ProductError, match=r"^not a PDF that pypdf can read \(") as raised:
        read_product(tmp_path / "broken.pdf")
    assert "\n" not in str(raised.value)


@needs_docx
def test_a_docx_gives_its_paragraphs_and_table_cells(tmp_path: Path) -> None:
    write_docx(tmp_path / "report.docx", ["Pandemic fraud", "against officials"], ["HSIN", "SAR"])
    assert read_product(tmp_path / "report.docx").split("\n") == [
        "Pandemic fraud",
        "against officials",
        "HSIN",
        "SAR",
    ]


@needs_docx
def test_a_broken_docx_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(fs.ProductError, match=r"^not a DOCX file \(not a ZIP archive: "):
        read_product(tmp_path / "broken.docx")
    with zipfile.ZipFile(tmp_path / "empty.docx", "w") as archive:
        archive.writestr("hello.txt", "no Word document in here")
    with pytest.raises(fs.ProductError, match=r"^not a DOCX file that python-docx can read \("):
        read_product(tmp_path / "empty.docx")


@needs_docx
def test_a_docx_that_unpacks_to_too_much_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(products, "MAX_DOCUMENT", 1000)
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 4001)
    assert (tmp_path / "bomb.docx").stat().st_size <= 1000
    with pytest.raises(fs.ProductError, match=r"^a DOCX file that unpacks to more than 4,000"):
        read_product(tmp_path / "bomb.docx")


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_a_document_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    monkeypatch.setattr(products, "MAX_DOCUMENT", 100)
    (tmp_path / f"big{suffix}").write_bytes(b"x" * 101)
    with pytest.raises(fs.ProductError, match=r"^more than 100 bytes for a"):
        read_product(tmp_path / f"big{suffix}")


@pytest.mark.parametrize(("module", "suffix"), [("pypdf", ".pdf"), ("docx", ".docx")])
def test_without_the_extra_a_document_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, suffix: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    (tmp_path / f"report{suffix}").write_bytes(b"whatever")
    with pytest.raises(fs.ProductError) as raised:
        read_product(tmp_path / f"report{suffix}")
    assert str(raised.value) == f"reading report{suffix} {EXTRA}"


def test_the_document_libraries_are_imported_only_to_read_a_document(tmp_path: Path) -> None:
    import subprocess

    (tmp_path / "a.txt").write_text("HSIN", encoding="utf-8")
    script = (
        "import sys\nfrom fusion_strategies import products\n"
        f"products.read_product({str(tmp_path / 'a.txt')!r})\n"
        "print(sorted(m for m in ('pypdf', 'docx', 'lxml') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"
