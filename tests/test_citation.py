"""Citations: what each style says, read back by a BibTeX parser and a CSL processor."""

from __future__ import annotations

import json
import re

import attrs
import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.model import Entry
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

import fusion_strategies as fs
from fusion_strategies.citation import (
    MAX_KEY_LENGTH,
    STYLES,
    citation_key,
    citation_keys,
    cite_excerpt,
    cite_strategy,
    csl_item,
)

PAGE_URL = "https://www.dhs.gov/topic/fusion-centers-support-national-strategies-and-guidance"
PAGE = "“Fusion Centers' Support of National Strategies and Guidance,”"
NSCT = "national-strategy-for-counterterrorism-2018"
ALL = fs.strategies()


def test_a_note_written_out_by_hand() -> None:
    assert fs.cite(fs.get(NSCT)) == (
        "The White House, National Strategy for Counterterrorism of the United States of "
        "America (2018), quoted in U.S. Department of Homeland Security, “Fusion Centers' "
        "Support of National Strategies and Guidance,” last updated November 7, 2023, "
        f"{PAGE_URL}."
    )


@pytest.mark.parametrize("strategy", ALL, ids=lambda strategy: strategy.id)
def test_every_note_names_the_document_its_years_and_the_page(strategy: fs.Strategy) -> None:
    note = fs.cite(strategy, "note")
    assert note.startswith(f"{strategy.issuer.name}, {strategy.title}")
    assert str(strategy.period.start) in note.partition(", quoted in")[0]
    assert f"quoted in U.S. Department of Homeland Security, {PAGE}" in note
    assert "last updated November 7, 2023" in note
    assert note.endswith(f", {PAGE_URL}.")
    assert "\n" not in note


@pytest.mark.parametrize("strategy", ALL, ids=lambda strategy: strategy.id)
def test_no_citation_holds_a_fact_the_catalog_lacks(strategy: fs.Strategy) -> None:
    years = {strategy.period.start, strategy.period.end, 2023}
    if strategy.published is not None:
        years.add(strategy.published.year)
    for style in STYLES:
        text = fs.cite(strategy, style)
        assert {int(year) for year in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)} <= years
        urls = {url.rstrip(".") for url in re.findall(r"https?://[^\s}\",]+", text)}
        assert urls == {PAGE_URL}
        assert not re.search(r"\bp\.|\bpp\.|\bpage \d", text)


def test_a_published_date_outside_the_period_is_given_in_the_note() -> None:
    fbi = fs.lookup("FBI National Information Sharing Strategy")
    assert "(2012; published 2011)" in fs.cite(fbi)
    cbp = fs.lookup("CBP Strategy 2020-2025")
    assert "Strategy 2020-2025 (published May 2, 2019)," in fs.cite(cbp)
    assert "(2018)," in fs.cite(fs.get(NSCT))


@pytest.mark.parametrize("strategy", ALL, ids=lambda strategy: strategy.id)
def test_no_citation_repeats_the_period(strategy: fs.Strategy) -> None:
    document = fs.cite(strategy).partition(", quoted in")[0]
    for year in (strategy.period.start, strategy.period.end):
        in_title = len(re.findall(rf"(?<!\d){year}(?!\d)", strategy.title))
        assert len(re.findall(rf"(?<!\d){year}(?!\d)", document)) == max(in_title, 1)
    # The other styles hold the title as it is, and the years in their date fields only.
    (entry,) = parse_bibtex(fs.cite(strategy, "bibtex")).entries
    assert field(entry, "title") == strategy.title
    assert json.loads(fs.cite(strategy, "csl-json"))["title"] == strategy.title


def test_a_title_that_holds_its_years_gets_no_years_after_it() -> None:
    engagement = fs.get("dhs-fusion-center-engagement-and-information-sharing-strategy-2022")
    assert "Strategy for 2022–2026, quoted in" in fs.cite(engagement)
    qhsr = fs.lookup("QHSR")
    assert "The 2014 Quadrennial Homeland Security Review, quoted in" in fs.cite(qhsr)
    report = attrs.evolve(qhsr, title="A Review of 20145 Things")
    assert "A Review of 20145 Things (2014)," in cite_strategy(report, source=fs.source())


def test_an_excerpt_note_adds_the_heading_it_is_quoted_under() -> None:
    strategy = fs.lookup("FBI National Information Sharing Strategy")
    note = fs.cite(strategy.excerpts[2])
    assert note.startswith("Federal Bureau of Investigation, The Federal Bureau of Investigation")
    assert ", under “FBI National Information Sharing Strategy (2012),” https://" in note


def test_a_nested_excerpt_finds_its_strategy() -> None:
    strategy = fs.get("dhs-information-sharing-strategy-2013")
    nested = strategy.excerpts[0].children[1]
    key = citation_key(strategy.id)
    assert fs.cite(nested, "bibtex").startswith(f"@misc{{{key}:{nested.id},")
    assert fs.cite(nested) == cite_excerpt(nested, strategy=strategy, source=fs.source())


