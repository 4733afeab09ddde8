"""Matching a free text with the strategies it supports: `Catalog.match`.

A strategy's profile is the words and entities of all its excerpts, plus its title,
heading, aliases and issuer. A matched text is read like a long query whose repeated terms
saturate (`_bm25.saturated`). The catalog's vocabulary (`Catalog.vocabulary`, curated per
theme) bridges the words that products use and excerpts do not: each vocabulary term in
the text speaks for its theme, and a strategy scores for each of its themes that the text
speaks to, weighted by how few strategies share the theme (twice a word of the same
rarity). A match's excerpts are its strategy's excerpts that share terms or vocabulary
themes with the text, best first; its terms are the text's own words for what carried it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ._bm25 import Postings, best, idf, saturated
from ._name_finder import ENTITY, NameFinder, terms
from ._text import Text
from .model import Excerpt, Match, Strategy

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["MatchIndex"]

_THEME = "#"
_TITLE_WEIGHT = 1.0
"""How much a word of a strategy's title, heading or aliases weighs, next to an excerpt's."""
_THEME_WEIGHT = 2.0
"""How much a theme that a text speaks to weighs, next to a word of the same rarity."""
_MAX_TERMS = 10
_CACHE_SIZE = 4096


class MatchIndex:
    """The match index of one catalog; see `Catalog.match`."""

    __slots__ = (
        "_documents",
        "_glossary",
        "_numbers",
        "_postings",
        "_profiles",
        "_strategies",
        "_vectors",
        "_vocabulary",
    )

    def __init__(self, catalog: Catalog, glossary: NameFinder) -> None:
        self._strategies = catalog.strategies()
        self._documents: tuple[tuple[Strategy, Excerpt], ...] = tuple(
            (strategy, excerpt)
            for strategy in self._strategies
            for excerpt in strategy.iter_excerpts()
        )
        self._numbers: dict[str, range] = {}
        for number, (strategy, _) in enumerate(self._documents):
            known = self._numbers.get(strategy.id, range(number, number))
            self._numbers[strategy.id] = range(known.start, number + 1)
        self._glossary = glossary
        self._vocabulary = NameFinder.of_vocabulary(catalog.vocabulary())
        self._postings = Postings(
            (
                terms(Text(excerpt.text, offsets=False), glossary),
                float(len(Text(excerpt.text, offsets=False).words)),
            )
            for _, excerpt in self._documents
        )
        self._vectors: dict[int, tuple[dict[str, float], frozenset[str]]] = {}
        self._profiles = _Profiles(self._strategies, glossary)

    def match(self, text: str, *, limit: int) -> tuple[Match, ...]:
        """The strategies `text` aligns with, best first; see `Catalog.match`."""
        profiles = self._profiles
        product = _Product(text, self._glossary, self._vocabulary)
        contributions = profiles.contributions(product)
        totals = {number: sum(each.values()) for number, each in contributions.items()}
        return tuple(
            Match(
                strategy=self._strategies[number],
                score=score,
                excerpts=self._support(self._strategies[number], product, profiles),
                terms=product.surfaces(contributions[number]),
            )
            for score, number in best(totals, limit)
        )

    def _support(
        self, strategy: Strategy, product: _Product, profiles: _Profiles
    ) -> tuple[Excerpt, ...]:
        """The strategy's excerpts that share terms or themes with the product, best first."""
        themes = profiles.theme_weights(strategy, product)
        said = product.weights
        scored: list[tuple[float, int]] = []
        for number in self._numbers[strategy.id]:
            weights, grounded = self._vectors.get(number) or self._vector(number)
            if len(weights) < len(said):
                score = sum(weight * said[term] for term, weight in weights.items() if term in said)
            else:
                score = sum(
                    weight * weights[term] for term, weight in said.items() if term in weights
                )
            score += sum(weight for theme, weight in themes.items() if theme in grounded)
            if score > 0:
                scored.append((-score, number))
        return tuple(self._documents[number][1] for _, number in sorted(scored))

    def _vector(self, number: int) -> tuple[dict[str, float], frozenset[str]]:
        """A document's idf × BM25 weight for each of its terms, and the themes it grounds."""
        text = Text(self._documents[number][1].text, offsets=False)
        weigh = self._postings.weight
        weights = {
            term: weigh(term, said, number) for term, said in terms(text, self._glossary).items()
        }
        grounded = frozenset(theme for theme, _, _ in self._vocabulary.find(text))
        if len(self._vectors) >= _CACHE_SIZE:
            self._vectors.clear()
        found = self._vectors[number] = (weights, grounded)
        return found


