"""From an excerpt back to its strategy, by the catalog that holds both."""

from __future__ import annotations

import attrs
import pytest

import fusion_strategies as fs

CATALOG = fs.catalog()


def test_every_excerpt_finds_its_strategy_nested_or_not() -> None:
    for strategy in CATALOG:
        for excerpt in strategy.iter_excerpts():
            assert CATALOG.strategy_of(excerpt) is strategy


def test_an_equal_excerpt_is_the_same_excerpt() -> None:
    strategy = fs.get("dhs-information-sharing-strategy-2013")
    nested = strategy.excerpts[0].children[1]
    copy = fs.Excerpt(id=nested.id, text=nested.text, children=nested.children)
    assert copy is not nested
    assert CATALOG.strategy_of(copy) is strategy


def test_a_search_hit_leads_back_to_its_strategy() -> None:
    for hit in fs.search("fusion centers", limit=20):
        assert CATALOG.strategy_of(hit.excerpt) == hit.strategy


def test_a_foreign_excerpt_is_not_found_with_its_id() -> None:
    edited = attrs.evolve(fs.strategies()[0].excerpts[0], text="Edited.")
    with pytest.raises(fs.ExcerptNotFoundError) as raised:
        CATALOG.strategy_of(edited)
    assert isinstance(raised.value, KeyError)
    assert isinstance(raised.value, fs.NotFoundError)
    assert raised.value.query == edited.id
    assert repr(edited.id) in str(raised.value)


def test_equal_excerpts_in_two_strategies_are_told_apart_by_identity() -> None:
    first, second = fs.strategies()[:2]
    shared = fs.Excerpt(id="9", text="The same words in two documents.")
    again = fs.Excerpt(id="9", text="The same words in two documents.")
    ours = fs.Catalog(
        source=fs.source(),
        strategies=[
            attrs.evolve(first, excerpts=(*first.excerpts, shared)),
            attrs.evolve(second, excerpts=(*second.excerpts, again)),
        ],
        entities=fs.entities(),
    )
    one, two = ours.strategies()
    assert ours.strategy_of(shared) is one
    assert ours.strategy_of(again) is two
    stranger = fs.Excerpt(id="9", text="The same words in two documents.")
    with pytest.raises(fs.AmbiguousLookupError) as raised:
        ours.strategy_of(stranger)
    assert raised.value.candidates == (one, two)


def test_strategy_of_takes_an_excerpt_only() -> None:
    with pytest.raises(TypeError, match="excerpt must be a Excerpt"):
        CATALOG.strategy_of(fs.strategies()[0])  # type: ignore[arg-type]
