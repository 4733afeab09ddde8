"""Rows for pandas and spreadsheets: plain dicts, the CSV export's columns, one source."""

from __future__ import annotations

import csv
import io

import pytest

import fusion_strategies as fs
from fusion_strategies import export

CATALOG = fs.catalog()
TABLES = ("strategies", "excerpts", "entities")


@pytest.mark.parametrize("table", TABLES)
def test_rows_are_plain_dicts_of_str_int_or_none(table: str) -> None:
    rows = fs.rows(table)
    assert isinstance(rows, tuple)
    assert rows
    columns = list(rows[0])
    for row in rows:
        assert type(row) is dict
        assert list(row) == columns
        for value in row.values():
            assert value is None or type(value) in (str, int)


def test_the_excerpt_rows_are_the_csv_export() -> None:
    rows = CATALOG.rows("excerpts")
    assert tuple(rows[0]) == export.CSV_COLUMNS
    read = list(csv.DictReader(io.StringIO(export.to_csv(CATALOG), newline="")))
    as_text = [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows]
    assert read == as_text


def test_one_row_per_record_in_catalog_order() -> None:
    strategies = CATALOG.rows("strategies")
    assert [row["strategy_id"] for row in strategies] == [s.id for s in CATALOG]
    entities = CATALOG.rows("entities")
    assert [row["entity_id"] for row in entities] == [e.id for e in CATALOG.entities()]
    excerpts = CATALOG.rows("excerpts")
    flattened = [(s.id, e.id) for s in CATALOG for e in s.iter_excerpts()]
    assert [(row["strategy_id"], row["excerpt_id"]) for row in excerpts] == flattened


def test_the_strategy_rows_are_the_csv_s_strategy_columns() -> None:
    first_excerpt = CATALOG.rows("excerpts")[0]
    first = CATALOG.rows("strategies")[0]
    assert first == {column: first_excerpt[column] for column in first}
    assert set(first) < set(export.CSV_COLUMNS)


def test_cells_say_what_the_records_hold() -> None:
    by_id = {row["strategy_id"]: row for row in fs.rows("strategies")}
    atf = fs.lookup("ATF Strategic Plan")
    row = by_id[atf.id]
    assert (row["period_start"], row["period_end"]) == (atf.period.start, atf.period.end)
    assert row["themes"] == "; ".join(theme.value for theme in atf.themes)
    assert row["published"] == (None if atf.published is None else str(atf.published))
    hidta = next(row for row in fs.rows("entities") if row["entity_id"] == "hidta")
    assert hidta["acronym"] == "HIDTA"
    assert hidta["kind"] == "program"


def test_each_call_gives_new_dicts() -> None:
    fs.rows("strategies")[0]["title"] = "changed"
    assert fs.rows("strategies")[0]["title"] == fs.strategies()[0].title


@pytest.mark.parametrize("table", ["strategy", "Excerpts", "", "mentions"])
def test_an_unknown_table_names_the_valid_ones(table: str) -> None:
    with pytest.raises(ValueError, match="valid tables: 'strategies', 'excerpts', 'entities'"):
        fs.rows(table)


@pytest.mark.parametrize("table", [None, 1, b"excerpts", ("excerpts",)])
def test_a_table_that_is_not_a_str_is_a_type_error(table: object) -> None:
    with pytest.raises(TypeError, match="table must be a str"):
        fs.rows(table)  # type: ignore[arg-type]


def test_pandas_reads_the_rows_as_they_are() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(fs.rows("excerpts"))
    assert list(frame.columns) == list(export.CSV_COLUMNS)
    assert len(frame) == 54
