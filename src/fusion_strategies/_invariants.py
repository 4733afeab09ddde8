"""The rules a catalog keeps beyond its schema, each broken rule reported with its JSON path.

Each function takes ``typed``: true for records that the file format's converter built,
which gave every field the type the model declares, so that the walk over the types is
left out. Records built in Python are walked, for they may hold anything.
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
import types
import typing
from collections.abc import Iterable, Iterator, Mapping

import attrs

from ._names import normalize_name
from .model import Entity, Excerpt, PartialDate, SourcePage, Strategy, Theme, Withdrawn

MIN_YEAR, MAX_YEAR = 1, 9999
"""The years a period or a date may name: those of `datetime.date`."""

MAX_NAME_LENGTH = 500
"""The most characters a name (a title, heading, alias, entity name or acronym) may have."""

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_IDS = re.compile(rf"{_ID.pattern}(?:,{_ID.pattern})*")
_EXCERPT_ID = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_EXCERPT_IDS = re.compile(rf"{_EXCERPT_ID.pattern}(?:,{_EXCERPT_ID.pattern})*")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# In an ASCII name, a digit or a run of four letters survives `normalize_name`: it folds
# case, drops an "s" only after an apostrophe, and drops dots, apostrophes and a first
# word "the", none of which takes a digit or a run of letters longer than "the" away.
_FINDABLE_ASCII = re.compile(r"[0-9]|[A-Za-z]{4}")
_LONE_SURROGATE = "{path}: a lone surrogate ({surrogate}), which is not Unicode text"
"""The problem of a string that holds half of a surrogate pair, as `fileformat` says it."""


def catalog_problems(
    entities: tuple[Entity, ...],
    strategies: tuple[Strategy, ...],
    vocabulary: Mapping[Theme, tuple[str, ...]],
    *,
    typed: bool = False,
) -> list[str]:
    """Every broken rule of a catalog, one line each, starting with its JSON path."""
    if not typed:
        mistyped = [
            *_mistyped(entities, tuple[Entity, ...], "$.entities"),
            *_mistyped(strategies, tuple[Strategy, ...], "$.strategies"),
        ]
        if mistyped:
            return mistyped  # the other rules read the fields as the model types them
    problems = list(_duplicates(((e.id, f"$.entities[{i}].id") for i, e in enumerate(entities))))
    problems += _duplicates((s.id, f"$.strategies[{i}].id") for i, s in enumerate(strategies))
    for index, entity in enumerate(entities):
        problems += _entity_problems(entity, f"$.entities[{index}]")
    if not _texts_keep_the_rules([term for terms in vocabulary.values() for term in terms]):
        for theme, terms in vocabulary.items():
            path = f"$.vocabulary[{theme.value!r}]"
            problems += _text_problems((term, f"{path}[{i}]") for i, term in enumerate(terms))
    known = frozenset(entities)
    # Strategies and excerpts are the bulk of a large catalog: told sound at once, they are
    # not gone through one by one, which is done only to say which of them break which rule.
    strategies_sound = _strategies_keep_the_rules(strategies, entities)
    excerpts_sound = _excerpts_keep_the_rules(strategies)
    for index, strategy in enumerate(strategies):
        path = f"$.strategies[{index}]"
        if not strategies_sound:
            problems += _strategy_problems(strategy, known, path)
        if not excerpts_sound:
            problems += _excerpt_problems(strategy.excerpts, f"{path}.excerpts")
    return problems


def provenance_problems(
    strategies: tuple[Strategy, ...],
    withdrawn: tuple[Withdrawn, ...],
    capture_sha256: str | None,
    *,
    typed: bool = False,
) -> list[str]:
    """The broken rules of the withdrawn records and the capture's hash: ids never reused."""
    problems: list[str] = []
    if capture_sha256 is not None and not _SHA256.fullmatch(capture_sha256):
        problems.append("$.capture_sha256: not a SHA-256 digest (64 lower-case hex digits)")
    live = {strategy.id: strategy for strategy in strategies}
    live_excerpts = {
        (strategy.id, excerpt.id)
        for strategy in (strategies if withdrawn else ())
        for excerpt in strategy.iter_excerpts()
    }
    gone_strategies = {g.strategy_id for g in withdrawn if g.excerpt_id is None}
    seen: dict[tuple[str, str | None], str] = {}
    for index, gone in enumerate(withdrawn):
        path = f"$.withdrawn[{index}]"
        mistyped = [] if typed else list(_mistyped(gone, Withdrawn, path))
        if mistyped:
            problems += mistyped
            continue
        key = (gone.strategy_id, gone.excerpt_id)
        what = "strategy" if gone.excerpt_id is None else f"excerpt {gone.excerpt_id!r} of"
        if key in seen:
            problems.append(f"{path}: {what} {gone.strategy_id!r} is withdrawn twice")
        seen.setdefault(key, path)
        problems += _id_problems(gone.strategy_id, f"{path}.strategy_id", _ID)
        problems += _text_problems([(gone.text, f"{path}.text")])
        strategy = live.get(gone.strategy_id)
        if gone.excerpt_id is None:
            if strategy is not None:
                problems.append(
                    f"{path}.strategy_id: {gone.strategy_id!r} is withdrawn but also listed; "
                    "an id is never reused"
                )
            continue
        problems += _id_problems(gone.excerpt_id, f"{path}.excerpt_id", _EXCERPT_ID)
        if strategy is None:
            if gone.strategy_id not in gone_strategies:
                problems.append(
                    f"{path}.strategy_id: {gone.strategy_id!r} is neither a strategy of this "
                    "catalog nor a withdrawn one"
                )
        elif key in live_excerpts:
            problems.append(
                f"{path}.excerpt_id: {gone.excerpt_id!r} is withdrawn but also an excerpt of "
                f"{gone.strategy_id!r}; an id is never reused"
            )
    return problems


