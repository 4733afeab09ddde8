"""The exceptions the package raises on purpose; all derive from `FusionStrategiesError`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import Entity, Strategy, Withdrawn

__all__ = [
    "AmbiguousLookupError",
    "CaptureError",
    "CurationError",
    "DatasetError",
    "EntityNotFoundError",
    "ExcerptNotFoundError",
    "FusionStrategiesError",
    "NotFoundError",
    "ProductError",
    "StrategyNotFoundError",
]


class FusionStrategiesError(Exception):
    """The base of every exception that fusion_strategies raises on purpose.

    >>> import fusion_strategies as fs
    >>> try:
    ...     fs.get("no-such-strategy")
    ... except fs.FusionStrategiesError as error:
    ...     print(type(error).__name__)
    StrategyNotFoundError
    """


class NotFoundError(FusionStrategiesError, KeyError):
    """Nothing answers to the name asked for; `suggestions` holds up to three close names.

    It is a `KeyError`, so code written for mappings keeps working, but its message is
    a sentence rather than the quoted key.

    >>> import fusion_strategies as fs
    >>> try:
    ...     fs.lookup("QHRS")
    ... except fs.NotFoundError as error:
    ...     print(error)
    ...     print(error.suggestions)
    no strategy matches 'QHRS'; did you mean 'QHSR'?
    ('QHSR',)
    """

    what = "record"

    def __init__(self, query: str, suggestions: Iterable[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        super().__init__(query)

    def __str__(self) -> str:
        message = f"no {self.what} matches {self.query!r}"
        if not self.suggestions:
            return message
        names = ", ".join(repr(name) for name in self.suggestions[:-1])
        last = repr(self.suggestions[-1])
        options = f"{names} or {last}" if names else last
        return f"{message}; did you mean {options}?"


class StrategyNotFoundError(NotFoundError):
    """No strategy has the id or name asked for; `withdrawn` says if it left the page.

    For the id of a strategy that the page no longer lists, `withdrawn` is its
    `Withdrawn` record and the message says when it left; otherwise it is None.

    >>> import fusion_strategies as fs
    >>> try:
    ...     fs.get("national-cyber-strategy-2018")
    ... except fs.StrategyNotFoundError as error:
    ...     print(error.suggestions[0])
    national-cyber-strategy-of-the-united-states-of-america-2018
    """

    what = "strategy"

    def __init__(
        self, query: str, suggestions: Iterable[str] = (), *, withdrawn: Withdrawn | None = None
    ) -> None:
        super().__init__(query, suggestions)
        self.withdrawn = withdrawn

    def __str__(self) -> str:
        if self.withdrawn is None:
            return super().__str__()
        gone = self.withdrawn
        return (
            f"strategy {self.query!r} ({gone.text}) was withdrawn from the page "
            f"on {gone.date.isoformat()}"
        )


class EntityNotFoundError(NotFoundError):
    """No entity of the glossary has the id, acronym, name or alias asked for.

    >>> import fusion_strategies as fs
    >>> fs.entity("HIDAT")
    Traceback (most recent call last):
      ...
    fusion_strategies.errors.EntityNotFoundError: no entity matches 'HIDAT'; did you mean 'HIDTA'?
    """

    what = "entity"


class ExcerptNotFoundError(NotFoundError):
    """No strategy of the catalog holds the excerpt, or the strategy has no such excerpt id.

    `query` is the excerpt's id; `strategy_id` is the strategy it was looked for in, or
    None when every strategy of the catalog was.

    >>> import fusion_strategies as fs
    >>> stray = fs.Excerpt(id="1", text="A bullet of no catalog's.")
    >>> fs.catalog().strategy_of(stray)
    Traceback (most recent call last):
      ...
    fusion_strategies.errors.ExcerptNotFoundError: no strategy of the catalog holds excerpt '1'
    """

    what = "excerpt"

    def __init__(
        self, query: str, suggestions: Iterable[str] = (), *, strategy_id: str | None = None
    ) -> None:
        super().__init__(query, suggestions)
        self.strategy_id = strategy_id

    def __str__(self) -> str:
        if self.strategy_id is None:
            return f"no strategy of the catalog holds excerpt {self.query!r}"
        found = super().__str__()
        return found.replace("no excerpt", f"no excerpt of {self.strategy_id!r}", 1)


class AmbiguousLookupError(FusionStrategiesError, LookupError):
    """A name fits more than one record; `candidates` holds them all, in catalog order.

    >>> import fusion_strategies as fs
    >>> try:
    ...     fs.lookup("NBS")
    ... except fs.AmbiguousLookupError as error:
    ...     print([strategy.id for strategy in error.candidates])
    ['dhs-northern-border-strategy-2018', 'national-biodefense-strategy-2018']
    """

    def __init__(self, query: str, candidates: Sequence[Strategy | Entity]) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        super().__init__(query)

    def __str__(self) -> str:
        ids = ", ".join(repr(candidate.id) for candidate in self.candidates)
        return f"{self.query!r} is ambiguous: it fits {ids}"


class DatasetError(FusionStrategiesError, ValueError):
    """A catalog file does not fit the schema or breaks an invariant.

    `problems` holds one line per problem, each starting with its JSON path; the message
    lists them all.

    >>> import fusion_strategies as fs
    >>> try:
    ...     fs.loads('{"format": 1, "strategies": [{"id": 7}]}')
    ... except fs.DatasetError as error:
    ...     print(error.problems[0])
    $.source: missing required field
    """

    what = "catalog"

    def __init__(self, problems: Iterable[str], *, source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self.problems)

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        count = len(self.problems)
        heading = f"{where}invalid {self.what} ({count} problem{'s' if count != 1 else ''})"
        return "\n".join([heading, *self.problems])


class CaptureError(DatasetError):
    """A page capture that the build cannot read; each problem starts with its line.

    >>> import fusion_strategies as fs
    >>> from fusion_strategies.capture import parse_capture
    >>> try:
    ...     parse_capture("A title only")
    ... except fs.CaptureError as error:
    ...     print(error.problems[0])
    end of the capture: no 'Last Updated: MM/DD/YYYY' line after the documents
    """

    what = "page capture"


class CurationError(DatasetError):
    """A curated overlay that does not fit its schema; each problem starts with its path.

    >>> import fusion_strategies as fs
    >>> from fusion_strategies.curation import loads_curation
    >>> try:
    ...     loads_curation('{"format": 1}')
    ... except fs.CurationError as error:
    ...     print(error.problems[0])
    $.sources: missing required field
    """

    what = "curated overlay"


class ProductError(FusionStrategiesError, ValueError):
    r"""A product (a report to tag) that cannot be read as text; the message is one line.

    A file that is not what its suffix says, one too large, or a PDF or DOCX file
    without the ``documents`` extra installed. See `fusion_strategies.products`.

    >>> import fusion_strategies as fs, pathlib, tempfile
    >>> from fusion_strategies.products import read_product
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "report.txt"
    >>> _ = path.write_bytes(b"\xff")
    >>> try:
    ...     read_product(path)
    ... except fs.ProductError as error:
    ...     print(error)
    not UTF-8 text (invalid start byte at byte 0)
    """


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
