"""The records of what a query found: `Mention`, `Hit`, `Match` and its `Term`.

They are records like those of `fusion_strategies.model`, which gives them by name, and they
live apart only so that a process that runs no query never makes their classes: each attrs
class costs a compile of its methods, and a one-shot lookup needs none of these four.
"""

from __future__ import annotations

import attrs

# At run time, not for type checkers only: `typing.get_type_hints(Hit)` resolves them here.
from .model import Entity, Excerpt, Strategy, TermSource

__all__ = ["Hit", "Match", "Mention", "Term"]


@attrs.frozen(kw_only=True, repr=False)
class Mention:
    """An excerpt of a strategy that names an entity, and where; its repr shows ids only.

    ``spans`` are the ``(start, end)`` character offsets in ``excerpt.text`` of each name
    of the entity that it says, in order.

    >>> import fusion_strategies as fs
    >>> mention = fs.mentioning("HIDTA")[0]
    >>> mention.strategy.id, [mention.excerpt.text[a:b] for a, b in mention.spans]
    ('national-drug-control-strategy-2019', ['HIDTAs'])
    >>> mention
    Mention(strategy='national-drug-control-strategy-2019', excerpt='1', entity='hidta')
    """

    strategy: Strategy
    excerpt: Excerpt
    entity: Entity
    spans: tuple[tuple[int, int], ...] = ()

    def __repr__(self) -> str:
        return (
            f"Mention(strategy={self.strategy.id!r}, excerpt={self.excerpt.id!r}, "
            f"entity={self.entity.id!r})"
        )


@attrs.frozen(kw_only=True, repr=False)
class Hit:
    """An excerpt found by a search, its score, and the spans of its text that matched.

    ``score`` is the BM25 relevance, comparable within one search only. ``spans`` are
    ``(start, end)`` character offsets in ``excerpt.text``, in order and not overlapping,
    of the words, phrases and entity names that answered the query.

    >>> import fusion_strategies as fs
    >>> hit = fs.search("suspicious activity reporting")[0]
    >>> hit.strategy.id, hit.excerpt.text
    ('dhs-information-sharing-strategy-2013', 'Nationwide Suspicious Activity Reporting \
Initiative (NSI); and')
    >>> [hit.excerpt.text[start:end] for start, end in hit.spans]
    ['Suspicious Activity Reporting']
    """

    strategy: Strategy
    excerpt: Excerpt
    score: float
    spans: tuple[tuple[int, int], ...] = ()

    def __repr__(self) -> str:
        """The ids and the score, rounded: a hit reads in one line, without its texts.

        >>> import fusion_strategies as fs
        >>> fs.search("HSIN")[0]  # doctest: +ELLIPSIS
        Hit(strategy='national-preparedness-report-2019', excerpt='...', score=..., spans=2)
        """
        return (
            f"Hit(strategy={self.strategy.id!r}, excerpt={self.excerpt.id!r}, "
            f"score={_rounded(self.score)}, spans={len(self.spans)})"
        )


@attrs.frozen(kw_only=True)
class Term:
    """A term of a product that carried a `Match`, and where the strategy's evidence for it is.

    ``text`` is the product's own words for it, each word as written, one space between
    them. ``source`` says what in the strategy it met, and ``key`` which thing: the folded
    word, the entity's id or the theme's value. ``str()`` gives ``text``.

    >>> import fusion_strategies as fs
    >>> term = fs.Term(text="ransomware", source=fs.TermSource.THEME, key="cybersecurity")
    >>> str(term), term.source.value
    ('ransomware', 'theme')
    """

    text: str
    source: TermSource
    key: str

    def __str__(self) -> str:
        return self.text


@attrs.frozen(kw_only=True, repr=False)
class Match:
    """A strategy a text aligns with: its score, its support (best first), and the terms.

    ``score`` is comparable within one call only. ``excerpts`` are the strategy's excerpts
    that share words, entities or vocabulary themes with the text, best first (none when
    only the title carried it). ``terms`` are the text's own words that carried the match,
    the weightiest first, each with where the strategy's evidence for it is (`Term`).

    >>> import fusion_strategies as fs
    >>> best = fs.match("Pandemic fraud and threats against health officials")[0]
    >>> best.strategy.title
    'Public Health Emergency Preparedness and Response Capabilities: National Standards for \
State, Local, Tribal, and Territorial Public Health'
    >>> [(str(term), term.source.value) for term in best.terms][:2]
    [('health', 'theme'), ('Pandemic', 'theme')]
    >>> [excerpt.id for excerpt in best.excerpts]
    ['1', '2']
    """

    strategy: Strategy
    score: float
    excerpts: tuple[Excerpt, ...] = ()
    terms: tuple[Term, ...] = ()

    def __repr__(self) -> str:
        """The strategy's id, the score, rounded, and how many excerpts support it.

        >>> import fusion_strategies as fs
        >>> fs.match("Ghost guns recovered at shootings")[0]  # doctest: +ELLIPSIS
        Match(strategy='bureau-of-alcohol-tobacco-firearms-and-explosives-strategic-plan-2017', \
score=..., excerpts=...)
        """
        return (
            f"Match(strategy={self.strategy.id!r}, score={_rounded(self.score)}, "
            f"excerpts={len(self.excerpts)})"
        )


def _rounded(score: float) -> str:
    """A score for a repr: two decimals, enough to tell results apart at a glance."""
    return f"{score:.2f}"
