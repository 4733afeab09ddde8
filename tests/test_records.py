"""The records as Python users expect them: enums that print, dates that order, short reprs."""

from __future__ import annotations

import datetime
import enum
import re
import typing
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fusion_strategies as fs
from fusion_strategies import model

ENUMS = [
    value
    for value in vars(model).values()
    if isinstance(value, type)
    and issubclass(value, enum.Enum)
    and value.__module__ == model.__name__
]


def test_every_enum_of_the_package_is_checked() -> None:
    assert {e.__name__ for e in ENUMS} >= {"Theme", "DocumentKind", "EntityKind"}


@pytest.mark.parametrize("member", [m for e in ENUMS for m in e], ids=str)
def test_an_enum_member_prints_and_formats_as_its_value(member: enum.Enum) -> None:
    assert isinstance(member.value, str)
    assert str(member) == member.value
    assert f"{member}" == member.value
    assert f"{member:>40}" == f"{member.value:>40}"
    assert "%s" % member == member.value  # noqa: UP031  # the old way prints the same
    assert isinstance(member, str)  # still a str, for code that compares with text
    assert member in {member.value}


def test_the_issue_s_example() -> None:
    assert f"{fs.Theme.CYBERSECURITY}" == "cybersecurity"


periods = st.builds(
    lambda start, length: fs.Period(start=start, end=start + length),
    st.integers(1900, 2100),
    st.integers(0, 20),
)


@given(periods, periods)
def test_periods_order_by_start_then_end(first: fs.Period, second: fs.Period) -> None:
    assert (first < second) == ((first.start, first.end) < (second.start, second.end))
    assert (first <= second) == ((first.start, first.end) <= (second.start, second.end))
    assert (first == second) == ((first.start, first.end) == (second.start, second.end))


def test_the_bundled_periods_sort() -> None:
    ordered = sorted(strategy.period for strategy in fs.strategies())
    assert ordered[0] == fs.Period(start=2007, end=2007)
    assert ordered[-1] == fs.Period(start=2022, end=2026)


dates = st.builds(
    lambda year, month, day: fs.PartialDate(
        year=year, month=month, day=None if month is None else day
    ),
    st.integers(1900, 2100),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 28),
)


@given(dates, dates)
def test_partial_dates_order_by_their_known_parts(
    first: fs.PartialDate, second: fs.PartialDate
) -> None:
    assert (first < second) == (first.date_parts < second.date_parts)
    assert (first <= second) == (first.date_parts <= second.date_parts)
    assert (first > second) == (first.date_parts > second.date_parts)
    assert (first >= second) == (first.date_parts >= second.date_parts)
    assert (first == second) == (first.date_parts == second.date_parts)


def test_a_year_comes_before_its_months_and_a_month_before_its_days() -> None:
    year = fs.PartialDate(year=2016)
    january = fs.PartialDate(year=2016, month=1)
    first = fs.PartialDate(year=2016, month=1, day=1)
    may = fs.PartialDate(year=2016, month=5)
    assert year < january < first < may < fs.PartialDate(year=2017)
    assert sorted([may, first, year, january]) == [year, january, first, may]


def test_ordering_with_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _ = fs.PartialDate(year=2016) < datetime.date(2016, 1, 1)
    with pytest.raises(TypeError):
        _ = fs.Period(start=2016, end=2016) < fs.PartialDate(year=2016)


@given(dates)
def test_a_complete_date_converts_and_a_partial_one_says_what_it_lacks(
    date: fs.PartialDate,
) -> None:
    if date.day is not None:
        assert date.to_date() == datetime.date(date.year, date.month or 0, date.day)
        assert date.to_date().isoformat() == str(date)
        return
    missing = "day" if date.month is not None else "month and no day"
    with pytest.raises(ValueError, match=f"{re.escape(str(date))} .* has no {missing}$"):
        date.to_date()


def test_the_bundled_published_dates_convert_where_complete() -> None:
    published = [s.published for s in fs.strategies() if s.published is not None]
    complete = [date for date in published if date.day is not None]
    assert complete
    assert all(isinstance(date.to_date(), datetime.date) for date in complete)


# -- reprs ---------------------------------------------------------------------------------

SHORT = 80
"""How long a repr is at most, beside the strategy's id."""


