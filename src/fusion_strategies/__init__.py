"""U.S. national strategies on fusion centers and information sharing, as typed data.

The bundled catalog quotes the DHS page "Fusion Centers' Support of National Strategies
and Guidance": 22 strategies, plans and reports, with their excerpts verbatim.

>>> import fusion_strategies as fs
>>> fs.lookup("QHSR").title
'The 2014 Quadrennial Homeland Security Review'
>>> [s.id for s in fs.find(mentions="HIDTA")]
['national-drug-control-strategy-2019', 'national-prevention-framework-2016']
"""

from __future__ import annotations

import os as _os
import typing as _typing

from ._bundled import bundled_catalog as _bundled_catalog
from ._reading import MAX_FILE_SIZE as _MAX_FILE_SIZE
from .catalog import Catalog
from .errors import (
    AmbiguousLookupError,
    CaptureError,
    CurationError,
    DatasetError,
    EntityNotFoundError,
    ExcerptNotFoundError,
    FusionStrategiesError,
    NotFoundError,
    ProductError,
    StrategyNotFoundError,
)
from .model import (
    DataVersion,
    DocumentKind,
    Entity,
    EntityKind,
    Excerpt,
    PartialDate,
    Period,
    SourcePage,
    Strategy,
    TermSource,
    Theme,
    Withdrawn,
)

if _typing.TYPE_CHECKING:
    from ._results import Hit, Match, Mention, Term
    from .comparison import CatalogDiff

__version__ = "0.1.0"

__all__ = [
    "AmbiguousLookupError",
    "CaptureError",
    "Catalog",
    "CurationError",
    "DataVersion",
    "DatasetError",
    "DocumentKind",
    "Entity",
    "EntityKind",
    "EntityNotFoundError",
    "Excerpt",
    "ExcerptNotFoundError",
    "FusionStrategiesError",
    "Hit",
    "Match",
    "Mention",
    "NotFoundError",
    "PartialDate",
    "Period",
    "ProductError",
    "SourcePage",
    "Strategy",
    "StrategyNotFoundError",
    "Term",
    "TermSource",
    "Theme",
    "Withdrawn",
    "__version__",
    "catalog",
    "cite",
    "data_version",
    "diff",
    "dumps",
    "entities",
    "entities_in",
    "entity",
    "find",
    "get",
    "json_schema",
    "load",
    "loads",
    "lookup",
    "match",
    "mentioning",
    "rows",
    "search",
    "source",
    "strategies",
]

_SUBMODULES = (
    "build",
    "capture",
    "citation",
    "cli",
    "comparison",
    "curation",
    "errors",
    "export",
    "fileformat",
    "model",
    "products",
    "timeline",
)
"""The public submodules; `catalog` is also one, behind the function of that name."""

_RESULTS = ("Hit", "Match", "Mention", "Term")
"""The records of what a query found: a one-shot lookup never makes their classes."""


def __dir__() -> list[str]:
    return sorted({*__all__, *_SUBMODULES})


if not _typing.TYPE_CHECKING:  # type checkers see a submodule only where it is imported

    def __getattr__(name: str) -> object:
        """A public submodule, imported on first use: ``fs.export.to_csv(...)``.

        Or a record of a query's result (``fs.Match``), whose class is made on first use too.
        """
        if name in _RESULTS:
            from . import _results

            value = getattr(_results, name)
            globals()[name] = value
            return value
        if name in _SUBMODULES:
            import importlib

            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def catalog() -> Catalog:
    """The bundled catalog: loaded on first use, then cached; safe to call from threads.

    >>> import fusion_strategies as fs
    >>> fs.catalog() is fs.catalog()
    True
    """
    return _bundled_catalog()


def strategies() -> tuple[Strategy, ...]:
    """Every strategy of the bundled catalog, in page order; see `Catalog.strategies`.

    >>> import fusion_strategies as fs
    >>> len(fs.strategies())
    22
    """
    return _bundled_catalog().strategies()