class _Product:
    """A text to match: its terms with their saturated weights, and where each is first said."""

    __slots__ = ("_first", "_read", "_text", "themes", "weights")

    def __init__(self, text: str, glossary: NameFinder, vocabulary: NameFinder) -> None:
        read = Text(text, offsets=True)
        self._text = text
        self._read = read
        self.weights = {term: saturated(said) for term, said in terms(read, glossary).items()}
        first: dict[str, tuple[int, int]] = {}
        for position in read.words:
            first.setdefault(read.stems[position], (position, position + 1))
        for key, start, end in glossary.find(read):
            first.setdefault(ENTITY + key, (start, end))
        self._first = first
        self.themes: dict[str, list[tuple[int, int]]] = {}
        for theme, start, end in vocabulary.find(read):
            self.themes.setdefault(theme, []).append((start, end))

    def surfaces(self, contributions: Mapping[str, float]) -> tuple[str, ...]:
        """The text's own words for the terms that carried a match, the weightiest first.

        A term said inside a longer one that also counted ("fusion" in "fusion center")
        adds its weight to the longer one instead of being shown on its own.
        """
        said: dict[tuple[int, int], float] = {}
        for term, weight in contributions.items():
            if term.startswith(_THEME):
                places = self.themes.get(term[1:], [])
            else:
                places = [self._first[term]] if term in self._first else []
            for place in places:
                said[place] = said.get(place, 0.0) + weight
        outer: dict[tuple[int, int], float] = {}
        widest = (-1, -1)
        # In order of start, the widest first, a place ending before the last outer one ends
        # lies inside it.
        for place in sorted(said, key=lambda place: (place[0], -place[1])):
            if place[1] <= widest[1]:
                outer[widest] += said[place]
            else:
                widest = place
                outer[place] = said[place]
        surfaces: dict[str, str] = {}
        for first, end in sorted(outer, key=lambda place: (-outer[place], place)):
            start, stop = self._read.span(first, end)
            surface = self._text[start:stop]
            surfaces.setdefault(surface.casefold(), surface)
            if len(surfaces) == _MAX_TERMS:
                break
        return tuple(surfaces.values())


class _Profiles:
    """Every strategy's profile: its excerpts', titles' and issuer's terms, and its themes."""

    __slots__ = ("_glossary", "_holding", "_postings", "_theme_idf")

    def __init__(self, strategies: Sequence[Strategy], glossary: NameFinder) -> None:
        self._glossary = glossary
        self._postings = Postings(map(self._profile, strategies))
        self._holding: dict[str, list[int]] = {}
        for number, strategy in enumerate(strategies):
            for theme in strategy.themes:
                self._holding.setdefault(theme.value, []).append(number)
        self._theme_idf = {
            theme: idf(len(strategies), len(numbers)) for theme, numbers in self._holding.items()
        }

    def _profile(self, strategy: Strategy) -> tuple[dict[str, float], float]:
        """A strategy's terms, weighted, and its length in words."""
        counts: dict[str, float] = {}
        length = 0
        for excerpt in strategy.iter_excerpts():
            text = Text(excerpt.text, offsets=False)
            for term, said in terms(text, self._glossary).items():
                counts[term] = counts.get(term, 0.0) + said
            length += len(text.words)
        titled = {ENTITY + strategy.issuer.id}
        for name in (strategy.title, strategy.heading, *strategy.aliases):
            titled.update(terms(Text(name, offsets=False), self._glossary))
        for term in titled:
            counts[term] = counts.get(term, 0.0) + _TITLE_WEIGHT
        return counts, float(length)

    def contributions(self, product: _Product) -> dict[int, dict[str, float]]:
        """What each term of the product adds to each strategy's score, by strategy."""
        found: dict[int, dict[str, float]] = {}
        for term, weight in product.weights.items():
            entry = self._postings.postings.get(term)
            if entry is not None:
                for number, bm25 in zip(*entry, strict=True):
                    found.setdefault(number, {})[term] = weight * bm25
        for theme in product.themes:
            weight = self._theme_weight(theme, product)
            for number in self._holding.get(theme, ()):
                found.setdefault(number, {})[_THEME + theme] = weight
        return found

    def theme_weights(self, strategy: Strategy, product: _Product) -> dict[str, float]:
        """The weight of each theme of the strategy that the product speaks to."""
        return {
            theme.value: self._theme_weight(theme.value, product)
            for theme in strategy.themes
            if theme.value in product.themes
        }

    def _theme_weight(self, theme: str, product: _Product) -> float:
        said = len(product.themes[theme])
        return _THEME_WEIGHT * saturated(said) * self._theme_idf.get(theme, 0.0)