def source_problems(source: SourcePage, *, typed: bool = False) -> list[str]:
    """Every broken rule of a catalog's source page, one line each, with its JSON path."""
    problems = [] if typed else list(_mistyped(source, SourcePage, "$.source"))
    if problems:
        return problems
    problems += _text_problems([(source.title, "$.source.title")])
    problems += _text_problems([(source.publisher, "$.source.publisher")])
    for field in ("breadcrumb", "introduction"):
        texts = getattr(source, field)
        problems += _text_problems((text, f"$.source.{field}[{i}]") for i, text in enumerate(texts))
    problems += _url_problems(source.url, "$.source.url")
    return problems


def _url_problems(url: str, path: str) -> Iterator[str]:
    from urllib.parse import urlsplit

    if any(char.isspace() or not char.isprintable() for char in url):
        yield f"{path}: {url!r} is not a URL: it holds spaces or control characters"
        return
    try:
        parts = urlsplit(url)
    except ValueError as error:
        yield f"{path}: {url!r} is not a URL ({error})"
        return
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        yield f"{path}: {url!r} is not an http or https URL with a host"


def _entity_problems(entity: Entity, path: str) -> Iterator[str]:
    yield from _id_problems(entity.id, f"{path}.id", _ID)
    yield from _name_problems([(entity.name, f"{path}.name")])
    if entity.acronym is not None:
        yield from _name_problems([(entity.acronym, f"{path}.acronym")])
    yield from _name_problems(
        (alias, f"{path}.aliases[{i}]") for i, alias in enumerate(entity.aliases)
    )
    # A description is free text, whitespace and all; but text, not a lone surrogate.
    surrogate = None if entity.description is None else _surrogate_in(entity.description)
    if surrogate is not None:
        yield _LONE_SURROGATE.format(path=f"{path}.description", surrogate=surrogate)


def _strategy_problems(strategy: Strategy, known: frozenset[Entity], path: str) -> Iterator[str]:
    yield from _id_problems(strategy.id, f"{path}.id", _ID)
    yield from _name_problems(
        [(strategy.title, f"{path}.title"), (strategy.heading, f"{path}.heading")]
    )
    yield from _name_problems(
        (alias, f"{path}.aliases[{i}]") for i, alias in enumerate(strategy.aliases)
    )
    for year, at in ((strategy.period.start, "start"), (strategy.period.end, "end")):
        yield from _year_problems(year, f"{path}.period.{at}")
    if strategy.period.end < strategy.period.start:
        yield (
            f"{path}.period: ends in {strategy.period.end}, "
            f"before it starts in {strategy.period.start}"
        )
    if strategy.published is not None:
        yield from _date_problems(strategy.published, f"{path}.published")
    if strategy.issuer not in known:
        yield f"{path}.issuer: {strategy.issuer.id!r} is not an entity of this catalog"


def _excerpt_problems(excerpts: tuple[Excerpt, ...], path: str) -> Iterator[str]:
    for excerpt, at in _walk(excerpts, path):
        yield from _id_problems(excerpt.id, f"{at}.id", _EXCERPT_ID)
        yield from _text_problems([(excerpt.text, f"{at}.text")])
    excerpt_ids = ((excerpt.id, at) for excerpt, at in _walk(excerpts, path))
    yield from _duplicates((excerpt_id, f"{at}.id") for excerpt_id, at in excerpt_ids)