def test_a_hit_s_repr_names_ids_and_the_score_only() -> None:
    for hit in fs.search("information sharing fusion centers", limit=20):
        text = repr(hit)
        assert len(text) - len(hit.strategy.id) <= SHORT
        assert text == (
            f"Hit(strategy={hit.strategy.id!r}, excerpt={hit.excerpt.id!r}, "
            f"score={round(hit.score, 2):.2f}, spans={len(hit.spans)})"
        )
        assert hit.excerpt.text not in text


def test_a_match_s_repr_names_the_strategy_score_and_support() -> None:
    for found in fs.match("Fentanyl seizures at the southwest border and tribal partners"):
        text = repr(found)
        assert len(text) - len(found.strategy.id) <= SHORT
        assert text.startswith(f"Match(strategy={found.strategy.id!r}, score=")
        assert text.endswith(f", excerpts={len(found.excerpts)})")
        assert found.strategy.title not in text


def test_a_mention_s_repr_names_three_ids() -> None:
    for mention in fs.mentioning("fusion centers"):
        text = repr(mention)
        assert len(text) - len(mention.strategy.id) <= SHORT
        assert f"entity={mention.entity.id!r}" in text
        assert f"excerpt={mention.excerpt.id!r}" in text


def test_a_repr_never_carries_a_terminal_escape() -> None:
    strategy = fs.strategies()[0]
    hostile = fs.Excerpt(id="1\x1b[2J\u202e", text="\x1b]0;owned\x07")
    hit = fs.Hit(strategy=strategy, excerpt=hostile, score=float("nan"))
    mention = fs.Mention(strategy=strategy, excerpt=hostile, entity=strategy.issuer)
    found = fs.Match(strategy=strategy, score=1.0, excerpts=(hostile,))
    for text in (repr(hit), repr(mention), repr(found)):
        assert text.isprintable(), text


@pytest.mark.parametrize(
    "record", [getattr(fs, name) for name in fs.__all__ if attrs.has(getattr(fs, name))], ids=str
)
def test_every_field_type_of_a_public_record_resolves(record: type) -> None:
    hints = typing.get_type_hints(record)
    assert set(hints) == {field.name for field in attrs.fields(record)}


# -- equality, hash and repr, as attrs would generate them, made on first use -------------

MODEL_RECORDS = [
    value
    for value in vars(model).values()
    if isinstance(value, type) and attrs.has(value) and value.__module__ == model.__name__
]
"""The records of `model`, whose ``==``, hash and repr are compiled on first use (`model`)."""


def _attrs_twin(record: type) -> type:
    """A class of the same fields whose ``==``, hash, repr and order attrs generates."""
    fields = {field.name: attrs.field(default=field.default) for field in attrs.fields(record)}
    ordered = record is model.Period  # the one record that attrs would order (order=True)
    return attrs.make_class(record.__name__, fields, frozen=True, kw_only=True, order=ordered)


def _fields_of(value: attrs.AttrsInstance) -> dict[str, object]:
    return {field.name: getattr(value, field.name) for field in attrs.fields(type(value))}


def _as_twin(value: attrs.AttrsInstance, twin: type) -> object:
    return twin(**_fields_of(value))


def _bundled_records() -> dict[type, list[attrs.AttrsInstance]]:
    """Every record of the bundled catalog, by class, and each again with one field changed."""
    catalog = fs.catalog()
    found: dict[type, list[attrs.AttrsInstance]] = {record: [] for record in MODEL_RECORDS}
    for strategy in catalog.strategies():
        found[model.Strategy] += [strategy]
        found[model.Period] += [strategy.period]
        found[model.Excerpt] += list(strategy.iter_excerpts())
        if strategy.published is not None:
            found[model.PartialDate] += [strategy.published]
    found[model.Entity] += list(catalog.entities())
    day = datetime.date(2024, 5, 1)
    found[model.SourcePage] += [
        catalog.source(),
        model.SourcePage(
            title="t", url="u", publisher="p", last_updated=day, breadcrumb=("b",), introduction=()
        ),
    ]
    found[model.DataVersion] += [catalog.data_version(), model.DataVersion(last_updated=day)]
    found[model.Withdrawn] += [
        model.Withdrawn(strategy_id="a", text="t", date=day),
        model.Withdrawn(strategy_id="a", excerpt_id="1", text="t", date=day),
    ]
    for record, values in found.items():
        first, last = values[0], values[-1]
        # Equal to another but for one field, any field: the pairs that tell a field ignored.
        values += [
            record(**{**_fields_of(first), field.name: getattr(last, field.name)})
            for field in attrs.fields(record)
        ]
    return found


