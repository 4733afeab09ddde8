"""Citations of a strategy or of one of its excerpts: a plain note, BibTeX or CSL-JSON.

A citation names the document (its issuer, title and years) and says that it is quoted
from the catalog's source page, with the page's URL and last-updated date. It holds
only what the catalog holds: no page numbers, no URL of the document itself, and no
date the catalog does not have.

- ``"note"``: a Chicago-like "quoted in" note, one line of plain text. The years are the
  document's period as the page gives it; a published date outside that period is added.
- ``"bibtex"``: one ``@misc`` entry; the issuer is a corporate author (in braces),
  ``date`` is the published date at its known precision, else the period, and ``url``
  is the page's, where the document is quoted.
- ``"csl-json"``: one CSL-JSON item of type ``report``, a JSON object; ``issued`` holds
  the published date's known parts, else the period's years.

An excerpt's citation is its strategy's, plus the heading on the page it is quoted
under; its key is the strategy's id and the excerpt's id, joined by a colon.

Neither records nor excerpts point back to their catalog, so the source page (and, for
an excerpt, its strategy) default to the bundled catalog's; for a catalog of your own,
pass them. A default that does not fit raises `ValueError` rather than cite the wrong page.
"""

from __future__ import annotations

import datetime
import re
from typing import Literal, get_args

from .model import Excerpt, PartialDate, SourcePage, Strategy

__all__ = ["STYLES", "CitationStyle", "cite_excerpt", "cite_strategy", "csl_item"]

CitationStyle = Literal["note", "bibtex", "csl-json"]
"""The citation styles: a plain-text note, a BibTeX entry, or a CSL-JSON item."""

STYLES: tuple[CitationStyle, ...] = get_args(CitationStyle)
"""Every citation style, in the order the docs list them."""

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_LATEX_UNBALANCED_BRACES = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_LATEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_UNBALANCED = {**_LATEX_ESCAPES, **_LATEX_UNBALANCED_BRACES}


def cite_strategy(
    strategy: Strategy, style: CitationStyle = "note", *, source: SourcePage | None = None
) -> str:
    """Cite a strategy as quoted on its source page; see `Strategy.cite`.

    >>> import fusion_strategies as fs
    >>> import textwrap
    >>> print(textwrap.fill(cite_strategy(fs.lookup("NSISS")), 88, break_on_hyphens=False))
    The White House, National Strategy for Information Sharing and Safeguarding (2012),
    quoted in U.S. Department of Homeland Security, “Fusion Centers' Support of National
    Strategies and Guidance,” last updated November 7, 2023,
    https://www.dhs.gov/topic/fusion-centers-support-national-strategies-and-guidance.
    """
    _require(strategy, Strategy, "strategy")
    return _render(_Cited(strategy, None, _source_of(strategy, source)), _style(style))


def cite_excerpt(
    excerpt: Excerpt,
    style: CitationStyle = "note",
    *,
    strategy: Strategy | None = None,
    source: SourcePage | None = None,
) -> str:
    """Cite an excerpt as quoted under its strategy's heading; see `Excerpt.cite`.

    >>> import fusion_strategies as fs
    >>> excerpt = fs.lookup("QHSR").excerpts[0]
    >>> print(cite_excerpt(excerpt, "bibtex").splitlines()[0])
    @misc{quadrennial-homeland-security-review-2014:1,
    """
    _require(excerpt, Excerpt, "excerpt")
    owner = _strategy_of(excerpt, strategy)
    return _render(_Cited(owner, excerpt, _source_of(owner, source)), _style(style))


def csl_item(
    strategy: Strategy, *, excerpt: Excerpt | None = None, source: SourcePage | None = None
) -> dict[str, object]:
    """The CSL-JSON item of a strategy, or of one of its excerpts, as a dict.

    >>> import fusion_strategies as fs
    >>> item = csl_item(fs.lookup("National Southwest Border Counternarcotics Strategy"))
    >>> item["type"], item["author"], item["issued"]
    ('report', [{'literal': 'Office of National Drug Control Policy'}], {'date-parts': [[2016, 5]]})
    """
    _require(strategy, Strategy, "strategy")
    if excerpt is not None:
        _require(excerpt, Excerpt, "excerpt")
        strategy = _strategy_of(excerpt, strategy)
    return _csl(_Cited(strategy, excerpt, _source_of(strategy, source)))


class _Cited:
    """What a citation is made of: the document, maybe one excerpt, and the page."""

    __slots__ = ("excerpt", "source", "strategy")

    def __init__(self, strategy: Strategy, excerpt: Excerpt | None, source: SourcePage) -> None:
        self.strategy = strategy
        self.excerpt = excerpt
        self.source = source

    @property
    def key(self) -> str:
        if self.excerpt is None:
            return self.strategy.id
        return f"{self.strategy.id}:{self.excerpt.id}"

    def quoted_in(self, end: str) -> str:
        """Where the document is quoted: the page, and the heading for an excerpt.

        `end` is the punctuation that follows; it goes inside a closing quotation mark.
        """
        page = self.source
        where = f"quoted in {page.publisher}, “{page.title},” last updated "
        where += _long_date(page.last_updated)
        if self.excerpt is None:
            return f"{where}{end}"
        return f"{where}, under “{self.strategy.heading}{end}”"


