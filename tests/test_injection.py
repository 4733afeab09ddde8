"""Every export of a hostile catalog, read back by a real reader, gives its text back as
inert text: a CommonMark parser for Markdown, bibtexparser for BibTeX, an XML parser for
the SVG, csv and sqlite3. Hypothesis writes the hostile strings."""

from __future__ import annotations

import csv
import io
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from bibtexparser.entrypoint import parse_string
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

import fusion_strategies as fs
from fusion_strategies import export, timeline
from fusion_strategies._names import normalize_name
from fusion_strategies.citation import citation_keys

MARKUP = "<>&\"'`*_[]()#!|~{}\\%$^@=+-:;/.,?\n\t\x1b\u202e\x9b\x00\x7f\ufffe"
pieces = st.text(alphabet=st.sampled_from([*MARKUP, *"aZ9é"]), min_size=1, max_size=8) | (
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            "[a](javascript:alert(1))",
            "# Heading",
            "---",
            "},\n@misc{evil,",
            "\\}",
            "&amp;",
            "&#x3C;",
            "1.",
            '=HYPERLINK("x")',
        ]
    )
)
# As a catalog holds text: whitespace normalized, and a name has a letter or a digit.
texts = st.lists(pieces, min_size=1, max_size=5).map(" ".join).map(str.split).map(" ".join)
texts = texts.filter(bool)
names = texts.filter(normalize_name).filter(lambda name: len(name) <= 500)
url_paths = st.text(
    alphabet=st.sampled_from([*"<>\"'`{}[]()|\\^@!$&*+,;=%~#?/", *"aZ9"]), max_size=30
)
urls = url_paths.map(lambda path: f"https://example.org/{path}")


@st.composite
def hostile_catalogs(draw: st.DrawFn) -> fs.Catalog:
    base = fs.catalog()
    strategies = []
    for number, strategy in enumerate(base.strategies()[:3]):
        excerpt = fs.Excerpt(
            id="1",
            text=draw(texts),
            children=(fs.Excerpt(id="1.1", text=draw(texts)),),
        )
        strategies.append(
            attrs.evolve(
                strategy,
                title=draw(names),
                heading=f"{draw(names)} ({2000 + number})",
                aliases=(draw(names),),
                excerpts=(excerpt, fs.Excerpt(id="2", text=draw(texts))),
            )
        )
    issuer = attrs.evolve(strategies[0].issuer, name=draw(names))
    strategies = [attrs.evolve(strategy, issuer=issuer) for strategy in strategies]
    entities = [issuer if entity.id == issuer.id else entity for entity in base.entities()]
    source = attrs.evolve(
        base.source(),
        title=draw(texts),
        publisher=draw(texts),
        url=draw(urls),
        introduction=tuple(draw(st.lists(texts, min_size=1, max_size=2))),
    )
    return fs.Catalog(source=source, strategies=strategies, entities=entities)


HOSTILE = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- Markdown -------------------------------------------------------------------------------


def walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from walk(token.children or [])


def reader_sees(text: str) -> str:
    """CommonMark shows U+0000 as U+FFFD, for safety; everything else is as written."""
    return text.replace("\x00", "\ufffd")


def plain(inline: Token) -> str:
    """What a reader sees of an inline token: its text, with breaks as spaces."""
    parts = []
    for child in inline.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts)


@HOSTILE
@given(hostile_catalogs())
def test_markdown_of_a_hostile_catalog_is_inert_for_a_commonmark_reader(
    catalog: fs.Catalog,
) -> None:
    tokens = MarkdownIt("commonmark").parse(export.to_markdown(catalog))
    every = list(walk(tokens))
    assert not [token for token in every if token.type in {"html_block", "html_inline"}]
    assert not [token for token in every if token.type in {"hr", "code_block", "fence"}]
    links = [token.attrGet("href") for token in every if token.type == "link_open"]
    assert len(links) == 1
    assert str(links[0]).startswith("https://example.org/")
    assert not (set(str(links[0])) & set("<>\"'{}\\` "))
    headings = [tokens[i + 1] for i, token in enumerate(tokens) if token.type == "heading_open"]
    assert [plain(heading) for heading in headings] == [
        reader_sees(catalog.source().title),
        *(reader_sees(strategy.title) for strategy in catalog),
    ]
    excerpts = [
        plain(tokens[i + 1])
        for i, token in enumerate(tokens)
        if token.type == "paragraph_open" and tokens[i - 1].type == "list_item_open"
    ]
    assert [text for text in excerpts if not text.startswith(("Period:", "Issuer:"))]


@HOSTILE
@example("Plan #")  # a closing run of "#" was cut from the heading
@example("Plan ## 2")
@given(names)
def test_one_strategys_markdown_keeps_its_title_one_heading(title: str) -> None:
    strategy = attrs.evolve(fs.strategies()[0], title=title)
    for level in (1, 6):
        tokens = MarkdownIt("commonmark").parse(
            export.strategy_markdown(strategy, source=fs.source(), level=level)
        )
        assert [token.tag for token in tokens if token.type == "heading_open"] == [f"h{level}"]
        assert plain(tokens[1]) == reader_sees(title)


