"""A capture of the source page: plain text laid out as the repository's, or saved HTML.

`parse_capture` turns a capture into a `Capture`: the page's title, breadcrumb,
introduction and last-updated date, and each document heading with its period and its
bullets, nested as on the page. Every run of whitespace (a non-breaking space too) is made
one space, and nothing else is changed. The build (`fusion_strategies.build`) makes a
catalog of it.

The plain-text layout (see ``sources/README.md``): anything before a line ``Breadcrumb``
and its numbered items is the site's header; the first line after them is the title
(without a breadcrumb, the first line of the file); paragraphs up to the first document
are the introduction; a document is a heading ending in its year or period in parentheses,
``(2018)`` or ``(2020-2025)``, followed by its bullets ``•``, a deeper indent nesting a
bullet under the one before; a line ``Last Updated: MM/DD/YYYY`` ends the page.

The HTML form is the page as a browser saves it: the title in ``<h1>``, the breadcrumb in a
``<nav>`` named so, paragraphs, then headings each followed by a ``<ul>`` (nested lists for
sub-bullets); the site's header, navigation, scripts and footer are passed over.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from collections.abc import Iterator

import attrs

from ._names import split_heading
from .errors import CaptureError, DatasetError
from .model import Period

__all__ = [
    "MAX_NESTING",
    "Capture",
    "CapturedBullet",
    "CapturedDocument",
    "parse_capture",
    "read_capture",
]

_BREADCRUMB_ITEM = re.compile(r"\s*\d+\.\s+(\S.*)")
_LAST_UPDATED = re.compile(r"\s*Last Updated:\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*")
_BULLET = re.compile(r"( *)[•◦▪]\s*(.*)")

MAX_NESTING = 8
"""How many levels bullets may nest, a bullet under a bullet; the page uses two."""


@attrs.frozen(kw_only=True)
class CapturedBullet:
    """A bullet of the page, its text whitespace-normalized, with the bullets under it.

    >>> CapturedBullet(text="The U.S. Government will:").children
    ()
    """

    text: str
    children: tuple[CapturedBullet, ...] = ()


@attrs.frozen(kw_only=True)
class CapturedDocument:
    """A document heading of the page, the period in its parentheses, and its bullets.

    >>> from fusion_strategies.capture import parse_capture
    >>> document = parse_capture(EXAMPLE).documents[0]
    >>> document.heading, str(document.period), document.bullets[0].text
    ('National Drug Control Strategy (2019)', '2019', 'HIDTAs provide an umbrella.')
    """

    heading: str
    period: Period
    bullets: tuple[CapturedBullet, ...]


@attrs.frozen(kw_only=True)
class Capture:
    """What a capture of the page says, and the SHA-256 of the capture's bytes.

    ``url`` and ``publisher`` are what an HTML capture names (its canonical link, the
    "saved from" comment a browser writes, its site name); a text capture names neither.

    >>> from fusion_strategies.capture import parse_capture
    >>> capture = parse_capture(EXAMPLE)
    >>> capture.title, capture.breadcrumb, capture.last_updated.isoformat()
    ('Support of Strategies', ('Home', 'Strategies'), '2023-11-07')
    >>> capture.introduction
    ('Fusion centers support these strategies.',)
    >>> len(capture.sha256)
    64
    """

    title: str
    breadcrumb: tuple[str, ...] = ()
    introduction: tuple[str, ...] = ()
    last_updated: datetime.date
    documents: tuple[CapturedDocument, ...]
    sha256: str
    url: str | None = None
    publisher: str | None = None


EXAMPLE = """\
Breadcrumb

  1. Home
  2. Strategies

Support of Strategies

Fusion centers support these strategies.

National Drug Control Strategy (2019)

  • HIDTAs provide an umbrella.
