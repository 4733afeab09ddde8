"""`Catalog`: a set of strategies with its glossary, and every query on them."""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Generic, TypeVar

from . import _names
from .errors import (
    AmbiguousLookupError,
    DatasetError,
    EntityNotFoundError,
    ExcerptNotFoundError,
    StrategyNotFoundError,
)
from .model import (
    DataVersion,
    DocumentKind,
    Entity,
    Excerpt,
    SourcePage,
    Strategy,
    Theme,
    Withdrawn,
)

if TYPE_CHECKING:
    from ._match import MatchIndex
    from ._name_finder import NameFinder
    from ._results import Hit, Match, Mention
    from ._search import SearchIndex
    from ._suggestions import Suggester

__all__ = ["Catalog"]

_Enum = TypeVar("_Enum", bound=enum.Enum)
_Record = TypeVar("_Record", Strategy, Entity)
_Built = TypeVar("_Built")


class Catalog:
    """Strategies in page order, the glossary of entities they name, and their source.

    The bundled catalog is `fusion_strategies.catalog()`; `fusion_strategies.load()`
    reads another from a file in the same format. Constructing one checks its invariants
    and raises `DatasetError` listing every problem. Indexes are built on first use, once.

    >>> import fusion_strategies as fs
    >>> catalog = fs.catalog()
    >>> len(catalog), "national-biodefense-strategy-2018" in catalog
    (22, True)
    >>> next(iter(catalog)).heading
    'DHS Fusion Center Engagement and Information Sharing Strategy (2022-2026)'
    """

    __slots__ = (
        "_capture_sha256",
        "_citation_keys",
        "_entities",
        "_glossary",
        "_lock",
        "_match",
        "_mentions",
        "_names",
        "_owners",
        "_search",
        "_source",
        "_strategies",
        "_vocabulary",
        "_withdrawn",
    )

    def __init__(
        self,
        *,
        source: SourcePage,
        strategies: Iterable[Strategy],
        entities: Iterable[Entity] = (),
        vocabulary: Mapping[Theme, Iterable[str]] | None = None,
        withdrawn: Iterable[Withdrawn] = (),
        capture_sha256: str | None = None,
    ) -> None:
        page = _required(source, SourcePage, "source")
        listed = tuple(_each(strategies, Strategy, "strategies"))
        glossary = tuple(_each(entities, Entity, "entities"))
        terms = _vocabulary(vocabulary)
        gone = tuple(_each(withdrawn, Withdrawn, "withdrawn"))
        if capture_sha256 is not None:
            _require_str(capture_sha256, "capture_sha256")
        self._hold(
            source=page,
            strategies=listed,
            entities=glossary,
            vocabulary=terms,
            withdrawn=gone,
            capture_sha256=capture_sha256,
        )
        self._check(typed=False)

    @classmethod
    def _of_structured(
        cls,
        *,
        source: SourcePage,
        strategies: tuple[Strategy, ...],
        entities: tuple[Entity, ...],
        vocabulary: dict[Theme, tuple[str, ...]],
        withdrawn: tuple[Withdrawn, ...],
        capture_sha256: str | None,
        proven: bool,
    ) -> Catalog:
        """A catalog of records that the file format's converter built, of the model's types.

        Its invariants are checked, but not the types, which the converter made sure of;
        ``proven`` skips the invariants too, for a file that the data build proved keeps
        them (``build-data.sh --check``): the bundled one, and no other.
        """
        catalog = cls.__new__(cls)
        catalog._hold(
            source=source,
            strategies=strategies,
            entities=entities,
            vocabulary=vocabulary,
            withdrawn=withdrawn,
            capture_sha256=capture_sha256,
        )
        if not proven:
            catalog._check(typed=True)
        return catalog

    def _hold(
        self,
        *,
        source: SourcePage,
        strategies: tuple[Strategy, ...],
        entities: tuple[Entity, ...],
        vocabulary: dict[Theme, tuple[str, ...]],
        withdrawn: tuple[Withdrawn, ...],
        capture_sha256: str | None,
    ) -> None:
        self._source = source
        self._strategies = strategies
        self._entities = entities
        self._vocabulary: Mapping[Theme, tuple[str, ...]] = MappingProxyType(vocabulary)
        self._withdrawn = withdrawn
        self._capture_sha256 = capture_sha256
        self._lock = threading.Lock()
        self._names: _NameIndex | None = None
        self._glossary: NameFinder | None = None
        self._mentions: _MentionIndex | None = None
        self._search: SearchIndex | None = None
        self._match: MatchIndex | None = None
        self._owners: _OwnerIndex | None = None
        self._citation_keys: dict[str, str] | None = None

    def _check(self, *, typed: bool) -> None:
        """Raise `DatasetError` listing every broken invariant, the types' first if not typed."""
        # The machinery behind a catalog is imported on first use, not with the package.
        from ._invariants import catalog_problems, provenance_problems, source_problems

        problems = source_problems(self._source, typed=typed)
        problems += catalog_problems(
            self._entities, self._strategies, self._vocabulary, typed=typed
        )
        problems += provenance_problems(
            self._strategies, self._withdrawn, self._capture_sha256, typed=typed
        )
        if problems:
            raise DatasetError(problems)

    # -- the records -------------------------------------------------------------------

    def strategies(self) -> tuple[Strategy, ...]:
        """Every strategy, in the order of the source page.

        >>> import fusion_strategies as fs
        >>> [strategy.period.start for strategy in fs.catalog().strategies()][:3]
        [2022, 2017, 2018]
        """
        return self._strategies

    def entities(self) -> tuple[Entity, ...]:
        """The glossary: every organization, program, system, group or term named.

        >>> import fusion_strategies as fs
        >>> "HIDTA" in [entity.acronym for entity in fs.catalog().entities()]
        True
        """
        return self._entities

    def source(self) -> SourcePage:
        """The page the catalog quotes.

        >>> import fusion_strategies as fs
        >>> fs.catalog().source().publisher
        'U.S. Department of Homeland Security'
        """
        return self._source

    def vocabulary(self) -> Mapping[Theme, tuple[str, ...]]:
        """The curated words that speak to each theme, in a product's text or an excerpt.

        >>> import fusion_strategies as fs
        >>> "fentanyl" in fs.catalog().vocabulary()[fs.Theme.COUNTERNARCOTICS]
        True
        """
        return self._vocabulary

    def withdrawn(self) -> tuple[Withdrawn, ...]:
        """The strategies and excerpts that left the page, oldest first; ids never reused.

        >>> import fusion_strategies as fs
        >>> fs.catalog().withdrawn()
        ()
        """
        return self._withdrawn

    def data_version(self) -> DataVersion:
        """Which data the catalog holds: the page's last-updated date and the capture's hash.

        >>> import fusion_strategies as fs
        >>> str(fs.catalog().data_version())
        '2023-11-07+b06f0d2b92c5'
        """
        return DataVersion(
            last_updated=self._source.last_updated, capture_sha256=self._capture_sha256
        )

    @property
    def capture_sha256(self) -> str | None:
        """The SHA-256 of the page capture the catalog was built from, if it was."""
        return self._capture_sha256

    # -- finding one -------------------------------------------------------------------

    def get(self, strategy_id: str) -> Strategy:
        """The strategy with exactly this id; `StrategyNotFoundError` names close ids.

        >>> import fusion_strategies as fs
        >>> fs.catalog().get("dhs-northern-border-strategy-2018").heading
        'DHS’s Northern Border Strategy (2018)'
        """
        _require_str(strategy_id, "strategy_id")
        index = self._name_index
        strategy = index.by_id.get(strategy_id)
        if strategy is None:
            if strategy_id in index.withdrawn:
                raise StrategyNotFoundError(strategy_id, withdrawn=index.withdrawn[strategy_id])
            # get() takes ids only, but a near miss is best found by any name, shown as an id.
            names = index.strategies
            suggestions = names.suggest(strategy_id, lambda close: names.keys[close][0].id)
            raise StrategyNotFoundError(strategy_id, suggestions)
        return strategy

    def lookup(self, name: str) -> Strategy:
        """The strategy an id, title, page heading or alias names, a year allowed.

        Case, whitespace, apostrophes, possessives, dots and punctuation do not matter.
        A name that fits two strategies raises `AmbiguousLookupError`.

        >>> import fusion_strategies as fs
        >>> fs.catalog().lookup("nss 2017").title
        'National Security Strategy of the United States of America'
        >>> fs.catalog().lookup("DHS's northern border strategy").id
        'dhs-northern-border-strategy-2018'
        """
        _require_str(name, "name")
        index = self._name_index
        if name in index.withdrawn and name not in index.by_id:
            raise StrategyNotFoundError(name, withdrawn=index.withdrawn[name])
        return _resolve(name, index.strategies, StrategyNotFoundError)

    def entity(self, key: str) -> Entity:
        """The entity with this id, acronym, name or alias (a plural will do).

        >>> import fusion_strategies as fs
        >>> fs.catalog().entity("HIDTAs").name
        'High Intensity Drug Trafficking Areas'
        """
        _require_str(key, "key")
        return _resolve(key, self._name_index.entities, EntityNotFoundError)

    def strategy_of(self, excerpt: Excerpt) -> Strategy:
        """The strategy of this catalog that quotes the excerpt, nested or not.

        An excerpt is known by its record (its id, text and children), as ``==`` compares
        them; if two strategies quote equal excerpts, the one holding this very object
        is returned, else `AmbiguousLookupError`. `ExcerptNotFoundError`, a `KeyError`,
        for an excerpt that no strategy of the catalog quotes.

        >>> import fusion_strategies as fs
        >>> hit = fs.search("tribal")[0]
        >>> fs.catalog().strategy_of(hit.excerpt) == hit.strategy
        True
        """
        _required(excerpt, Excerpt, "excerpt")
        owners = self._owner_index.get(excerpt, ())
        if not owners:
            raise ExcerptNotFoundError(excerpt.id)
        if len(owners) > 1:
            holding = [s for s in owners if any(e is excerpt for e in s.iter_excerpts())]
            if len(holding) != 1:
                raise AmbiguousLookupError(excerpt.id, owners)
            return holding[0]
        return owners[0]

    # -- citing and tables -------------------------------------------------------------

    def cite(self, item: Strategy | Excerpt, style: str = "note") -> str:
        """Cite a strategy of this catalog, or an excerpt, as quoted on the catalog's page.

        `style` is ``"note"`` (plain text), ``"bibtex"`` or ``"csl-json"``; keys are short
        and unique within the catalog. See `fusion_strategies.citation` for each style.
        A strategy or an excerpt that the catalog does not hold raises a `NotFoundError`.

        >>> import fusion_strategies as fs
        >>> catalog = fs.catalog()
        >>> qhsr = catalog.lookup("QHSR")
        >>> print(catalog.cite(qhsr, "bibtex").splitlines()[0])
        @misc{qhsr2014,
        >>> print(catalog.cite(qhsr.excerpts[0], "bibtex").splitlines()[0])
        @misc{qhsr2014:1,
        """
        from .citation import cite_excerpt, cite_strategy

        if isinstance(item, Excerpt):
            owner = self.strategy_of(item)
            key = self._citation_key_of(owner)
            return cite_excerpt(item, style, strategy=owner, source=self._source, key=key)
        if isinstance(item, Strategy):
            if self._name_index.by_id.get(item.id) != item:
                raise StrategyNotFoundError(item.id)
            key = self._citation_key_of(item)
            return cite_strategy(item, style, source=self._source, key=key)
        raise TypeError(f"cite() takes a Strategy or an Excerpt, not {type(item).__name__}")

    def rows(self, table: str) -> tuple[dict[str, str | int | None], ...]:
        """A table as plain dicts, one a row: ``"strategies"``, ``"excerpts"`` or ``"entities"``.

        The columns are those of the CSV export (`export.CSV_COLUMNS` for ``"excerpts"``):
        a strategy's ``strategy_id``, ``title``, ``heading``, ``period_start``,
        ``period_end``, ``issuer_id``, ``issuer``, ``kind``, ``themes`` and ``published``;
        an excerpt's row adds ``excerpt_id``, ``parent_excerpt_id``, ``depth`` and
        ``text``; an entity's has ``entity_id``, ``name``, ``acronym``, ``kind``,
        ``aliases`` and ``description``. Several values in one cell are joined by
        ``"; "``; a missing one is None. ``pandas.DataFrame(catalog.rows("excerpts"))``
        reads them as they are. Each call gives new dicts, yours to change.

        >>> import fusion_strategies as fs
        >>> rows = fs.catalog().rows("excerpts")
        >>> len(rows), rows[8]["excerpt_id"], rows[8]["parent_excerpt_id"], rows[8]["depth"]
        (54, '1.1', '1', 1)
        >>> fs.catalog().rows("entities")[0]["name"]
        'The White House'
        """
        from ._tables import table_rows

        return table_rows(table, self._strategies, self._entities)

    # -- querying many -----------------------------------------------------------------

    def find(
        self,
        *,
        year: int | None = None,
        theme: Theme | str | None = None,
        issuer: Entity | str | None = None,
        kind: DocumentKind | str | None = None,
        mentions: Entity | str | None = None,
    ) -> tuple[Strategy, ...]:
        """The strategies that meet every filter given, in page order.

        `year` must fall in the strategy's period; `theme` and `kind` take a member or
        its value; `issuer` and `mentions` take an `Entity` or anything `entity()` takes.

        >>> import fusion_strategies as fs
        >>> [s.id for s in fs.catalog().find(year=2021, theme="border-security")]
        ['us-customs-and-border-protection-strategy-2020']
        >>> len(fs.catalog().find(issuer="ONDCP", mentions="fusion centers"))
        2
        """
        tests: list[Callable[[Strategy], bool]] = []
        if year is not None:
            if not isinstance(year, int) or isinstance(year, bool):
                raise TypeError(f"year must be an int, not {type(year).__name__}")
            tests.append(lambda strategy: year in strategy.period)
        if theme is not None:
            wanted_theme = _member(Theme, theme, "theme")
            tests.append(lambda strategy: wanted_theme in strategy.themes)
        if kind is not None:
            wanted_kind = _member(DocumentKind, kind, "kind")
            tests.append(lambda strategy: strategy.kind is wanted_kind)
        if issuer is not None:
            wanted_issuer = self._entity_of(issuer, "issuer")
            tests.append(lambda strategy: strategy.issuer.id == wanted_issuer.id)
        if mentions is not None:
            named = self._mention_index.strategy_ids(self._entity_of(mentions, "mentions"))
            tests.append(lambda strategy: strategy.id in named)
        return tuple(s for s in self._strategies if all(test(s) for test in tests))

    def mentioning(self, entity: Entity | str) -> tuple[Mention, ...]:
        """Every excerpt that names the entity, by name, acronym, alias or plural.

        >>> import fusion_strategies as fs
        >>> hidta = "High Intensity Drug Trafficking Areas"
        >>> [mention.strategy.id for mention in fs.catalog().mentioning(hidta)]
        ['national-drug-control-strategy-2019', 'national-prevention-framework-2016']
        """
        return self._mention_index.mentions.get(self._entity_of(entity, "entity").id, ())

    def entities_in(self, item: Strategy | Excerpt) -> tuple[Entity, ...]:
        """The entities that a strategy's excerpts, or one excerpt's own text, name.

        For an excerpt, only its own text counts, not the bullets nested under it.

        >>> import fusion_strategies as fs
        >>> strategy = fs.catalog().get("fbi-national-information-sharing-strategy-2012")
        >>> [entity.id for entity in fs.catalog().entities_in(strategy.excerpts[3])]
        ['tsc', 'fusion-centers', 'kst']
        """
        index = self._mention_index
        if isinstance(item, Strategy):
            found = {
                entity for excerpt in item.iter_excerpts() for entity in index.entities_in(excerpt)
            }
            return tuple(entity for entity in self._entities if entity in found)
        if isinstance(item, Excerpt):
            return index.entities_in(item)
        raise TypeError(f"entities_in() takes a Strategy or an Excerpt, not {type(item).__name__}")

    def search(self, query: str, *, limit: int = 10) -> tuple[Hit, ...]:
        """The excerpts that best answer a query, best first, with the spans that matched.

        Ranked by BM25 over words, phrases and the glossary's entities, so that an acronym
        finds its name and a name its acronym; ties keep page order, and no hit gives
        ``()``. Words are read as ``fusion_strategies._text`` explains, and ranked as
        ``fusion_strategies._search`` does.

        >>> import fusion_strategies as fs
        >>> hit = fs.catalog().search("HSIN")[0]
        >>> hit.strategy.id
        'national-preparedness-report-2019'
        >>> [hit.excerpt.text[start:end] for start, end in hit.spans]
        ['Homeland Security Information Network', 'HSIN']
        >>> fs.catalog().search("zyzzyva")
        ()
        """
        _require_text(query, "query", "words to search for, such as 'fusion centers' or 'SAR'")
        _require_limit(limit)
        return self._search_index.search(query, limit=limit)

    def match(self, text: str, *, limit: int = 5) -> tuple[Match, ...]:
        """The strategies a free text aligns with, best first, with the excerpts and terms.

        The text may be a title or a whole product. Its words, the glossary's entities and
        the curated vocabulary of each theme (`vocabulary`) carry it to the strategies, the
        most specific first; ``fusion_strategies._match`` explains the scoring.

        >>> import fusion_strategies as fs
        >>> best = fs.catalog().match("Fentanyl seizures at the southwest border")[0]
        >>> best.strategy.id
        'national-southwest-border-counternarcotics-strategy-2016'
        >>> [(term.text, term.source.value) for term in best.terms]
        [('southwest border', 'entity'), ('Fentanyl', 'theme')]
        """
        _require_text(text, "text", "the text of a product, from a title to a whole document")
        _require_limit(limit)
        return self._match_index.match(text, limit=limit)

    # -- the collection ----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._strategies)

    def __iter__(self) -> Iterator[Strategy]:
        return iter(self._strategies)

    def __contains__(self, strategy_id: object) -> bool:
        return isinstance(strategy_id, str) and strategy_id in self._name_index.by_id

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Catalog):
            return NotImplemented
        return (
            self._source == other._source
            and self._strategies == other._strategies
            and self._entities == other._entities
            and dict(self._vocabulary) == dict(other._vocabulary)
            and self._withdrawn == other._withdrawn
            and self._capture_sha256 == other._capture_sha256
        )

    __hash__ = None  # type: ignore[assignment]  # equal catalogs need not be one object

    def __repr__(self) -> str:
        strategies, entities = len(self._strategies), len(self._entities)
        return (
            f"<Catalog of {strategies} {'strategy' if strategies == 1 else 'strategies'} and "
            f"{entities} {'entity' if entities == 1 else 'entities'} from {self._source.title!r}>"
        )

    # -- indexes, built on first use ---------------------------------------------------

    @property
    def _name_index(self) -> _NameIndex:
        index = self._names
        return self._build_once("_names", _NameIndex) if index is None else index

    @property
    def _mention_index(self) -> _MentionIndex:
        index = self._mentions
        if index is None:
            glossary = self._glossary_finder  # built first: the lock is not reentrant
            index = self._build_once("_mentions", lambda catalog: _MentionIndex(catalog, glossary))
        return index

    @property
    def _glossary_finder(self) -> NameFinder:
        finder = self._glossary
        if finder is None:
            from ._name_finder import NameFinder  # the first query pays for it, not the import

            finder = self._build_once("_glossary", lambda c: NameFinder.of_glossary(c._entities))
        return finder

    @property
    def _search_index(self) -> SearchIndex:
        index = self._search
        if index is None:
            from ._search import SearchIndex

            glossary = self._glossary_finder
            index = self._build_once("_search", lambda catalog: SearchIndex(catalog, glossary))
        return index

    @property
    def _match_index(self) -> MatchIndex:
        index = self._match
        if index is None:
            from ._match import MatchIndex

            glossary = self._glossary_finder
            index = self._build_once("_match", lambda catalog: MatchIndex(catalog, glossary))
        return index

    @property
    def _owner_index(self) -> _OwnerIndex:
        index = self._owners
        return self._build_once("_owners", _owners) if index is None else index

    def _citation_key_of(self, strategy: Strategy) -> str:
        keys = self._citation_keys
        if keys is None:
            from .citation import citation_keys

            keys = self._build_once("_citation_keys", lambda c: citation_keys(c.strategies()))
        return keys[strategy.id]

    def _build_once(self, slot: str, build: Callable[[Catalog], _Built]) -> _Built:
        with self._lock:
            built: _Built | None = getattr(self, slot)
            if built is None:
                built = build(self)
                setattr(self, slot, built)
            return built

    def _entity_of(self, value: Entity | str, argument: str) -> Entity:
        if isinstance(value, Entity):
            index = self._name_index
            known = index.entity_by_id.get(value.id)
            if known is None:
                raise EntityNotFoundError(value.id, index.entities.suggest(value.id))
            return known
        if isinstance(value, str):
            return self.entity(value)
        raise TypeError(f"{argument} must be an Entity or a str, not {type(value).__name__}")


