"""Finding names and terms in text: on word boundaries, plural-blind, acronyms by case."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_SEPARATOR = re.compile(r"[\s\-‐–]+")


def is_acronym(term: str) -> bool:
    """Whether a term is written in capitals only, and so is matched in capitals only.

    >>> is_acronym("HIDTA"), is_acronym("I&A"), is_acronym("fusion center")
    (True, True, False)
    """
    return any(char.isupper() for char in term) and not any(char.islower() for char in term)


def term_pattern(term: str, *, case_sensitive: bool = False) -> str:
    """A regular expression that finds `term` as whole words, singular or plural.

    Spaces and hyphens in the term match any run of them, so "information sharing"
    also finds "information-sharing"; a final "s" is optional and "s" or "es" may follow.

    >>> bool(re.search(term_pattern("fusion center"), "Fusion Centers are vital"))
    True
    >>> bool(re.search(term_pattern("IC", case_sensitive=True), "public"))
    False
    """
    stem = term.strip()
    if not case_sensitive and re.search(r"[^s]s$", stem):
        stem = stem[:-1]
    words = [re.escape(word) for word in _SEPARATOR.split(stem)]
    body = r"[\s\-‐–]+".join(words)
    if stem[-1:].isalpha():
        body += "(?:e?s)?"
    if not case_sensitive:
        body = f"(?i:{body})"
    return rf"(?<!\w){body}(?!\w)"


class TermFinder:
    """Finds every occurrence of a set of keyed terms, overlapping ones included.

    >>> finder = TermFinder([("hsin", "HSIN", True), ("fc", "fusion center", False)])
    >>> [(key, start, end) for key, start, end in finder.finditer("HSIN and fusion centers")]
    [('hsin', 0, 4), ('fc', 9, 23)]
    """

    __slots__ = ("_patterns",)

    def __init__(self, terms: Iterable[tuple[str, str, bool]]) -> None:
        by_key: dict[str, list[str]] = {}
        for key, term, case_sensitive in terms:
            pattern = term_pattern(term, case_sensitive=case_sensitive)
            by_key.setdefault(key, []).append(pattern)
        # Longest first, so that a longer name wins where two start at the same place.
        self._patterns = tuple(
            (key, re.compile("|".join(sorted(patterns, key=len, reverse=True))))
            for key, patterns in by_key.items()
        )

    def finditer(self, text: str) -> Iterator[tuple[str, int, int]]:
        """Yield (key, start, end) for every term found, key by key in the order given."""
        for key, pattern in self._patterns:
            for match in pattern.finditer(text):
                yield key, match.start(), match.end()

    def keys_in(self, text: str) -> tuple[str, ...]:
        """The keys of the terms that `text` contains, in the order given."""
        return tuple(key for key, pattern in self._patterns if pattern.search(text))
