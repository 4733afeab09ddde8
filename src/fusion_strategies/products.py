r"""A product's text, from a file or a JSON line: what ``fusion-strategies tag`` reads.

An intelligence product is a report, a bulletin or an assessment; to tag it with the
strategies it supports (`Catalog.match`), its text is needed. `read_product` reads it
from a file, by the file's suffix:

- ``.html`` and ``.htm``: the visible text only. ``<script>``, ``<style>``, ``<title>``,
  ``<template>``, ``<noscript>``, ``<iframe>``, ``<svg>`` and ``<math>`` are dropped with
  what they hold, other tags are dropped, character references are decoded, and a block
  element (a paragraph, a heading, a list item, a table cell, ``<br>`` ...) ends a line.
  The tokenizer is the page capture's own (`fusion_strategies.capture`), which looks at
  each character a bounded number of times, so that hostile markup (a hundred thousand
  unclosed tags) takes linear time; ``html.parser`` would take quadratic time on it
  before CPython gh-135462.
- ``.pdf``, through pypdf, and ``.docx``, through python-docx: both come with the
  ``documents`` extra (``pip install 'fusion-strategies[documents]'``) and are imported
  only when such a file is read.
- any other suffix (``.txt``, ``.md``, none): UTF-8 text, a byte-order mark allowed.

A file may hold at most `MAX_TEXT` bytes; a PDF or a DOCX file at most `MAX_DOCUMENT`
bytes, and the text read from it at most `MAX_TEXT` characters. What cannot be read as a
product raises `ProductError`, with a one-line message; a file that cannot be opened
raises the usual `OSError`.

`iter_products` reads many: files, folders (their product files, recursively) and ``-``,
JSON lines ``{"id": str, "text": str}`` on standard input. A product that cannot be read
is an `Unreadable` record in its place, and the rest are still read.

>>> from fusion_strategies.products import parse_html
>>> print(parse_html("<h1>Fentanyl</h1><p>seizures at the <b>border</b> &amp; ports"))
Fentanyl
seizures at the border & ports
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import attrs

from . import _reading
from ._reading import read_at_most
from .errors import ProductError

__all__ = [
    "DOCUMENT_SUFFIXES",
    "MAX_DOCUMENT",
    "MAX_TEXT",
    "TEXT_SUFFIXES",
    "Product",
    "Unreadable",
    "find_products",
    "iter_products",
    "parse_html",
    "read_json_lines",
    "read_product",
]

MAX_TEXT = _reading.MAX_TEXT
"""The most bytes of text (64 MiB) read from one file, one JSON line or standard input."""

MAX_DOCUMENT = 64 * 1024 * 1024
"""The largest PDF or DOCX file (64 MiB) that `read_product` reads; a DOCX file may also
unpack to at most four times as much."""

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
"""The suffixes of the text files that a folder's products are found by."""

DOCUMENT_SUFFIXES = (".pdf", ".docx")
"""The suffixes of the documents that a folder's products are found by (``documents`` extra)."""

_EXTRA = "pip install 'fusion-strategies[documents]'"
_WHITESPACE = re.compile(r"\s+")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+|\n\s+")


def _elements(names: str) -> frozenset[str]:
    return frozenset(names.split())


_NOT_SHOWN = _elements("script style title template noscript noembed noframes iframe svg math")
_LINE_ENDS = _elements("""address article aside blockquote br caption center dd details dialog
    dir div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li
    main menu nav ol p pre search section summary table tbody td tfoot th thead tr ul""")


@attrs.frozen
class Product:
    """A product that was read: its name (its path, or its JSON line's id) and its text.

    >>> Product(name="report.txt", text="Fentanyl seizures").name
    'report.txt'
    """

    name: str
    text: str


@attrs.frozen
class Unreadable:
    """A product that could not be read: its name and why, in one line.

    >>> Unreadable(name="report.pdf", reason="not a PDF that pypdf can read").reason
    'not a PDF that pypdf can read'
    """

    name: str
    reason: str


