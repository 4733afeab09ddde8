"""Close names for a miss: "did you mean …?" without comparing the query with every name."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

_MIN_WORD_SHARE = 0.5
_MIN_SIMILARITY = 0.3


class Suggester:
    """Finds the names closest to a query among normalized names.

    Names that hold most of the query's words rank first, then the names most alike in
    spelling (by shared trigrams, Dice's coefficient). Only names that share a word or a
    trigram with the query are looked at, so a miss costs what its words and trigrams
    touch, not the number of names.

    >>> suggester = Suggester(
    ...     ["qhsr", "national cyber strategy 2018", "national biodefense strategy 2018"]
    ... )
    >>> suggester.closest("qhrs")
    ['qhsr']
    >>> suggester.closest("national cyber strategy")[0]
    'national cyber strategy 2018'
    """

    __slots__ = ("_by_trigram", "_by_word", "_names", "_sizes")

    def __init__(self, names: Iterable[str]) -> None:
        self._names = tuple(dict.fromkeys(names))
        self._sizes = tuple(len(set(_trigrams(name))) for name in self._names)
        self._by_word: dict[str, list[int]] = {}
        self._by_trigram: dict[str, list[int]] = {}
        for index, name in enumerate(self._names):
            for word in set(name.split()):
                self._by_word.setdefault(word, []).append(index)
            for trigram in set(_trigrams(name)):
                self._by_trigram.setdefault(trigram, []).append(index)

    def closest(self, query: str) -> list[str]:
        """The names close to `query`, best first."""
        words = set(query.split())
        trigrams = set(_trigrams(query))
        held = Counter(i for word in words for i in self._by_word.get(word, ()))
        shared = Counter(i for trigram in trigrams for i in self._by_trigram.get(trigram, ()))
        ranked = []
        for index, count in shared.items():
            word_share = held[index] / len(words) if words else 0.0
            similarity = 2 * count / (len(trigrams) + self._sizes[index])
            if word_share >= _MIN_WORD_SHARE or similarity >= _MIN_SIMILARITY:
                ranked.append((-word_share, -similarity, index))
        return [self._names[index] for *_, index in sorted(ranked)]


def _trigrams(text: str) -> Iterator[str]:
    padded = f"  {text}  "
    return (padded[i : i + 3] for i in range(len(padded) - 2))