def test_an_excerpt_of_another_strategy_is_refused() -> None:
    excerpt = fs.get(NSCT).excerpts[0]
    with pytest.raises(ValueError, match="is not an excerpt of"):
        cite_excerpt(excerpt, strategy=fs.lookup("QHSR"), source=fs.source())


def test_an_excerpt_the_catalog_lacks_is_not_found() -> None:
    stray = fs.Excerpt(id="7", text="Not on the page.")
    with pytest.raises(fs.ExcerptNotFoundError, match="holds excerpt '7'") as raised:
        fs.cite(stray)
    assert isinstance(raised.value, KeyError)
    assert raised.value.query == "7"


def test_a_strategy_the_catalog_lacks_is_not_found() -> None:
    theirs = attrs.evolve(fs.get(NSCT), title="A Title of Our Own")
    with pytest.raises(fs.StrategyNotFoundError, match=NSCT):
        fs.cite(theirs)


def own_page() -> fs.SourcePage:
    return fs.SourcePage(
        title="Our Reading List",
        url="https://example.org/reading",
        publisher="Example Center",
        last_updated=fs.source().last_updated.replace(year=2024, month=2, day=29),
    )


def test_a_strategy_of_another_catalog_is_cited_with_that_catalogs_page() -> None:
    theirs = attrs.evolve(fs.get(NSCT), title="A Title of Our Own")
    catalog = fs.Catalog(source=own_page(), strategies=[theirs], entities=fs.entities())
    note = catalog.cite(theirs)
    assert "A Title of Our Own (2018), quoted in Example Center, “Our Reading List,”" in note
    assert note.endswith("last updated February 29, 2024, https://example.org/reading.")
    item = json.loads(catalog.cite(theirs, "csl-json"))
    assert item["URL"] == "https://example.org/reading"
    excerpt_note = catalog.cite(theirs.excerpts[1])
    assert "Example Center" in excerpt_note
    assert "Homeland Security" not in excerpt_note.partition("quoted in")[2]
    assert cite_strategy(theirs, source=own_page()) == note


@pytest.mark.parametrize("style", ["Note", "chicago", "bib", ""])
def test_an_unknown_style_names_the_valid_ones(style: str) -> None:
    with pytest.raises(ValueError, match="valid styles: 'note', 'bibtex', 'csl-json'"):
        fs.cite(fs.get(NSCT), style)


