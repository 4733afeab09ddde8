"""The records of a catalog: frozen, slotted attrs classes and the enums they use.

Every record is immutable and hashable, and every collection is a tuple. Which fields come
from the DHS page and which are curated by the project is said field by field below and in
the docs' data page.
"""

# No `from __future__ import annotations`: the fields' types are objects, made once with
# the classes. The converter reads them at the first load, and each type written as a
# string would cost a `compile` of its own then (about a tenth of a one-shot's own work).
import datetime
import enum
import sys
from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import TYPE_CHECKING, TypeVar

import attrs

if TYPE_CHECKING:
    from ._results import Hit, Match, Mention, Term

__all__ = [
    "DataVersion",
    "DocumentKind",
    "Entity",
    "EntityKind",
    "Excerpt",
    "Hit",
    "Match",
    "Mention",
    "PartialDate",
    "Period",
    "SourcePage",
    "Strategy",
    "Term",
    "TermSource",
    "Theme",
    "Withdrawn",
]

if sys.version_info >= (3, 11):
    _StrEnum = enum.StrEnum
else:

    class _StrEnum(str, enum.Enum):
        """`enum.StrEnum` before Python 3.11: `str()` and f-strings give the value."""

        def __str__(self) -> str:
            return str(self.value)

        def __format__(self, format_spec: str) -> str:
            return str(self.value).__format__(format_spec)


_Record = TypeVar("_Record", bound=type)


def _compared_on_first_use(cls: _Record) -> _Record:
    """Give a record attrs' ``==``, hash and repr, compiled when first used, not at import.

    attrs compiles a class's methods when the class is made, and those three are about
    half of what a record's class costs a one-shot lookup (1.6 of 3.2 million instructions,
    callgrind), which compares, hashes and shows no record. So the records are declared
    ``eq=False, repr=False``, and these stand-ins, the first time one of them is called,
    have attrs make the methods for a class of the same fields, take them over, and answer
    with them: the same code attrs would have given the record, made later.
    """

    def compile_methods() -> None:
        fields = [field.name for field in attrs.fields(cls)]
        made = attrs.make_class(cls.__name__, fields, frozen=True, kw_only=True)
        for name in ("__eq__", "__ne__", "__hash__", "__repr__"):
            setattr(cls, name, getattr(made, name))

    def equal(self: object, other: object) -> object:  # a bool, or NotImplemented
        compile_methods()
        return self.__eq__(other)

    def hashed(self: object) -> int:
        compile_methods()
        return hash(self)

    def shown(self: object) -> str:
        compile_methods()
        return repr(self)

    for name, method in (("__eq__", equal), ("__hash__", hashed), ("__repr__", shown)):
        setattr(cls, name, method)
    return cls


class Theme(_StrEnum):
    """A subject that a document's excerpts speak to; the vocabulary is the project's own.

    A theme is assigned to a strategy only when the words of its excerpts on the page
    speak to it; the words that count for each theme are the catalog's vocabulary.

    >>> Theme("counternarcotics")
    <Theme.COUNTERNARCOTICS: 'counternarcotics'>
    >>> Theme.BORDER_SECURITY.value
    'border-security'
    >>> print(Theme.CYBERSECURITY, f"{Theme.CYBERSECURITY}")
    cybersecurity cybersecurity
    """

    INFORMATION_SHARING = "information-sharing"
    """Exchanging threat-related information and intelligence between partners."""
    PARTNERSHIPS = "partnerships"
    """Engagement, coordination and collaboration with other agencies and sectors."""
    INTELLIGENCE_ANALYSIS = "intelligence-analysis"
    """Collecting, analysing and disseminating intelligence, and joint analytic products."""
    COUNTERTERRORISM = "counterterrorism"
    """Preventing and countering terrorism, domestic and international."""
    COUNTERINTELLIGENCE = "counterintelligence"
    """Countering foreign intelligence threats and foreign influence."""
    CYBERSECURITY = "cybersecurity"
    """Malicious cyber activity and the response to it."""
    CRITICAL_INFRASTRUCTURE = "critical-infrastructure"
    """Protecting critical infrastructure and supply chains."""
    COUNTERNARCOTICS = "counternarcotics"
    """Drug trafficking and drug law enforcement."""
    TRANSNATIONAL_ORGANIZED_CRIME = "transnational-organized-crime"
    """Transnational organized crime and criminal networks."""
    VIOLENT_CRIME = "violent-crime"
    """Violent crime, armed offenders and illegal firearms trafficking."""
    BORDER_SECURITY = "border-security"
    """Security of the northern and southwest borders and of cross-border activity."""
    NORTHERN_BORDER = "northern-border"
    """The northern border, with Canada, and what crosses it."""
    SOUTHWEST_BORDER = "southwest-border"
    """The southwest border, with Mexico, and what crosses it."""
    SUSPICIOUS_ACTIVITY_REPORTING = "suspicious-activity-reporting"
    """Identifying and reporting suspicious activity, such as the SAR process."""
    EMERGENCY_PREPAREDNESS = "emergency-preparedness"
    """Preparedness for and response to incidents, events and emergencies."""
    PUBLIC_HEALTH = "public-health"
    """Public health emergencies and the public health system's preparedness."""
    BIOLOGICAL_THREATS = "biological-threats"
    """Biological threats and incidents, deliberate or not, and the defense against them."""
    PRIVACY_AND_CIVIL_LIBERTIES = "privacy-and-civil-liberties"
    """Protecting privacy and civil liberties while sharing information."""