def _render(cited: _Cited, style: CitationStyle) -> str:
    if style == "bibtex":
        return _bibtex(cited)
    if style == "csl-json":
        import json

        return json.dumps(_csl(cited), ensure_ascii=False, indent=2)
    return _note(cited)


def _note(cited: _Cited) -> str:
    strategy = cited.strategy
    years = str(strategy.period)
    published = strategy.published
    if published is not None and published.year not in strategy.period:
        years += f"; published {_partial_date(published)}"
    return (
        f"{strategy.issuer.name}, {strategy.title} ({years}), "
        f"{cited.quoted_in(',')} {cited.source.url}."
    )


def _bibtex(cited: _Cited) -> str:
    strategy = cited.strategy
    period = strategy.period
    if strategy.published is not None:
        year, date = str(strategy.published.year), str(strategy.published)
    elif period.start == period.end:
        year = date = str(period.start)
    else:
        year, date = f"{period.start}--{period.end}", f"{period.start}/{period.end}"
    fields = (
        ("author", f"{{{_latex(strategy.issuer.name)}}}"),
        ("title", f"{{{_latex(strategy.title)}}}"),
        ("year", year),
        ("date", date),
        ("note", _latex(_sentence(cited.quoted_in(".")))),
        ("url", _bibtex_url(cited.source.url)),
    )
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{cited.key},\n{body}}}"


def _csl(cited: _Cited) -> dict[str, object]:
    strategy = cited.strategy
    published = strategy.published
    if published is not None:
        date_parts = [list(published.date_parts)]
    elif strategy.period.start == strategy.period.end:
        date_parts = [[strategy.period.start]]
    else:
        date_parts = [[strategy.period.start], [strategy.period.end]]
    return {
        "id": cited.key,
        "type": "report",
        "title": strategy.title,
        "author": [{"literal": strategy.issuer.name}],
        "issued": {"date-parts": date_parts},
        "URL": cited.source.url,
        "note": _sentence(cited.quoted_in(".")),
    }


def _sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}"


def _latex(text: str) -> str:
    r"""Escape the characters that TeX reads as commands, so that a value prints as is.

    BibTeX counts a brace even after a backslash, so ``\}`` keeps a field whole only if
    the text's braces pair up; where they do not, braces are written as commands.
    """
    escapes = _LATEX_ESCAPES if _balanced(text) else _LATEX_UNBALANCED
    return _LATEX_SPECIAL.sub(lambda m: escapes.get(m[0], f"\\{m[0]}"), text)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _bibtex_url(url: str) -> str:
    """A URL as a BibTeX field holds it verbatim: braces, backslashes and spaces encoded."""
    from urllib.parse import quote

    return quote(url, safe="/:?#@!$&'*+,;=%~._-")


def _long_date(date: datetime.date) -> str:
    return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"


def _partial_date(date: PartialDate) -> str:
    if date.month is None:
        return str(date.year)
    if date.day is None:
        return f"{_MONTHS[date.month - 1]} {date.year}"
    return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"


def _style(style: object) -> CitationStyle:
    for known in STYLES:
        if style == known:
            return known
    if not isinstance(style, str):
        raise TypeError(f"style must be a str, not {type(style).__name__}")
    valid = ", ".join(repr(known) for known in STYLES)
    raise ValueError(f"unknown citation style {style!r}; valid styles: {valid}")


def _require(value: object, kind: type, argument: str) -> None:
    if not isinstance(value, kind):
        raise TypeError(f"{argument} must be a {kind.__name__}, not {type(value).__name__}")


def _source_of(strategy: Strategy, source: SourcePage | None) -> SourcePage:
    """The page given, or the bundled catalog's if the strategy is one of its own."""
    if source is not None:
        _require(source, SourcePage, "source")
        return source
    from ._bundled import bundled_catalog

    bundled = bundled_catalog()
    if strategy.id in bundled and bundled.get(strategy.id) == strategy:
        return bundled.source()
    raise ValueError(
        f"strategy {strategy.id!r} is not in the bundled catalog; "
        "pass the page it is quoted from: source=catalog.source()"
    )


def _strategy_of(excerpt: Excerpt, strategy: Strategy | None) -> Strategy:
    """The strategy given, if the excerpt is one of its own, or the bundled one quoting it."""
    if strategy is not None:
        _require(strategy, Strategy, "strategy")
        if excerpt not in tuple(strategy.iter_excerpts()):
            raise ValueError(f"excerpt {excerpt.id!r} is not an excerpt of {strategy.id!r}")
        return strategy
    from ._bundled import bundled_catalog

    for candidate in bundled_catalog().strategies():
        if excerpt in tuple(candidate.iter_excerpts()):
            return candidate
    raise ValueError(
        f"excerpt {excerpt.id!r} is not in the bundled catalog; "
        "pass the strategy it belongs to: strategy=..., source=catalog.source()"
    )


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