def test_wrong_argument_types() -> None:
    with pytest.raises(TypeError):
        fs.cite(fs.get(NSCT), 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fs.cite(NSCT)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cite_strategy(NSCT, source=fs.source())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cite_strategy(fs.get(NSCT), source="https://example.org")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cite_strategy(fs.get(NSCT), source=fs.source(), key=7)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        citation_key(None)  # type: ignore[arg-type]


# -- keys ----------------------------------------------------------------------------------


def test_keys_are_short_unique_and_made_of_the_id() -> None:
    keys = citation_keys(ALL)
    assert len(set(keys.values())) == len(ALL)
    for strategy in ALL:
        key = keys[strategy.id]
        assert 0 < len(key) <= MAX_KEY_LENGTH
        assert re.fullmatch(r"[a-z0-9-]+", key)
        assert key.endswith(str(strategy.period.start))


def test_a_key_depends_on_the_id_only() -> None:
    strategy = fs.lookup("2018 PHEP Capabilities")
    key = citation_key(strategy.id)
    assert key == "pheprcnsslttph2018"
    changed = attrs.evolve(strategy, title="Another Title", heading="Another Heading (1999)")
    catalog = fs.Catalog(source=own_page(), strategies=[changed], entities=fs.entities())
    assert catalog.cite(changed, "bibtex").startswith(f"@misc{{{key},")
    assert fs.cite(strategy, "bibtex").startswith(f"@misc{{{key},")


def test_keys_that_would_clash_are_told_apart_whatever_the_order() -> None:
    first = attrs.evolve(fs.get(NSCT), id="national-strategy-counterterrorism-2018")
    second = fs.get(NSCT)
    assert citation_key(first.id) == citation_key(second.id)
    keys = citation_keys([first, second])
    assert keys == citation_keys([second, first])
    assert len(set(keys.values())) == 2
    assert all(len(key) <= MAX_KEY_LENGTH and key.startswith("nsc2018-") for key in keys.values())
    assert citation_keys([second]) == {NSCT: "nsc2018"}


def test_a_long_id_makes_a_key_of_at_most_forty_characters() -> None:
    words = "-".join(f"word{n}" for n in range(60))
    assert len(citation_key(f"{words}-2018")) == MAX_KEY_LENGTH
    assert citation_key(f"{words}-2018").endswith("2018")
    assert citation_key("the-of-and") == "strategy"


# -- BibTeX, read back by bibtexparser -----------------------------------------------------


def parse_bibtex(text: str) -> Library:
    library = parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    return library


def field(entry: Entry, name: str) -> str:
    value = entry.fields_dict[name].value
    assert isinstance(value, str)
    return value.strip("{}")


@pytest.mark.parametrize("strategy", ALL, ids=lambda strategy: strategy.id)
def test_every_bibtex_entry_parses_with_its_facts(strategy: fs.Strategy) -> None:
    (entry,) = parse_bibtex(fs.cite(strategy, "bibtex")).entries
    assert entry.key == citation_key(strategy.id)
    assert entry.entry_type == "misc"
    assert field(entry, "title") == strategy.title
    assert field(entry, "author") == strategy.issuer.name
    assert field(entry, "url") == PAGE_URL
    quoted_in = f"Quoted in U.S. Department of Homeland Security, {PAGE}"
    assert field(entry, "note").startswith(quoted_in)
    published = strategy.published
    # The decoder reads TeX's "--" as the en dash it stands for.
    expected_year = str(published.year) if published else str(strategy.period)
    assert field(entry, "year") == expected_year


def test_bibtex_dates_keep_their_known_precision() -> None:
    def date_of(name: str) -> str:
        (entry,) = parse_bibtex(fs.cite(fs.lookup(name), "bibtex")).entries
        return field(entry, "date")

    assert date_of("National Southwest Border Counternarcotics Strategy") == "2016-05"
    assert date_of("DHS Information Sharing Strategy") == "2013"
    assert date_of("NSCT 2018") == "2018-10-04"
    assert date_of("ATF Strategic Plan") == "2017/2022"


def test_bibtex_escapes_what_tex_would_read_as_commands() -> None:
    title = "R&D at 100% {braces} $5 #1 snake_case ~tilde back\\slash"
    ours = attrs.evolve(fs.get(NSCT), title=title)
    text = cite_strategy(ours, "bibtex", source=fs.source())
    assert "R\\&D at 100\\% \\{braces\\} \\$5 \\#1 snake\\_case" in text
    (entry,) = parse_bibtex(text).entries
    assert field(entry, "title") == title
    # pylatexenc decodes \textasciicircum to a modifier letter, so the caret is checked as TeX.
    caret = cite_strategy(attrs.evolve(ours, title="x^y"), "bibtex", source=fs.source())
    assert "x\\textasciicircum{}y" in caret


def test_a_corporate_author_with_a_comma_and_and_stays_one_name() -> None:
    text = fs.cite(fs.lookup("ATF Strategic Plan"), "bibtex")
    (raw,) = parse_string(text).entries
    # Braced twice: BibTeX must not read "Bureau of Alcohol" as a surname, nor split at "and".
    name = "Bureau of Alcohol, Tobacco, Firearms and Explosives"
    assert raw.fields_dict["author"].value == f"{{{name}}}"
    (entry,) = parse_bibtex(text).entries
    assert field(entry, "author") == name


# -- CSL-JSON, read by citeproc-py ---------------------------------------------------------


def render_bibliography(items: list[dict[str, object]]) -> list[str]:
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(str(item["id"]))]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_every_csl_item_renders_with_citeproc() -> None:
    items = [json.loads(fs.cite(strategy, "csl-json")) for strategy in ALL]
    rendered = render_bibliography(items)
    assert len(rendered) == len(ALL)
    for strategy in ALL:
        (line,) = (line for line in rendered if f") {strategy.title}. Available" in line)
        assert line.startswith(strategy.issuer.name)
        year = strategy.published.year if strategy.published else strategy.period.start
        assert f"({year}" in line
        assert PAGE_URL in line


@pytest.mark.parametrize(
    ("name", "date_parts"),
    [
        ("NSCT 2018", [[2018, 10, 4]]),
        ("National Southwest Border Counternarcotics Strategy", [[2016, 5]]),
        ("DHS Information Sharing Strategy", [[2013]]),
        ("FBI National Information Sharing Strategy", [[2011]]),
        ("ATF Strategic Plan", [[2017], [2022]]),
        ("Regional Information Sharing Systems (RISS) Program Annual Report", [[2015]]),
    ],
)
def test_csl_dates_are_date_parts_at_their_known_precision(
    name: str, date_parts: list[list[int]]
) -> None:
    item = json.loads(fs.cite(fs.lookup(name), "csl-json"))
    assert item["issued"] == {"date-parts": date_parts}
    assert item["type"] == "report"


def test_an_excerpt_csl_item_has_its_own_id_and_the_heading() -> None:
    strategy = fs.get(NSCT)
    item = csl_item(strategy, excerpt=strategy.excerpts[1], source=fs.source())
    assert item["id"] == "nsc2018:2"
    assert str(item["note"]).endswith("under “National Strategy for Counterterrorism (2018).”")
    assert json.loads(fs.cite(strategy.excerpts[1], "csl-json")) == item
    assert render_bibliography([item])
