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

Cost. The index is built on the first search: each excerpt is read once into word codes
(`_codes`, a character a word), its entities found on them, and its terms counted into
postings ordered for pruning (`_topk`). A query then scores only the shortest excerpts
that can still reach its top k, so that a search of common words in a large catalog
touches a few hundred postings, not all of them, and gives the same answer, to the last
bit, as scoring them all. The highlights are read from the excerpts that are shown: a
small catalog keeps what it read of each, a large one reads each hit anew, up to its last
highlighted word. Nothing in a query walks the whole catalog but a phrase's search in
the excerpts of its rarer word, which gives its idf (`_topk` counts the phrases of two
common words when it is built).
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable
from itertools import pairwise, repeat
from operator import add, itemgetter, sub
from typing import TYPE_CHECKING

from ._codes import CLAUSE, UNNUMBERED, Coder
from ._collector import paused
from ._name_finder import ENTITY, NameFinder
from ._text import TOKEN, Span, Text, _fold
from ._topk import Part, TopK
from .model import Excerpt, Hit, Strategy

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["SearchIndex"]

_PHRASE_WEIGHT = 1.0
"""How much a phrase of the query weighs, next to one of its words (1)."""
_CHUNKS = 1 << 16
"""How many chunks' counted words a large catalog's index remembers, for highlights."""
_LONG_TERM = UNNUMBERED
"""The mark before a term that has no character (`_codes.UNNUMBERED`) in the postings."""


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
    `str.find`, in C; a `CLAUSE` character separates clauses, so that no phrase spans two.
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

    __slots__ = ("_chunks", "_documents", "_glossary", "_kept", "_lock", "_numbers", "_topk")

    def __init__(self, catalog: Catalog, glossary: NameFinder) -> None:
        # Millions of strings, arrays and dicts, in no cycle: the collector would only walk them.
        with paused():
            self._build(catalog, glossary)

    def _build(self, catalog: Catalog, glossary: NameFinder) -> None:
        self._documents: tuple[tuple[Strategy, Excerpt], ...] = tuple(
            (strategy, excerpt)
            for strategy in catalog.strategies()
            for excerpt in strategy.iter_excerpts()
        )
        self._glossary = glossary
        coder = Coder()
        # The entities are numbered first, so that no catalog leaves one without a number.
        entity_codes = {key: coder.number(ENTITY + key) for key in glossary.every_key()}
        names = glossary.coded(coder.number)
        reading = coder.read_all([excerpt.text for _, excerpt in self._documents])
        codes = reading.words
        lengths = list(map(sub, map(len, codes), map(str.count, codes, repeat(CLAUSE))))
        # The names of every excerpt are found at once, and told apart by where each ends.
        found = names.find(reading.names, cased=lambda: reading.cased, written=coder.written)
        entities = [""] * len(codes)  # each text's entities, a character a name
        texts = reading.texts_at(map(itemgetter(1), found))  # whose each name is
        for number, (key, _, _) in zip(texts, found, strict=True):
            entities[number] += entity_codes[key]
        codes = list(map(add, codes, entities))
        extra: dict[int, dict[str, int]] = {}
        # Only a catalog of over a million distinct words has terms without a character.
        for number, words in enumerate(codes if UNNUMBERED in reading.names else ()):
            if UNNUMBERED in words:
                counts = Coder.unnumbered(self._documents[number][1].text, coder.numbers)
                extra[number] = {_LONG_TERM + term: said for term, said in counts.items()}
        self._numbers = coder.numbers
        self._topk = TopK(codes, lengths, extra)
        # A small catalog (`TopK.small`) keeps each hit's words and where they are, once read.
        self._kept: dict[int, _Document] | None = {} if self._topk.small else None
        self._chunks: dict[str, str] = {}  # a large catalog's: what each chunk counts
        self._lock = threading.Lock()

    def search(self, query: str, *, limit: int) -> tuple[Hit, ...]:
        """The excerpts that best answer `query`, best first; see `Catalog.search`."""
        parsed = _Query(query, self._glossary)
        numbers = self._numbers
        terms = [numbers.get(term) or _LONG_TERM + term for term in parsed.terms]
        phrases = self._phrases(parsed.phrases)
        documents = self._documents
        entities = frozenset(term[1:] for term in parsed.terms if term.startswith(ENTITY))
        words = frozenset(
            numbers[term] for term in parsed.terms if term in numbers and term[0] != ENTITY
        )
        return tuple(
            Hit(
                strategy=documents[number][0],
                excerpt=documents[number][1],
                score=score,
                spans=self._spans(number, words, entities),
            )
            for score, number in self._topk.best([*self._topk.terms(terms), *phrases], limit)
        )

    def _phrases(self, pairs: Iterable[tuple[str, str]]) -> list[Part]:
        """The query's phrases that some excerpt says, as `_topk` scores them."""
        numbers = self._numbers
        found = []
        for first, second in pairs:
            # A word past the last numbered one (a catalog of over a million distinct words)
            # has no place in the codes: its phrases score as its words alone.
            if first in numbers and second in numbers:
                phrase = self._topk.phrase(numbers[first], numbers[second], _PHRASE_WEIGHT)
                if phrase is not None:
                    found.append(phrase)
        return found

    def _spans(
        self, number: int, words: frozenset[str], entities: frozenset[str]
    ) -> tuple[Span, ...]:
        """Where excerpt `number` says the query's words (as characters) or entities (by key).

        A small catalog reads each excerpt once and keeps it (`_forward`); a large one reads
        it now, chunk by chunk (what `text.split()` gives), up to the last word to
        highlight: only a chunk that counts a query's word is tokenized (`_counted` says
        which do). The entities, if the query names any, are found by the glossary's finder.
        """
        if self._kept is not None:
            return self._forward(number, self._kept).spans(words, entities)
        text = self._documents[number][1].text
        found: list[Span] = []
        code = self._topk.document(number)
        left = sum(map(code.count, words))  # how many words to highlight
        at, known, find = 0, self._chunks.get, text.find
        for chunk in text.split() if left else ():
            at = find(chunk, at)  # where the chunk starts: no word spans a space
            counted = known(chunk)
            if counted is None:
                counted = self._counted(chunk)
            if not words.isdisjoint(counted):
                for match in TOKEN.finditer(chunk):
                    term, cased, stopword = _fold(match.group())
                    if term and not stopword and self._numbers.get(term) in words:
                        found.append((at + match.start(), at + match.start() + len(cased)))
                        left -= 1
                if not left:
                    break
            at += len(chunk)
        numbers = self._numbers
        if entities and any(numbers.get(ENTITY + key, UNNUMBERED) in code for key in entities):
            read = Text(text, offsets=True)
            found += (
                read.span(first, end)
                for key, first, end in self._glossary.find(read)
                if key in entities
            )
            return _merged(found)
        return tuple(found)  # words never overlap, and come in order

    def _counted(self, chunk: str) -> str:
        """A chunk's counted words (no stopword, no mark), as characters; unknown ones none."""
        found = self._chunks.get(chunk)
        if found is None:
            numbers = self._numbers
            found = "".join(
                numbers.get(term, "")
                for term, _, stopword in map(_fold, TOKEN.findall(chunk))
                if term and not stopword
            )
            if len(self._chunks) >= _CHUNKS:
                self._chunks.clear()
            self._chunks[chunk] = found
        return found

    def _forward(self, number: int, kept: dict[int, _Document]) -> _Document:
        """An excerpt's words and where each is, for its highlights: read once, then kept."""
        found = kept.get(number)
        if found is None:
            found = self._read(self._documents[number][1].text)
            with self._lock:
                kept[number] = found
        return found

    def _read(self, text: str) -> _Document:
        """Index a text forward, for its highlights."""
        read = Text(text, offsets=True)
        words, clauses = read.words, read.clauses
        numbers = self._numbers
        characters = [numbers.get(read.stems[position], UNNUMBERED) for position in words]
        # A word that opens a new clause is preceded by a clause mark, which has no offsets.
        opens = [False, *(clauses[a] != clauses[b] for a, b in pairwise(words))][: len(words)]
        starts = [read.starts[position] for position in words]
        ends = [
            start + len(read.cased[position]) for start, position in zip(starts, words, strict=True)
        ]
        entities = tuple(
            (key, *read.span(first, end)) for key, first, end in self._glossary.find(read)
        )
        return _Document(
            "".join(CLAUSE + c if o else c for c, o in zip(characters, opens, strict=True)),
            (_with_marks(starts, opens), _with_marks(ends, opens)),
            entities,
        )
