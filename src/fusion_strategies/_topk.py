"""The exact top k of BM25 without scoring every posting: how search stays fast at scale.

`Catalog.search` ranks excerpts by Okapi BM25 (`_bm25`), each of a query's terms and
phrases adding its weight to the excerpts that hold it. Summing every posting of every
term is exact, but a query of common words then costs as much as the postings of its
words: tens of thousands of additions in a large catalog, most for excerpts that end far
from the top ten.

Order. Documents are numbered here from the shortest to the longest (ties in page order),
and each term's postings are kept in that order, those that say the term once apart from
those that say it more often. A term said once weighs idf × (k1 + 1) / (1 + norm), and the
norm grows with the length, so along a term's postings of one the weights only fall: the
first are the heaviest.

Pruning. A query is answered on the shortest documents first, a prefix at a time, each
term, then each phrase, adding its weights to the documents of the prefix; a document
of the prefix then has its whole score. What any later document can still score is at most
the sum, over the query's terms and phrases, of the weight of the term's next posting of
one, or of the heaviest posting said more often that is left (bounded by its count and the
next norm). Once the k-th best score found beats that bound, no later document can enter
the top k, and the answer is complete; otherwise the prefix grows fourfold. A prefix ends
where a length ends, so that a later document never ties on its norm. This is the
MaxScore idea of Turtle and Flood (1995), with upper bounds that fall as the prefix grows,
as in score-at-a-time search of impact-ordered postings.

Exactness. The scores are the sums of the same weights, each computed by the same
expression, added in the same order (the query's terms, then its phrases) as a sum over
every posting would, so the answer is that sum's top k to the last bit; a test checks
this against exhaustive BM25 on generated catalogs. The bound is compared with a margin of
one part in 10^9, so that rounding never prunes a document that could tie.

Cost. A query costs the postings of the prefix it needs (often a few hundred, whatever the
catalog's size), one slice of each term's postings per prefix. A phrase's idf needs every
document that says it, so each phrase is looked for, as a substring of word codes
(`_codes`), in the documents of its rarer word: one C-level scan.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import accumulate, compress, repeat
from operator import contains, neg

from ._bm25 import K1, B, idf
from ._codes import CLAUSE, UNNUMBERED

__all__ = ["Part", "TopK"]

_MARGIN = 1.0 + 1e-9
"""How far the k-th best score must beat the bound: rounding never matters at that size."""
_FIRST_PREFIX = 8
"""The first prefix holds this many documents for each one asked for (at least)."""
_GROWTH = 4
_WEIGHED = 8192
"""An index of at most this many documents keeps each posting's weight."""
_FEW = 64
"""A part of at most this many postings has its documents scored whole first."""
_COUNT_COST = 1.0
"""What counting a part in a text costs, next to adding a posting's weight (measured: 1)."""
_IGNORED = frozenset((CLAUSE, UNNUMBERED))
"""Characters of a document that are no term: a clause mark and an unnumbered term."""


class _Many:
    """Postings of a term said more than once: documents, counts, and bounds."""

    __slots__ = ("bounds", "counts", "documents")

    def __init__(self) -> None:
        self.documents: array[int] = array("i")
        self.counts: array[int] = array("i")
        # bounds[i]: the most that postings i and later weigh, over the term's idf
        self.bounds: array[float] = array("d")

    def add(self, number: int, said: int, norm: float) -> None:
        """A posting, after those of documents numbered before it."""
        self.documents.append(number)
        self.counts.append(said)
        self.bounds.append(said * (K1 + 1.0) / (said + norm))

    def close(self) -> None:
        """Make each posting's bound the heaviest from it on, once every posting is in."""
        self.bounds = array("d", reversed(list(accumulate(reversed(self.bounds), max))))


