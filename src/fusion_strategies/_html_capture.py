"""The HTML form of a page capture: the page as a browser saves it ("Save page as").

`parse_html` reads a Drupal/USWDS page such as dhs.gov's into a `Capture`:

- the title, from the ``<h1>`` of the main content (``<main>`` or ``role="main"``, else
  the whole body), or else from ``<title>`` without its " | Site name" suffix;
- the breadcrumb, the ``<li>`` items of the first ``<nav>`` whose ``aria-label``,
  ``aria-labelledby`` or class says "breadcrumb";
- the URL, from ``<link rel="canonical">``, else ``<meta property="og:url">``, else the
  ``<!-- saved from url=(0072)https://... -->`` comment browsers write (absolute http(s)
  URLs only); the publisher, from ``<meta property="og:site_name">``;
- the introduction, the text blocks after the ``<h1>`` up to the first document
  (sub-headings without a list are passed over);
- the documents: a block (an ``<h2>``-``<h6>``, or a ``<p>``/``<div>`` such as
  ``<p><strong>Title (2018)</strong></p>``) directly followed by a ``<ul>``/``<ol>``; the
  block is the heading, and must end in its year or period in parentheses; each ``<li>``
  is a bullet of its own text, a list inside it gives its children; lists that follow
  one another make one document;
- the date of the first "Last Updated: MM/DD/YYYY" text in the page (or the
  ``datetime`` of a ``<time>`` in that text); once documents are read, it ends them.

Passed over: ``<head>`` (but its ``<title>``, ``<link>`` and ``<meta>``), ``<script>``,
``<style>``, ``<noscript>``, ``<template>``, ``<iframe>``, ``<noembed>``, ``<svg>``,
``<math>`` and elements with the ``hidden`` attribute, wholly; ``<header>``, ``<footer>``,
``<aside>`` and ``<nav>``, all but the breadcrumb and the "Last Updated" text in them.
Character references are decoded and every run of whitespace made one space; nothing
else is changed.

Problems, all raised together, each with the line of the HTML where it is: a list with no
heading before it, a heading without its year or without its list, text between
documents, text in a list outside its items, an empty bullet, bullets nested deeper than
`capture.MAX_NESTING`, as in a text capture, an invalid date; and at the end
of the capture, no title, no "Last Updated" text, no document.

It has its own tokenizer, after the HTML standard's, rather than `html.parser`: before
the fix of CPython gh-135462 (June 2025), `html.parser` rescans the rest of the input for
every unclosed tag, which takes a minute for 60 KB of ``<a `` on Python 3.11.7. Here each
character is looked at a bounded number of times; an unclosed tag at the end is dropped,
as a browser drops it. Open elements are a list, not a recursion, and the tree is built
with the implied closings a page needs: ``<li>`` by ``<li>``, ``<p>`` by a block, a
heading by a heading, ``<head>`` by the body's first element.
"""

from __future__ import annotations

import datetime
import html
import re
from collections import Counter
from collections.abc import Iterator

import attrs

from .capture import (
    MAX_NESTING,
    Capture,
    CapturedBullet,
    CapturedDocument,
    heading_period,
    last_updated,
    normalize,
    period_problem,
)
from .errors import CaptureError