_OwnerIndex = dict[Excerpt, tuple[Strategy, ...]]


def _owners(catalog: Catalog) -> _OwnerIndex:
    """The strategies that quote each excerpt: one, unless two quote equal excerpts."""
    owners: dict[Excerpt, list[Strategy]] = {}
    for strategy in catalog.strategies():
        for excerpt in strategy.iter_excerpts():
            same = owners.setdefault(excerpt, [])
            if not any(each is strategy for each in same):
                same.append(strategy)
    return {excerpt: tuple(found) for excerpt, found in owners.items()}


class _NameIndex:
    """Every name a strategy or an entity answers to.

    The entities' names are gathered on first use: a lookup of a strategy needs none.
    """

    __slots__ = ("_entities", "by_id", "entity_by_id", "strategies", "withdrawn")

    def __init__(self, catalog: Catalog) -> None:
        self.by_id = {strategy.id: strategy for strategy in catalog.strategies()}
        self.withdrawn = {
            gone.strategy_id: gone for gone in catalog.withdrawn() if gone.excerpt_id is None
        }
        self.entity_by_id = {entity.id: entity for entity in catalog.entities()}
        self.strategies = _Names((s, _strategy_names(s)) for s in catalog.strategies())
        self._entities: _Names[Entity] | None = None

    @property
    def entities(self) -> _Names[Entity]:
        names = self._entities
        if names is None:
            # Threads that race here build equal indexes, each whole; either one is kept.
            named = ((e, (*e.names, e.id)) for e in self.entity_by_id.values())
            names = self._entities = _Names(named)
        return names


