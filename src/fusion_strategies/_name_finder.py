"""Finding a catalog's names in a text: its glossary's entities and its themes' vocabulary.

One finder serves `Catalog.mentioning`, `Catalog.entities_in`, search and match, so that
they agree on which entities a text names.

A name is found on the words of `_text.Text`, so as whole words, whatever the case and
the punctuation between them ("state, local, tribal and territorial" is "state local
tribal and territorial"), and plural-blind by the one plural rule of `_text.singular`. A
name written in capitals (an acronym, `_text.is_acronym`) is found only in capitals, an
"s" or "es" after it allowed ("SARs"), so that "IC" is not "ic" and "NSI" is not "nsi",
except in a search query, which people type in lower case.

For each key (an entity's id, a theme's value), the names are found leftmost and longest,
and never overlapping: "fusion center" and "fusion" both name one entity, and "fusion
centers" is one mention of it, not two. Different keys may overlap ("Homeland Security
Information Network" names HSIN, and its "Homeland Security" may name another entity).

Cost. The finder looks each word up once in a dict of the names that start with it, so
finding is linear in the text times the few names that share a first word.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ._text import Text, is_acronym
from .model import Entity, Theme

__all__ = ["ENTITY", "NameFinder", "terms"]

ENTITY = "@"
"""The mark before an entity's id that makes it a term apart from any word."""


class _Name:
    """A name to find in a text: its terms, and its cased words if case matters."""

    __slots__ = ("cased", "key", "stems")

    def __init__(self, key: str, name: str, *, case_sensitive: bool) -> None:
        text = Text(name, offsets=False)
        self.key = key
        self.stems = text.stems
        self.cased = text.cased if case_sensitive else None

    def written_at(self, text: Text, first: int) -> bool:
        """Whether the words from `first`, whose terms are the name's, are cased as it is.

        The terms agree already, plurals folded, so a written word that starts with the
        name's word is that word, with or without its plural ending.
        """
        if self.cased is None:
            return True
        written = text.cased[first : first + len(self.cased)]
        return all(word.startswith(own) for word, own in zip(written, self.cased, strict=True))


class NameFinder:
    """Finds keyed names in a text: for each key, leftmost and longest, never overlapping.

    Each name comes as ``(key, name, case_sensitive)``.

    >>> finder = NameFinder([("sar", "SAR", True), ("sar", "suspicious activity reporting",
    ...     False), ("fc", "fusion center", False)])
    >>> text = Text("SARs reach fusion centers; a sar does not.", offsets=False)
    >>> list(finder.find(text))
    [('sar', 0, 1), ('fc', 2, 4)]
    >>> finder.keys_in(text)
    ('sar', 'fc')
    """

    __slots__ = ("_by_first", "_keys")

    def __init__(self, names: Iterable[tuple[str, str, bool]]) -> None:
        by_first: dict[str, list[_Name]] = {}
        keys: dict[str, int] = {}
        for key, name, case_sensitive in names:
            keys.setdefault(key, len(keys))
            found = _Name(key, name, case_sensitive=case_sensitive)
            if found.stems:
                by_first.setdefault(found.stems[0], []).append(found)
        for candidates in by_first.values():
            candidates.sort(key=lambda candidate: -len(candidate.stems))
        self._by_first = by_first
        self._keys = keys

    @classmethod
    def of_glossary(cls, entities: Iterable[Entity]) -> NameFinder:
        """A finder of entities by every name, keyed by id; an acronym is found in capitals."""
        return cls(
            (entity.id, name, name == entity.acronym or is_acronym(name))
            for entity in entities
            for name in entity.names
        )

    @classmethod
    def of_vocabulary(cls, vocabulary: Mapping[Theme, Iterable[str]]) -> NameFinder:
        """A finder of each theme's vocabulary terms, keyed by the theme's value."""
        return cls(
            (theme.value, term, is_acronym(term))
            for theme, terms in vocabulary.items()
            for term in terms
        )

    def find(self, text: Text, *, ignore_case: bool = False) -> Iterator[tuple[str, int, int]]:
        """Yield (key, first word, end word) for every name found, in text order."""
        by_first = self._by_first
        stems = text.stems
        free_from: dict[str, int] = {}
        for position, stem in enumerate(stems):
            candidates = by_first.get(stem)
            if candidates is None:
                continue
            for name in candidates:
                end = position + len(name.stems)
                if (
                    free_from.get(name.key, 0) <= position
                    and stems[position:end] == name.stems
                    and (ignore_case or name.written_at(text, position))
                ):
                    free_from[name.key] = end
                    yield name.key, position, end

    def keys_in(self, text: Text) -> tuple[str, ...]:
        """The keys of the names that `text` says, in the order the names were given."""
        found = {key for key, _, _ in self.find(text)}
        return tuple(sorted(found, key=self._keys.__getitem__))


def terms(text: Text, glossary: NameFinder) -> dict[str, int]:
    """How often a text says each of its terms: its words, and its entities by `ENTITY` + id.

    >>> glossary = NameFinder([("sar", "SAR", True)])
    >>> terms(Text("SARs and more SARs", offsets=False), glossary)
    {'sar': 2, '@sar': 2}
    """
    counts: dict[str, int] = {}
    stems = text.stems
    for position in text.words:
        counts[stems[position]] = counts.get(stems[position], 0) + 1
    for key, _, _ in glossary.find(text):
        counts[ENTITY + key] = counts.get(ENTITY + key, 0) + 1
    return counts