Last Updated: 11/07/2023
"""
"""A small capture in the plain-text layout, for the examples."""


def read_capture(path: str | os.PathLike[str]) -> Capture:
    """Read a capture file, text or HTML; `OSError` if unreadable, `CaptureError` if invalid.

    >>> from fusion_strategies.capture import read_capture
    >>> read_capture("no/such/page.txt")
    Traceback (most recent call last):
      ...
    FileNotFoundError: [Errno 2] No such file or directory: 'no/such/page.txt'
    """
    from .fileformat import read_file

    try:
        return parse_capture(read_file(path))
    except DatasetError as error:  # too large to be a page, or a CaptureError
        raise CaptureError(error.problems, source=os.fspath(path)) from None


def parse_capture(data: str | bytes) -> Capture:
    r"""Parse a capture, text or HTML; `CaptureError` lists every problem with its line.

    >>> import fusion_strategies as fs
    >>> from fusion_strategies.capture import parse_capture
    >>> [d.heading for d in parse_capture(EXAMPLE).documents]
    ['National Drug Control Strategy (2019)']
    >>> try:
    ...     parse_capture("Title\n\nNo year here\n  • a bullet\n")
    ... except fs.CaptureError as error:
    ...     print(*error.problems, sep="\n")
    line 3: a heading needs its year in parentheses, as 'Title (2018)' or 'Title (2020-2025)'
    line 4: no document: every bullet must follow a heading with its year
    end of the capture: no 'Last Updated: MM/DD/YYYY' line after the documents
    """
    if isinstance(data, str):
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError as error:
            problem = f"character {error.start}: a lone surrogate, which is no text"
            raise CaptureError([problem]) from None
        text = data
    elif isinstance(data, bytes):
        raw = data
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problem = f"byte {error.start}: not UTF-8 text ({error.reason})"
            raise CaptureError([problem]) from None
    else:
        raise TypeError(f"parse_capture() takes a str or bytes, not {type(data).__name__}")
    sha256 = hashlib.sha256(raw).hexdigest()
    if text.lstrip().startswith("<"):
        from ._html_capture import parse_html

        return parse_html(text, sha256=sha256)
    return _TextReader(text.splitlines()).read(sha256)


def normalize(text: str) -> str:
    """Make every run of whitespace, NBSP included, one space, and strip the ends."""
    return " ".join(text.split())


def heading_period(heading: str) -> Period | None:
    """The period in a heading's closing parentheses, or None if it has none."""
    _, years = split_heading(heading)
    return None if years is None else Period(start=years[0], end=years[1])


def period_problem(heading: str) -> str | None:
    """What is wrong with a heading's year or period, or None if nothing is."""
    period = heading_period(heading)
    if period is None:
        return "a heading needs its year in parentheses, as 'Title (2018)' or 'Title (2020-2025)'"
    if period.end < period.start:
        return f"the period ends in {period.end}, before it starts in {period.start}"
    return None