def read_product(path: str | os.PathLike[str]) -> str:
    r"""The text of a product file, read by its suffix (see the module's description).

    Raises `ProductError` for a file that is not what its suffix says, too large, or
    that needs the ``documents`` extra, and `OSError` for one that cannot be opened.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "report.md").write_text("\ufeffPandemic fraud", encoding="utf-8")
    >>> read_product(folder / "report.md")
    'Pandemic fraud'
    >>> _ = (folder / "report.txt").write_bytes(b"caf\xe9")
    >>> read_product(folder / "report.txt")
    Traceback (most recent call last):
      ...
    fusion_strategies.errors.ProductError: not UTF-8 text (unexpected end of data at byte 3)
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix == ".pdf":
        return _pdf_text(path)
    if suffix == ".docx":
        return _docx_text(path)
    text = _utf8(_read_bytes(path, MAX_TEXT, "of text"))
    return parse_html(text) if suffix in (".html", ".htm") else text


def parse_html(text: str) -> str:
    r"""The visible text of an HTML page, a line per block; linear in the text.

    >>> parse_html("<style>p {}</style><ul><li>one<li>two &lt;3</ul><script>x()</script>")
    'one\ntwo <3'
    """
    from ._html_capture import _EndTag, _StartTag, _Text, _Tokenizer

    parts: list[str] = []
    # The dropped elements open here, innermost last, and how many of each: an end tag
    # closes its element and those opened inside it, each popped once, so in linear time.
    hidden: list[str] = []
    open_count = dict.fromkeys(_NOT_SHOWN, 0)
    for token in _Tokenizer(text):
        if isinstance(token, _Text):
            if not hidden:  # a line break in the markup is a space, as a browser shows it
                parts.append(_WHITESPACE.sub(" ", token.text))
        elif isinstance(token, _StartTag):
            if token.name in _NOT_SHOWN and not token.self_closing:
                hidden.append(token.name)
                open_count[token.name] += 1
            elif token.name in _LINE_ENDS:
                parts.append("\n")
        elif isinstance(token, _EndTag):
            if open_count.get(token.name):
                while (closed := hidden.pop()) != token.name:
                    open_count[closed] -= 1
                open_count[closed] -= 1
            elif token.name in _LINE_ENDS:
                parts.append("\n")
    lines = _SPACES.sub(" ", "".join(parts))
    return _BLANK_LINES.sub("\n", lines).strip().replace(" \n", "\n")


def find_products(path: str) -> list[str | Unreadable]:
    """The products a path stands for: a file itself, a folder's product files.

    A folder's files are those with a suffix of `TEXT_SUFFIXES` or `DOCUMENT_SUFFIXES`,
    in it and in its subfolders, in sorted order, each as the folder's path joined with
    its own. Symbolic links are followed only to files inside the folder; a subfolder
    that cannot be listed is an `Unreadable` record. Anything else (a file of any suffix,
    a path that does not exist, ``-``) is returned as it is, to be read as it is.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "a/z.html", "a.md", "notes.odt"):
    ...     (folder / name).parent.mkdir(exist_ok=True)
    ...     _ = (folder / name).write_text("text", encoding="utf-8")
    >>> [os.path.relpath(found, folder) for found in find_products(str(folder))]
    ['a/z.html', 'a.md', 'b.txt']
    """
    if path == "-" or not os.path.isdir(path):
        return [path]
    root = os.path.realpath(path)
    suffixes = TEXT_SUFFIXES + DOCUMENT_SUFFIXES
    found: list[tuple[tuple[str, ...], str | Unreadable]] = []

    def unlisted(error: OSError) -> None:
        name = str(error.filename)
        found.append((_parts(os.path.relpath(name, path)), Unreadable(name, _reason(error))))

    for folder, _, files in os.walk(path, onerror=unlisted):
        for name in files:
            joined = os.path.join(folder, name)
            if os.path.splitext(name)[1].lower() in suffixes and _inside(joined, root):
                found.append((_parts(os.path.relpath(joined, path)), joined))
    return [entry for _, entry in sorted(found, key=lambda pair: pair[0])]


def read_json_lines(stream: BinaryIO, name: str = "-") -> Iterator[Product | Unreadable]:
    r"""The products of JSON lines ``{"id": str, "text": str}``; a bad line is `Unreadable`.

    Blank lines are passed over. A bad line's record is named `name` (the stream's), and
    its reason starts with the line's number.

    >>> lines = io.BytesIO(b'{"id": "r1", "text": "HIDTA"}\n[1]\n')
    >>> for record in read_json_lines(lines):
    ...     print(record)
    Product(name='r1', text='HIDTA')
    Unreadable(name='-', reason="line 2: expected an object with string 'id' and 'text'")
    """
    number = 0
    while True:
        line = stream.readline(MAX_TEXT + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_TEXT:
            while line and not line.endswith(b"\n"):  # the rest of the line, passed over
                line = stream.readline(MAX_TEXT)
            yield Unreadable(name, f"line {number}: more than {MAX_TEXT:,} bytes")
        elif line.strip():
            yield _json_line(line, number, name)


def iter_products(
    sources: Iterable[str | Unreadable], *, stdin: BinaryIO | None = None
) -> Iterator[Product | Unreadable]:
    """Each product of the sources, in order: files, folders' files, ``-`` for `stdin`.

    A source is expanded by `find_products` (whose entries may be given back, so that a
    caller can count them first); ``-`` reads JSON lines from `stdin` (see
    `read_json_lines`). A product that cannot be read is an `Unreadable` record.

    >>> [record.reason for record in iter_products(["no/such/report.txt"])]
    ['No such file or directory']
    """
    for source in sources:
        for entry in [source] if isinstance(source, Unreadable) else find_products(source):
            if isinstance(entry, Unreadable):
                yield entry
            elif entry == "-":
                if stdin is None:
                    yield Unreadable("-", "standard input is closed; there is nothing to read")
                else:
                    yield from read_json_lines(stdin)
            else:
                yield _read(entry)


# -- reading -------------------------------------------------------------------------------


def _read(path: str) -> Product | Unreadable:
    try:
        return Product(path, read_product(path))
    except ProductError as error:
        return Unreadable(path, str(error))
    except OSError as error:
        return Unreadable(path, _reason(error))


def _read_bytes(path: str | os.PathLike[str], limit: int, what: str) -> bytes:
    """A file's bytes, at most `limit` of them; never waits for a pipe's writer."""
    content = read_at_most(path, limit)
    if len(content) > limit:
        raise ProductError(f"more than {limit:,} bytes {what}")
    return content


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProductError(f"not UTF-8 text ({error.reason} at byte {error.start})") from None


def _json_line(line: bytes, number: int, name: str) -> Product | Unreadable:
    import json

    try:
        value = json.loads(_utf8(line))
    except ProductError as error:
        return Unreadable(name, f"line {number}: {error}")
    except RecursionError:
        return Unreadable(name, f"line {number}: not JSON (nested too deeply)")
    except ValueError as error:  # json.JSONDecodeError, or a number too long for int()
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "a number too long"
        return Unreadable(name, f"line {number}: not JSON ({reason})")
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("id"), str)
        or not isinstance(value.get("text"), str)
    ):
        return Unreadable(name, f"line {number}: expected an object with string 'id' and 'text'")
    return Product(value["id"], value["text"])


def _pdf_text(path: str | os.PathLike[str]) -> str:
    import warnings

    data = _read_bytes(path, MAX_DOCUMENT, "for a PDF")
    try:
        import pypdf
    except ImportError:
        raise _needs_extra(path) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise ProductError("an encrypted PDF: its text cannot be read")
            pages = [page.extract_text() or "" for page in reader.pages]
    except ProductError:
        raise
    except Exception as error:  # pypdf raises many kinds on a broken file: report any
        raise ProductError(f"not a PDF that pypdf can read ({_summary(error)})") from None
    return _bounded("\n".join(pages))


def _docx_text(path: str | os.PathLike[str]) -> str:
    data = _read_bytes(path, MAX_DOCUMENT, "for a DOCX file")
    try:
        import docx
    except ImportError:
        raise _needs_extra(path) from None
    _check_unpacked_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines += (cell.text for cell in row.cells)
    except Exception as error:  # python-docx and zipfile raise many kinds: report any
        reason = f"not a DOCX file that python-docx can read ({_summary(error)})"
        raise ProductError(reason) from None
    return _bounded("\n".join(lines))


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a DOCX file (a ZIP archive) that says it unpacks to too much: a ZIP bomb.

    zipfile reads no more of a member than its stated size, so the sizes bound the memory.
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise ProductError(f"not a DOCX file (not a ZIP archive: {_summary(error)})") from None
    if unpacked > 4 * MAX_DOCUMENT:
        raise ProductError(f"a DOCX file that unpacks to more than {4 * MAX_DOCUMENT:,} bytes")


def _bounded(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise ProductError(f"more than {MAX_TEXT:,} characters of text")
    return text


def _needs_extra(path: str | os.PathLike[str]) -> ProductError:
    name = os.path.basename(os.fspath(path))
    return ProductError(f"reading {name} needs the 'documents' extra: {_EXTRA}")


def _summary(error: BaseException) -> str:
    said = " ".join(str(error).split())
    return f"{type(error).__name__}: {said}" if said else type(error).__name__


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _inside(path: str, root: str) -> bool:
    """Whether a path found in a folder is in it still once its links are followed."""
    if not os.path.islink(path):
        return True
    real = os.path.realpath(path)
    return os.path.commonpath((real, root)) == root


def _parts(relative: str) -> tuple[str, ...]:
    return tuple(relative.split(os.sep))


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