def get(strategy_id: str) -> Strategy:
    """The strategy with exactly this id; see `Catalog.get`.

    >>> import fusion_strategies as fs
    >>> fs.get("national-biodefense-strategy-2018").title
    'National Biodefense Strategy'
    """
    return _bundled_catalog().get(strategy_id)


def lookup(name: str) -> Strategy:
    """The strategy an id, title, heading or alias names; see `Catalog.lookup`.

    >>> import fusion_strategies as fs
    >>> fs.lookup("CBP Strategy 2020–2025").id
    'us-customs-and-border-protection-strategy-2020'
    """
    return _bundled_catalog().lookup(name)


def find(
    *,
    year: int | None = None,
    theme: Theme | str | None = None,
    issuer: Entity | str | None = None,
    kind: DocumentKind | str | None = None,
    mentions: Entity | str | None = None,
) -> tuple[Strategy, ...]:
    """The strategies that meet every filter given; see `Catalog.find`.

    >>> import fusion_strategies as fs
    >>> for strategy in fs.find(year=2021):
    ...     print(strategy.id)
    national-counterintelligence-strategy-of-the-united-states-of-america-2020
    bureau-of-alcohol-tobacco-firearms-and-explosives-strategic-plan-2017
    us-customs-and-border-protection-strategy-2020
    """
    return _bundled_catalog().find(
        year=year, theme=theme, issuer=issuer, kind=kind, mentions=mentions
    )


def mentioning(entity: Entity | str) -> tuple[Mention, ...]:
    """Every excerpt that names the entity; see `Catalog.mentioning`.

    >>> import fusion_strategies as fs
    >>> len(fs.mentioning("SAR"))
    3
    """
    return _bundled_catalog().mentioning(entity)


def entities() -> tuple[Entity, ...]:
    """The glossary of the bundled catalog; see `Catalog.entities`.

    >>> import fusion_strategies as fs
    >>> fs.entities()[0].name
    'The White House'
    """
    return _bundled_catalog().entities()


def entity(key: str) -> Entity:
    """The entity with this id, acronym, name or alias; see `Catalog.entity`.

    >>> import fusion_strategies as fs
    >>> fs.entity("I&A").name
    'Office of Intelligence and Analysis'
    """
    return _bundled_catalog().entity(key)


def entities_in(item: Strategy | Excerpt) -> tuple[Entity, ...]:
    """The entities a strategy or an excerpt names; see `Catalog.entities_in`.

    >>> import fusion_strategies as fs
    >>> [e.id for e in fs.entities_in(fs.lookup("NSISS"))]
    ['fusion-centers', 'national-network-of-fusion-centers', 'law-enforcement', 'sar']
    """
    return _bundled_catalog().entities_in(item)


def search(query: str, *, limit: int = 10) -> tuple[Hit, ...]:
    """The excerpts that best answer a query, best first; see `Catalog.search`.

    >>> import fusion_strategies as fs
    >>> hit = fs.search("SAR")[0]
    >>> hit.strategy.id
    'national-strategy-for-information-sharing-and-safeguarding-2012'
    >>> [hit.excerpt.text[start:end] for start, end in hit.spans]
    ['suspicious activity reporting', 'SAR']
    """
    return _bundled_catalog().search(query, limit=limit)


def match(text: str, *, limit: int = 5) -> tuple[Match, ...]:
    """The strategies a product's text aligns with, best first; see `Catalog.match`.

    >>> import fusion_strategies as fs
    >>> [m.strategy.id for m in fs.match("Ghost guns recovered at shootings", limit=1)]
    ['bureau-of-alcohol-tobacco-firearms-and-explosives-strategic-plan-2017']
    """
    return _bundled_catalog().match(text, limit=limit)


def source() -> SourcePage:
    """Where the bundled catalog comes from; see `Catalog.source`.

    >>> import fusion_strategies as fs
    >>> fs.source().url
    'https://www.dhs.gov/topic/fusion-centers-support-national-strategies-and-guidance'
    """
    return _bundled_catalog().source()


