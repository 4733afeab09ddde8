"""Ranked search of the excerpts: `Catalog.search`.

A catalog builds its `SearchIndex` on its first search, once; importing the package
builds nothing.

Terms. An excerpt is indexed under its words (`_text.Text`: case-folded, singular, less
the stopwords) and under the entities of the catalog's glossary that it names
(`_name_finder.NameFinder`). An entity is one term whichever of its names
(`Entity.names`) a text uses, so "SAR" finds "suspicious activity reporting" and "HSIN"
finds "Homeland Security Information Network". In a query, which people type in lower
case, an acronym is found in any case.

Ranking. Okapi BM25 (`_bm25`). Each two words in a row in a query (stopwords between them
aside) are a phrase, scored by BM25 as one more term: an excerpt that says the phrase
scores for it on top of its words, which is the phrase boost. Search is an OR of the
query's terms, best first, ties in page order.

Cost. A search costs one addition per posting its terms touch. A phrase is checked only in
the excerpts that hold both its words, in each excerpt's sequence of word numbers (a
forward index, kept as a string), which also gives the offsets to highlight. Nothing in a
query walks the whole catalog. A character numbers a word, so a catalog of more than about
1.1 million distinct words leaves the words past that without a number: they are still
searched and ranked, but neither highlighted nor found in phrases.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import TYPE_CHECKING

from ._bm25 import Postings, best
from ._name_finder import ENTITY, NameFinder
from ._text import Span, Text
from .model import Excerpt, Hit, Strategy

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["SearchIndex"]

_PHRASE_WEIGHT = 1.0
"""How much a phrase of the query weighs, next to one of its words (1)."""
_MAX_WORD_NUMBER = sys.maxunicode
"""The last character that can number a word of the forward index."""
_CLAUSE = "\0"
"""The character that separates two clauses in a document's sequence of words."""
_UNNUMBERED = "\1"
"""The character of every word past the last that a character can number (a million)."""


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    """Spans in order, overlapping or touching ones made one."""
    if len(spans) < 2:
        return tuple(spans)
    ordered = sorted(spans)
    merged = [ordered[0]]
    for start, end in ordered[1:]:
        last_start, last_end = merged[-1]
        if start > last_end:
            merged.append((start, end))
        elif end > last_end:
            merged[-1] = (last_start, end)
    return tuple(merged)


class _Document:
    """A document's forward index: its words, as one character each, and where each is.

    Word number n is the character chr(n), so that a word or a phrase is found by
    `str.find`, in C; a `_CLAUSE` character separates clauses, so that no phrase spans two.
    `starts` and `ends` hold each word's character offsets in the text (-1 for a mark).
    """

    __slots__ = ("ends", "entities", "sequence", "starts")

    def __init__(
        self,
        sequence: str,
        spans: tuple[array[int], array[int]],
        entities: tuple[tuple[str, int, int], ...],
    ) -> None:
        self.sequence = sequence
        self.starts, self.ends = spans
        self.entities = entities  # (key, start, end) of each name of an entity

    def spans(self, words: Iterable[str], entities: frozenset[str]) -> tuple[Span, ...]:
        """Where the document says any of these words (as characters) or entities (by key)."""
        starts, ends, sequence = self.starts, self.ends, self.sequence
        found = []
        for word in words:
            at = sequence.find(word)
            while at >= 0:
                found.append((starts[at], ends[at]))
                at = sequence.find(word, at + 1)
        if entities:
            found += ((start, end) for key, start, end in self.entities if key in entities)
            return _merged(found)
        return tuple(sorted(found))  # words never overlap


def _with_marks(offsets: list[int], opens: list[bool]) -> array[int]:
    """Offsets with a -1 before each word that opens a clause, in step with a sequence."""
    return array(
        "i",
        [
            each
            for offset, opened in zip(offsets, opens, strict=True)
            for each in ((-1, offset) if opened else (offset,))
        ],
    )


