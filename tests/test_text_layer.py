"""One text layer: mentions, entities_in, search and match read names the same way."""

from __future__ import annotations

import pytest

import fusion_strategies as fs
from test_search import catalog_of

SLTT = fs.entity("sltt")
TRIBAL = fs.entity("tribal")


@pytest.mark.parametrize(
    "text",
    [
        "We brief state local tribal and territorial partners every week.",
        "We brief state, local, tribal, and territorial partners every week.",
        "We brief State, Local, Tribal and Territorial partners every week.",
        "We brief state-local-tribal-and-territorial partners every week.",
    ],
)
def test_every_query_finds_the_same_entities_whatever_the_commas(text: str) -> None:
    catalog = catalog_of(text, entities=(SLTT, TRIBAL))
    excerpt = catalog.strategies()[0].excerpts[0]
    assert [entity.id for entity in catalog.entities_in(excerpt)] == ["sltt", "tribal"]
    assert [mention.excerpt for mention in catalog.mentioning("SLTT")] == [excerpt]
    assert [hit.excerpt for hit in catalog.search("SLTT")] == [excerpt]
    assert catalog.find(mentions="sltt") == catalog.strategies()


def test_an_acronym_is_found_in_capitals_with_a_plural_but_not_in_lower_case() -> None:
    sar = fs.entity("SAR")
    catalog = catalog_of("Analysts review SARs daily.", "A sar is a seal.", entities=(sar,))
    assert [mention.strategy.id for mention in catalog.mentioning(sar)] == ["strategy-1-2020"]


@pytest.mark.parametrize("excerpt", [e for s in fs.strategies() for e in s.iter_excerpts()])
def test_search_for_an_entity_finds_the_excerpts_that_mention_it(excerpt: fs.Excerpt) -> None:
    for entity in fs.entities_in(excerpt):
        hits = fs.search(entity.acronym or entity.name, limit=len(fs.strategies()) * 10)
        assert excerpt in [hit.excerpt for hit in hits], entity.id