class DocumentKind(_StrEnum):
    """What sort of document a strategy is, as its page heading names it.

    >>> DocumentKind("strategic-plan")
    <DocumentKind.STRATEGIC_PLAN: 'strategic-plan'>
    >>> f"a {DocumentKind.STRATEGIC_PLAN}"
    'a strategic-plan'
    """

    STRATEGY = "strategy"
    """A national, departmental or agency strategy."""
    STRATEGIC_PLAN = "strategic-plan"
    """An agency's multi-year strategic plan."""
    REVIEW = "review"
    """A periodic review, such as the Quadrennial Homeland Security Review."""
    FRAMEWORK = "framework"
    """A national planning framework."""
    STANDARDS = "standards"
    """A set of national standards or capabilities."""
    REPORT = "report"
    """A report on a year or a program."""


class EntityKind(_StrEnum):
    """What sort of thing an entity of the glossary is.

    >>> EntityKind("partner-group").name
    'PARTNER_GROUP'
    >>> str(EntityKind.PARTNER_GROUP)
    'partner-group'
    """

    ORGANIZATION = "organization"
    """An agency, office, center or task force."""
    PROGRAM = "program"
    """A program, initiative, campaign or compact."""
    SYSTEM = "system"
    """An information system or network."""
    PARTNER_GROUP = "partner-group"
    """A group of partners, such as SLTT governments or the private sector."""
    REGION = "region"
    """A geographic region, such as the Southwest Border."""
    TERM = "term"
    """A term of art, such as suspicious activity reporting."""


@_compared_on_first_use
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Period:
    """The years a document covers, inclusive; the page gives them in its headings.

    Periods order by their start, then by their end, so `sorted` puts the earliest first.

    >>> period = Period(start=2022, end=2026)
    >>> 2024 in period, 2027 in period
    (True, False)
    >>> str(period), str(Period(start=2018, end=2018))
    ('2022–2026', '2018')
    >>> Period(start=2018, end=2018) < Period(start=2018, end=2022) < period
    True
    """

    start: int
    end: int

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.start <= year <= self.end

    def __str__(self) -> str:
        if self.start == self.end:
            return str(self.start)
        return f"{self.start}–{self.end}"

    # Ordered as attrs' ``order=True`` orders: by the fields as a tuple, within the class.
    def __lt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _years(self) < _years(other)

    def __le__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _years(self) <= _years(other)

    def __gt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _years(self) > _years(other)

    def __ge__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _years(self) >= _years(other)


_years: Callable[[object], tuple[int, int]] = attrgetter("start", "end")