# Runs of one character class each: matched at a position, they cannot backtrack.
_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
_BETWEEN_ATTRIBUTES = re.compile(r"[\t\n\f\r /]*")
_ATTRIBUTE_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r /=>]*")
_SPACES = re.compile(r"[\t\n\f\r ]*")
_UNQUOTED_VALUE = re.compile(r"[^\t\n\f\r >]*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A decimal reference too long for int() (which refuses 4,300 digits) is no character.
_LONG_DECIMAL_REFERENCE = re.compile(r"&#[0-9]{8,};?")


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


_VOID = _tags("area base br col embed hr img input keygen link meta param source track wbr")
_RAW_TEXT = _tags("script style xmp iframe noembed noframes noscript textarea title")
_INVISIBLE = _tags("head title script style noscript noembed noframes iframe template svg math")
_PASSED_OVER = _tags("header footer nav aside")
_HEADINGS = _tags("h1 h2 h3 h4 h5 h6")
_LISTS = frozenset(("ul", "ol"))
_BOLD = frozenset(("strong", "b"))
# Elements whose start closes an open <p>, as the HTML standard has it.
_CLOSES_P = _tags("""address article aside blockquote center details dialog dir div dl fieldset
    figcaption figure footer form header hgroup hr main menu nav ol p pre search section
    summary table ul li dd dt h1 h2 h3 h4 h5 h6""")
# Elements whose text is a block of its own: their start and end end a paragraph.
_BLOCKS = _CLOSES_P | _tags("body html caption td th tr tbody thead tfoot legend option")
# An open <p> is not closed from inside these.
_P_SCOPE = _tags("button table td th caption template html marquee object")
_HEAD_CONTENT = _tags("base link meta noscript script style template title")


@attrs.frozen
class _StartTag:
    name: str
    attributes: dict[str, str]
    self_closing: bool
    line: int


@attrs.frozen
class _EndTag:
    name: str
    line: int


@attrs.frozen
class _Text:
    text: str
    line: int


@attrs.frozen
class _Comment:
    text: str
    line: int


_Token = _StartTag | _EndTag | _Text | _Comment


def _decode(text: str) -> str:
    if "&" not in text:
        return text
    return html.unescape(_LONG_DECIMAL_REFERENCE.sub("\ufffd", text))


class _Tokenizer:
    """The tokens of an HTML text, each with the line it starts on; an unclosed tag at the
    end of the text is dropped, as a browser drops it."""

    def __init__(self, text: str) -> None:
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.line = 1
        self.counted = 0

    def line_at(self, position: int) -> int:
        # Positions asked for only grow, so the text is counted through once.
        if position > self.counted:
            self.line += self.text.count("\n", self.counted, position)
            self.counted = position
        return self.line

    def __iter__(self) -> Iterator[_Token]:
        text, position, end = self.text, 0, len(self.text)
        while position < end:
            opening = text.find("<", position)
            if opening < 0:
                opening = end
            if opening > position:
                yield _Text(_decode(text[position:opening]), self.line_at(position))
                position = opening
                continue
            line = self.line_at(opening)
            following = text[opening + 1 : opening + 2]
            if following.isascii() and following.isalpha():
                start, position = self._start_tag(opening, line)
                if start is None:
                    return
                yield start
                if start.name in _RAW_TEXT and not start.self_closing:
                    raw, position = self._raw_text(start.name, position)
                    if raw:
                        decoded = _decode(raw) if start.name in ("title", "textarea") else raw
                        yield _Text(decoded, line)
            elif following == "/":
                end_tag, position = self._end_tag(opening, line)
                if end_tag is None:
                    return
                yield end_tag
            elif following in ("!", "?"):
                body, position = self._comment(opening)
                yield _Comment(body, line)
            else:
                yield _Text("<", line)
                position = opening + 1

    def _start_tag(self, opening: int, line: int) -> tuple[_StartTag | None, int]:
        text, end = self.text, len(self.text)
        name = _TAG_NAME.match(text, opening + 1)
        assert name is not None
        position = name.end()
        attributes: dict[str, str] = {}
        while True:
            gap = _BETWEEN_ATTRIBUTES.match(text, position)
            assert gap is not None
            position = gap.end()
            if position >= end:
                return None, end
            if text[position] == ">":
                self_closing = gap.group().endswith("/")
                tag = _StartTag(name.group().lower(), attributes, self_closing, line)
                return tag, position + 1
            attribute = _ATTRIBUTE_NAME.match(text, position)
            assert attribute is not None  # the gap stopped on a character that starts one
            position = _skip(_SPACES, text, attribute.end())
            value = ""
            if text.startswith("=", position):
                position = _skip(_SPACES, text, position + 1)
                quote = text[position : position + 1]
                if quote in ('"', "'"):
                    closing = text.find(quote, position + 1)
                    if closing < 0:
                        return None, end
                    value, position = text[position + 1 : closing], closing + 1
                else:
                    unquoted = _UNQUOTED_VALUE.match(text, position)
                    assert unquoted is not None
                    value, position = unquoted.group(), unquoted.end()
            attributes.setdefault(attribute.group().lower(), _decode(value))

    def _end_tag(self, opening: int, line: int) -> tuple[_EndTag | _Comment | None, int]:
        """An end tag (its attributes are skipped), or a bogus comment such as ``</ x>``."""
        text = self.text
        closing = text.find(">", opening + 2)
        if closing < 0:
            return None, len(text)
        name = _TAG_NAME.match(text, opening + 2)
        assert name is not None  # a run of zero or more always matches
        first = name.group()[:1]
        if first.isascii() and first.isalpha():
            return _EndTag(name.group().lower(), line), closing + 1
        return _Comment(text[opening + 2 : closing], line), closing + 1

    def _raw_text(self, name: str, position: int) -> tuple[str, int]:
        """The text of a <script>, <style> ... up to its end tag, which is left to read."""
        text = self.text
        closing = text.find("</", position)
        while closing >= 0:
            after = closing + 2 + len(name)
            if text[closing + 2 : after].lower() == name and text[after : after + 1] in (
                "",
                ">",
                "/",
                " ",
                "\t",
                "\n",
                "\f",
            ):
                return text[position:closing], closing
            closing = text.find("</", closing + 2)
        return text[position:], len(text)

    def _comment(self, opening: int) -> tuple[str, int]:
        """A comment, a doctype or other markup declaration, up to its end."""
        text = self.text
        if text.startswith("<!--", opening):
            if text.startswith(">", opening + 4) or text.startswith("->", opening + 4):
                return "", text.index(">", opening) + 1
            closing = text.find("-->", opening + 4)
            if closing < 0:
                return text[opening + 4 :], len(text)
            return text[opening + 4 : closing], closing + 3
        closing = text.find(">", opening + 2)
        if closing < 0:
            return text[opening + 2 :], len(text)
        return text[opening + 2 : closing], closing + 1


def _skip(run: re.Pattern[str], text: str, position: int) -> int:
    found = run.match(text, position)
    assert found is not None
    return found.end()


@attrs.define
class _Node:
    """A bullet being read; frozen into a `CapturedBullet` at the end."""

    line: int
    depth: int
    parts: list[str] = attrs.Factory(list)
    children: list[_Node] = attrs.Factory(list)

    def freeze(self) -> CapturedBullet:
        # Recursion is safe: bullets deeper than MAX_NESTING are never kept.
        return CapturedBullet(
            text=normalize("".join(self.parts)),
            children=tuple(child.freeze() for child in self.children),
        )


@attrs.define
class _Block:
    """The text of a block of the page: a heading, a paragraph or a division."""

    tag: str
    text: str
    line: int
    bold: bool
    in_main: bool


@attrs.define
class _List:
    """A list of the main content, with its bullets."""

    line: int
    in_main: bool
    bullets: list[_Node] = attrs.Factory(list)


@attrs.define
class _UpdatedMark:
    """Where the "Last Updated" text was; once documents are read, it ends them."""


_Item = _Block | _List | _UpdatedMark


@attrs.define
class _Open:
    """An open element, and what its content is part of (inherited by its children)."""

    tag: str
    line: int
    invisible: bool = False
    passed_over: bool = False
    in_main: bool = False
    bold: bool = False
    block: str = ""
    in_breadcrumb: bool = False
    crumb: list[str] | None = None
    bullet: _Node | None = None
    bullets: list[_Node] | None = None
    bullets_depth: int = 0
    # Stack indexes of the nearest open <li>, list, <p>, <p> scope and heading; -1 if none.
    li_at: int = -1
    list_at: int = -1
    p_at: int = -1
    scope_at: int = -1
    heading_at: int = -1

    def child(self, tag: str, line: int) -> _Open:
        # By hand: attrs.evolve takes three times as long, and every element is one.
        return _Open(
            tag=tag,
            line=line,
            invisible=self.invisible,
            passed_over=self.passed_over,
            in_main=self.in_main,
            bold=self.bold,
            block=self.block,
            in_breadcrumb=self.in_breadcrumb,
            crumb=self.crumb,
            bullet=self.bullet,
            bullets=self.bullets,
            bullets_depth=self.bullets_depth,
            li_at=self.li_at,
            list_at=self.list_at,
            p_at=self.p_at,
            scope_at=self.scope_at,
            heading_at=self.heading_at,
        )


class _Reader:
    """Builds the open elements from the tokens and collects the page's items in order."""

    def __init__(self) -> None:
        self.stack: list[_Open] = []
        self.open = Counter[str]()
        self.items: list[_Item] = []
        self.problems: list[str] = []
        self.saw_main = False
        self.canonical: str | None = None
        self.og_url: str | None = None
        self.saved_from: str | None = None
        self.publisher: str | None = None
        self.title_parts: list[str] | None = None
        self.breadcrumb: list[str] = []
        self.breadcrumb_read = False
        self.updated: datetime.date | None = None
        self.updated_seen = False
        self.too_deep_reported = False
        # The paragraph being read: its parts, where and what it is, bold or plain.
        self.parts: list[str] = []
        self.parts_line = 0
        self.parts_context = _Open("", 0)
        self.parts_plain = False
        self.parts_datetime: str | None = None

    def read(self, tokens: _Tokenizer) -> None:
        for token in tokens:
            if isinstance(token, _Text):
                self.on_text(token)
            elif isinstance(token, _StartTag):
                self.on_start(token)
            elif isinstance(token, _EndTag):
                self.on_end(token)
            else:
                self.on_comment(token)
        self.pop_to(0)
        self.flush()

    def top(self) -> _Open:
        return self.stack[-1] if self.stack else _ROOT

    def on_text(self, token: _Text) -> None:
        top = self.top()
        if top.tag == "title" and self.title_parts is not None and not self.open["svg"]:
            self.title_parts.append(token.text)
        if top.invisible:
            return
        if top.crumb is not None:
            top.crumb.append(token.text)
        elif top.in_breadcrumb:
            return
        elif top.bullet is not None:
            top.bullet.parts.append(token.text)
        elif top.bullets is not None:
            if token.text.strip():
                self.problems.append(
                    f"line {_text_line(token)}: text in a list outside its items (<li>)"
                )
        else:
            self.add_text(token, top)

    def add_text(self, token: _Text, top: _Open) -> None:
        stripped = token.text.strip()
        if not self.parts and not stripped:
            return
        if not self.parts:
            self.parts_line = _text_line(token)
            self.parts_context = top
        if stripped and not top.bold:
            self.parts_plain = True
        self.parts.append(token.text)

    def flush(self) -> None:
        """End the paragraph being read, at the start or end of a block."""
        if not self.parts:
            return
        text = normalize("".join(self.parts))
        context, line, plain, when = (
            self.parts_context,
            self.parts_line,
            self.parts_plain,
            self.parts_datetime,
        )
        self.parts, self.parts_plain, self.parts_datetime = [], False, None
        if not text:
            return
        if not self.updated_seen and text.startswith("Last Updated"):
            self.updated_seen = True
            self.read_updated(text, when, line)
            self.items.append(_UpdatedMark())
        elif not context.passed_over:
            self.items.append(_Block(context.block, text, line, not plain, context.in_main))

    def read_updated(self, text: str, when: str | None, line: int) -> None:
        found = last_updated(text)
        if found is None and when is not None:
            found = _iso_date(when)
        if found is None:
            found = f"'{text}' is not 'Last Updated: MM/DD/YYYY'"
        if isinstance(found, str):
            self.problems.append(f"line {line}: {found}")
        else:
            self.updated = found

    def on_comment(self, token: _Comment) -> None:
        body = token.text.strip()
        if self.saved_from is None and body.startswith("saved from url="):
            address = body.removeprefix("saved from url=")
            if address.startswith("(") and ")" in address:
                address = address[address.index(")") + 1 :]
            self.saved_from = _absolute(address)

    def on_start(self, token: _StartTag) -> None:
        tag = token.name
        if tag in ("link", "meta"):
            self.read_link_or_meta(token.attributes)
        if self.open["head"] and tag not in _HEAD_CONTENT:
            self.pop_to(self.stack_index("head"))
        top = self.top()
        if tag == "li" and top.li_at > top.list_at:
            self.pop_to(top.li_at)
        elif tag in _CLOSES_P and top.p_at > top.scope_at:
            self.pop_to(top.p_at)
        elif tag in _HEADINGS and top.tag in _HEADINGS:
            self.pop_to(len(self.stack) - 1)
        top = self.top()
        if tag in _BLOCKS:
            self.flush()
        if tag == "br" and not top.invisible:
            self.on_text(_Text(" ", token.line))
        if tag == "time" and "datetime" in token.attributes and self.parts:
            self.parts_datetime = token.attributes["datetime"]
        if tag in _VOID:
            return
        if tag == "title" and self.title_parts is None and not self.open["svg"]:
            self.title_parts = []
        self.push(self.opened(token, top))
        # As the tokenizer has it, a self-closing <script/> holds no text: it is closed.
        foreign = tag in ("svg", "math") or self.open["svg"] or self.open["math"]
        if token.self_closing and (foreign or tag in _RAW_TEXT):
            self.pop_to(len(self.stack) - 1)

    def opened(self, token: _StartTag, parent: _Open) -> _Open:
        tag, attributes, index = token.name, token.attributes, len(self.stack)
        element = parent.child(tag, token.line)
        element.invisible = parent.invisible or tag in _INVISIBLE or "hidden" in attributes
        if tag == "main" or attributes.get("role") == "main":
            element.in_main = True
            self.saw_main = True
        element.bold = parent.bold or tag in _BOLD
        _locate(element, index)
        if tag == "nav" and _names_breadcrumb(attributes) and not self.breadcrumb_read:
            element.in_breadcrumb = True
            self.breadcrumb_read = True
        elif tag in _PASSED_OVER:
            element.passed_over = True
            element.in_breadcrumb = False
        if element.in_breadcrumb and tag == "li":
            element.crumb = []
        if element.invisible or element.passed_over or element.in_breadcrumb:
            element.bullet = element.bullets = None
            return element
        if tag in _LISTS:
            self.open_list(element, parent)
        elif tag == "li":
            self.open_bullet(element, parent)
        return element

    def open_list(self, element: _Open, parent: _Open) -> None:
        if parent.bullet is not None:
            element.bullets, element.bullets_depth = parent.bullet.children, parent.bullet.depth + 1
        elif parent.bullets is not None:
            # A list right inside a list nests under the item before it, if there is one.
            if parent.bullets:
                last = parent.bullets[-1]
                element.bullets, element.bullets_depth = last.children, last.depth + 1
            else:
                element.bullets, element.bullets_depth = parent.bullets, parent.bullets_depth
        else:
            started = _List(element.line, element.in_main)
            self.items.append(started)
            element.bullets, element.bullets_depth = started.bullets, 1
        element.bullet = None

    def open_bullet(self, element: _Open, parent: _Open) -> None:
        siblings, depth = parent.bullets, parent.bullets_depth
        if siblings is None:
            # An item outside any list is a list of its own.
            started = _List(element.line, element.in_main)
            self.items.append(started)
            siblings, depth = started.bullets, 1
        node = _Node(element.line, depth)
        if depth <= MAX_NESTING:
            siblings.append(node)
        elif not self.too_deep_reported:
            self.too_deep_reported = True
            self.problems.append(
                f"line {element.line}: bullets nest at most {MAX_NESTING} levels deep"
            )
        element.bullet, element.bullets = node, None

    def read_link_or_meta(self, attributes: dict[str, str]) -> None:
        relations = attributes.get("rel", "").lower().split()
        if "canonical" in relations and self.canonical is None:
            self.canonical = _absolute(attributes.get("href", ""))
        prop = attributes.get("property", attributes.get("name", "")).lower()
        content = normalize(attributes.get("content", ""))
        if prop == "og:url" and self.og_url is None:
            self.og_url = _absolute(content)
        elif prop == "og:site_name" and self.publisher is None and content:
            self.publisher = content

    def on_end(self, token: _EndTag) -> None:
        tag = token.name
        if tag == "br":
            self.on_start(_StartTag("br", {}, False, token.line))
            return
        if tag in _BLOCKS:
            self.flush()
        if self.open[tag]:
            self.pop_to(self.stack_index(tag))
        elif tag in _HEADINGS and self.top().heading_at >= 0:
            self.pop_to(self.top().heading_at)

    def stack_index(self, tag: str) -> int:
        # Called only for an open tag; the walk pops what it passes, so the time is linear.
        index = len(self.stack) - 1
        while self.stack[index].tag != tag:
            index -= 1
        return index

    def push(self, element: _Open) -> None:
        self.stack.append(element)
        self.open[element.tag] += 1

    def pop_to(self, index: int) -> None:
        """Close the open elements from the top down to the one at `index`, included."""
        while len(self.stack) > index:
            element = self.stack.pop()
            self.open[element.tag] -= 1
            if element.tag in _BLOCKS:
                self.flush()
            if element.crumb is not None and element.tag == "li":
                crumb = normalize("".join(element.crumb))
                if crumb:
                    self.breadcrumb.append(crumb)


_ROOT = _Open("", 0)


def _locate(element: _Open, index: int) -> None:
    """Record the element, at `index` of the open elements, as the nearest of its kind."""
    tag = element.tag
    if tag in _BLOCKS:
        element.block = tag
    if tag == "li":
        element.li_at = index
    if tag in _LISTS:
        element.list_at = index
    if tag == "p":
        element.p_at = index
    if tag in _P_SCOPE:
        element.scope_at = index
    if tag in _HEADINGS:
        element.heading_at = index


def _text_line(token: _Text) -> int:
    """The line of a text's first character that is not whitespace."""
    text = token.text
    return token.line + text.count("\n", 0, len(text) - len(text.lstrip()))


def _iso_date(when: str) -> datetime.date | str:
    """The date a ``<time datetime>`` starts with, or what is wrong with it."""
    if _ISO_DATE.match(when) is None:
        return f"invalid last-updated date: {when!r} does not start with YYYY-MM-DD"
    try:
        return datetime.date.fromisoformat(when[:10])
    except ValueError as error:
        return f"invalid last-updated date: {error}"


def _names_breadcrumb(attributes: dict[str, str]) -> bool:
    names = (attributes.get(key, "") for key in ("aria-label", "aria-labelledby", "class"))
    return any("breadcrumb" in name.lower() for name in names)


def _absolute(address: str) -> str | None:
    address = address.strip()
    return address if address.startswith(("https://", "http://")) else None


def parse_html(text: str, *, sha256: str) -> Capture:
    """Read an HTML capture of the page; `CaptureError` lists every problem with its line.

    >>> from fusion_strategies._html_capture import parse_html
    >>> page = '''<html><head><title>Support | Homeland Security</title></head><body>
    ... <main><h1>Support of Strategies</h1><p>Fusion centers&nbsp;support these.</p>
    ... <h2>National Drug Control Strategy (2019)</h2>
    ... <ul><li>HIDTAs provide an <em>umbrella</em>.</li></ul>
    ... <div>Last Updated: 11/07/2023</div></main></body></html>'''
    >>> capture = parse_html(page, sha256="0" * 64)
    >>> capture.title, capture.introduction, capture.last_updated.isoformat()
    ('Support of Strategies', ('Fusion centers support these.',), '2023-11-07')
    >>> capture.documents[0].bullets[0].text
    'HIDTAs provide an umbrella.'
    >>> parse_html("<h1>Title</h1><ul><li>a bullet</li></ul>", sha256="0" * 64)
    Traceback (most recent call last):
      ...
    fusion_strategies.errors.CaptureError: invalid page capture (2 problems)
    line 1: no document: every list must follow a heading with its year
    end of the capture: no 'Last Updated: MM/DD/YYYY' text in the page
    """
    reader = _Reader()
    reader.read(_Tokenizer(text))
    problems = reader.problems
    items = [
        item
        for item in reader.items
        if not reader.saw_main or isinstance(item, _UpdatedMark) or item.in_main
    ]
    title, items = _title(items, reader.title_parts)
    if not title:
        problems.append("end of the capture: no title: no <h1> in the main content, no <title>")
    introduction, documents = _contents(items, problems)
    if reader.updated is None and not reader.updated_seen:
        problems.append("end of the capture: no 'Last Updated: MM/DD/YYYY' text in the page")
    if not documents and not problems:
        problems.append("end of the capture: no document heading followed by a list")
    if problems:
        raise CaptureError(problems)
    assert reader.updated is not None  # a missing or invalid date is a problem, raised above
    return Capture(
        title=title,
        breadcrumb=tuple(reader.breadcrumb),
        introduction=tuple(introduction),
        last_updated=reader.updated,
        documents=tuple(documents),
        sha256=sha256,
        url=reader.canonical or reader.og_url or reader.saved_from,
        publisher=reader.publisher,
    )


def _title(items: list[_Item], title_parts: list[str] | None) -> tuple[str, list[_Item]]:
    """The page's title and the items after it."""
    for index, item in enumerate(items):
        if isinstance(item, _Block) and item.tag == "h1":
            return item.text, items[index + 1 :]
    title = normalize("".join(title_parts or ()))
    if " | " in title:
        title = title[: title.rindex(" | ")].strip()
    return title, items


def _contents(items: list[_Item], problems: list[str]) -> tuple[list[str], list[CapturedDocument]]:
    """The introduction and the documents of the items after the title."""
    introduction: list[str] = []
    documents: list[tuple[_Block, list[CapturedBullet]]] = []
    pending: _Block | None = None
    # Where the bullets of a list right after a list go: the document before's, if any.
    joined: list[CapturedBullet] | None = None
    for item in items:
        if isinstance(item, _UpdatedMark):
            if documents:
                break
        elif isinstance(item, _List) and not item.bullets:
            continue  # an empty list is no list, here as on the screen
        elif isinstance(item, _Block):
            if pending is not None:
                _unlisted(pending, introduction, bool(documents), problems)
            pending, joined = item, None
        elif pending is not None:
            joined = _freeze(item, problems)
            problem = period_problem(pending.text)
            if problem is None:
                documents.append((pending, joined))
            else:
                problems.append(f"line {pending.line}: {problem}")
            pending = None
        elif joined is not None:
            joined.extend(_freeze(item, problems))
        else:
            problems.append(
                f"line {item.line}: no document: every list must follow a heading with its year"
            )
    if pending is not None:
        _unlisted(pending, introduction, bool(documents), problems)
    return introduction, [_document(heading, bullets) for heading, bullets in documents]


def _freeze(item: _List, problems: list[str]) -> list[CapturedBullet]:
    bullets = [node.freeze() for node in item.bullets]
    # Each empty bullet once, from the top down, without recursion.
    nodes = list(reversed(item.bullets))
    while nodes:
        node = nodes.pop()
        if not normalize("".join(node.parts)):
            problems.append(f"line {node.line}: an empty bullet")
        nodes.extend(reversed(node.children))
    return bullets


def _document(heading: _Block, bullets: list[CapturedBullet]) -> CapturedDocument:
    period = heading_period(heading.text)
    assert period is not None  # a heading without one is a problem, not a document
    return CapturedDocument(heading=heading.text, period=period, bullets=tuple(bullets))


def _unlisted(
    block: _Block, introduction: list[str], after_documents: bool, problems: list[str]
) -> None:
    """A block that no list follows: a paragraph, or a problem."""
    is_heading = block.tag in _HEADINGS or block.bold
    if is_heading and heading_period(block.text) is not None:
        problems.append(f"line {block.line}: a document heading must be followed by its list")
    elif after_documents:
        problems.append(
            f"line {block.line}: text between documents; expected a heading followed by "
            "its list, or the 'Last Updated' text"
        )
    elif block.tag not in _HEADINGS:
        introduction.append(block.text)