def _excerpts_keep_the_rules(strategies: tuple[Strategy, ...]) -> bool:
    """Whether every excerpt has a valid id, unique in its strategy, and a normalized text.

    A few C-level tests on joined strings instead of some for each excerpt: the ids of a
    strategy, joined by commas, fit the id pattern repeated, and the texts are told
    normalized at once (`_texts_keep_the_rules`).
    """
    texts: list[str] = []
    for strategy in strategies:
        excerpts = strategy.excerpts
        if any(excerpt.children for excerpt in excerpts):
            excerpts = tuple(strategy.iter_excerpts())
        ids = [excerpt.id for excerpt in excerpts]
        joined = ",".join(ids)
        if ids and (
            len(set(ids)) != len(ids)
            or joined.count(",") != len(ids) - 1  # an id that holds a comma
            or not _EXCERPT_IDS.fullmatch(joined)
        ):
            return False
        texts += [excerpt.text for excerpt in excerpts]
    return _texts_keep_the_rules(texts)


def _strategies_keep_the_rules(
    strategies: tuple[Strategy, ...], entities: tuple[Entity, ...]
) -> bool:
    """Whether every strategy keeps the rules of `_strategy_problems`, told in a few passes.

    The ids joined by commas fit the id pattern repeated; the names joined are normalized;
    the years are in range and no period ends before it starts; and each issuer is one of
    the entities, the very object (as the file format's converter gives it) or an equal one.
    """
    if not strategies:
        return True
    ids = ",".join([strategy.id for strategy in strategies])
    if ids.count(",") != len(strategies) - 1 or not _IDS.fullmatch(ids):
        return False
    names = [
        name
        for strategy in strategies
        for name in (strategy.title, strategy.heading, *strategy.aliases)
    ]
    if not _names_keep_the_rules(names):
        return False
    starts = [strategy.period.start for strategy in strategies]
    ends = [strategy.period.end for strategy in strategies]
    if min(starts) < MIN_YEAR or max(ends) > MAX_YEAR:
        return False
    if any(end < start for start, end in zip(starts, ends, strict=True)):  # and so in range
        return False
    dates = [strategy.published for strategy in strategies if strategy.published is not None]
    if any(next(_date_problems(date, ""), None) for date in dates):
        return False
    held = {id(entity) for entity in entities}
    if all(id(strategy.issuer) in held for strategy in strategies):
        return True
    known = frozenset(entities)
    return all(strategy.issuer in known for strategy in strategies)


def _names_keep_the_rules(names: list[str]) -> bool:
    """Whether no name breaks a rule of `_name_problems`, told with few calls per name."""
    if not names:
        return True
    if not _texts_keep_the_rules(names) or max(map(len, names)) > MAX_NAME_LENGTH:
        return False
    return all(_findable(name) for name in names)


def _findable(name: str) -> bool:
    """Whether `normalize_name` leaves something of a name to look it up by."""
    if name.isascii() and _FINDABLE_ASCII.search(name):
        return True
    return bool(normalize_name(name))


def _texts_keep_the_rules(texts: list[str]) -> bool:
    """Whether every text is normalized, told at once: joined by spaces, they are exactly
    when each one is (an empty text or a space at an end makes two spaces in a row, or one
    at an end).

    The ASCII texts, most of any catalog, are joined apart from the others: their join
    stays one byte a character, and its only whitespace but the space is a few ASCII
    characters, each found by a scan in C, where `str.isprintable` looks up every one.
    """
    if not texts:
        return True
    plain = [text for text in texts if text.isascii()]
    if len(plain) < len(texts) and not _is_normalized(
        " ".join([text for text in texts if not text.isascii()])
    ):
        return False
    return not plain or _is_normalized_ascii(" ".join(plain))


_ASCII_SPACES = tuple(char for char in map(chr, range(128)) if char.isspace() and char != " ")
"""The ASCII characters that `str.split` splits at, but for the space itself."""


def _is_normalized_ascii(text: str) -> bool:
    """`_is_normalized` for an ASCII text, in a few scans of it in C."""
    if not text or text[0] == " " or text[-1] == " " or "  " in text:
        return False
    return not any(space in text for space in _ASCII_SPACES)


def _is_normalized(text: str) -> bool:
    """Whether a text is not empty, has one space between words, and none at its ends, and
    is Unicode text: no lone surrogate, which is unprintable too.

    >>> _is_normalized("Fusion centers"), _is_normalized("Fusion  centers")
    (True, False)
    >>> _is_normalized("Fusion \\ud800centers")
    False
    """
    if text.isprintable():
        # Every whitespace character but U+0020 is unprintable: this text has no other.
        return bool(text) and "  " not in text and text[0] != " " and text[-1] != " "
    return bool(text.strip()) and " ".join(text.split()) == text and not _surrogate_in(text)