class _Query:
    """A search query: its words and entities, in query order, and its phrases."""

    __slots__ = ("phrases", "terms")

    def __init__(self, query: str, glossary: NameFinder) -> None:
        text = Text(query, offsets=False)
        stems = text.stems
        terms = dict.fromkeys(stems[position] for position in text.words)
        terms.update(
            dict.fromkeys(ENTITY + key for key, _, _ in glossary.find(text, ignore_case=True))
        )
        self.terms = tuple(terms)
        self.phrases = tuple(dict.fromkeys((stems[one], stems[two]) for one, two in text.pairs()))


class SearchIndex:
    """The search index of one catalog; see `Catalog.search`."""

    __slots__ = ("_documents", "_forward", "_glossary", "_postings", "_word_numbers")

    def __init__(self, catalog: Catalog, glossary: NameFinder) -> None:
        self._documents: tuple[tuple[Strategy, Excerpt], ...] = tuple(
            (strategy, excerpt)
            for strategy in catalog.strategies()
            for excerpt in strategy.iter_excerpts()
        )
        self._glossary = glossary
        self._word_numbers: dict[str, str] = {}
        self._forward: list[_Document] = []
        self._postings = Postings(map(self._read, self._documents))

    def _read(self, document: tuple[Strategy, Excerpt]) -> tuple[Mapping[str, int], float]:
        """Index a document forward; give its term counts and its length in words."""
        text = Text(document[1].text, offsets=True)
        words, clauses = text.words, text.clauses
        stems = [text.stems[position] for position in words]
        numbers = self._word_numbers
        characters = [numbers.get(stem) or self._number(stem) for stem in stems]
        # A word that opens a new clause is preceded by a clause mark, which has no offsets.
        opens = [False, *(clauses[a] != clauses[b] for a, b in pairwise(words))][: len(words)]
        starts = [text.starts[position] for position in words]
        ends = [
            start + len(text.cased[position]) for start, position in zip(starts, words, strict=True)
        ]
        entities = tuple(
            (key, *text.span(first, end)) for key, first, end in self._glossary.find(text)
        )
        self._forward.append(
            _Document(
                "".join(_CLAUSE + c if o else c for c, o in zip(characters, opens, strict=True)),
                (_with_marks(starts, opens), _with_marks(ends, opens)),
                entities,
            )
        )
        counts = Counter(stems)
        counts.update(ENTITY + key for key, _, _ in entities)
        return counts, float(len(words))

    def _number(self, stem: str) -> str:
        """Number a word not seen before, by the next character free."""
        numbers = self._word_numbers
        if len(numbers) + 2 > _MAX_WORD_NUMBER:
            return _UNNUMBERED
        found = numbers[stem] = chr(len(numbers) + 2)
        return found

    def search(self, query: str, *, limit: int) -> tuple[Hit, ...]:
        """The excerpts that best answer `query`, best first; see `Catalog.search`."""
        parsed = _Query(query, self._glossary)
        scores = self._postings.scores(parsed.terms)
        for phrase in parsed.phrases:
            self._add_phrase(scores, phrase)
        documents = self._documents
        entities = frozenset(term[1:] for term in parsed.terms if term.startswith(ENTITY))
        words = [self._word_numbers[term] for term in parsed.terms if term in self._word_numbers]
        return tuple(
            Hit(
                strategy=documents[number][0],
                excerpt=documents[number][1],
                score=score,
                spans=self._forward[number].spans(words, entities),
            )
            for score, number in best(scores, limit)
        )

    def _add_phrase(self, scores: dict[int, float], phrase: tuple[str, str]) -> None:
        """Score a phrase as a term, in the documents that hold both of its words."""
        postings, numbers = self._postings, self._word_numbers
        # A word past the last numbered one (a catalog of over a million distinct words)
        # has no place in the forward index: its phrases score as its words alone.
        if phrase[0] not in numbers or phrase[1] not in numbers:
            return
        rarer = min((postings.postings[word][0] for word in phrase), key=len)
        pattern = numbers[phrase[0]] + numbers[phrase[1]]
        forward = self._forward
        said = {}
        for number in rarer:
            times = forward[number].sequence.count(pattern)
            if times:
                said[number] = times
        idf = postings.idf(len(said))
        for number, times in said.items():
            scores[number] += _PHRASE_WEIGHT * postings.bm25(number, times, idf)
