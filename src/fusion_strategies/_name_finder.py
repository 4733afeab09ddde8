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
finding is linear in the text times the few names that share a first word. The search
index, which reads every excerpt of a catalog, finds the same names with the same rule on
its word codes (`coded`: a word is one character there), so that a text that names none
of them is passed over by one set operation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Generic, Protocol, TypeVar

from ._text import Text, is_acronym
from .model import Entity, Theme

__all__ = ["ENTITY", "CodedNames", "NameFinder", "terms"]

ENTITY = "@"
"""The mark before an entity's id that makes it a term apart from any word."""
_LONG_CODE = 1 << 16
"""A coded text this long (a large catalog's) is scanned for where a whole name starts."""


class Words(Protocol):
    """A text's words as written, sliced by their positions (`Text.cased`, or a code's)."""

    def __getitem__(self, span: slice, /) -> Sequence[str]: ...


_Units = TypeVar("_Units", tuple[str, ...], str)
"""How a name's words are written: as their terms, or as one character of a code each."""


class _Name(Generic[_Units]):
    """A name to find in a text: its words (`units`), and its cased words if case matters."""

    __slots__ = ("cased", "key", "units")

    def __init__(self, key: str, units: _Units, cased: tuple[str, ...] | None) -> None:
        self.key = key
        self.units: _Units = units
        self.cased = cased

    def written_at(self, cased: Words, first: int) -> bool:
        """Whether the words from `first`, whose terms are the name's, are cased as it is.

        The terms agree already, plurals folded, so a written word that starts with the
        name's word is that word, with or without its plural ending.
        """
        if self.cased is None:
            return True
        written = cased[first : first + len(self.cased)]
        return all(word.startswith(own) for word, own in zip(written, self.cased, strict=True))


def _by_first(names: Iterable[_Name[_Units]]) -> dict[str, list[_Name[_Units]]]:
    """The names by their first word, the longest first for each."""
    by_first: dict[str, list[_Name[_Units]]] = {}
    for name in names:
        if name.units:
            by_first.setdefault(name.units[0], []).append(name)
    for candidates in by_first.values():
        candidates.sort(key=lambda candidate: -len(candidate.units))
    return by_first


def _find(
    by_first: Mapping[str, list[_Name[_Units]]],
    units: Sequence[str],
    positions: Iterable[int],
    cased: Callable[[], Words] | None,
) -> Iterator[tuple[str, int, int]]:
    """The one rule: (key, first, end) of each name, leftmost and longest for each key.

    `units` is a text's words, as terms or as a code, and `positions` are where a name may
    start, in order: where a word is a name's first. `cased` gives the text's cased words,
    when a name in capitals is found (never, if None: case is ignored).
    """
    free_from: dict[str, int] = {}
    written: Words | None = None
    for position in positions:
        for name in by_first[units[position]]:
            end = position + len(name.units)
            if free_from.get(name.key, 0) > position or units[position:end] != name.units:
                continue
            if cased is not None and name.cased is not None:
                written = cased() if written is None else written
                if not name.written_at(written, position):
                    continue
            free_from[name.key] = end
            yield name.key, position, end


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

    __slots__ = ("_by_first", "_keys", "_names")

    def __init__(self, names: Iterable[tuple[str, str, bool]]) -> None:
        keys: dict[str, int] = {}
        found: list[_Name[tuple[str, ...]]] = []
        for key, name, case_sensitive in names:
            keys.setdefault(key, len(keys))
            text = Text(name, offsets=False)
            cased = tuple(text.cased) if case_sensitive else None
            found.append(_Name(key, tuple(text.stems), cased))
        self._names = tuple(found)
        self._by_first = _by_first(found)
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
        stems, by_first = text.stems, self._by_first
        starts = (position for position, stem in enumerate(stems) if stem in by_first)
        return _find(by_first, stems, starts, None if ignore_case else lambda: text.cased)

    def coded(self, number: Callable[[str], str]) -> CodedNames:
        """The same names, found in texts whose words are coded by `number` (a character each).

        >>> codes = {"sar": "1", "fusion": "2", "center": "3"}
        >>> finder = NameFinder([("sar", "SAR", True), ("fc", "fusion center", False)])
        >>> coded = finder.coded(lambda stem: codes.get(stem, "0"))
        >>> list(coded.find("1023", cased=lambda: ["SARs", "reach", "fusion", "centers"]))
        [('sar', 0, 1), ('fc', 2, 4)]
        """
        return CodedNames(
            _Name(name.key, "".join(map(number, name.units)), name.cased) for name in self._names
        )

    def every_key(self) -> tuple[str, ...]:
        """Every key, in the order the names were given.

        >>> NameFinder([("sar", "SAR", True), ("fc", "fusion center", False)]).every_key()
        ('sar', 'fc')
        """
        return tuple(self._keys)

    def keys_in(self, text: Text) -> tuple[str, ...]:
        """The keys of the names that `text` says, in the order the names were given."""
        found = {key for key, _, _ in self.find(text)}
        return tuple(sorted(found, key=self._keys.__getitem__))