class _Names(Generic[_Record]):
    """The names of some records: as written, normalized, and close ones for a miss.

    Most queries are a name as written, found in `exact`; the normalized names, which cost
    a `normalize_name` each, are made when the first query that needs them comes.
    """

    __slots__ = ("_named", "_normalized", "_suggester", "exact")

    def __init__(self, named: Iterable[tuple[_Record, tuple[str, ...]]]) -> None:
        self._named: tuple[tuple[_Record, tuple[str, ...]], ...] = tuple(named)
        self.exact: dict[str, tuple[_Record, ...]] = _index(
            (name, record) for record, names in self._named for name in names
        )
        self._normalized: tuple[dict[str, tuple[_Record, ...]], dict[str, str]] | None = None
        self._suggester: Suggester | None = None

    @property
    def keys(self) -> dict[str, tuple[_Record, ...]]:
        """The records of each normalized name."""
        return self._normalizing()[0]

    @property
    def spellings(self) -> dict[str, str]:
        """The first name as written of each normalized name, to show in a suggestion."""
        return self._normalizing()[1]

    def _normalizing(self) -> tuple[dict[str, tuple[_Record, ...]], dict[str, str]]:
        normalized = self._normalized
        if normalized is None:
            keyed = [
                (_names.normalize_name(name), name, record)
                for record, names in self._named
                for name in names
            ]
            spellings: dict[str, str] = {}
            for key, name, _ in keyed:
                spellings.setdefault(key, name)
            keys = _index((key, record) for key, _, record in keyed)
            # Threads that race here build equal dicts, and the pair is stored at once.
            normalized = self._normalized = (keys, spellings)
        return normalized

    def find(self, query: str) -> tuple[_Record, ...]:
        """The records a name names, as written or normalized, a plural allowed."""
        found = self.exact.get(query)
        if found is not None:
            return found
        key = _names.normalize_name(query)
        if not key:  # "?" or "The": no name is made of nothing
            return ()
        keys = (self._normalized or self._normalizing())[0]  # not `self.keys`: a call fewer
        found = keys.get(key)
        if found is None and key.endswith("s"):
            found = keys.get(key[:-1])
        return found or ()

    def suggest(self, query: str, show: Callable[[str], str] | None = None) -> tuple[str, ...]:
        """Up to three names close to the query, for as many different records."""
        if self._suggester is None:
            from ._suggestions import Suggester

            self._suggester = Suggester(self.keys)
        best: dict[tuple[_Record, ...], str] = {}
        for close in self._suggester.closest(_names.normalize_name(query)):
            best.setdefault(self.keys[close], (show or self.spellings.__getitem__)(close))
        return tuple(best.values())[:3]


