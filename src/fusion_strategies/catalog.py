"""`Catalog`: a set of strategies with its glossary, and every query on them."""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from . import _names
from ._invariants import catalog_problems
from ._terms import TermFinder, is_acronym
from .errors import (
    AmbiguousLookupError,
    DatasetError,
    EntityNotFoundError,
    StrategyNotFoundError,
)
from .model import (
    DocumentKind,
    Entity,
    Excerpt,
    Hit,
    Match,
    Mention,
    SourcePage,
    Strategy,
    Theme,
)

if TYPE_CHECKING:
    from ._search import SearchIndex

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
        "_entities",
        "_lock",
        "_mentions",
        "_names",
        "_search",
        "_source",
        "_strategies",
        "_vocabulary",
    )

    def __init__(
        self,
        *,
        source: SourcePage,
        strategies: Iterable[Strategy],
        entities: Iterable[Entity] = (),
        vocabulary: Mapping[Theme, Iterable[str]] | None = None,
    ) -> None:
        self._source = source
        self._strategies = tuple(strategies)
        self._entities = tuple(entities)
        self._vocabulary: Mapping[Theme, tuple[str, ...]] = MappingProxyType(
            {theme: tuple(terms) for theme, terms in (vocabulary or {}).items()}
        )
        problems = catalog_problems(self._entities, self._strategies, self._vocabulary)
        if problems:
            raise DatasetError(problems)
        self._lock = threading.Lock()
        self._names: _NameIndex | None = None
        self._mentions: _MentionIndex | None = None
        self._search: SearchIndex | None = None

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
            # get() takes ids only, but a near miss is best found by any name, shown as an id.
            keys = index.strategy_keys
            query = _names.normalize_name(strategy_id)
            suggestions = _close_matches(query, keys, lambda key: keys[key][0].id)
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
        return _resolve(name, index.strategy_keys, index.strategy_names, StrategyNotFoundError)

    def entity(self, key: str) -> Entity:
        """The entity with this id, acronym, name or alias (a plural will do).

        >>> import fusion_strategies as fs
        >>> fs.catalog().entity("HIDTAs").name
        'High Intensity Drug Trafficking Areas'
        """
        _require_str(key, "key")
        index = self._name_index
        return _resolve(key, index.entity_keys, index.entity_names, EntityNotFoundError)

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
        ``()``. The tokenizer and the ranking are explained in ``fusion_strategies._search``.

        >>> import fusion_strategies as fs
        >>> hit = fs.catalog().search("HSIN")[0]
        >>> hit.strategy.id
        'national-preparedness-report-2019'
        >>> [hit.excerpt.text[start:end] for start, end in hit.spans]
        ['Homeland Security Information Network', 'HSIN']
        >>> fs.catalog().search("zyzzyva")
        ()
        """
        return self._search_index.search(query, limit=limit)

    def match(self, text: str, *, limit: int = 5) -> tuple[Match, ...]:
        """The strategies a free text aligns with, best first, with the excerpts and terms.

        The text may be a title or a whole product. Its words, the glossary's entities and
        the curated vocabulary of each theme (`vocabulary`) carry it to the strategies.

        >>> import fusion_strategies as fs
        >>> best = fs.catalog().match("Fentanyl seizures at the southwest border")[0]
        >>> best.strategy.id
        'national-southwest-border-counternarcotics-strategy-2016'
        >>> best.terms
        ('southwest border', 'Fentanyl')
        """
        return self._search_index.match(text, limit=limit)

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
        )

    __hash__ = None  # type: ignore[assignment]  # equal catalogs need not be one object

    def __repr__(self) -> str:
        return (
            f"<Catalog of {len(self._strategies)} strategies and "
            f"{len(self._entities)} entities from {self._source.title!r}>"
        )

    # -- indexes, built on first use ---------------------------------------------------

    @property
    def _name_index(self) -> _NameIndex:
        index = self._names
        return self._build_once("_names", _NameIndex) if index is None else index

    @property
    def _mention_index(self) -> _MentionIndex:
        index = self._mentions
        return self._build_once("_mentions", _MentionIndex) if index is None else index

    @property
    def _search_index(self) -> SearchIndex:
        index = self._search
        if index is None:
            from ._search import SearchIndex  # the first search pays for it, not the import

            index = self._build_once("_search", SearchIndex)
        return index

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
                raise EntityNotFoundError(
                    value.id,
                    _close_matches(value.id, index.entity_keys, index.entity_names.__getitem__),
                )
            return known
        if isinstance(value, str):
            return self.entity(value)
        raise TypeError(f"{argument} must be an Entity or a str, not {type(value).__name__}")


class _NameIndex:
    """Every name a strategy or an entity answers to, normalized."""

    __slots__ = (
        "by_id",
        "entity_by_id",
        "entity_keys",
        "entity_names",
        "strategy_keys",
        "strategy_names",
    )

    def __init__(self, catalog: Catalog) -> None:
        self.by_id = {strategy.id: strategy for strategy in catalog.strategies()}
        self.entity_by_id = {entity.id: entity for entity in catalog.entities()}
        self.strategy_keys, self.strategy_names = _keyed(
            (strategy, _strategy_names(strategy)) for strategy in catalog.strategies()
        )
        self.entity_keys, self.entity_names = _keyed(
            (entity, (*entity.names, entity.id)) for entity in catalog.entities()
        )


class _MentionIndex:
    """Which entities each excerpt names, and every mention of each entity."""

    __slots__ = ("_by_text", "_finder", "_glossary", "mentions")

    def __init__(self, catalog: Catalog) -> None:
        self._glossary = {entity.id: entity for entity in catalog.entities()}
        self._finder = TermFinder(
            (entity.id, name, name == entity.acronym or is_acronym(name))
            for entity in catalog.entities()
            for name in entity.names
        )
        self._by_text: dict[str, tuple[Entity, ...]] = {}
        mentions: dict[str, list[Mention]] = {}
        for strategy in catalog.strategies():
            for excerpt in strategy.iter_excerpts():
                for entity in self.entities_in(excerpt):
                    mention = Mention(strategy=strategy, excerpt=excerpt, entity=entity)
                    mentions.setdefault(entity.id, []).append(mention)
        self.mentions = {entity_id: tuple(found) for entity_id, found in mentions.items()}

    def entities_in(self, excerpt: Excerpt) -> tuple[Entity, ...]:
        found = self._by_text.get(excerpt.text)
        if found is None:
            keys = self._finder.keys_in(excerpt.text)
            found = self._by_text[excerpt.text] = tuple(self._glossary[key] for key in keys)
        return found

    def strategy_ids(self, entity: Entity) -> frozenset[str]:
        return frozenset(mention.strategy.id for mention in self.mentions.get(entity.id, ()))


def _strategy_names(strategy: Strategy) -> tuple[str, ...]:
    """Every name a strategy answers to: id, heading, title and aliases, with its years."""
    name, _ = _names.split_heading(strategy.heading)
    bare = (strategy.title, name, *strategy.aliases)
    years = {str(strategy.period.start), str(strategy.period)}
    with_years = (f"{each} {year}" for each in bare for year in sorted(years))
    return (strategy.id, strategy.heading, *bare, *with_years)


def _keyed(
    named: Iterable[tuple[_Record, tuple[str, ...]]],
) -> tuple[dict[str, tuple[_Record, ...]], dict[str, str]]:
    """Map each normalized name to its records, and to the first spelling of it seen."""
    records: dict[str, list[_Record]] = {}
    spellings: dict[str, str] = {}
    for record, names in named:
        for name in names:
            key = _names.normalize_name(name)
            same = records.setdefault(key, [])
            if record not in same:
                same.append(record)
            spellings.setdefault(key, name)
    return {key: tuple(found) for key, found in records.items()}, spellings


def _resolve(
    query: str,
    keys: Mapping[str, tuple[_Record, ...]],
    spellings: Mapping[str, str],
    not_found: type[StrategyNotFoundError | EntityNotFoundError],
) -> _Record:
    key = _names.normalize_name(query)
    found = keys.get(key)
    if found is None and key.endswith("s"):
        found = keys.get(key[:-1])
    if found is None:
        raise not_found(query, _close_matches(key, keys, spellings.__getitem__))
    if len(found) > 1:
        raise AmbiguousLookupError(query, found)
    return found[0]


def _close_matches(
    query: str, keys: Mapping[str, tuple[_Record, ...]], show: Callable[[str], str]
) -> tuple[str, ...]:
    """Up to three names close to `query`, each for other records, shown by `show(key)`.

    Keys that hold the query's words come first, then the most alike by spelling, so
    "national cyber strategy" finds the one strategy with those words, and "QHRS" finds
    "QHSR".
    """
    import difflib  # only a miss pays for it

    words = set(query.split())
    matcher = difflib.SequenceMatcher(b=query, autojunk=False)
    scored = []
    for key in keys:
        matcher.set_seq1(key)
        overlap = len(words.intersection(key.split())) / max(len(words), 1)
        if overlap >= 0.5 or (matcher.real_quick_ratio() >= 0.6 and matcher.ratio() >= 0.6):
            scored.append((-overlap, -matcher.ratio(), key))
    scored.sort()
    best: dict[tuple[_Record, ...], str] = {}
    for _, _, key in scored:
        best.setdefault(keys[key], show(key))
    return tuple(best.values())[:3]


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


def _require_str(value: object, argument: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, not {type(value).__name__}")
