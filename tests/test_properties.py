"""Hypothesis: generated catalogs round-trip, and no input makes the loader raise anything
but `DatasetError`."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import fusion_strategies as fs
from fusion_strategies._names import normalize_name

words = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "S")),
    min_size=1,
    max_size=12,
)
texts = st.lists(words, min_size=1, max_size=6).map(" ".join)
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
# A name needs a letter or a digit to be looked up by.
names = texts.filter(normalize_name)
urls = st.builds("{}://{}.example/{}".format, st.sampled_from(["http", "https"]), slugs, slugs)


@st.composite
def excerpts(draw: st.DrawFn, prefix: str, depth: int) -> tuple[fs.Excerpt, ...]:
    count = draw(st.integers(min_value=0, max_value=3))
    found = []
    for number in range(1, count + 1):
        excerpt_id = f"{prefix}{number}"
        children = draw(excerpts(f"{excerpt_id}.", depth - 1)) if depth else ()
        found.append(fs.Excerpt(id=excerpt_id, text=draw(texts), children=children))
    return tuple(found)


@st.composite
def partial_dates(draw: st.DrawFn) -> fs.PartialDate:
    year = draw(st.integers(min_value=1900, max_value=2100))
    month = draw(st.none() | st.integers(min_value=1, max_value=12))
    day = None if month is None else draw(st.none() | st.integers(min_value=1, max_value=28))
    return fs.PartialDate(year=year, month=month, day=day)


@st.composite
def catalogs(draw: st.DrawFn) -> fs.Catalog:
    entity_ids = draw(st.lists(slugs, min_size=1, max_size=4, unique=True))
    entities = tuple(
        fs.Entity(
            id=entity_id,
            name=draw(names),
            acronym=draw(st.none() | words.filter(normalize_name)),
            kind=draw(st.sampled_from(fs.EntityKind)),
            aliases=tuple(draw(st.lists(names, max_size=2))),
            description=draw(st.none() | texts),
        )
        for entity_id in entity_ids
    )
    strategies = []
    for strategy_id in draw(st.lists(slugs, max_size=4, unique=True)):
        start = draw(st.integers(min_value=1900, max_value=2100))
        strategies.append(
            fs.Strategy(
                id=strategy_id,
                title=draw(names),
                heading=draw(names),
                period=fs.Period(start=start, end=start + draw(st.integers(0, 10))),
                issuer=draw(st.sampled_from(entities)),
                kind=draw(st.sampled_from(fs.DocumentKind)),
                themes=tuple(draw(st.lists(st.sampled_from(fs.Theme), max_size=3, unique=True))),
                aliases=tuple(draw(st.lists(names, max_size=2))),
                published=draw(st.none() | partial_dates()),
                excerpts=draw(excerpts("", depth=2)),
            )
        )
    source = fs.SourcePage(
        title=draw(texts),
        url=draw(urls),
        publisher=draw(texts),
        last_updated=draw(st.dates()),
        breadcrumb=tuple(draw(st.lists(texts, max_size=3))),
        introduction=tuple(draw(st.lists(texts, max_size=2))),
    )
    vocabulary = draw(st.dictionaries(st.sampled_from(fs.Theme), st.lists(texts, max_size=3)))
    return fs.Catalog(
        source=source,
        strategies=strategies,
        entities=entities,
        vocabulary=vocabulary,
        withdrawn=draw(withdrawn_records(strategies)),
        capture_sha256=draw(st.none() | st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
    )


@st.composite
def withdrawn_records(draw: st.DrawFn, strategies: list[fs.Strategy]) -> list[fs.Withdrawn]:
    """Strategies that left the page, and excerpts of the others, with ids no one holds."""
    live = {strategy.id for strategy in strategies}
    gone = draw(st.lists(slugs.filter(lambda slug: slug not in live), max_size=2, unique=True))
    records = [
        fs.Withdrawn(strategy_id=strategy_id, text=draw(texts), date=draw(st.dates()))
        for strategy_id in gone
    ]
    for strategy in draw(st.lists(st.sampled_from(strategies), unique=True)) if strategies else []:
        # Ids past any the generator gives: excerpts number at most 3 a level.
        excerpt_id = draw(st.sampled_from(["9", "8.1", "1.7.2"]))
        records.append(
            fs.Withdrawn(
                strategy_id=strategy.id,
                excerpt_id=excerpt_id,
                text=draw(texts),
                date=draw(st.dates()),
            )
        )
    return records


@given(catalogs())
def test_any_catalog_round_trips(catalog: fs.Catalog) -> None:
    assert fs.loads(fs.dumps(catalog)) == catalog


def assert_loads_or_explains(data: str | bytes) -> None:
    """Loading either works or raises DatasetError with located problems; nothing else."""
    problems: tuple[str, ...] = ()
    try:
        fs.loads(data)
    except fs.DatasetError as error:
        problems = error.problems
        assert problems
    assert all(problem.startswith("$") for problem in problems)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_any_json_value_loads_or_raises_dataset_error(value: object) -> None:
    assert_loads_or_explains(json.dumps(value))


@given(st.binary(max_size=64))
def test_any_bytes_load_or_raise_dataset_error(data: bytes) -> None:
    assert_loads_or_explains(data)


BUNDLED: dict[str, Any] = json.loads(fs.dumps(fs.catalog()))


def paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*path, index))
    return found


ALL_PATHS = paths(BUNDLED)[1:]


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=150)
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), json_values), min_size=1, max_size=4))
def test_a_corrupted_bundled_catalog_raises_only_dataset_error(
    corruptions: list[tuple[tuple[object, ...], object]],
) -> None:
    document = json.loads(json.dumps(BUNDLED))
    for path, value in corruptions:
        parent = document
        try:
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier corruption replaced this path's parent
    assert_loads_or_explains(json.dumps(document))


def _normalize_as_specified(name: str) -> str:
    """How names fold, as the docs say it: each rule one plain regular expression, in order."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    text = re.sub(r"(?<=\w)['’]s(?!\w)", "", text)  # a possessive goes
    text = re.sub(r"['’‘]", "", text)  # then every other apostrophe
    text = re.sub(r"(?<!\w)(\w)\.\s*(?=\w\.)", r"\1", text)  # "U. S." is "US."
    text = text.replace(".", "").replace("&", " and ")
    words = re.findall(r"[^\W_]+", text)
    return " ".join(words[1:] if words[:1] == ["the"] else words)


# Everything the rules treat specially, crowded together, and Unicode letters, digits,
# marks and spaces that str methods and regular expressions could classify differently.
name_parts = st.sampled_from(
    [*"aAsSthe19 .'’‘&_-(),\t", "The ", "'s", "’s", "u.", "s. ", "é", "ß", "İ", "²", "٣", "\xa0"]
)


@settings(max_examples=400)
@example("as. s. a.")  # "s." after a letter is no initialism: its space stays
@example("o's 's _'s")  # only a possessive after a word character goes
@given(st.lists(name_parts, max_size=16).map("".join) | st.text(max_size=24))
def test_name_folding_agrees_with_its_plain_specification(name: str) -> None:
    # Lookups normalize every query through fast paths; this is what they must equal.
    assert normalize_name(name) == _normalize_as_specified(name)
