"""Citations of a strategy or of one of its excerpts: a plain note, BibTeX or CSL-JSON.

A citation names the document (its issuer, title and years) and says that it is quoted
from the catalog's source page, with the page's URL and last-updated date. It holds
only what the catalog holds: no page numbers, no URL of the document itself, and no
date the catalog does not have.

- ``"note"``: a Chicago-like "quoted in" note, one line of plain text. The years are the
  document's period as the page gives them, unless the title already holds them; a
  published date outside that period is added.
- ``"bibtex"``: one ``@misc`` entry; the issuer is a corporate author (in braces),
  ``date`` is the published date at its known precision, else the period, and ``url``
  is the page's, where the document is quoted.
- ``"csl-json"``: one CSL-JSON item of type ``report``, a JSON object; ``issued`` holds
  the published date's known parts, else the period's years.

The key of an entry (BibTeX's key, CSL-JSON's ``id``) is short and stable: the initials
of the strategy's id, its short words whole, then its year (`citation_key`), at most 40
characters, and unique within a catalog (`citation_keys`). An excerpt's citation is its
strategy's, plus the heading on the page it is quoted under; its key is the strategy's
key and the excerpt's id, joined by a colon.

Records do not point back to their catalog, so these functions take the source page (and,
for an excerpt, its strategy) as arguments. `Catalog.cite` and `fusion_strategies.cite`
find them for you: ``fs.cite(fs.lookup("QHSR"), "bibtex")``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Literal, TypeVar, get_args

from .model import Excerpt, PartialDate, SourcePage, Strategy

__all__ = [
    "MAX_KEY_LENGTH",
    "STYLES",
    "CitationStyle",
    "citation_key",
    "citation_keys",
    "cite_excerpt",
    "cite_strategy",
    "csl_item",
]

CitationStyle = Literal["note", "bibtex", "csl-json"]
"""The citation styles: a plain-text note, a BibTeX entry, or a CSL-JSON item."""

STYLES: tuple[CitationStyle, ...] = get_args(CitationStyle)
"""Every citation style, in the order the docs list them."""

_Value = TypeVar("_Value")

MAX_KEY_LENGTH = 40
"""The most characters a strategy's citation key has (`citation_key`)."""

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
_YEAR = re.compile(r"(?<![0-9])[12][0-9]{3}(?![0-9])")
_LITTLE_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to"})


def cite_strategy(
    strategy: Strategy,
    style: str = "note",
    *,
    source: SourcePage,
    key: str | None = None,
) -> str:
    """Cite a strategy as quoted on `source`, the page of its catalog; see `Catalog.cite`.

    `key` is the entry's key, `citation_key` of the strategy's id by default.

    >>> import fusion_strategies as fs
    >>> import textwrap
    >>> note = cite_strategy(fs.lookup("NSISS"), source=fs.source())
    >>> print(textwrap.fill(note, 88, break_on_hyphens=False))
    The White House, National Strategy for Information Sharing and Safeguarding (2012),
    quoted in U.S. Department of Homeland Security, “Fusion Centers' Support of National
    Strategies and Guidance,” last updated November 7, 2023,
    https://www.dhs.gov/topic/fusion-centers-support-national-strategies-and-guidance.
    """
    _required(strategy, Strategy, "strategy")
    cited = _Cited(strategy, None, _required(source, SourcePage, "source"), _key(strategy, key))
    return _render(cited, _style(style))


def cite_excerpt(
    excerpt: Excerpt,
    style: str = "note",
    *,
    strategy: Strategy,
    source: SourcePage,
    key: str | None = None,
) -> str:
    """Cite an excerpt as quoted under its strategy's heading on `source`.

    `key` is the strategy's key, `citation_key` of its id by default; the excerpt's id
    is added to it. `ValueError` if the excerpt is not one of the strategy's.

    >>> import fusion_strategies as fs
    >>> qhsr = fs.lookup("QHSR")
    >>> entry = cite_excerpt(qhsr.excerpts[0], "bibtex", strategy=qhsr, source=fs.source())
    >>> print(entry.splitlines()[0])
    @misc{qhsr2014:1,
    """
    _required(excerpt, Excerpt, "excerpt")
    owner = _owner(excerpt, strategy)
    cited = _Cited(owner, excerpt, _required(source, SourcePage, "source"), _key(owner, key))
    return _render(cited, _style(style))


def csl_item(
    strategy: Strategy,
    *,
    excerpt: Excerpt | None = None,
    source: SourcePage,
    key: str | None = None,
) -> dict[str, object]:
    """The CSL-JSON item of a strategy, or of one of its excerpts, as a dict.

    >>> import fusion_strategies as fs
    >>> strategy = fs.lookup("National Southwest Border Counternarcotics Strategy")
    >>> item = csl_item(strategy, source=fs.source())
    >>> item["id"], item["issued"]
    ('nsbcs2016', {'date-parts': [[2016, 5]]})
    >>> item["author"]
    [{'literal': 'Office of National Drug Control Policy'}]
    """
    _required(strategy, Strategy, "strategy")
    if excerpt is not None:
        _required(excerpt, Excerpt, "excerpt")
        strategy = _owner(excerpt, strategy)
    return _csl(
        _Cited(strategy, excerpt, _required(source, SourcePage, "source"), _key(strategy, key))
    )