def last_updated(line: str) -> datetime.date | str | None:
    """The date of a ``Last Updated: MM/DD/YYYY`` line, what is wrong with it, or None."""
    found = _LAST_UPDATED.fullmatch(line)
    if found is None:
        return None
    month, day, year = (int(part) for part in found.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        return f"invalid last-updated date: {error}"


@attrs.define
class _Node:
    """A bullet being read, with its indent; frozen into a `CapturedBullet` at the end."""

    text: str
    indent: int
    children: list[_Node] = attrs.Factory(list)

    def freeze(self) -> CapturedBullet:
        return CapturedBullet(
            text=normalize(self.text), children=tuple(child.freeze() for child in self.children)
        )


class _TextReader:
    """One pass over the lines of a text capture, collecting problems as it goes."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.problems: list[str] = []

    def read(self, sha256: str) -> Capture:
        position, breadcrumb = self._breadcrumb()
        position = self._skip_blank(position)
        title = normalize(self.lines[position]) if position < len(self.lines) else ""
        if not title:
            self.problems.append("end of the capture: no title")
        introduction: list[str] = []
        documents: list[tuple[str, list[_Node]]] = []
        updated: datetime.date | None = None
        for number, line in self._numbered(position + 1):
            if not line.strip():
                continue
            found = last_updated(line)
            if isinstance(found, str):
                self.problems.append(f"line {number}: {found}")
            if found is not None:
                updated = found if isinstance(found, datetime.date) else None
                break
            self._line(number, line, introduction, documents)
        if updated is None and not any("last-updated date" in p for p in self.problems):
            self.problems.append(
                "end of the capture: no 'Last Updated: MM/DD/YYYY' line after the documents"
            )
        if not documents and not self.problems:
            self.problems.append("end of the capture: no document heading followed by bullets")
        if self.problems:
            raise CaptureError(self.problems)
        assert updated is not None  # a missing date is a problem, raised above
        return Capture(
            title=title,
            breadcrumb=tuple(breadcrumb),
            introduction=tuple(introduction),
            last_updated=updated,
            documents=tuple(
                CapturedDocument(
                    heading=heading,
                    period=_known_period(heading),
                    bullets=tuple(node.freeze() for node in nodes),
                )
                for heading, nodes in documents
            ),
            sha256=sha256,
        )

    def _line(
        self,
        number: int,
        line: str,
        introduction: list[str],
        documents: list[tuple[str, list[_Node]]],
    ) -> None:
        bullet = _BULLET.fullmatch(line.replace("\t", "    "))
        if bullet is not None:
            self._bullet(number, bullet, documents)
        elif self._starts_document(number):
            self._heading(number, line, documents)
        elif documents:
            self.problems.append(
                f"line {number}: text between documents; expected a heading followed by "
                "its bullets, or the 'Last Updated' line"
            )
        else:
            introduction.append(normalize(line))

    def _breadcrumb(self) -> tuple[int, list[str]]:
        """Where the title may start, and the breadcrumb's items, if there is one."""
        try:
            start = next(i for i, line in enumerate(self.lines) if line.strip() == "Breadcrumb")
        except StopIteration:
            return 0, []
        items: list[str] = []
        position = start + 1
        while position < len(self.lines):
            line = self.lines[position]
            item = _BREADCRUMB_ITEM.fullmatch(line)
            if item is not None:
                items.append(normalize(item[1]))
            elif line.strip():
                break
            position += 1
        return position, items

    def _skip_blank(self, position: int) -> int:
        while position < len(self.lines) and not self.lines[position].strip():
            position += 1
        return position

    def _numbered(self, position: int) -> Iterator[tuple[int, str]]:
        for index in range(position, len(self.lines)):
            yield index + 1, self.lines[index]

    def _starts_document(self, number: int) -> bool:
        """Whether the next line with text after line `number` is a bullet."""
        following = self._skip_blank(number)
        return following < len(self.lines) and (
            _BULLET.fullmatch(self.lines[following].replace("\t", "    ")) is not None
        )

    def _heading(self, number: int, line: str, documents: list[tuple[str, list[_Node]]]) -> None:
        heading = normalize(line)
        problem = period_problem(heading)
        if problem is not None:
            self.problems.append(f"line {number}: {problem}")
            return
        documents.append((heading, []))

    def _bullet(
        self, number: int, bullet: re.Match[str], documents: list[tuple[str, list[_Node]]]
    ) -> None:
        if not documents:
            self.problems.append(
                f"line {number}: no document: every bullet must follow a heading with its year"
            )
            return
        node = _Node(text=bullet[2], indent=len(bullet[1]))
        if not normalize(node.text):
            self.problems.append(f"line {number}: an empty bullet")
            return
        siblings, level = documents[-1][1], 1
        # A deeper indent than the last bullet's nests under it, as far down as it goes.
        while siblings and node.indent > siblings[-1].indent:
            siblings, level = siblings[-1].children, level + 1
        if level > MAX_NESTING:
            self.problems.append(f"line {number}: bullets nest at most {MAX_NESTING} levels deep")
            return
        siblings.append(node)


def _known_period(heading: str) -> Period:
    period = heading_period(heading)
    assert period is not None  # a heading without one is a problem, raised before
    return period


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
