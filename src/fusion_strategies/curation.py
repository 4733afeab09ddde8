"""The curated overlay: the facts a page does not give, each with its public source.

A page capture gives headings, periods and excerpts; everything else in a catalog is
curated: titles, issuers, dates, kinds, themes, aliases, the glossary of entities and the
theme vocabulary. The overlay holds all of it, keyed by strategy id (never by position),
in a JSON file such as the repository's ``sources/curated.json``:

- ``sources``: the public sources facts were confirmed in, by key: a URL and a title.
- ``page``: the page's ``url`` and ``publisher``, which a text capture does not hold.
- ``strategies``: by strategy id, a ``title``, ``issuer`` (an entity id) and
  ``published`` date as facts; ``aliases`` as facts; the ``kind`` as the project's
  judgement with the reason (``why``); and ``themes``, each with the ``grounds`` (words
  of the strategy's heading or excerpts that ground it) or the reason it holds without them.
- ``entities``: the glossary, each entity with the key of its source.
- ``vocabulary``: the words that speak to each theme, the project's own.

A fact has a ``status``: ``confirmed`` in its ``source``, or ``unconfirmed``. The build
uses confirmed facts only, and leaves an unconfirmed one out (the field keeps the page's
value or stays empty), with one exception that the research record allows: an
unconfirmed short name is kept as a lookup alias, which is never shown as official.
"""

from __future__ import annotations

import os
from typing import Generic, Literal, TypeVar

import attrs

from .errors import CurationError, DatasetError
from .model import DocumentKind, Entity, PartialDate, Theme

__all__ = [
    "CuratedEntity",
    "Curation",
    "Fact",
    "Judgement",
    "PageFacts",
    "Source",
    "StrategyFacts",
    "ThemeGrounds",
    "load_curation",
    "loads_curation",
]

FORMAT_VERSION = 1
"""The version of the overlay's file format that this package reads."""

_V = TypeVar("_V")

Status = Literal["confirmed", "unconfirmed"]
"""Whether a public source confirms a fact."""


@attrs.frozen(kw_only=True)
class Source:
    """A public source that facts were confirmed in; ``url`` is None where none is known."""

    url: str | None
    title: str


@attrs.frozen(kw_only=True)
class Fact(Generic[_V]):
    """A curated value, whether a source confirms it, which source, and a note.

    >>> from fusion_strategies.curation import Fact
    >>> Fact(value="NSS", status="confirmed", source="state-nss-2017").confirmed
    True
    """

    value: _V
    status: Status
    source: str | None = None
    note: str | None = None

    @property
    def confirmed(self) -> bool:
        """Whether the fact is confirmed, and so may be used as known."""
        return self.status == "confirmed"


@attrs.frozen(kw_only=True)
class Judgement(Generic[_V]):
    """A value that is the project's own call rather than a fact, with the reason."""

    value: _V
    why: str


@attrs.frozen(kw_only=True)
class ThemeGrounds:
    """A theme of a strategy, and the words of its heading or excerpts that ground it, or why."""

    theme: Theme
    grounds: tuple[str, ...] = ()
    why: str | None = None


@attrs.frozen(kw_only=True)
class StrategyFacts:
    """What the overlay says of one strategy; a missing field is filled from the page."""

    title: Fact[str] | None = None
    issuer: Fact[str] | None = None
    published: Fact[PartialDate] | None = None
    kind: Judgement[DocumentKind] | None = None
    themes: tuple[ThemeGrounds, ...] = ()
    aliases: tuple[Fact[str], ...] = ()


@attrs.frozen(kw_only=True)
class PageFacts:
    """The page's address and publisher, which a text capture does not give."""

    url: Fact[str] | None = None
    publisher: Fact[str] | None = None


@attrs.frozen(kw_only=True)
class CuratedEntity:
    """An entity of the glossary and the key of the source its names come from."""

    entity: Entity
    source: str


@attrs.frozen(kw_only=True)
class Curation:
    """A curated overlay, as `load_curation` reads it.

    >>> from fusion_strategies.curation import loads_curation
    >>> curation = loads_curation('{"format": 1, "sources": {}}')
    >>> curation.strategies, curation.entities
    ({}, ())
    """

    format: int
    sources: dict[str, Source]
    page: PageFacts = PageFacts()
    strategies: dict[str, StrategyFacts] = attrs.field(factory=dict)
    entities: tuple[CuratedEntity, ...] = ()
    vocabulary: dict[Theme, tuple[str, ...]] = attrs.field(factory=dict)


def load_curation(path: str | os.PathLike[str]) -> Curation:
    """Read an overlay file; `OSError` if unreadable, `CurationError` if invalid.

    >>> from fusion_strategies.curation import load_curation
    >>> load_curation("no/such/curated.json")
    Traceback (most recent call last):
      ...
    FileNotFoundError: [Errno 2] No such file or directory: 'no/such/curated.json'
    """
    from .fileformat import read_file

    try:
        return loads_curation(read_file(path))
    except DatasetError as error:  # too large, or a CurationError
        raise CurationError(error.problems, source=os.fspath(path)) from None


def loads_curation(data: str | bytes) -> Curation:
    """Read an overlay from JSON text; `CurationError` lists every problem with its path.

    Besides its schema, an overlay's facts must name sources it lists, and a confirmed
    fact must name one.

    >>> from fusion_strategies.curation import loads_curation
    >>> loads_curation('{"format": 1, "sources": {}, "strategies": {"x-2018": '
    ...                '{"title": {"value": "X", "status": "confirmed"}}}}')
    Traceback (most recent call last):
      ...
    fusion_strategies.errors.CurationError: invalid curated overlay (1 problem)
    $.strategies['x-2018'].title.source: a confirmed fact must name its source
    """
    from .fileformat import structure_document

    try:
        curation = structure_document(data, Curation)
    except DatasetError as error:
        raise CurationError(error.problems) from None
    problems = list(_problems(curation))
    if curation.format != FORMAT_VERSION:
        problems.insert(0, f"$.format: unsupported format {curation.format}; this version reads 1")
    if problems:
        raise CurationError(problems)
    return curation


def _problems(curation: Curation) -> list[str]:
    problems: list[str] = []
    # Where each fact is, the source it names, and whether it claims to be confirmed.
    cited: list[tuple[str, str | None, bool]] = []
    for key, fact in (("url", curation.page.url), ("publisher", curation.page.publisher)):
        if fact is not None:
            cited.append((f"$.page.{key}", fact.source, fact.confirmed))
    for strategy_id, strategy in curation.strategies.items():
        at = f"$.strategies[{strategy_id!r}]"
        for name, said in (
            ("title", strategy.title),
            ("issuer", strategy.issuer),
            ("published", strategy.published),
        ):
            if said is not None:
                cited.append((f"{at}.{name}", said.source, said.confirmed))
        cited += (
            (f"{at}.aliases[{index}]", alias.source, alias.confirmed)
            for index, alias in enumerate(strategy.aliases)
        )
        problems += (
            f"{at}.themes[{index}]: a theme needs the words of the excerpts that ground it, or why"
            for index, theme in enumerate(strategy.themes)
            if not theme.grounds and not theme.why
        )
    cited += (
        (f"$.entities[{index}]", curated.source, True)
        for index, curated in enumerate(curation.entities)
    )
    for path, source, confirmed in cited:
        if source is None:
            if confirmed:
                problems.append(f"{path}.source: a confirmed fact must name its source")
        elif source not in curation.sources:
            problems.append(f"{path}.source: {source!r} is not one of $.sources")
    return problems


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