def _surrogate_in(text: str) -> str | None:
    """The first lone surrogate of a text, as U+XXXX; None for Unicode text.

    UTF-16 refuses exactly the surrogates that are not half of a pair, and no other code
    point: a lone one in a str, which a file read as UTF-8 never holds.

    >>> _surrogate_in("ok \\ud800"), _surrogate_in("ok \\U0001f600")
    ('U+D800', None)
    """
    try:
        text.encode("utf-16-le")
    except UnicodeEncodeError as error:
        return f"U+{ord(text[error.start]):04X}"
    return None


def _walk(excerpts: tuple[Excerpt, ...], path: str) -> Iterator[tuple[Excerpt, str]]:
    for index, excerpt in enumerate(excerpts):
        at = f"{path}[{index}]"
        yield excerpt, at
        yield from _walk(excerpt.children, f"{at}.children")


def _duplicates(keyed: Iterable[tuple[str, str]]) -> Iterator[str]:
    first_seen: dict[str, str] = {}
    for key, path in keyed:
        if key in first_seen:
            yield f"{path}: duplicate id {key!r} (first at {first_seen[key]})"
        else:
            first_seen[key] = path


def _id_problems(value: str, path: str, pattern: re.Pattern[str]) -> Iterator[str]:
    if not pattern.fullmatch(value):
        yield f"{path}: {value!r} is not a valid id (expected the form {pattern.pattern})"


def _text_problems(texts: Iterable[tuple[str, str]]) -> Iterator[str]:
    for text, path in texts:
        if _is_normalized(text):
            continue
        surrogate = _surrogate_in(text)
        if surrogate is not None:
            yield _LONE_SURROGATE.format(path=path, surrogate=surrogate)
        elif not text.strip():
            yield f"{path}: empty text"
        else:
            yield f"{path}: whitespace not normalized (one space between words, none at the ends)"


def _name_problems(names: Iterable[tuple[str, str]]) -> Iterator[str]:
    """A name must be text, at most MAX_NAME_LENGTH long, with a letter or digit to find it by."""
    for name, path in names:
        found = list(_text_problems([(name, path)]))
        if found:
            yield from found
        elif len(name) > MAX_NAME_LENGTH:
            yield f"{path}: a name of {len(name):,} characters, more than {MAX_NAME_LENGTH}"
        elif not _findable(name):
            yield f"{path}: {name!r} has no letter or digit to look it up by"


def _year_problems(year: int, path: str) -> Iterator[str]:
    if not MIN_YEAR <= year <= MAX_YEAR:
        # str() of an int of over 4,300 digits raises ValueError: name such a year by size.
        shown = str(year) if abs(year) < 10**20 else "of more than 20 digits"
        yield f"{path}: year {shown} is outside {MIN_YEAR}–{MAX_YEAR}"


def _date_problems(date: PartialDate, path: str) -> Iterator[str]:
    yield from _year_problems(date.year, f"{path}.year")
    if not MIN_YEAR <= date.year <= MAX_YEAR:
        return
    if date.day is not None and date.month is None:
        yield f"{path}: a day needs a month"
        return
    try:
        datetime.date(date.year, date.month or 1, date.day or 1)
    except ValueError as error:
        yield f"{path}: {error}"


# -- types: records built in Python are not checked by the loader's converter ---------------


def _mistyped(value: object, expected: object, path: str) -> Iterator[str]:
    """A problem for each value, however deep, that is not of the type the model declares."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return
        (expected,) = (arg for arg in args if arg is not type(None))
        origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin is tuple:
        if not isinstance(value, tuple):
            yield f"{path}: expected a tuple, not {type(value).__name__}"
            return
        for index, item in enumerate(value):
            yield from _mistyped(item, args[0], f"{path}[{index}]")
        return
    assert isinstance(expected, type), expected
    if (expected is int and isinstance(value, bool)) or not isinstance(value, expected):
        yield f"{path}: expected {_described(expected)}, not {type(value).__name__}"
    elif attrs.has(expected) and not issubclass(expected, enum.Enum):
        for name, field_type in _field_types(expected):
            yield from _mistyped(getattr(value, name), field_type, f"{path}.{name}")


def _described(expected: type) -> str:
    return {str: "a str", int: "an int"}.get(expected, f"a {expected.__name__}")


@functools.cache
def _field_types(cls: type) -> tuple[tuple[str, object], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((field.name, hints[field.name]) for field in attrs.fields(cls))
