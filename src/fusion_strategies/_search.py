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
small catalog keeps what it read of each; a large one knows from its build which chunks
of text say each word, and finds a hit's among them. Nothing in a query walks the whole
catalog but a phrase's search in the excerpts of its rarer word, which gives its idf
(`_topk` counts the phrases of two common words when it is built).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import chain, repeat
from operator import add, itemgetter, sub
from typing import TYPE_CHECKING

from ._codes import CLAUSE, UNNUMBERED, Coder, Reading
from ._collector import paused
from ._name_finder import ENTITY, CodedNames, NameFinder
from ._text import TOKEN, Span, Text, _fold
from ._topk import Part, TopK
from .model import Excerpt, Hit, Strategy

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["SearchIndex"]

_PHRASE_WEIGHT = 1.0
"""How much a phrase of the query weighs, next to one of its words (1)."""
_NAMED = 1 << 16
"""How many excerpts' entities, found for highlights, the index remembers."""
_FIND = 8
"""Up to this many chunks that say a query's words are looked for in a hit's text one by
one, not among its chunks: a few scans of a short text cost less than splitting it."""
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


def _entities_of(
    reading: Reading, names: CodedNames, coder: Coder, entity_codes: Mapping[str, str]
) -> list[str]:
    """Each text's entities, a character a name: the names of every text read are found at
    once, and told apart by where each ends."""
    found = names.find(reading.names, cased=lambda: reading.cased, written=coder.written)
    entities = [""] * len(reading.words)
    texts = reading.texts_at(map(itemgetter(1), found))  # whose each name is
    for number, (key, _, _) in zip(texts, found, strict=True):
        entities[number] += entity_codes[key]
    return entities


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

    __slots__ = ("_documents", "_glossary", "_kept", "_named", "_numbers", "_saying", "_topk")

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
        codes = list(map(add, codes, _entities_of(reading, names, coder, entity_codes)))
        unnumbered = UNNUMBERED in reading.names
        # What was read is freed before the postings are made, not after: the memory it
        # held then serves them, and is not left in use around them (5,000 excerpts: 2 MB;
        # the coder's chunks, below, 1 MB more).
        del reading
        extra: dict[int, dict[str, int]] = {}
        # Only a catalog of over a million distinct words has terms without a character.
        for number, words in enumerate(codes if unnumbered else ()):
            if UNNUMBERED in words:
                counts = Coder.unnumbered(self._documents[number][1].text, coder.numbers)
                extra[number] = {_LONG_TERM + term: said for term, said in counts.items()}
        small = TopK.is_small(len(codes))
        # A large catalog keeps the chunks that say each word (`Coder.saying`), for its
        # highlights; the coder's chunks are then freed before the postings are made.
        self._saying = {} if small else coder.saying()
        coder.forget_chunks()
        self._numbers = coder.numbers
        self._topk = TopK(codes, lengths, extra, character=coder.character)
        # A small one (`TopK.small`) keeps where each hit says each of its words, once read.
        self._kept: dict[int, dict[str, tuple[Span, ...]]] | None = {} if small else None
        self._named: dict[int, tuple[tuple[str, int, int], ...]] = {}  # excerpts' entities

    def search(self, query: str, *, limit: int) -> tuple[Hit, ...]:
        """The excerpts that best answer `query`, best first; see `Catalog.search`."""
        parsed = _Query(query, self._glossary)
        numbers = self._numbers
        terms = [numbers.get(term) or _LONG_TERM + term for term in parsed.terms]
        phrases = self._phrases(parsed.phrases)
        documents = self._documents
        entities = frozenset(term[1:] for term in parsed.terms if term.startswith(ENTITY))
        said = [term for term in parsed.terms if term in numbers and term[0] != ENTITY]
        words = frozenset(map(numbers.__getitem__, said))
        chunks: frozenset[str] = frozenset()
        if self._kept is None:  # a large catalog's: the chunks that say the words
            saying, said_as = self._saying, Coder.said_as
            chunks = frozenset(
                chain.from_iterable(said_as(term, saying, numbers[term]) for term in said)
            )
        return tuple(
            Hit(
                strategy=documents[number][0],
                excerpt=documents[number][1],
                score=score,
                spans=self._spans(number, words, chunks, entities),
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
        self, number: int, words: frozenset[str], chunks: frozenset[str], entities: frozenset[str]
    ) -> tuple[Span, ...]:
        """Where excerpt `number` says the query's words (as characters; in a large catalog,
        `chunks` are those that say them) or entities (by key).

        A small catalog reads each hit once and keeps where it says each word (`_words`).
        A large one knows, from its build, which chunks (what `text.split()` gives) say
        each word (`Coder.saying`): a hit's chunks that are among the query's are found in
        C, and where each is, by `str.find` (an excerpt's text is normalized, one space
        between words: the catalog's invariant); only a chunk of more than one token is
        tokenized again. The entities, if the query names any that the excerpt holds, are
        found by the glossary's finder, once an excerpt.
        """
        if self._kept is not None:
            where = self._kept.get(number)
            if where is None:
                where = self._kept[number] = self._words(number)
            said = [where[word] for word in words if word in where]
            found = said[0] if len(said) == 1 else sorted(chain.from_iterable(said))
        else:
            found = self._read(number, words, chunks) if chunks else []
        if entities:
            named = self._named.get(number)
            if named is None and self._names_any(number, entities):
                named = self._entities(number)
            if named:
                spans = [(start, end) for key, start, end in named if key in entities]
                if spans:
                    return _merged([*found, *spans])
        return tuple(found)  # words never overlap, and come in order

    def _names_any(self, number: int, entities: frozenset[str]) -> bool:
        """Whether excerpt `number` names any of the entities (by key), as its postings say."""
        numbers, code = self._numbers, self._topk.document(number)
        return any(numbers.get(ENTITY + key, UNNUMBERED) in code for key in entities)

    def _words(self, number: int) -> dict[str, tuple[Span, ...]]:
        """Where excerpt `number` says each of its counted words (as characters), in order."""
        read = Text(self._documents[number][1].text, offsets=True)
        numbers, starts, cased = self._numbers, read.starts, read.cased
        where: dict[str, list[Span]] = {}
        for position in read.words:
            word = numbers.get(read.stems[position])
            if word is not None:
                start = starts[position]
                where.setdefault(word, []).append((start, start + len(cased[position])))
        return {word: tuple(spans) for word, spans in where.items()}

    def _read(self, number: int, words: frozenset[str], chunks: frozenset[str]) -> list[Span]:
        """Where excerpt `number` says any of `words`, `chunks` being the chunks that do."""
        text = self._documents[number][1].text
        found: list[Span] = []
        # A few chunks are looked for in the text, each by `str.find`; more, among its
        # chunks, by one split and a set's intersection: both in C, and the same chunks.
        said = chunks if len(chunks) <= _FIND else chunks.intersection(text.split())
        for chunk in said:
            at = text.find(chunk)
            while at >= 0:
                end = at + len(chunk)
                # Chunks are separated by one space: elsewhere, it is inside a longer one.
                if (not at or text[at - 1] == " ") and (end == len(text) or text[end] == " "):
                    if chunk.isalnum():  # one word, the query's
                        found.append((at, end))
                    else:
                        found += self._chunk_spans(chunk, at, words)
                at = text.find(chunk, end + 1)
        return sorted(found)

    def _chunk_spans(self, chunk: str, at: int, words: frozenset[str]) -> list[Span]:
        """Where a chunk that starts at `at` says any of `words`, by `_text.Text`'s rule."""
        found = []
        for match in TOKEN.finditer(chunk):
            term, cased, stopword = _fold(match.group())
            if term and not stopword and self._numbers.get(term) in words:
                found.append((at + match.start(), at + match.start() + len(cased)))
        return found

    def _entities(self, number: int) -> tuple[tuple[str, int, int], ...]:
        """The (key, start, end) of each entity's name that excerpt `number` says: read once."""
        found = self._named.get(number)
        if found is None:
            read = Text(self._documents[number][1].text, offsets=True)
            found = tuple(
                (key, *read.span(first, end)) for key, first, end in self._glossary.find(read)
            )
            if len(self._named) >= _NAMED:
                self._named.clear()
            self._named[number] = found
        return found