def citation_key(strategy_id: str) -> str:
    """A short key made of a strategy's id alone: its initials, short words whole, its year.

    Little words (of, for, the, and, …) are left out, words of up to three letters such
    as ``dhs`` or ``us`` are kept whole, and a closing year stays; the key has at most
    `MAX_KEY_LENGTH` characters. It depends on the id only, so it is as stable as the id.

    >>> citation_key("quadrennial-homeland-security-review-2014")
    'qhsr2014'
    >>> citation_key("us-customs-and-border-protection-strategy-2020")
    'uscbps2020'
    """
    if not isinstance(strategy_id, str):
        raise TypeError(f"strategy_id must be a str, not {type(strategy_id).__name__}")
    words = [word for word in re.split(r"[^0-9A-Za-z]+", strategy_id) if word]
    year = words.pop() if words and _YEAR.fullmatch(words[-1]) else ""
    letters = "".join(
        word if len(word) <= 3 or word.isdigit() else word[0]
        for word in words
        if word.lower() not in _LITTLE_WORDS
    ).lower()
    key = letters[: MAX_KEY_LENGTH - len(year)] + year
    return key or "strategy"


def citation_keys(strategies: Iterable[Strategy]) -> dict[str, str]:
    """The citation key of each strategy's id, unique among them, decided by the ids alone.

    A key is `citation_key`'s, except where two ids would share it: then each of them gets
    a dash and the first digits of its id's SHA-256, enough to tell them apart, so that
    no key depends on the order of the strategies.

    >>> import fusion_strategies as fs
    >>> keys = citation_keys(fs.strategies())
    >>> keys["national-biodefense-strategy-2018"], len(set(keys.values())) == len(keys)
    ('nbs2018', True)
    """
    ids = sorted({_required(strategy, Strategy, "strategies").id for strategy in strategies})
    by_key: dict[str, list[str]] = {}
    for strategy_id in ids:
        by_key.setdefault(citation_key(strategy_id), []).append(strategy_id)
    keys = {}
    for key, sharing in by_key.items():
        if len(sharing) == 1:
            keys[sharing[0]] = key
            continue
        keys.update(_told_apart(key, sharing))
    return keys


def _told_apart(key: str, sharing: list[str]) -> dict[str, str]:
    import hashlib  # only for keys that two strategies share: a few ms of a one-shot's start

    # citation_key's keys hold no dash, so a key told apart never meets another's.
    digests = {each: hashlib.sha256(each.encode("utf-8")).hexdigest() for each in sharing}
    for digits in range(4, 65, 4):
        suffixes = {each: digest[:digits] for each, digest in digests.items()}
        if len(set(suffixes.values())) == len(sharing):
            stem = key[: MAX_KEY_LENGTH - digits - 1]
            return {each: f"{stem}-{suffix}" for each, suffix in suffixes.items()}
    raise AssertionError("distinct ids have distinct SHA-256 digests")  # pragma: no cover


class _Cited:
    """What a citation is made of: the document, maybe one excerpt, the page and the key."""

    __slots__ = ("excerpt", "source", "strategy", "strategy_key")

    def __init__(
        self, strategy: Strategy, excerpt: Excerpt | None, source: SourcePage, strategy_key: str
    ) -> None:
        self.strategy = strategy
        self.excerpt = excerpt
        self.source = source
        self.strategy_key = strategy_key

    @property
    def key(self) -> str:
        if self.excerpt is None:
            return self.strategy_key
        return f"{self.strategy_key}:{self.excerpt.id}"

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
    when = [] if _names_its_years(strategy) else [str(strategy.period)]
    published = strategy.published
    if published is not None and published.year not in strategy.period:
        when.append(f"published {_partial_date(published)}")
    years = f" ({'; '.join(when)})" if when else ""
    return (
        f"{strategy.issuer.name}, {strategy.title}{years}, "
        f"{cited.quoted_in(',')} {cited.source.url}."
    )


def _names_its_years(strategy: Strategy) -> bool:
    """Whether the title holds the period's years already ("… Strategy for 2022–2026")."""
    years = set(_YEAR.findall(strategy.title))
    return {str(strategy.period.start), str(strategy.period.end)} <= years


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


def _required(value: object, kind: type[_Value], argument: str) -> _Value:
    if not isinstance(value, kind):
        raise TypeError(f"{argument} must be a {kind.__name__}, not {type(value).__name__}")
    return value


def _key(strategy: Strategy, key: object) -> str:
    if key is None:
        return citation_key(strategy.id)
    return _required(key, str, "key")


def _owner(excerpt: Excerpt, strategy: object) -> Strategy:
    """The strategy given, if the excerpt is one of its own."""
    owner = _required(strategy, Strategy, "strategy")
    if not any(excerpt == each for each in owner.iter_excerpts()):
        raise ValueError(f"excerpt {excerpt.id!r} is not an excerpt of {owner.id!r}")
    return owner


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
