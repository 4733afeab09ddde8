"""Catalogs written by someone else: names, addresses and years the format does not allow
are a `DatasetError` with a JSON path, and the API answers malformed arguments with
`TypeError` or `ValueError`."""

from __future__ import annotations

import copy
import json
import unicodedata
from typing import Any

import attrs
import pytest

import fusion_strategies as fs
from broken_catalogs import BUNDLED, problems_of


@pytest.fixture
def document() -> dict[str, Any]:
    return copy.deepcopy(BUNDLED)


# -- names and addresses ------------------------------------------------------------------


@pytest.mark.parametrize("alias", ["—", "The", "the ...", "()", "_"])
def test_a_name_that_normalizes_to_nothing_is_refused(document: dict[str, Any], alias: str) -> None:
    document["strategies"][2]["aliases"] = [alias]
    assert problems_of(json.dumps(document)) == (
        f"$.strategies[2].aliases[0]: {alias!r} has no letter or digit to look it up by",
    )
    document = copy.deepcopy(BUNDLED)
    document["entities"][1]["aliases"] = [alias]
    assert problems_of(json.dumps(document))[0].startswith("$.entities[1].aliases[0]: ")


def test_a_name_longer_than_the_limit_is_refused(document: dict[str, Any]) -> None:
    document["entities"][0]["aliases"] = ["word " * 100 + "end"]
    assert problems_of(json.dumps(document)) == (
        "$.entities[0].aliases[0]: a name of 503 characters, more than 500",
    )


def test_a_query_that_normalizes_to_nothing_finds_nothing_and_suggests_nothing() -> None:
    from fusion_strategies._suggestions import Suggester

    # Among names that normalize to nothing (which a catalog no longer lets in), the
    # suggester divided by the query's count of words, zero.
    assert "qhsr" not in Suggester(["", "qhsr"]).closest("")
    for query in ("?", "—", "The", ""):
        with pytest.raises(fs.StrategyNotFoundError):
            fs.get(query)
        with pytest.raises(fs.StrategyNotFoundError):
            fs.lookup(query)
        with pytest.raises(fs.EntityNotFoundError):
            fs.entity(query)


def test_names_are_unicode_normalized(document: dict[str, Any]) -> None:
    document["strategies"][0]["aliases"] = ["Café Strategy"]
    catalog = fs.loads(json.dumps(document))
    strategy = catalog.strategies()[0]
    assert catalog.lookup(unicodedata.normalize("NFD", "Café Strategy")) == strategy
    assert catalog.lookup(unicodedata.normalize("NFC", "CAFÉ strategy")) == strategy
    assert catalog.lookup("Ｃａｆé Ｓｔｒａｔｅｇｙ") == strategy  # fullwidth: NFKC


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript://%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/",
        "https://",
        "https://example.org/a b",
        "https://example.org/>\n<script>",
        "https://example.org/\x1b]52;c;SGVsbG8=\x07",
        "example.org",
    ],
)
def test_a_source_url_must_be_http_or_https(document: dict[str, Any], url: str) -> None:
    document["source"]["url"] = url
    (problem,) = problems_of(json.dumps(document))
    assert problem.startswith(f"$.source.url: {url!r} is not ")


@pytest.mark.parametrize("year", [0, -5, 10000, 99999999999999999999])
def test_years_outside_1_to_9999_are_refused(document: dict[str, Any], year: int) -> None:
    document["strategies"][1]["period"] = {"start": 2000, "end": year}
    document["strategies"][1]["published"] = None
    problems = problems_of(json.dumps(document))
    assert f"$.strategies[1].period.end: year {year} is outside 1–9999" in problems[0]


def test_a_published_year_outside_the_range_is_refused() -> None:
    strategy = attrs.evolve(fs.catalog().strategies()[0], published=fs.PartialDate(year=10**5000))
    with pytest.raises(fs.DatasetError, match=r"published\.year: year of more than 20 digits"):
        fs.Catalog(source=fs.source(), strategies=[strategy], entities=fs.entities())


def test_records_built_in_python_with_a_lone_surrogate_are_refused_as_such() -> None:
    strategy = fs.catalog().strategies()[0]
    excerpt = attrs.evolve(strategy.excerpts[0], text="Fusion \ud800centers")
    issuer = attrs.evolve(strategy.issuer, description="An \udfff agency")
    record = attrs.evolve(strategy, excerpts=(excerpt, *strategy.excerpts[1:]), issuer=issuer)
    entities = [issuer if entity.id == issuer.id else entity for entity in fs.entities()]
    with pytest.raises(fs.DatasetError) as raised:
        fs.Catalog(source=fs.source(), strategies=[record], entities=entities)
    index = next(at for at, entity in enumerate(entities) if entity is issuer)
    assert raised.value.problems == (
        f"$.entities[{index}].description: a lone surrogate (U+DFFF), which is not Unicode text",
        "$.strategies[0].excerpts[0].text: a lone surrogate (U+D800), which is not Unicode text",
    )


# -- the API ----------------------------------------------------------------------------


def test_malformed_catalog_arguments_raise_type_error() -> None:
    source, strategies, entities = fs.source(), fs.strategies(), fs.entities()
    cases: list[dict[str, Any]] = [
        {"source": None, "strategies": strategies, "entities": entities},
        {"source": "page", "strategies": strategies, "entities": entities},
        {"source": source, "strategies": 3, "entities": entities},
        {"source": source, "strategies": "abc", "entities": entities},
        {"source": source, "strategies": [1, 2], "entities": entities},
        {"source": source, "strategies": strategies, "entities": [None]},
        {"source": source, "strategies": strategies, "entities": entities, "vocabulary": [1]},
        {
            "source": source,
            "strategies": strategies,
            "entities": entities,
            "vocabulary": {"cybersecurity": ["x"]},
        },
        {
            "source": source,
            "strategies": strategies,
            "entities": entities,
            "vocabulary": {fs.Theme.CYBERSECURITY: [1]},
        },
    ]
    for arguments in cases:
        with pytest.raises(TypeError):
            fs.Catalog(**arguments)


def test_records_with_fields_of_the_wrong_type_are_a_dataset_error() -> None:
    strategy = fs.strategies()[0]
    broken = [
        attrs.evolve(strategy, title=None),  # type: ignore[arg-type]
        attrs.evolve(strategy, aliases=["a list"]),  # type: ignore[arg-type]
        attrs.evolve(strategy, period=fs.Period(start="2019", end=2020)),  # type: ignore[arg-type]
        attrs.evolve(strategy, excerpts=(fs.Excerpt(id="1", text=7),)),  # type: ignore[arg-type]
        attrs.evolve(strategy, issuer=attrs.evolve(strategy.issuer, aliases=(None,))),  # type: ignore[arg-type]
    ]
    for record in broken:
        with pytest.raises(fs.DatasetError, match=r"\$\.strategies\[0\]\.[a-z]+"):
            fs.Catalog(source=fs.source(), strategies=[record], entities=fs.entities())
    page = attrs.evolve(fs.source(), url=None)  # type: ignore[arg-type]
    with pytest.raises(fs.DatasetError, match=r"\$\.source\.url: expected a str"):
        fs.Catalog(source=page, strategies=[], entities=[])