@pytest.mark.parametrize("text", ["Title\n# Injected", "a\r\n---\r\nb", "x\u2028> quote"])
def test_a_line_break_cannot_start_a_markdown_block(text: str) -> None:
    tokens = MarkdownIt("commonmark").parse("# " + export.escape_markdown(text))
    assert [token.type for token in tokens] == ["heading_open", "inline", "heading_close"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Page\n# Injected"), ("publisher", "DHS\n\n---"), ("introduction", ("a\nb",))],
)
def test_a_source_with_line_breaks_is_refused(field: str, value: object) -> None:
    source = attrs.evolve(fs.source(), **{field: value})  # type: ignore[arg-type]
    with pytest.raises(fs.DatasetError, match=f"source.{field}"):
        fs.Catalog(source=source, strategies=fs.strategies(), entities=fs.entities())


def test_strategy_markdown_checks_its_arguments() -> None:
    with pytest.raises(TypeError, match="must be a Strategy"):
        export.strategy_markdown(None, source=fs.source())  # type: ignore[arg-type]
    for level in (0, 7, -1, 10**18):
        with pytest.raises(ValueError, match="level must be from 1 to 6"):
            export.strategy_markdown(fs.strategies()[0], source=fs.source(), level=level)
    with pytest.raises(TypeError, match="level must be an int"):
        export.strategy_markdown(fs.strategies()[0], source=fs.source(), level=2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="source must be a SourcePage"):
        export.strategy_markdown(fs.strategies()[0], source=None)  # type: ignore[arg-type]


# -- BibTeX ---------------------------------------------------------------------------------


@HOSTILE
@given(hostile_catalogs())
def test_bibtex_of_a_hostile_catalog_parses_to_one_entry_each(catalog: fs.Catalog) -> None:
    library = parse_string(export.to_bibtex(catalog))
    assert not library.failed_blocks
    keys = citation_keys(catalog)
    assert [entry.key for entry in library.entries] == [keys[strategy.id] for strategy in catalog]
    for entry in library.entries:
        assert set(entry.fields_dict) == {"author", "title", "year", "date", "note", "url"}
        url = entry.fields_dict["url"].value
        assert isinstance(url, str)
        assert url.startswith("https://example.org/")
        assert not (set(url) & set('{}\\ "<>'))


def test_a_url_with_braces_does_not_open_a_second_entry() -> None:
    source = attrs.evolve(fs.source(), url="https://example.org/},@misc{evil,title={x}")
    catalog = fs.Catalog(source=source, strategies=fs.strategies(), entities=fs.entities())
    library = parse_string(export.to_bibtex(catalog))
    assert len(library.entries) == len(catalog)
    assert "evil" not in [entry.key for entry in library.entries]


# -- SVG ------------------------------------------------------------------------------------


@HOSTILE
@given(hostile_catalogs())
def test_the_svg_of_a_hostile_catalog_is_well_formed_xml_with_inert_text(
    catalog: fs.Catalog,
) -> None:
    svg = ET.fromstring(timeline.to_svg(catalog))
    tags = {element.tag.rpartition("}")[2] for element in svg.iter()}
    assert tags <= {"svg", "title", "rect", "text", "g", "line"}
    for element in svg.iter():
        assert not [name for name in element.attrib if name.lower().startswith("on")]
    documents = svg.findall(".//{http://www.w3.org/2000/svg}g[@class='document']")
    assert len(documents) == len(catalog)


def test_a_control_character_in_a_label_keeps_the_svg_well_formed() -> None:
    strategy = attrs.evolve(fs.strategies()[0], heading="Plan \x1b\x00\x08\ufffe (2022)")
    catalog = fs.Catalog(source=fs.source(), strategies=[strategy], entities=fs.entities())
    svg = ET.fromstring(timeline.to_svg(catalog))
    labels = [element.text for element in svg.iter() if element.get("class") == "label"]
    assert labels == ["Plan \\x1b\\x00\\x08\\ufffe"]


# -- CSV and SQLite ---------------------------------------------------------------------------


@HOSTILE
@given(hostile_catalogs())
def test_csv_and_sqlite_give_the_hostile_text_back(catalog: fs.Catalog) -> None:
    expected = [excerpt.text for strategy in catalog for excerpt in strategy.iter_excerpts()]
    rows = list(csv.DictReader(io.StringIO(export.to_csv(catalog), newline="")))
    formula = tuple("=+-@\t\r")
    assert [row["text"] for row in rows] == [
        f"'{text}" if text.startswith(formula) else text
        for text in map(reader_sees, expected)  # NUL is U+FFFD, as in CommonMark
    ]
    folder = Path(__import__("tempfile").mkdtemp())
    export.to_sqlite(folder / "catalog.db", catalog)
    database = sqlite3.connect(folder / "catalog.db")
    try:
        stored: list[Any] = database.execute("SELECT text FROM excerpts ORDER BY id").fetchall()
        source = database.execute("SELECT title, url FROM source").fetchone()
    finally:
        database.close()
    assert [text for (text,) in stored] == expected
    assert source == (catalog.source().title, catalog.source().url)