@_compared_on_first_use
@attrs.frozen(kw_only=True, eq=False, repr=False)
class PartialDate:
    """A date known only to the precision that a public source confirms.

    Partial dates order by their known parts, year first, as tuples do: a date that
    stops at the year comes before every date of that year that says more, so
    ``2016 < 2016-01 < 2016-01-01 < 2016-05``. A year is not taken for its first day.

    >>> str(PartialDate(year=2016, month=5))
    '2016-05'
    >>> PartialDate(year=2018, month=6, day=12).date_parts
    (2018, 6, 12)
    >>> PartialDate(year=2016) < PartialDate(year=2016, month=1) < PartialDate(year=2016, month=5)
    True
    """

    year: int
    month: int | None = None
    day: int | None = None

    def to_date(self) -> datetime.date:
        """The `datetime.date` of a complete date; `ValueError` names the part missing.

        >>> PartialDate(year=2018, month=6, day=12).to_date()
        datetime.date(2018, 6, 12)
        >>> PartialDate(year=2016, month=5).to_date()
        Traceback (most recent call last):
          ...
        ValueError: 2016-05 is not a complete date: it has no day
        """
        if self.month is None or self.day is None:
            missing = "month and no day" if self.month is None else "day"
            raise ValueError(f"{self} is not a complete date: it has no {missing}")
        return datetime.date(self.year, self.month, self.day)

    def _order_key(self) -> tuple[int, int, int]:
        # A missing part sorts before any known one; months and days start at 1.
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._order_key() < other._order_key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._order_key() <= other._order_key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._order_key() > other._order_key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._order_key() >= other._order_key()

    @property
    def date_parts(self) -> tuple[int, ...]:
        """The known parts, year first, as CSL-JSON's ``date-parts`` wants them.

        >>> PartialDate(year=2016, month=5).date_parts
        (2016, 5)
        """
        parts = (self.year, self.month, self.day)
        return tuple(part for part in parts if part is not None)

    def __str__(self) -> str:
        return "-".join([f"{self.year:04d}", *(f"{part:02d}" for part in self.date_parts[1:])])