def _index(pairs: Iterable[tuple[str, _Record]]) -> dict[str, tuple[_Record, ...]]:
    """The records of each name, each record once, in the order first given.

    A catalog's records have ids of their own, so two are equal only if they are one object:
    told by identity, which spares the first lookup the records' ``==`` (see `model`).
    """
    index: dict[str, list[_Record]] = {}
    for name, record in pairs:
        same = index.setdefault(name, [])
        if all(each is not record for each in same):
            same.append(record)
    return {name: tuple(records) for name, records in index.items()}


class _MentionIndex:
    """Which entities each excerpt names and where, and every mention of each entity."""

    __slots__ = ("_by_text", "_finder", "_glossary", "_order", "mentions")

    def __init__(self, catalog: Catalog, finder: NameFinder) -> None:
        from ._results import Mention

        self._glossary = {entity.id: entity for entity in catalog.entities()}
        self._order = {key: place for place, key in enumerate(self._glossary)}
        self._finder = finder
        self._by_text: dict[str, dict[str, tuple[tuple[int, int], ...]]] = {}
        mentions: dict[str, list[Mention]] = {}
        for strategy in catalog.strategies():
            for excerpt in strategy.iter_excerpts():
                for key, spans in self._names_in(excerpt.text).items():
                    mention = Mention(
                        strategy=strategy, excerpt=excerpt, entity=self._glossary[key], spans=spans
                    )
                    mentions.setdefault(key, []).append(mention)
        self.mentions = {entity_id: tuple(found) for entity_id, found in mentions.items()}

    def _names_in(self, text: str) -> dict[str, tuple[tuple[int, int], ...]]:
        """Each entity a text names, in glossary order, with the spans of its names."""
        found = self._by_text.get(text)
        if found is None:
            from ._text import Text

            read = Text(text, offsets=True)
            spans: dict[str, list[tuple[int, int]]] = {}
            for key, first, end in self._finder.find(read):
                spans.setdefault(key, []).append(read.span(first, end))
            found = self._by_text[text] = {
                key: tuple(spans[key]) for key in sorted(spans, key=self._order.__getitem__)
            }
        return found

    def entities_in(self, excerpt: Excerpt) -> tuple[Entity, ...]:
        return tuple(self._glossary[key] for key in self._names_in(excerpt.text))

    def strategy_ids(self, entity: Entity) -> frozenset[str]:
        return frozenset(mention.strategy.id for mention in self.mentions.get(entity.id, ()))