BUNDLED_RECORDS = _bundled_records()


@pytest.mark.parametrize("record", MODEL_RECORDS, ids=lambda record: record.__name__)
def test_a_record_compares_hashes_and_shows_as_attrs_would(record: type) -> None:
    twin = _attrs_twin(record)
    values = BUNDLED_RECORDS[record][:40] + BUNDLED_RECORDS[record][-12:]
    assert len(values) > 2
    for value in values:
        assert repr(value) == repr(_as_twin(value, twin))
        assert value.__eq__(object()) is NotImplemented
        assert value.__eq__(_as_twin(value, twin)) is NotImplemented  # another class
        for other in values:
            mine, theirs = (value, other), (_as_twin(value, twin), _as_twin(other, twin))
            assert (mine[0] == mine[1]) == (theirs[0] == theirs[1])
            assert (mine[0] != mine[1]) == (theirs[0] != theirs[1])
            if mine[0] == mine[1]:
                assert hash(mine[0]) == hash(mine[1])
            if record is model.Period:
                for compare in ("__lt__", "__le__", "__gt__", "__ge__"):
                    assert getattr(mine[0], compare)(mine[1]) == getattr(theirs[0], compare)(
                        theirs[1]
                    )


def test_every_record_of_the_model_is_compared_with_attrs() -> None:
    names = {record.__name__ for record in MODEL_RECORDS}
    assert names == {name for name in model.__all__ if attrs.has(getattr(model, name))} - {
        "Hit",
        "Match",
        "Mention",
        "Term",
    }


def test_a_record_that_holds_itself_shows_as_attrs_shows_it() -> None:
    twin = _attrs_twin(model.Excerpt)
    mine = model.Excerpt(id="1", text="t")
    theirs = twin(id="1", text="t")
    object.__setattr__(mine, "children", (mine,))
    object.__setattr__(theirs, "children", (theirs,))
    assert repr(mine) == repr(theirs) == "Excerpt(id='1', text='t', children=(...,))"


@given(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), st.integers(0, 3))
def test_periods_compare_as_attrs_orders_them(a: int, b: int, c: int, d: int) -> None:
    twin = _attrs_twin(model.Period)
    mine, other = model.Period(start=a, end=b), model.Period(start=c, end=d)
    theirs, their_other = twin(start=a, end=b), twin(start=c, end=d)
    for compare in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"):
        assert getattr(mine, compare)(other) == getattr(theirs, compare)(their_other), compare
    assert (hash(mine) == hash(other)) or mine != other


@pytest.mark.parametrize("first", ["==", "!=", "hash", "repr", "other class"])
def test_a_record_s_first_comparison_hash_or_repr_answers_as_attrs_would(first: str) -> None:
    @model._compared_on_first_use
    @attrs.frozen(kw_only=True, eq=False, repr=False)
    class Pair:
        left: int
        right: tuple[str, ...] = ()

    twin = _attrs_twin(Pair)
    mine = Pair(left=1, right=("a",)), Pair(left=1, right=("a",)), Pair(left=1, right=("b",))
    theirs = tuple(_as_twin(value, twin) for value in mine)
    answers: dict[str, Callable[[tuple[object, ...]], tuple[object, ...]]] = {
        "==": lambda pair: (pair[0] == pair[1], pair[0] == pair[2]),
        "!=": lambda pair: (pair[0] != pair[1], pair[0] != pair[2]),
        "hash": lambda pair: (hash(pair[0]) == hash(pair[1]),),
        "repr": lambda pair: (repr(pair[0]), repr(pair[2])),
        "other class": lambda pair: (pair[0].__eq__(object()), pair[0] == object()),
    }
    # The first call, which compiles the methods, answers as every later one does.
    assert answers[first](mine) == answers[first](theirs)
    for answer in answers.values():
        assert answer(mine) == answer(theirs)
