"""Okapi BM25: the weight of a term in a document, and the sum of weights that ranks them.

Search ranks excerpts by it, and match ranks strategies by it (each strategy's excerpts
read as one document), with k1 = 1.2, b = 0.75 and the non-negative idf
ln(1 + (N - df + 0.5) / (df + 0.5)).

The documents cannot change once indexed, so each posting holds its idf × BM25 weight,
computed when the index is built, and a query adds them up: one addition per posting its
terms touch.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Iterable, Mapping
from operator import neg

__all__ = ["Postings", "best", "idf", "saturated"]

K1 = 1.2
B = 0.75
K3 = 1.2
"""How fast a term repeated in a query saturates: said ten times, it weighs about twice."""
_FEW = 128


def idf(documents: int, containing: int) -> float:
    """The idf of a term that `containing` of `documents` documents hold.

    >>> idf(22, 1) > idf(22, 11) > idf(22, 22) > 0.0  # the rarer, the weightier
    True
    """
    return math.log(1.0 + (documents - containing + 0.5) / (containing + 0.5))


def saturated(said: float) -> float:
    """How much a term said `said` times in a query weighs: once is 1, ten times about 2.

    >>> saturated(1), round(saturated(10), 2)
    (1.0, 1.96)
    """
    return said * (K3 + 1.0) / (said + K3)


class Postings:
    """For each term, the documents that hold it and its idf × BM25 weight in each.

    Built from each document's term counts and length, in document order.

    >>> postings = Postings([({"fusion": 1, "center": 1}, 2.0), ({"fusion": 2}, 2.0)])
    >>> scores = postings.scores(["fusion"])
    >>> scores[1] > scores[0]  # the same length, but it says "fusion" twice
    True
    """

    __slots__ = ("documents", "norms", "postings")

    def __init__(self, term_counts: Iterable[tuple[Mapping[str, float], float]]) -> None:
        documents: dict[str, list[int]] = {}
        frequencies: dict[str, list[float]] = {}
        lengths: list[float] = []
        for number, (counts, length) in enumerate(term_counts):
            lengths.append(length)
            for term, said in counts.items():
                found = documents.get(term)
                if found is None:
                    documents[term] = [number]
                    frequencies[term] = [said]
                else:
                    found.append(number)
                    frequencies[term].append(said)
        average = (sum(lengths) / len(lengths) if lengths else 0.0) or 1.0
        self.documents = len(lengths)
        self.norms = array("d", (K1 * (1.0 - B + B * length / average) for length in lengths))
        self.postings: dict[str, tuple[array[int], array[float]]] = {}
        for term, numbers in documents.items():
            weight = idf(self.documents, len(numbers))
            weights = array(
                "d", map(self.bm25, numbers, frequencies.pop(term), (weight,) * len(numbers))
            )
            self.postings[term] = (array("i", numbers), weights)

    def bm25(self, number: int, said: float, idf: float) -> float:
        """The idf × BM25 weight in one document of a term said there `said` times."""
        return idf * said * (K1 + 1.0) / (said + self.norms[number])

    def weight(self, term: str, said: float, number: int) -> float:
        """The idf × BM25 weight of a term said `said` times in one document."""
        found = self.postings.get(term)
        return 0.0 if found is None else self.bm25(number, said, self.idf(len(found[0])))

    def idf(self, containing: int) -> float:
        """The idf of a term that `containing` documents hold."""
        return idf(self.documents, containing)

    def holding(self, term: str) -> int:
        """How many documents hold the term."""
        found = self.postings.get(term)
        return 0 if found is None else len(found[0])

    def scores(self, terms: Iterable[str]) -> dict[int, float]:
        """Each document's score: the sum of its weights for the terms."""
        scores: dict[int, float] = {}
        get = scores.get
        for term in terms:
            found = self.postings.get(term)
            if found is not None:
                for number, weight in zip(*found, strict=True):
                    scores[number] = get(number, 0.0) + weight
        return scores


def best(scores: dict[int, float], limit: int) -> list[tuple[float, int]]:
    """The `limit` best (score, number) pairs, best first, ties in document order.

    >>> best({0: 1.0, 1: 3.0, 2: 3.0}, 2)
    [(3.0, 1), (3.0, 2)]
    """
    candidates: Iterable[tuple[float, int]]
    if len(scores) > _FEW:
        # Find the score to beat among bare floats first: far cheaper than ranking pairs.
        least = heapq.nlargest(limit, scores.values())[-1]
        candidates = [(score, -number) for number, score in scores.items() if score >= least]
    else:
        candidates = zip(scores.values(), map(neg, scores), strict=True)
    return [(score, -negated) for score, negated in sorted(candidates, reverse=True)[:limit]]