def _strategy_names(strategy: Strategy) -> tuple[str, ...]:
    """Every name a strategy answers to: id, heading, title and aliases, with its years."""
    name, _ = _names.split_heading(strategy.heading)
    bare = (strategy.title, name, *strategy.aliases)
    years = {str(strategy.period.start), str(strategy.period)}
    with_years = (f"{each} {year}" for each in bare for year in sorted(years))
    return (strategy.id, strategy.heading, *bare, *with_years)


def _resolve(
    query: str,
    names: _Names[_Record],
    not_found: type[StrategyNotFoundError | EntityNotFoundError],
) -> _Record:
    found = names.find(query)
    if not found:
        raise not_found(query, names.suggest(query))
    if len(found) > 1:
        raise AmbiguousLookupError(query, found)
    return found[0]


def _member(enum_type: type[_Enum], value: _Enum | str, argument: str) -> _Enum:
    if isinstance(value, enum_type):
        return value
    if not isinstance(value, str):
        raise TypeError(
            f"{argument} must be a {enum_type.__name__} or a str, not {type(value).__name__}"
        )
    for member in enum_type:
        if member.value == value:
            return member
    valid = ", ".join(repr(member.value) for member in enum_type)
    raise ValueError(f"unknown {argument} {value!r}; valid values: {valid}")


