"""The bundled catalog against the shipped capture of the DHS page, in both directions.

`source_page` reads the capture without any of the package's code; these tests prove that
every heading and bullet of the page is in the catalog, verbatim, in order and with its
nesting, and that the catalog holds no heading or excerpt the page does not.
"""

from __future__ import annotations

import datetime
import re

import pytest

import fusion_strategies as fs
from source_page import Bullet, Page, read_page


@pytest.fixture(scope="module")
def page() -> Page:
    return read_page()


Tree = list[tuple[str, "Tree"]]


def tree(bullets: list[Bullet]) -> Tree:
    return [(bullet.text, tree(bullet.children)) for bullet in bullets]


def excerpt_tree(excerpts: tuple[fs.Excerpt, ...]) -> Tree:
    return [(excerpt.text, excerpt_tree(excerpt.children)) for excerpt in excerpts]


def test_the_capture_holds_what_the_source_readme_describes(page: Page) -> None:
    # The reader itself must find the page's documented shape, or the tests below prove little.
    bullets = [b for d in page.documents for b in d.bullets]
    nested = [c for b in bullets for c in b.children]
    # A deliberate contract with the page as captured: a new capture updates these numbers.
    assert (len(page.documents), len(bullets) + len(nested)) == (22, 54)
    assert len(page.introduction) == 2


def test_every_heading_is_in_the_catalog_in_page_order(page: Page) -> None:
    assert [s.heading for s in fs.strategies()] == [d.heading for d in page.documents]


def test_every_bullet_is_quoted_verbatim_in_order_with_its_nesting(page: Page) -> None:
    for document, strategy in zip(page.documents, fs.strategies(), strict=True):
        assert excerpt_tree(strategy.excerpts) == tree(document.bullets), strategy.id


def test_the_catalog_quotes_nothing_the_page_does_not(page: Page) -> None:
    quoted = {b.text for d in page.documents for b in d.bullets}
    quoted |= {c.text for d in page.documents for b in d.bullets for c in b.children}
    invented = [
        excerpt.text
        for strategy in fs.strategies()
        for excerpt in strategy.iter_excerpts()
        if excerpt.text not in quoted
    ]
    assert invented == []
    count = sum(len(list(strategy.iter_excerpts())) for strategy in fs.strategies())
    assert count == len(quoted)


def test_quirks_of_the_page_are_kept(page: Page) -> None:
    texts = [e.text for s in fs.strategies() for e in s.iter_excerpts()]
    assert any("programatic support" in text for text in texts)
    assert any(text.endswith("bioincidents..") for text in texts)
    assert any("Northern border . . . Efforts" in text for text in texts)
    assert any("Say Something®”" in text for text in texts)
    assert not any("\u00a0" in text or "  " in text for text in texts)
    assert "U. S. Customs and Border Protection Strategy (2020-2025)" in {
        s.heading for s in fs.strategies()
    }


def test_periods_are_the_years_in_the_page_headings(page: Page) -> None:
    for document, strategy in zip(page.documents, fs.strategies(), strict=True):
        years = re.search(r"\((\d{4})(?:-(\d{4}))?\)$", document.heading)
        assert years is not None
        start, end = int(years[1]), int(years[2] or years[1])
        assert (strategy.period.start, strategy.period.end) == (start, end)


def test_the_source_page_is_described_from_the_capture(page: Page) -> None:
    source = fs.source()
    assert source.title == page.title
    assert list(source.introduction) == page.introduction
    assert list(source.breadcrumb) == page.breadcrumb
    assert source.last_updated == datetime.date.fromisoformat(page.last_updated)


def test_ids_are_slugs_of_the_headings() -> None:
    def slug(heading: str) -> str:
        match = re.fullmatch(r"(?:The )?(.*?) \((\d{4})(?:-\d{4})?\)", heading)
        assert match is not None
        name, start = match.groups()
        name = name.replace("’s", "").replace("U. S.", "US").replace(".", "")
        return "-".join([*re.findall(r"[a-z0-9]+", name.lower()), start])

    assert [s.id for s in fs.strategies()] == [slug(s.heading) for s in fs.strategies()]
    # The examples of the API contract.
    for strategy_id in (
        "national-strategy-for-counterterrorism-2018",
        "dhs-northern-border-strategy-2018",
        "us-customs-and-border-protection-strategy-2020",
    ):
        assert strategy_id in fs.catalog()


def test_excerpt_ids_give_each_excerpt_its_place() -> None:
    for strategy in fs.strategies():
        for number, excerpt in enumerate(strategy.excerpts, start=1):
            assert excerpt.id == str(number)
            for child_number, child in enumerate(excerpt.children, start=1):
                assert child.id == f"{number}.{child_number}"