@_compared_on_first_use
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Entity:
    """An organization, program, system, partner group, region or term the excerpts name.

    All fields are curated: names and acronyms follow the page and ``curated-facts.md``.
    ``aliases`` are the other ways a text names the entity; they are matched on word
    boundaries, and an acronym or an all-capitals alias only in capitals.

    >>> hidta = Entity(
    ...     id="hidta",
    ...     name="High Intensity Drug Trafficking Areas",
    ...     acronym="HIDTA",
    ...     kind=EntityKind.PROGRAM,
    ... )
    >>> hidta.names
    ('High Intensity Drug Trafficking Areas', 'HIDTA')
    """

    id: str
    name: str
    acronym: str | None = None
    kind: EntityKind
    aliases: tuple[str, ...] = ()
    description: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The name, the acronym and the aliases: every way a text may name the entity.

        >>> import fusion_strategies as fs
        >>> fs.entity("HIDTA").names
        ('High Intensity Drug Trafficking Areas', 'HIDTA')
        """
        acronym = () if self.acronym is None else (self.acronym,)
        return (self.name, *acronym, *self.aliases)


@_compared_on_first_use
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Excerpt:
    """A bullet quoted on the page, with the bullets nested under it.

    ``text`` is verbatim from the page, with every run of whitespace made one space;
    ``id`` is stable within its strategy (``"2"``, or ``"1.3"`` for a nested bullet).

    >>> lead = Excerpt(id="1", text="The U.S. Government will:", children=(
    ...     Excerpt(id="1.1", text="Expand outreach."),
    ... ))
    >>> [excerpt.id for excerpt in lead.iter_excerpts()]
    ['1', '1.1']
    """

    id: str
    text: str
    children: "tuple[Excerpt, ...]" = ()  # a class names itself in a string

    def iter_excerpts(self) -> "Iterator[Excerpt]":
        """Yield this excerpt, then every excerpt nested under it, in page order.

        >>> import fusion_strategies as fs
        >>> lead = fs.get("dhs-information-sharing-strategy-2013").excerpts[0]
        >>> [excerpt.id for excerpt in lead.iter_excerpts()]
        ['1', '1.1', '1.2', '1.3']
        """
        yield self
        for child in self.children:
            yield from child.iter_excerpts()


@_compared_on_first_use
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Strategy:
    """A strategy, plan, review, framework or report quoted on the page.

    From the page: ``heading``, ``period`` and ``excerpts``. Curated: ``title`` (the
    official title where a public source confirms it, else the heading without its
    year), ``issuer``, ``kind``, ``themes``, ``aliases`` and ``published``. ``id`` is a
    slug of the heading (see the docs); once released it never changes.

    >>> import fusion_strategies as fs
    >>> strategy = fs.get("national-strategy-for-counterterrorism-2018")
    >>> strategy.title
    'National Strategy for Counterterrorism of the United States of America'
    >>> str(strategy.period), strategy.issuer.name, len(strategy.excerpts)
    ('2018', 'The White House', 2)
    """

    id: str
    title: str
    heading: str
    period: Period
    issuer: Entity
    kind: DocumentKind
    themes: tuple[Theme, ...] = ()
    aliases: tuple[str, ...] = ()
    published: PartialDate | None = None
    excerpts: tuple[Excerpt, ...] = ()

    def iter_excerpts(self) -> Iterator[Excerpt]:
        """Yield every excerpt, nested ones included, in page order.

        >>> import fusion_strategies as fs
        >>> strategy = fs.get("dhs-information-sharing-strategy-2013")
        >>> len(strategy.excerpts), len(list(strategy.iter_excerpts()))
        (1, 4)
        """
        for excerpt in self.excerpts:
            yield from excerpt.iter_excerpts()


@_compared_on_first_use
@attrs.frozen(kw_only=True, eq=False, repr=False)
class SourcePage:
    """The DHS page the bundled catalog quotes, and when it was last updated.

    >>> import fusion_strategies as fs
    >>> page = fs.source()
    >>> page.title, page.last_updated.isoformat()
    ("Fusion Centers' Support of National Strategies and Guidance", '2023-11-07')
    """

    title: str
    url: str
    publisher: str
    last_updated: datetime.date
    breadcrumb: tuple[str, ...] = ()
    introduction: tuple[str, ...] = ()


@_compared_on_first_use
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Withdrawn:
    """A strategy or an excerpt that left the page, what it said, and when it left.

    Its id is never given to anything else. ``text`` is the strategy's heading or the
    excerpt's text as the page last quoted it; ``date`` is the last-updated date of the
    first page without it.

    >>> import datetime
    >>> gone = Withdrawn(
    ...     strategy_id="national-drug-control-strategy-2019",
    ...     excerpt_id="3",
    ...     text="Agile interagency and international coordination …",
    ...     date=datetime.date(2024, 5, 1),
    ... )
    >>> gone.excerpt_id, gone.date.isoformat()
    ('3', '2024-05-01')
    """

    strategy_id: str
    excerpt_id: str | None = None
    text: str
    date: datetime.date


@_compared_on_first_use
@attrs.frozen(kw_only=True, eq=False, repr=False)
class DataVersion:
    """Which data a catalog holds: its page's last-updated date and its capture's hash.

    ``capture_sha256`` is the SHA-256 of the page capture the catalog was built from (None
    for a catalog not built from a capture). `str` gives the date, then the hash's first
    twelve digits.

    >>> import datetime
    >>> version = DataVersion(last_updated=datetime.date(2023, 11, 7), capture_sha256="ab" * 32)
    >>> str(version)
    '2023-11-07+abababababab'
    >>> str(DataVersion(last_updated=datetime.date(2023, 11, 7)))
    '2023-11-07'
    """

    last_updated: datetime.date
    capture_sha256: str | None = None

    def __str__(self) -> str:
        date = self.last_updated.isoformat()
        return date if self.capture_sha256 is None else f"{date}+{self.capture_sha256[:12]}"


class TermSource(_StrEnum):
    """Where the evidence for a term of a `Match` comes from, in the matched strategy.

    >>> TermSource("theme")
    <TermSource.THEME: 'theme'>
    """

    EXCERPT = "excerpt"
    """A word that the strategy's excerpts use."""
    NAME = "name"
    """A word of the strategy's title, heading or short names."""
    ENTITY = "entity"
    """An entity of the glossary that the strategy's excerpts or names name too."""
    THEME = "theme"
    """A word of a theme's vocabulary (`Catalog.vocabulary`), for one of the strategy's themes."""


_RESULTS = frozenset({"Hit", "Match", "Mention", "Term"})
"""The records of what a query found; `_results` holds them, apart (see there for why)."""

if not TYPE_CHECKING:  # type checkers see them imported above

    def __getattr__(name: str) -> object:
        """A record of a query's result, its class made on first use: ``model.Match``."""
        if name in _RESULTS:
            from . import _results

            value = getattr(_results, name)
            globals()[name] = value
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
