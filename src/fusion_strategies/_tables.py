"""A catalog as tables of plain rows: the one source of `Catalog.rows` and the CSV export.

A row is a dict of str, int or None, with the columns of `COLUMNS` in order, so that
``pandas.DataFrame(catalog.rows("excerpts"))``, `csv.DictWriter` and spreadsheets read it
as it is. A tuple field (``themes``, ``aliases``) is one cell, its values joined by
``"; "``; a date is ISO 8601 at its known precision; a missing value is None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Literal, get_args

from .model import Entity, Excerpt, Strategy

Table = Literal["strategies", "excerpts", "entities"]
Cell = str | int | None
Row = dict[str, Cell]

TABLES: tuple[Table, ...] = get_args(Table)

STRATEGY_COLUMNS = (
    "strategy_id",
    "title",
    "heading",
    "period_start",
    "period_end",
    "issuer_id",
    "issuer",
    "kind",
    "themes",
    "published",
)
EXCERPT_COLUMNS = (*STRATEGY_COLUMNS, "excerpt_id", "parent_excerpt_id", "depth", "text")
ENTITY_COLUMNS = ("entity_id", "name", "acronym", "kind", "aliases", "description")

COLUMNS: dict[Table, tuple[str, ...]] = {
    "strategies": STRATEGY_COLUMNS,
    "excerpts": EXCERPT_COLUMNS,
    "entities": ENTITY_COLUMNS,
}
"""The columns of each table, in order."""


def table_rows(
    table: object, strategies: Iterable[Strategy], entities: Iterable[Entity]
) -> tuple[Row, ...]:
    """The rows of one of the `TABLES`; `ValueError` names them for another."""
    makers: dict[str, Callable[[], Iterator[Row]]] = {
        "strategies": lambda: (strategy_row(strategy) for strategy in strategies),
        "excerpts": lambda: excerpt_rows(strategies),
        "entities": lambda: (entity_row(entity) for entity in entities),
    }
    if not isinstance(table, str):
        raise TypeError(f"table must be a str, not {type(table).__name__}")
    if table not in makers:
        valid = ", ".join(repr(known) for known in TABLES)
        raise ValueError(f"unknown table {table!r}; valid tables: {valid}")
    return tuple(makers[table]())


def strategy_row(strategy: Strategy) -> Row:
    """A strategy's row: its id, texts, period, issuer, kind, themes and published date."""
    return {
        "strategy_id": strategy.id,
        "title": strategy.title,
        "heading": strategy.heading,
        "period_start": strategy.period.start,
        "period_end": strategy.period.end,
        "issuer_id": strategy.issuer.id,
        "issuer": strategy.issuer.name,
        "kind": strategy.kind.value,
        "themes": _joined(theme.value for theme in strategy.themes),
        "published": None if strategy.published is None else str(strategy.published),
    }


def excerpt_rows(strategies: Iterable[Strategy]) -> Iterator[Row]:
    """One row per excerpt, nested ones included, in page order, after its strategy's cells."""
    for strategy in strategies:
        columns = strategy_row(strategy)
        for excerpt, parent, depth in walk(strategy.excerpts):
            yield {
                **columns,
                "excerpt_id": excerpt.id,
                "parent_excerpt_id": None if parent is None else parent.id,
                "depth": depth,
                "text": excerpt.text,
            }


def entity_row(entity: Entity) -> Row:
    """An entity's row: its id, name, acronym, kind, aliases and description."""
    return {
        "entity_id": entity.id,
        "name": entity.name,
        "acronym": entity.acronym,
        "kind": entity.kind.value,
        "aliases": _joined(entity.aliases),
        "description": entity.description,
    }


def walk(
    excerpts: tuple[Excerpt, ...], parent: Excerpt | None = None, depth: int = 0
) -> Iterator[tuple[Excerpt, Excerpt | None, int]]:
    """Each excerpt in page order, with its parent (or None) and its depth."""
    for excerpt in excerpts:
        yield excerpt, parent, depth
        yield from walk(excerpt.children, excerpt, depth + 1)


def _joined(values: Iterable[str]) -> str:
    return "; ".join(values)
