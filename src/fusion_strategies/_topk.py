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
as in score-at-a-time search of impact-ordered postings. And where the bound is not yet
beaten, but is by the sum of all but a few of its terms' bounds, only a document that
holds one of those few can still enter the top k: those are scored whole, if that costs
less than going on. Their weights in the few are read from the postings; then each other
term, the heaviest first, is read from its postings or counted in the texts of those
still in the running, whichever costs less, and after each only a document whose weights
so far and the bounds of the terms left reach the k-th score stays. A query of one term
bounds its postings said once apart from those said more often, since a document is among
one or the other: a common word said once weighs little, and its many postings of one are
left out.

Exactness. The scores are the sums of the same weights, each computed by the same
expression, added in the same order (the query's terms, then its phrases) as a sum over
every posting would, so the answer is that sum's top k to the last bit; a test checks
this against exhaustive BM25 on generated catalogs. The bound is compared with a margin of
one part in 10^9, so that rounding never prunes a document that could tie.

Phrases. A phrase's idf needs every document that says it. A phrase with a rare word is
looked for, as a substring of word codes (`_codes`), in that word's documents: one
C-level scan. Two common words would be thousands of documents, so the index counts,
when it is built, how many documents say each two common terms in a row; such a phrase is
then scored from its rarer word's documents, counted in each text, and looked for in the
rest only if the first prefix does not settle the query: in one pass, their texts joined
and split at the phrase. Most such phrases are said by few documents, which are then
scored whole, as the few parts are, so that the phrase's bound, as heavy as a rare term's,
no longer keeps the search going. One said by more is looked for only after a later
prefix, or when MaxScore would score its stand-ins whole, and only if they say it
rarely: one that most of them say ("fusion center") weighs as little as its words, and
counting it in them as the rounds go costs less than looking for it in them all first.

Small. An index of at most `_SMALL` documents keeps each posting's weight and is scored
whole, as is a query of at most `_WHOLE` postings: pruning would cost more than it saves.

Cost. A query costs the postings of the prefix it needs (often a few hundred, whatever the
catalog's size), one slice of each term's postings per prefix.
"""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import accumulate, chain, compress, filterfalse, islice, repeat
from operator import add, eq, ge, mul, neg, not_, truediv
from typing import NamedTuple

from ._bm25 import K1, B, idf
from ._codes import CLAUSE, TEXT_END, UNNUMBERED

__all__ = ["Part", "TopK"]

_MARGIN = 1.0 + 1e-9
"""How far the k-th best score must beat the bound: rounding never matters at that size."""
_FIRST_PREFIX = 8
"""The first prefix holds this many documents for each one asked for (at least)."""
_GROWTH = 4
_COMMON = 1024
"""A term held by at least this many documents is common: its phrases are counted first."""
_SMALL = 1024
"""An index of at most this many documents keeps each posting's weight and is searched
whole: pruning would save less than it costs."""
_FEW = 64
"""A part of at most this many postings has its documents scored whole first."""
_SPARSE = 2
"""A phrase of common words said by more than `_FEW` documents is looked for after a later
prefix, or when MaxScore needs it, only if its rarer word's documents are at least this many
times those that say it."""
_WHOLE = 256
"""A query of at most this many postings is scored whole: pruning would cost more."""
_PHRASES = 1 << 16
"""How many phrases a small index keeps, found or not, before it forgets them."""
_COUNT_COST = 1.0
"""What scoring a candidate whole costs for each part, next to adding a posting's weight:
MaxScore is taken where its candidates cost less than the postings left (measured: 1)."""
_TEXT_COST = 2.0
"""What counting a part in a text costs, next to putting a posting's weight in a dict, where
MaxScore can do either (measured at 50,000 excerpts: about 400 ns against 200 ns)."""
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

    def close(self) -> None:
        """Make each posting's bound the heaviest from it on, once every posting is in."""
        self.bounds = array("d", reversed(list(accumulate(reversed(self.bounds), max))))

    @classmethod
    def of(cls, documents: array[int], counts: array[int], norms: Sequence[float]) -> _Many:
        """The postings of these documents, in order, that say a term these many times.

        A posting's bound is its count's weight over the idf, count × (k1 + 1) / (count +
        norm), computed in C; `close` then makes each the heaviest from it on.
        """
        many = cls()
        many.documents, many.counts = documents, counts
        many.bounds = array(
            "d",
            map(
                truediv,
                map(mul, counts, repeat(K1 + 1.0)),
                map(add, counts, map(norms.__getitem__, documents)),
            ),
        )
        many.close()
        return many


class Part:
    """A term or a phrase of a query: what it is in a text, its postings, idf and weight.

    `code` is what a document's text says for it (a term's character, or a phrase's two);
    `ones` the documents that say it once, `many` those that say it more often.
    """

    __slots__ = ("code", "factor", "idf", "many", "ones", "say", "weighed")

    def __init__(
        self,
        code: str,
        ones: array[int],
        many: _Many,
        idf: float,
        factor: float,
        *,
        say: bool = True,
    ) -> None:
        self.code = code
        self.ones = ones
        self.many = many
        self.idf = idf
        self.factor = factor  # what the part's weight is multiplied by: a phrase's weight
        # Each posting's document and weight (times the factor), where they are kept.
        self.weighed: list[tuple[int, float]] | None = None
        # Whether the documents of `ones` and `many` all say the part, as often as they
        # tell; if not (a phrase of two common words), they are those of its rarer word,
        # and the part is counted in each one's text.
        self.say = say

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
    are longer strings (`_codes.Coder.unnumbered`). `character` gives a term's character
    from its code point, as the caller has it (`_codes.Coder.character`), so that the
    index's terms are the caller's strings, not copies of them.

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
        "_pairs",
        "_parts",
        "_phrases",
        "_plus_one",
        "_rank",
        "_texts",
        "size",
    )

    def __init__(
        self,
        documents: Sequence[str],
        lengths: Sequence[int],
        extra: Mapping[int, Mapping[str, int]] | None = None,
        *,
        character: Callable[[int], str] = chr,
    ) -> None:
        self.size = len(documents)
        average = (sum(map(float, lengths)) / self.size if self.size else 0.0) or 1.0
        # Shortest first, ties in page order: each term's postings of one fall in weight.
        order = sorted(range(self.size), key=lengths.__getitem__)
        self._order = array("i", order)  # the page number of each document here
        self._rank = array("i", bytes(4 * self.size))  # and each page number's place here
        for number, page in enumerate(order):
            self._rank[page] = number
        self._lengths = array("q", map(lengths.__getitem__, order))
        norms = self._norms = array(
            "d", (K1 * (1.0 - B + B * length / average) for length in self._lengths)
        )
        self._plus_one = array("d", (1 + norm for norm in norms))
        self._texts = list(map(documents.__getitem__, order))
        rank = self._rank
        self._ones, self._many = _postings(
            self._texts,
            norms,
            {rank[page]: counts for page, counts in (extra or {}).items()},
            character,
        )
        self._pairs = self._count_pairs()
        # A small index keeps each term's part, with the weight of each posting, and is
        # searched whole: a query only adds the weights, and memory is no concern there.
        self._parts: dict[str, Part] | None = None
        self._phrases: dict[tuple[str, float], Part | None] = {}  # a small index's, once found
        if self.is_small(self.size):
            self._parts = {term: self._part(term) for term in (*self._ones, *self._many)}
            for part in self._parts.values():
                part.weighed = self._weighed(part)

    def _weighed(self, part: Part) -> list[tuple[int, float]]:
        """Each posting of a part and its weight, as `_add` computes it, the factor applied."""
        heavy, factor, norms = part.idf * 1 * (K1 + 1.0), part.factor, self._norms
        weighed = [(number, factor * (heavy / self._plus_one[number])) for number in part.ones]
        weighed += (
            (number, factor * (part.idf * said * (K1 + 1.0) / (said + norms[number])))
            for number, said in zip(part.many.documents, part.many.counts, strict=True)
        )
        return weighed

    @staticmethod
    def is_small(size: int) -> bool:
        """Whether an index of `size` documents is small (see `small`).

        >>> TopK.is_small(54), TopK.is_small(5_000)
        (True, False)
        """
        return size <= _SMALL

    @property
    def small(self) -> bool:
        """Whether the index is small: scored whole, each posting's weight kept."""
        return self._parts is not None

    def document(self, page: int) -> str:
        """The document numbered `page` as it was given."""
        return self._texts[self._rank[page]]

    def holding(self, term: str) -> int:
        """How many documents hold the term."""
        ones = self._ones.get(term)
        many = self._many.get(term)
        return (0 if ones is None else len(ones)) + (0 if many is None else len(many.documents))

    def terms(self, terms: Iterable[str]) -> list[Part]:
        """A query's terms that some document holds, each once, in the order given."""
        parts = self._parts
        if parts is not None:
            return [parts[term] for term in dict.fromkeys(terms) if term in parts]
        return [self._part(term) for term in dict.fromkeys(terms) if self.holding(term)]

    def _part(self, term: str) -> Part:
        """A term's part of a query."""
        return Part(
            term,
            self._ones.get(term, _EMPTY),
            self._many.get(term, _NO_MANY),
            idf(self.size, self.holding(term)),
            1.0,
        )

    def _count_pairs(self) -> dict[str, int]:
        """How many documents say each two common terms in a row (phrases' idf needs it).

        A phrase of a rare word is looked for in that word's documents when asked; one of
        two common words would be looked for in thousands, so it is counted here, once.
        """
        # How many documents hold each term, as `holding` tells, in C: most terms are ones'.
        held = dict(zip(self._ones, map(len, self._ones.values()), strict=True))
        for term, many in self._many.items():
            held[term] = held.get(term, 0) + len(many.documents)
        common = list(compress(held, map(ge, held.values(), repeat(_COMMON))))
        if not common:
            return {}
        either = "".join(map(re.escape, dict.fromkeys(common)))
        in_a_row = re.compile(f"(?=([{either}]{{2}}))")
        # Each text's pairs, each once, counted over all texts in C.
        return dict(Counter(chain.from_iterable(map(set, map(in_a_row.findall, self._texts)))))

    def phrase(self, first: str, second: str, weight: float) -> Part | None:
        """Two term characters in a row, as a part of `weight`, if a document says them.

        A phrase of two common words is not looked for yet: its idf is known, and the
        documents of its rarer word stand for its own (see `Part.say`) until the first
        prefix does not settle the query (`_said`).
        """
        pattern = first + second
        if self._parts is not None:
            return self._small_phrase(pattern, weight)
        rarer = min((first, second), key=self.holding)
        if self.holding(rarer) >= _COMMON:  # counted when the index was built
            held = self._pairs.get(pattern, 0)
            if not held:
                return None
            ones, many = self._ones.get(rarer, _EMPTY), self._many.get(rarer, _NO_MANY)
            return Part(pattern, ones, many, idf(self.size, held), weight, say=False)
        found = self._said(pattern, self._holders(rarer), weight)
        return found if found.left(0) else None

    def _small_phrase(self, pattern: str, weight: float) -> Part | None:
        """`phrase` in a small index: only the phrase's postings' weights, for `_add`.

        A small index has few phrases that its documents say, and finding one's costs a
        count in each document of its rarer word: each is found once, and kept.
        """
        key = (pattern, weight)
        try:
            return self._phrases[key]
        except KeyError:
            pass
        found = self._phrases[key] = self._find_small_phrase(pattern, weight)
        if len(self._phrases) > _PHRASES:
            self._phrases.clear()  # phrases that no document says, from so many queries
        return found

    def _find_small_phrase(self, pattern: str, weight: float) -> Part | None:
        assert self._parts is not None
        first, second = self._parts.get(pattern[0]), self._parts.get(pattern[1])
        if first is None or second is None:
            return None
        rarer = first if len(first.weighed or ()) <= len(second.weighed or ()) else second
        texts = self._texts
        said = [(n, times) for n, _ in rarer.weighed or () if (times := texts[n].count(pattern))]
        if not said:
            return None
        part = Part(pattern, _EMPTY, _NO_MANY, idf(self.size, len(said)), weight)
        part.weighed = [(n, weight * self.weight(n, times, part.idf)) for n, times in said]
        return part

    def _said(
        self, pattern: str, holders: Sequence[int], weight: float, idf_: float | None = None
    ) -> Part:
        """The documents among `holders` that say a phrase, found in C, as its part.

        Many holders' texts are joined by `TEXT_END` (no term's character) and split at
        the phrase: each piece but the last ends where the phrase is said, without
        overlaps as `str.count` counts, and the marks in the pieces up to it tell whose
        text that is.
        """
        texts, norms = self._texts, self._norms
        numbers: Sequence[int]
        counts: Sequence[int]
        if len(holders) < _FEW:  # few: one by one costs less than setting up the steps in C
            said = [(n, times) for n in holders if (times := texts[n].count(pattern))]
            numbers, counts = [n for n, _ in said], [times for _, times in said]
        else:
            pieces = TEXT_END.join(map(texts.__getitem__, holders)).split(pattern)
            del pieces[-1]
            # Each occurrence's holder, by place: the marks before it.
            places = Counter(accumulate(map(str.count, pieces, repeat(TEXT_END))))
            del pieces
            numbers, counts = list(map(holders.__getitem__, places)), list(places.values())
        once = list(map(eq, counts, repeat(1)))
        ones = array("i", compress(numbers, once))
        many = _NO_MANY
        if len(ones) < len(numbers):
            often = list(map(not_, once))
            many = _Many.of(
                array("i", compress(numbers, often)), array("i", compress(counts, often)), norms
            )
        held = len(numbers)
        return Part(pattern, ones, many, idf(self.size, held) if idf_ is None else idf_, weight)

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
        if (
            self._parts is not None
            or size <= limit * _FIRST_PREFIX
            or sum(part.left(0) for part in parts) <= _WHOLE
        ):  # nothing to prune, or too little to be worth it
            self._add(scores, parts, 0, size)
            return self._top(scores, limit)
        # A part of few postings (a rare term, most phrases) would hold the bound up for
        # long: its documents are scored whole now, and it bounds no document left.
        few = [part for part in parts if part.left(0) <= _FEW]
        whole: dict[int, float] = {}  # kept apart: the rounds add to what is in `scores`
        countable = not any(part.code[0] == UNNUMBERED for part in parts)
        closed: set[int] = set()
        if few and countable:
            self._close(whole, parts, few, 0, closed)
        done = 0
        while done < size:
            upto = self._length_end(max(done * _GROWTH, limit * _FIRST_PREFIX))
            self._add(scores, parts, done, upto)
            if not all(part.say for part in parts):
                # The phrases of common words, looked for in the rest from now on: after
                # the first prefix, those said by few documents, which are scored whole
                # now, as the few parts were, so that their bound no longer holds the
                # others' up; after a later one, those said by few of their rarer word's.
                parts = [
                    self._found(part, upto) if self._sought(part, done) else part for part in parts
                ]
                if not done:
                    few = [
                        part for part in parts if part.left(upto) <= _FEW and id(part) not in closed
                    ]
                    if few and countable:
                        self._close(whole, parts, few, upto, closed)
            done = upto
            # The scores known: the rounds', and those scored whole that they did not reach
            # (the same score, where they did), without copying the rounds' into a new dict.
            apart = [score for number, score in whole.items() if number not in scores]
            if done == size or len(scores) + len(apart) < limit:
                continue
            least = heapq.nlargest(limit, chain(scores.values(), apart))[-1]
            bounds = [_CLOSED if id(part) in closed else self._bounds(part, done) for part in parts]
            if least > sum(max(pair) for pair in bounds) * _MARGIN:
                break
            # MaxScore: only a document that holds an essential part can still reach the
            # top, and scoring those whole (a count per part) may cost less than the rest.
            # A term alone bounds its postings said once apart from those said more often,
            # since a document is among one or the other: a common word's many postings of
            # one then weigh too little to be scored. With several parts, bounding them so
            # let far more documents be scored whole than the rounds would reach (measured).
            if len(parts) == 1:
                essential = _essential(bounds[0], least)
                part = parts[0]
                held = [
                    (0, part.many.documents, part.many.counts) if at else (0, part.ones, None)
                    for at in essential
                ]
                heaviest = [0.0]  # a document is among one of the two, and weighs what it tells
            else:
                essential = _essential([max(pair) for pair in bounds], least)
                # An essential phrase counted in its rarer word's documents would make them
                # all candidates: looked for now, if few of them say it.
                parts = [
                    self._found(part, done)
                    if at in essential and id(part) not in closed and self._sought(part, done)
                    else part
                    for at, part in enumerate(parts)
                ]
                held = [
                    held
                    for at in essential
                    for held in (
                        (at, parts[at].ones, None),
                        (at, parts[at].many.documents, parts[at].many.counts),
                    )
                ]
                # The most that each other part adds to a candidate (a part found since
                # bounds no more than its stand-in did).
                heaviest = [max(pair) for pair in bounds]
            if held and self._rest(scores, parts, _Essential(held, heaviest), done, least):
                break
        scores.update(whole)  # the same scores, where the rounds reached them too
        return self._top(scores, limit)

    def _top(self, scores: dict[int, float], limit: int) -> list[tuple[float, int]]:
        """The `limit` best of `scores`, as (score, page number), ties in page order."""
        order = self._order
        candidates: Iterable[tuple[float, int]]
        if len(scores) > max(limit, _FEW):  # the score to beat, among bare floats first
            least = heapq.nlargest(limit, scores.values())[-1]
            kept = compress(scores.items(), map(ge, scores.values(), repeat(least)))  # in C
            candidates = [(score, -order[number]) for number, score in kept]
        else:
            pages = map(order.__getitem__, scores)
            candidates = zip(scores.values(), map(neg, pages), strict=True)
        return [(score, -page) for score, page in sorted(candidates, reverse=True)[:limit]]

    def _add(self, scores: dict[int, float], parts: Sequence[Part], done: int, upto: int) -> None:
        """Score the documents numbered from `done` up to `upto`: each part, in order."""
        get = scores.get
        plus_one, norms = self._plus_one, self._norms
        every = done == 0 and upto >= self.size
        for at, part in enumerate(parts):
            if not part.say:
                self._add_counted(scores, part, done, upto)
                continue
            ones, many, factor = part.ones, part.many, part.factor
            # weight(number, 1, idf) is heavy / (1 + norm); a term's factor is 1.0, which
            # changes nothing, so only a phrase's is multiplied by.
            heavy = part.idf * 1 * (K1 + 1.0)
            numbers = ones if every else ones[bisect_left(ones, done) : bisect_left(ones, upto)]
            if every and part.weighed is not None:  # the same weights, kept
                for number, weighs in part.weighed:
                    scores[number] = get(number, 0.0) + weighs
                continue
            if not at and factor == 1.0:  # the first term: no document from `done` on has
                for number in numbers:  # a score yet, and 0.0 + a weight is the weight
                    scores[number] = heavy / plus_one[number]
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
                    scores[number] = (get(number, 0.0) if at else 0.0) + factor * weighs

    def _sought(self, part: Part, done: int) -> bool:
        """Whether a phrase of common words is looked for once the prefix from `done` on is
        scored: after the first, if few documents say it (it is then closed); after a later
        one, if at most one in `_SPARSE` of its rarer word's do (it then bounds and adds
        less than its stand-in). One said by more is counted in them as the rounds go: it
        weighs little, and the search often ends before looking for it would pay."""
        if part.say:
            return False
        held = self._pairs[part.code]
        return held <= _FEW if not done else held * _SPARSE <= part.left(0)

    def _found(self, part: Part, done: int) -> Part:
        """A phrase of common words (`Part.say` false), found in its documents from `done` on."""
        ones, many = part.ones, part.many.documents
        holders = sorted([*ones[bisect_left(ones, done) :], *many[bisect_left(many, done) :]])
        return self._said(part.code, holders, part.factor, part.idf)

    def _add_counted(self, scores: dict[int, float], part: Part, done: int, upto: int) -> None:
        """`_add` of a part counted in the texts of its rarer word's documents, in C."""
        texts, norms, factor, part_idf = self._texts, self._norms, part.factor, part.idf
        for documents in (part.ones, part.many.documents):
            numbers = documents[bisect_left(documents, done) : bisect_left(documents, upto)]
            counts = list(map(str.count, map(texts.__getitem__, numbers), repeat(part.code)))
            for number, said in zip(compress(numbers, counts), filter(None, counts), strict=True):
                # the weight as `weight` computes it
                scores[number] += factor * (part_idf * said * (K1 + 1.0) / (said + norms[number]))

    def _bounds(self, part: Part, done: int) -> tuple[float, float]:
        """The most that a part adds to a document numbered `done` or later that says it
        once, and to one that says it more often."""
        at = bisect_left(part.ones, done)
        once = self.weight(part.ones[at], 1, part.idf) if at < len(part.ones) else 0.0
        at = bisect_left(part.many.documents, done)
        often = part.idf * part.many.bounds[at] if at < len(part.many.documents) else 0.0
        return part.factor * once, part.factor * often

    def _rest(
        self,
        scores: dict[int, float],
        parts: Sequence[Part],
        essential: _Essential,
        done: int,
        least: float,
    ) -> bool:
        """Score whole the documents from `done` on among the essential postings, if cheaper.

        Each candidate's essential weights are known first: from the postings, or counted
        in its text for a part counted in its stand-ins. Then the other parts, the heaviest
        first, each from its postings or counted in the texts, whichever costs less: after
        each, only a candidate whose weights so far and the bounds of the parts left reach
        `least` can still enter the top, and is kept. Those kept are scored, each part's
        weight added in the parts' order, as the rounds add them.

        Gives False, having done nothing, where scoring the postings left costs less, or
        where a part is no character of the texts (a term past the last number).
        """
        if any(part.code[0] == UNNUMBERED for part in parts):
            return False
        left = sum(
            len(documents) - bisect_left(documents, done) for _, documents, _ in essential.postings
        )
        whole = left * (1 + len(parts) * _COUNT_COST)
        if whole > sum(part.left(done) for part in parts):
            return False
        known = self._essential_weights(parts, essential.postings, done)
        # Each candidate's essential weights added, in the parts' order (that of `known`):
        # where no other part is left, its score as the rounds add it.
        partial: dict[int, float]
        if len(known) == 1:
            (partial,) = known.values()  # 0.0 and a weight are the weight
        else:
            partial = dict.fromkeys(set().union(*known.values()), 0.0)
            for weighs in known.values():
                for number, weighs_there in weighs.items():
                    partial[number] += weighs_there
        heaviest = essential.heaviest
        others = sorted(set(range(len(parts))) - known.keys(), key=heaviest.__getitem__)
        slack, exact = sum(map(heaviest.__getitem__, others)), not others
        while others:
            # The sum of rounded weights is within far less than the margin of the exact one.
            floor = least / _MARGIN - slack
            partial = {number: score for number, score in partial.items() if score >= floor}
            at = others.pop()  # the heaviest part left
            slack -= heaviest[at]
            part = parts[at]
            if not part.say or len(partial) * _TEXT_COST < part.left(done):
                known[at] = self._counted(part, partial)
            else:
                known[at] = self._posted(part, done)
            get = known[at].get
            for number in partial:
                partial[number] += get(number, 0.0)
        if not exact:
            partial = _totals(partial, [known[at] for at in range(len(parts))])
        scores.update(compress(partial.items(), map(ge, partial.values(), repeat(least))))
        return True

    def _essential_weights(
        self,
        parts: Sequence[Part],
        postings: Sequence[tuple[int, array[int], array[int] | None]],
        done: int,
    ) -> dict[int, dict[int, float]]:
        """By place, the weight of each essential part in each of its documents from `done`
        on, from its postings (see `_Essential`), or, for a part counted in its stand-ins,
        counted in their texts."""
        norms, plus_one = self._norms, self._plus_one
        known: dict[int, dict[int, float]] = {}
        for at, documents, counts in postings:
            part, first = parts[at], bisect_left(documents, done)
            weighs = known.setdefault(at, {})
            factor, part_idf = part.factor, part.idf
            if not part.say:
                weighs.update(zip(documents[first:], repeat(0.0)))
            elif counts is None:  # said once: the weight as `_add` computes it
                heavy = part_idf * 1 * (K1 + 1.0)
                for number in documents[first:]:
                    weighs[number] = factor * (heavy / plus_one[number])
            else:
                for number, said in zip(documents[first:], counts[first:], strict=True):
                    weighs[number] = factor * (
                        part_idf * said * (K1 + 1.0) / (said + norms[number])
                    )
        for at, weighs in known.items():
            if not parts[at].say:  # the stand-ins that say it, and its weight in each
                known[at] = self._counted(parts[at], weighs)
        return known

    def _counted(self, part: Part, numbers: Iterable[int]) -> dict[int, float]:
        """The weight of a part in each of these documents that says it, counted in its text."""
        texts, norms, code, factor, part_idf = (
            self._texts,
            self._norms,
            part.code,
            part.factor,
            part.idf,
        )
        weighs = {}
        for number in numbers:
            said = texts[number].count(code)
            if said:  # the weight as `weight` computes it
                weighs[number] = factor * (part_idf * said * (K1 + 1.0) / (said + norms[number]))
        return weighs

    def _posted(self, part: Part, done: int) -> dict[int, float]:
        """The weight of a part in each document from `done` on that says it, from its postings."""
        norms, plus_one, factor, part_idf = self._norms, self._plus_one, part.factor, part.idf
        heavy = part_idf * 1 * (K1 + 1.0)  # said once: the weight as `_add` computes it
        ones, many = part.ones, part.many
        weighs = {
            number: factor * (heavy / plus_one[number])
            for number in ones[bisect_left(ones, done) :]
        }
        first = bisect_left(many.documents, done)
        for number, said in zip(many.documents[first:], many.counts[first:], strict=True):
            weighs[number] = factor * (part_idf * said * (K1 + 1.0) / (said + norms[number]))
        return weighs

    def _score_whole(
        self,
        scores: dict[int, float],
        parts: Sequence[Part],
        candidates: Iterable[int],
        least: float,
    ) -> None:
        """Score whole, by counting each part in its text, each of the `candidates`, and
        keep those that score `least` or more."""
        texts, norms = self._texts, self._norms
        each = [(part.code, part.factor, part.idf) for part in parts]
        for number in candidates:
            text, score = texts[number], 0.0
            for code, factor, part_idf in each:
                said = text.count(code)
                if said:  # the weight as `weight` computes it
                    score += factor * (part_idf * said * (K1 + 1.0) / (said + norms[number]))
            if score >= least:
                scores[number] = score

    def _close(
        self,
        whole: dict[int, float],
        parts: Sequence[Part],
        few: Sequence[Part],
        done: int,
        closed: set[int],
    ) -> None:
        """Score whole the documents from `done` on of the `few` parts, and close those."""
        candidates: set[int] = set()
        for part in few:
            for documents in (part.ones, part.many.documents):
                candidates.update(documents[bisect_left(documents, done) :])
        self._score_whole(whole, parts, candidates, 0.0)
        closed.update(map(id, few))

    def _length_end(self, upto: int) -> int:
        """The end of the run of documents as long as the last before `upto`."""
        if upto >= self.size:
            return self.size
        return bisect_right(self._lengths, self._lengths[upto - 1])


def _postings(
    texts: Sequence[str],
    norms: Sequence[float],
    extra: Mapping[int, Mapping[str, int]],
    character: Callable[[int], str] = chr,
) -> tuple[dict[str, array[int]], dict[str, _Many]]:
    """Each term's postings: the documents that say it once, and those that say it more often.

    `extra` gives, by document number, the counts of terms that are no character;
    `character` gives a term's character from its code point, the one string that the
    keys share with the caller's. Every character of every text is put on its term's list
    of document numbers, in one pass in C: a document as often as it says the term, and in
    order. A term whose list holds no number twice (most terms) has only postings of one;
    of the others, only the numbers said again are counted.
    """
    by_character: defaultdict[str, list[int]] = defaultdict(list)
    terms = list(map(str.replace, texts, repeat(CLAUSE), repeat("")))  # a mark in six is one
    numbers = chain.from_iterable(map(repeat, range(len(terms)), map(len, terms)))
    deque(
        map(list.append, map(by_character.__getitem__, chain.from_iterable(terms)), numbers),
        maxlen=0,
    )
    del terms
    said = {
        character(ord(term)): held for term, held in by_character.items() if term not in _IGNORED
    }
    del by_character
    for number in sorted(extra):
        for term, times in extra[number].items():
            said.setdefault(term, []).extend(repeat(number, times))
    ones: dict[str, array[int]] = {}
    many: dict[str, _Many] = {}
    for term in list(said):  # each list freed once its arrays are made: less memory at once
        held = said.pop(term)
        if len(held) == 1:
            ones[term] = array("i", held)
            continue
        # The list is in order, so a document said it more than once where a number is
        # the one before it again.
        again = list(map(eq, held, islice(held, 1, None)))
        if True not in again:
            ones[term] = array("i", held)
            continue
        repeated = Counter(compress(islice(held, 1, None), again))  # in document order
        if len(repeated) < len(held) - again.count(True):  # some documents say it once
            ones[term] = array("i", filterfalse(repeated.__contains__, held))
        many[term] = _Many.of(
            array("i", repeated), array("i", map(add, repeated.values(), repeat(1))), norms
        )
    return ones, many


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


def _totals(candidates: Iterable[int], weights: Sequence[Mapping[int, float]]) -> dict[int, float]:
    """Each candidate's score: its weight in each part (`weights`, by place), added in the
    parts' order as the rounds add them, from 0.0; a part it does not say adds nothing.

    >>> _totals([1, 2], [{1: 0.5}, {1: 0.25, 2: 1.0}])
    {1: 0.75, 2: 1.0}
    """
    totals = dict.fromkeys(candidates, 0.0)
    for weighs in weights:
        get = weighs.get
        for number in totals:
            weighs_there = get(number)
            if weighs_there is not None:
                totals[number] += weighs_there
    return totals


class _Essential(NamedTuple):
    """What MaxScore scores whole (`TopK._rest`): the essential parts' postings, each as the
    part's place, its documents from the first and what each says (None: once); and, by
    place, the most that each part adds to a document left, where it is not essential."""

    postings: Sequence[tuple[int, array[int], array[int] | None]]
    heaviest: Sequence[float]


_CLOSED = (0.0, 0.0)
"""The bounds of a part whose documents are all scored."""
_EMPTY: array[int] = array("i")
_NO_MANY = _Many()