def cite(item: Strategy | Excerpt, style: str = "note") -> str:
    """Cite a strategy or an excerpt of the bundled catalog; see `Catalog.cite`.

    `style` is ``"note"``, ``"bibtex"`` or ``"csl-json"``.

    >>> import fusion_strategies as fs, textwrap
    >>> strategy = fs.get("national-strategy-for-counterterrorism-2018")
    >>> print(textwrap.fill(fs.cite(strategy), 88, break_on_hyphens=False))
    The White House, National Strategy for Counterterrorism of the United States of America
    (2018), quoted in U.S. Department of Homeland Security, “Fusion Centers' Support of
    National Strategies and Guidance,” last updated November 7, 2023,
    https://www.dhs.gov/topic/fusion-centers-support-national-strategies-and-guidance.
    >>> print(fs.cite(strategy, "bibtex").splitlines()[0])
    @misc{nsc2018,
    """
    return _bundled_catalog().cite(item, style)


def rows(table: str) -> tuple[dict[str, str | int | None], ...]:
    """A table of the bundled catalog as plain dicts, one a row; see `Catalog.rows`.

    `table` is ``"strategies"``, ``"excerpts"`` or ``"entities"``; the columns are the
    CSV export's, so ``pandas.DataFrame(fs.rows("excerpts"))`` needs nothing more.

    >>> import fusion_strategies as fs
    >>> [len(fs.rows(table)) for table in ("strategies", "excerpts", "entities")]
    [22, 54, 35]
    >>> fs.rows("strategies")[0]["period_end"]
    2026
    """
    return _bundled_catalog().rows(table)


def data_version() -> DataVersion:
    """Which data the bundled catalog holds, apart from the code's `__version__`.

    >>> import fusion_strategies as fs
    >>> fs.data_version().last_updated.isoformat()
    '2023-11-07'
    """
    return _bundled_catalog().data_version()


def diff(old: Catalog, new: Catalog) -> CatalogDiff:
    """What changed from one catalog to another; see `fusion_strategies.comparison`.

    >>> import fusion_strategies as fs
    >>> fs.diff(fs.catalog(), fs.catalog()).to_text()
    'no differences'
    """
    from .comparison import diff

    return diff(old, new)


def load(path: str | _os.PathLike[str], *, max_size: int = _MAX_FILE_SIZE) -> Catalog:
    """A catalog from a JSON file in the bundled catalog's format; see `fileformat.load`.

    A file larger than `max_size` bytes (64 MiB, `fileformat.MAX_FILE_SIZE`) is refused
    unread; give a larger one for a larger catalog of your own.

    >>> import fusion_strategies as fs
    >>> fs.load("no/such/file.json")
    Traceback (most recent call last):
      ...
    FileNotFoundError: [Errno 2] No such file or directory: 'no/such/file.json'
    """
    from .fileformat import load

    return load(path, max_size=max_size)


def loads(data: str | bytes, *, max_size: int = _MAX_FILE_SIZE) -> Catalog:
    """A catalog from JSON text; see `fileformat.loads`.

    A text longer than `max_size` (64 MiB, `fileformat.MAX_FILE_SIZE`) is refused unparsed.

    >>> import fusion_strategies as fs
    >>> len(fs.loads(fs.dumps(fs.catalog())))
    22
    >>> len(fs.loads(fs.dumps(fs.catalog()), max_size=200_000_000))
    22
    """
    from .fileformat import loads

    return loads(data, max_size=max_size)


def dumps(catalog: Catalog) -> str:
    """A catalog as JSON text, which `loads` reads back to an equal one.

    >>> import fusion_strategies as fs
    >>> fs.loads(fs.dumps(fs.catalog())) == fs.catalog()
    True
    """
    from .fileformat import dumps

    return dumps(catalog)


def json_schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of the catalog file format.

    >>> import fusion_strategies as fs
    >>> sorted(fs.json_schema()["properties"])
    ['capture_sha256', 'entities', 'format', 'source', 'strategies', 'vocabulary', 'withdrawn']
    """
    from .fileformat import json_schema

    return json_schema()