class CodedNames:
    """A `NameFinder`'s names, found by its rule in a text written as a code (see `coded`)."""

    __slots__ = ("_a_first", "_a_name", "_by_first")

    def __init__(self, names: Iterable[_Name[str]]) -> None:
        self._by_first = _by_first(names)
        firsts = "".join(map(re.escape, self._by_first))
        self._a_first = re.compile(f"[{firsts}]") if firsts else None
        self._a_name: re.Pattern[str] | None = None  # compiled for the first long code

    def find(
        self,
        code: str,
        *,
        cased: Callable[[], Words],
        written: Callable[[frozenset[str]], Mapping[str, Iterable[str]]] | None = None,
    ) -> list[tuple[str, int, int]]:
        """(key, first word, end word) of every name in a coded text, in text order.

        `cased` gives the text's cased words, and is called only if a name in capitals is
        found. `written`, if given, gives every way the text writes the words of some
        codes: a name in capitals whose words are written its way wherever they are said
        is found without `cased`. Where a name may start is found by one scan of the
        code, in C: in a long code, where a whole name starts; in a short one, where a
        name's first word is, whose pattern costs less to compile than the scan saves.

        >>> codes = {"sar": "1", "fusion": "2", "center": "3"}
        >>> finder = NameFinder([("sar", "SAR", True), ("fc", "fusion center", False)])
        >>> coded = finder.coded(lambda stem: codes.get(stem, "0"))
        >>> coded.find("1023", cased=lambda: ["sars", "reach", "fusion", "centers"])
        [('fc', 2, 4)]
        >>> coded.find("1023", cased=list, written=lambda codes: {"1": {"SARs"}})
        [('sar', 0, 1), ('fc', 2, 4)]
        """
        if self._a_first is None:
            return []
        by_first = self._by_first if written is None else self._as_written(written)
        starts = map(re.Match.start, self._scan(self._a_first, len(code)).finditer(code))
        return list(_find(by_first, code, starts, cased))

    def _scan(self, first: re.Pattern[str], length: int) -> re.Pattern[str]:
        """The pattern that finds where a name may start in a code this long."""
        if length < _LONG_CODE:
            return first
        if self._a_name is None:
            self._a_name = _where_a_name_starts(self._by_first)
        return self._a_name

    def _as_written(
        self, written: Callable[[frozenset[str]], Mapping[str, Iterable[str]]]
    ) -> dict[str, list[_Name[str]]]:
        """The names, those in capitals written their way wherever they are said made blind
        to case: their words need no looking at."""
        units = frozenset(
            unit
            for names in self._by_first.values()
            for name in names
            if name.cased is not None
            for unit in name.units
        )
        forms = written(units)

        def as_written(name: _Name[str]) -> _Name[str]:
            if name.cased is None or not all(
                word.startswith(own)
                for unit, own in zip(name.units, name.cased, strict=True)
                for word in forms.get(unit, ())
            ):
                return name
            return _Name(name.key, name.units, None)

        return {first: list(map(as_written, names)) for first, names in self._by_first.items()}


def _where_a_name_starts(by_first: Mapping[str, list[_Name[str]]]) -> re.Pattern[str]:
    """A pattern that matches a code's character where one of the names starts, whole.

    Each name's first character, then a look ahead for the rest of one of them, so that
    the scan finds in C the few places where a name is, not every place where one of
    their first words is; a match is one character long, so matches may overlap.
    """
    starts = []
    for first, names in by_first.items():
        rests = [name.units[1:] for name in names]
        ahead = "" if "" in rests else "(?=" + "|".join(map(re.escape, rests)) + ")"
        starts.append(re.escape(first) + ahead)
    return re.compile("|".join(starts))


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