class Part:
    """A term or a phrase of a query: what it is in a text, its postings, idf and weight.

    `code` is what a document's text says for it (a term's character, or a phrase's two);
    `ones` the documents that say it once, `many` those that say it more often.
    """

    __slots__ = ("code", "factor", "idf", "many", "ones", "weights")

    def __init__(
        self,
        code: str,
        ones: array[int],
        many: _Many,
        idf: float,
        factor: float,
        *,
        weights: array[float] | None = None,
    ) -> None:
        self.code = code
        self.ones = ones
        self.many = many
        self.idf = idf
        self.factor = factor  # what the part's weight is multiplied by: a phrase's weight
        self.weights = weights  # the weight of each of `ones`, where the index keeps them

    def left(self, done: int) -> int:
        """How many postings are left from document `done` on."""
        return (
            len(self.ones)
            - bisect_left(self.ones, done)
            + len(self.many.documents)
            - bisect_left(self.many.documents, done)
        )


class TopK:
    """BM25 over documents written as strings of term characters, queried for the top k.

    Each document is a string whose characters are its terms, one character an occurrence
    (a `_codes.CLAUSE` or `_codes.UNNUMBERED` character counts towards its length, as a
    clause mark does not); `extra` gives, by document number, the counts of terms that
    are longer strings (`_codes.Coder.unnumbered`).

    >>> index = TopK(["ab", "b\\0c", "aab"], lengths=[2, 2, 3])
    >>> index.best(index.terms(["a"]), limit=2)  # "aab", longer, says it twice: it comes first
    [(0.5981864372218454, 2), (0.4991762683023676, 0)]
    """

    __slots__ = (
        "_lengths",
        "_many",
        "_norms",
        "_ones",
        "_order",
        "_plus_one",
        "_texts",
        "_weights",
        "size",
    )

    def __init__(
        self,
        documents: Sequence[str],
        lengths: Sequence[int],
        extra: Mapping[int, Mapping[str, int]] | None = None,
    ) -> None:
        self.size = len(documents)
        average = (sum(map(float, lengths)) / self.size if self.size else 0.0) or 1.0
        # Shortest first, ties in page order: each term's postings of one fall in weight.
        order = sorted(range(self.size), key=lengths.__getitem__)
        self._order = array("i", order)  # the page number of each document here
        self._lengths = array("q", map(lengths.__getitem__, order))
        norms = self._norms = array(
            "d", (K1 * (1.0 - B + B * length / average) for length in self._lengths)
        )
        self._plus_one = array("d", (1 + norm for norm in norms))
        self._texts = list(map(documents.__getitem__, order))
        ones: dict[str, list[int]] = {}  # lists while they grow: faster to append to
        many: dict[str, _Many] = {}
        extra = extra or {}
        for number, page in enumerate(order):
            counts = Counter(documents[page])
            if page in extra:
                counts.update(extra[page])
            for term, said in counts.items():
                if said == 1:
                    try:
                        ones[term].append(number)
                    except KeyError:
                        ones[term] = [number]
                else:
                    held = many.get(term)
                    if held is None:
                        held = many[term] = _Many()
                    held.add(number, said, norms[number])
        for mark in _IGNORED:
            ones.pop(mark, None)
            many.pop(mark, None)
        for held in many.values():
            held.close()
        self._ones = {term: array("i", numbers) for term, numbers in ones.items()}
        self._many = many
        # A small index keeps the weight of each posting said once: a query then adds them,
        # and the memory is no concern at that size.
        self._weights: dict[str, array[float]] = {}
        if self.size <= _WEIGHED:
            for term, numbers in self._ones.items():
                heavy = idf(self.size, self.holding(term)) * 1 * (K1 + 1.0)
                self._weights[term] = array(
                    "d", (heavy / self._plus_one[number] for number in numbers)
                )

    def holding(self, term: str) -> int:
        """How many documents hold the term."""
        ones = self._ones.get(term)
        many = self._many.get(term)
        return (0 if ones is None else len(ones)) + (0 if many is None else len(many.documents))

    def terms(self, terms: Iterable[str]) -> list[Part]:
        """A query's terms that some document holds, each once, in the order given."""
        return [
            Part(
                term,
                self._ones.get(term, _EMPTY),
                self._many.get(term, _NO_MANY),
                idf(self.size, held),
                1.0,
                weights=self._weights.get(term),
            )
            for term in dict.fromkeys(terms)
            if (held := self.holding(term))
        ]

    def phrase(self, first: str, second: str, weight: float) -> Part | None:
        """Two term characters in a row, as a part of `weight`, if a document says them."""
        holders = self._holders(min((first, second), key=self.holding))
        pattern = first + second
        texts = list(map(self._texts.__getitem__, holders))
        saying = list(map(contains, texts, repeat(pattern)))
        ones, many, held = array("i"), _Many(), 0
        for number, said in zip(
            compress(holders, saying),
            map(str.count, compress(texts, saying), repeat(pattern)),
            strict=True,
        ):
            held += 1
            if said == 1:
                ones.append(number)
            else:
                many.add(number, said, self._norms[number])
        many.close()
        return Part(pattern, ones, many, idf(self.size, held), weight) if held else None

    def _holders(self, term: str) -> list[int]:
        """The documents that hold a term, in this index's order."""
        ones = self._ones.get(term)
        many = self._many.get(term)
        if many is None:
            return [] if ones is None else list(ones)
        return sorted([*(ones or ()), *many.documents])

    def weight(self, number: int, said: int, idf: float) -> float:
        """The idf × BM25 weight in one document of a term said there `said` times."""
        return idf * said * (K1 + 1.0) / (said + self._norms[number])

    def best(self, parts: Sequence[Part], limit: int) -> list[tuple[float, int]]:
        """The `limit` best (score, page number) pairs, best first, ties in page order.

        A document's score is the sum of its parts' weights, added in their order.
        """
        size = self.size
        scores: dict[int, float] = {}
        if size <= limit * _FIRST_PREFIX:  # one prefix holds them all: nothing to prune
            self._add(scores, parts, 0, size)
            return self._top(scores, limit)
        # A part of few postings (a rare term, most phrases) would hold the bound up for
        # long: its documents are scored whole now, and it bounds no document left.
        few = [part for part in parts if part.left(0) <= _FEW]
        whole: dict[int, float] = {}  # kept apart: the rounds add to what is in `scores`
        if few and not any(part.code[0] == UNNUMBERED for part in parts):
            self._score_whole(whole, parts, few, 0, 0.0)
            closed = {id(part) for part in few}
        else:
            closed = set()
        done = 0
        while done < size:
            upto = self._length_end(max(done * _GROWTH, limit * _FIRST_PREFIX))
            self._add(scores, parts, done, upto)
            done = upto
            known = scores | whole if whole else scores
            if done == size or len(known) < limit:
                continue
            least = heapq.nlargest(limit, known.values())[-1]
            bounds = [0.0 if id(part) in closed else self._bound(part, done) for part in parts]
            if least > sum(bounds) * _MARGIN:
                break
            essential = _essential(bounds, least)
            # MaxScore: only a document that holds an essential part can still reach the
            # top, and scoring those whole (a count per part) may cost less than the rest.
            if essential and self._rest(
                scores, parts, [parts[at] for at in essential], done, least
            ):
                break
        scores.update(whole)  # the same scores, where the rounds reached them too
        return self._top(scores, limit)

    def _top(self, scores: dict[int, float], limit: int) -> list[tuple[float, int]]:
        """The `limit` best of `scores`, as (score, page number), ties in page order."""
        pages = map(self._order.__getitem__, scores)
        candidates: Iterable[tuple[float, int]]
        if len(scores) > limit:
            least = heapq.nlargest(limit, scores.values())[-1]
            candidates = [
                (score, -page)
                for score, page in zip(scores.values(), pages, strict=True)
                if score >= least
            ]
        else:
            candidates = zip(scores.values(), map(neg, pages), strict=True)
        return [(score, -page) for score, page in sorted(candidates, reverse=True)[:limit]]

    def _add(self, scores: dict[int, float], parts: Sequence[Part], done: int, upto: int) -> None:
        """Score the documents numbered from `done` up to `upto`: each part, in order."""
        get = scores.get
        plus_one, norms = self._plus_one, self._norms
        every = done == 0 and upto >= self.size
        for part in parts:
            ones, many, factor = part.ones, part.many, part.factor
            # weight(number, 1, idf) is heavy / (1 + norm); a term's factor is 1.0, which
            # changes nothing, so only a phrase's is multiplied by.
            heavy = part.idf * 1 * (K1 + 1.0)
            numbers = ones if every else ones[bisect_left(ones, done) : bisect_left(ones, upto)]
            if every and part.weights is not None:  # the same weights, kept (a term's)
                for number, weighs in zip(numbers, part.weights, strict=True):
                    scores[number] = get(number, 0.0) + weighs
            elif factor == 1.0:
                for number in numbers:
                    scores[number] = get(number, 0.0) + heavy / plus_one[number]
            else:
                for number in numbers:
                    scores[number] = get(number, 0.0) + factor * (heavy / plus_one[number])
            if many.documents:
                first, end = bisect_left(many.documents, done), bisect_left(many.documents, upto)
                term_idf = part.idf
                for number, said in zip(
                    many.documents[first:end], many.counts[first:end], strict=True
                ):  # the weight as `weight` computes it
                    weighs = term_idf * said * (K1 + 1.0) / (said + norms[number])
                    scores[number] = get(number, 0.0) + factor * weighs

    def _bound(self, part: Part, done: int) -> float:
        """The most that a part adds to a document numbered `done` or later."""
        at = bisect_left(part.ones, done)
        bound = self.weight(part.ones[at], 1, part.idf) if at < len(part.ones) else 0.0
        at = bisect_left(part.many.documents, done)
        if at < len(part.many.documents):
            bound = max(bound, part.idf * part.many.bounds[at])
        return part.factor * bound

    def _rest(
        self,
        scores: dict[int, float],
        parts: Sequence[Part],
        essential: Sequence[Part],
        done: int,
        least: float,
    ) -> bool:
        """Score whole the documents from `done` on that hold an essential part, if cheaper.

        Gives False, having done nothing, where scoring the postings left costs less, or
        where a part is no character of the texts (a term past the last number).
        """
        if any(part.code[0] == UNNUMBERED for part in parts):
            return False
        whole = sum(part.left(done) for part in essential) * (1 + len(parts) * _COUNT_COST)
        if whole > sum(part.left(done) for part in parts):
            return False
        self._score_whole(scores, parts, essential, done, least)
        return True

    def _score_whole(
        self,
        scores: dict[int, float],
        parts: Sequence[Part],
        holding: Sequence[Part],
        done: int,
        least: float,
    ) -> None:
        """Score whole, by counting each part in its text, each document from `done` on that
        holds one of `holding`, and keep those that score `least` or more."""
        candidates: set[int] = set()
        for part in holding:
            candidates.update(part.ones[bisect_left(part.ones, done) :])
            documents = part.many.documents
            candidates.update(documents[bisect_left(documents, done) :])
        texts, weight = self._texts, self.weight
        for number in candidates:
            text, score = texts[number], 0.0
            for part in parts:
                said = text.count(part.code)
                if said:
                    score += part.factor * weight(number, said, part.idf)
            if score >= least:
                scores[number] = score

    def _length_end(self, upto: int) -> int:
        """The end of the run of documents as long as the last before `upto`."""
        if upto >= self.size:
            return self.size
        return bisect_right(self._lengths, self._lengths[upto - 1])


def _essential(bounds: Sequence[float], least: float) -> list[int]:
    """The parts (by place) not among the least bounds that sum below `least`; [] if none are."""
    ranked = sorted(range(len(bounds)), key=bounds.__getitem__)
    total, inessential = 0.0, 0
    for at in ranked:
        total += bounds[at]
        if total * _MARGIN >= least:
            break
        inessential += 1
    return sorted(ranked[inessential:]) if inessential else []


_EMPTY: array[int] = array("i")
_NO_MANY = _Many()