def _required(value: object, kind: type[_Built], argument: str) -> _Built:
    if not isinstance(value, kind):
        raise TypeError(f"{argument} must be a {kind.__name__}, not {type(value).__name__}")
    return value


def _each(values: object, kind: type[_Built], argument: str) -> Iterator[_Built]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{argument} must be an iterable of {kind.__name__}, not {values!r:.40}")
    for value in values:
        if not isinstance(value, kind):
            raise TypeError(
                f"{argument} must hold {kind.__name__} records, not {type(value).__name__}"
            )
        yield value


def _vocabulary(vocabulary: object) -> dict[Theme, tuple[str, ...]]:
    if vocabulary is None:
        return {}
    if not isinstance(vocabulary, Mapping):
        raise TypeError(f"vocabulary must be a mapping, not {type(vocabulary).__name__}")
    for theme in vocabulary:
        _required(theme, Theme, "a key of vocabulary")
    return {theme: tuple(_each(terms, str, "vocabulary")) for theme, terms in vocabulary.items()}


def _require_str(value: object, argument: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, not {type(value).__name__}")


def _require_text(value: object, argument: str, expected: str) -> None:
    _require_str(value, argument)
    assert isinstance(value, str)
    if not value.strip():
        raise ValueError(f"{argument} is empty; give {expected}")


def _require_limit(limit: object) -> None:
    if not isinstance(limit, int) or isinstance(limit, bool):
        raise TypeError(f"limit must be an int of 1 or more, not {type(limit).__name__}")
    if limit < 1:
        raise ValueError(f"limit must be an int of 1 or more, not {limit}")


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
