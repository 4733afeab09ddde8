"""The curated fields against ``curated-facts.md``, the one source of facts not on the page.

The table of the shipped copy is read here, row by row: a confirmed (C) fact must be in
the data as the table gives it, and an unconfirmed (U) one must not be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import fusion_strategies as fs
from source_page import DOCUMENTS

FACTS = Path(__file__).parent / "data" / "curated-facts.md"
MONTHS = "January February March April May June July August September October November December"


@dataclass
class Row:
    heading: str
    title: str
    issuer: str
    date: str
    short_names: str


def rows() -> list[Row]:
    lines = FACTS.read_text(encoding="utf-8").splitlines()
    table = [line for line in lines if re.match(r"^\| \d+ \|", line)]
    return [Row(*(cell.strip() for cell in line.strip("|").split("|")[1:])) for line in table]


def identity_unconfirmed(row: Row) -> bool:
    return row.title == "U" or "U that the page means it" in row.title


def expected_date(row: Row) -> fs.PartialDate | None:
    """The confirmed publication date at its confirmed precision, or None."""
    if "(page)" in row.date or identity_unconfirmed(row):
        return None
    if "dates it" in row.date:  # the issuer's own date, where the page differs
        year = re.search(r"dates it (\d{4})", row.date)
        assert year is not None
        return fs.PartialDate(year=int(year[1]))
    if full := re.search(r"(\d{4})-(\d{2})-(\d{2})", row.date):
        return fs.PartialDate(year=int(full[1]), month=int(full[2]), day=int(full[3]))
    if month := re.search(rf"({MONTHS.replace(' ', '|')}) (\d{{4}})", row.date):
        return fs.PartialDate(year=int(month[2]), month=MONTHS.split().index(month[1]) + 1)
    year_only = re.match(r"(\d{4})", row.date)
    assert year_only is not None, row.date
    return fs.PartialDate(year=int(year_only[1]))


ROWS = rows()
PAIRS = list(zip(ROWS, fs.strategies(), strict=True))


def test_the_table_has_a_row_for_every_document() -> None:
    assert len(ROWS) == DOCUMENTS


@pytest.mark.parametrize(("row", "strategy"), PAIRS, ids=[s.id for _, s in PAIRS])
def test_titles_are_official_only_where_confirmed(row: Row, strategy: fs.Strategy) -> None:
    heading_name = re.sub(r"\s*\(\d{4}(-\d{4})?\)$", "", strategy.heading)
    if identity_unconfirmed(row) or row.title.startswith("same"):
        assert strategy.title == heading_name
    else:
        assert row.title == f"{strategy.title} (C)"


@pytest.mark.parametrize(("row", "strategy"), PAIRS, ids=[s.id for _, s in PAIRS])
def test_publication_dates_only_at_the_confirmed_precision(row: Row, strategy: fs.Strategy) -> None:
    assert strategy.published == expected_date(row)


@pytest.mark.parametrize(("row", "strategy"), PAIRS, ids=[s.id for _, s in PAIRS])
def test_issuers_are_the_ones_the_table_names(row: Row, strategy: fs.Strategy) -> None:
    issuer = strategy.issuer
    assert issuer.name in row.issuer or (issuer.acronym or "\0") in row.issuer


@pytest.mark.parametrize(("row", "strategy"), PAIRS, ids=[s.id for _, s in PAIRS])
def test_aliases_are_the_tables_short_names(row: Row, strategy: fs.Strategy) -> None:
    for alias in strategy.aliases:
        assert alias in row.short_names


def test_a_short_name_of_two_documents_is_ambiguous() -> None:
    shared = [row for row in ROWS if "ambiguous" in row.short_names]
    assert len(shared) == 2
    name = shared[0].short_names.split()[0]
    with pytest.raises(fs.AmbiguousLookupError) as caught:
        fs.lookup(name)
    assert {s.id for s in caught.value.candidates} == {
        strategy.id for row, strategy in PAIRS if row in shared
    }


def acronyms() -> list[tuple[str, str]]:
    text = FACTS.read_text(encoding="utf-8")
    listed = text.split("## Acronyms named on the page (all C)", 1)[1]
    entries = " ".join(listed.split()).rstrip(".").split(" · ")
    return [tuple(entry.split(" ", 1)) for entry in entries]  # type: ignore[misc]


@pytest.mark.parametrize(("acronym", "expansion"), acronyms())
def test_every_acronym_on_the_page_is_known(acronym: str, expansion: str) -> None:
    by_acronym = {entity.acronym: entity for entity in fs.entities()}
    if expansion.startswith("its "):  # a part of the entity listed before it
        assert acronym in by_acronym
    elif acronym in by_acronym:
        assert by_acronym[acronym].name.casefold() in expansion.casefold()
    else:  # a document's short name, not an entity
        assert fs.lookup(acronym).aliases.count(acronym) == 1


def test_themes_are_grounded_in_the_pages_words() -> None:
    vocabulary = fs.catalog().vocabulary()
    for strategy in fs.strategies():
        texts = (strategy.heading, *(e.text for e in strategy.iter_excerpts()))
        text = " ".join(texts).casefold()
        for theme in strategy.themes:
            words = [
                w for w in vocabulary[theme] if re.search(rf"\b{re.escape(w.casefold())}", text)
            ]
            assert words, f"{strategy.id}: no word of {theme.value!r} in its heading or excerpts"


def test_every_theme_has_a_documented_vocabulary() -> None:
    vocabulary = fs.catalog().vocabulary()
    for theme in fs.Theme:
        assert vocabulary[theme], theme
