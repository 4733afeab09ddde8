"""Reading and writing catalog files: round trips, the schema, and every kind of bad file."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import fusion_strategies as fs

Document = dict[str, Any]


@pytest.fixture
def document() -> Document:
    """The bundled catalog as plain JSON data, to break in one place at a time."""
    data: Document = json.loads(fs.dumps(fs.catalog()))
    return data


def problems_of(data: Document | str) -> tuple[str, ...]:
    text = data if isinstance(data, str) else json.dumps(data)
    with pytest.raises(fs.DatasetError) as caught:
        fs.loads(text)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value).splitlines()[1:] == list(caught.value.problems)
    return caught.value.problems


def test_the_bundled_catalog_round_trips() -> None:
    text = fs.dumps(fs.catalog())
    assert fs.loads(text) == fs.catalog()
    assert fs.loads(text.encode("utf-8")) == fs.catalog()
    assert fs.dumps(fs.loads(text)) == text


def test_load_reads_a_file_and_names_it_in_errors(tmp_path: Path, document: Document) -> None:
    good = tmp_path / "good.json"
    good.write_text(fs.dumps(fs.catalog()), encoding="utf-8")
    assert fs.load(good) == fs.catalog()
    assert fs.load(str(good)) == fs.catalog()
    del document["source"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(fs.DatasetError) as caught:
        fs.load(bad)
    assert str(caught.value).startswith(f"{bad}: invalid catalog (1 problem)")


def test_an_unreadable_file_raises_the_usual_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        fs.load(tmp_path / "missing.json")
    with pytest.raises(IsADirectoryError):
        fs.load(tmp_path)


def test_a_missing_nested_field_is_reported_with_its_path(document: Document) -> None:
    del document["strategies"][3]["excerpts"][0]["children"][1]["text"]
    assert problems_of(document) == (
        "$.strategies[3].excerpts[0].children[1].text: missing required field",
    )


def test_every_structural_problem_is_reported_at_once(document: Document) -> None:
    document["strategies"][0]["period"]["start"] = "2022"
    document["strategies"][1]["kind"] = "memo"
    document["strategies"][2]["themes"] = "counterterrorism"
    document["strategies"][4]["colour"] = "blue"
    document["strategies"][5]["issuer"] = "nobody"
    document["source"]["last_updated"] = "11/07/2023"
    document["strategies"][6]["published"] = "2012-1"
    del document["strategies"][7]["heading"]
    problems = problems_of(document)
    assert len(problems) == 8
    expected_paths = [
        "$.source.last_updated",
        "$.strategies[0].period.start",
        "$.strategies[1].kind",
        "$.strategies[2].themes",
        "$.strategies[4]",
        "$.strategies[5].issuer",
        "$.strategies[6].published",
        "$.strategies[7].heading",
    ]
    assert sorted(p.split(": ")[0] for p in problems) == sorted(expected_paths)
    text = "\n".join(problems)
    assert "expected an integer, not a string" in text
    assert "'colour'" in text
    assert "'memo'" in text
    assert "'strategy'" in text  # the valid kinds are listed
    assert "unknown entity 'nobody'" in text


def test_issuers_are_resolved_only_against_valid_entities(document: Document) -> None:
    document["entities"][0]["aliases"] = [7]
    document["strategies"][5]["issuer"] = "nobody"
    # The broken glossary is the one problem: which ids it holds is unknown.
    assert problems_of(document) == ("$.entities[0].aliases[0]: expected a string, not an integer",)


@pytest.mark.parametrize(
    ("value", "message"),
    [(True, "expected an integer, not a boolean"), (2019.0, "expected an integer, not a number")],
)
def test_nothing_is_coerced(document: Document, value: object, message: str) -> None:
    document["strategies"][0]["period"]["end"] = value
    assert problems_of(document) == (f"$.strategies[0].period.end: {message}",)


def test_strings_are_not_coerced_either(document: Document) -> None:
    document["strategies"][0]["title"] = 1
    document["strategies"][0]["aliases"] = "NSS"
    assert set(problems_of(document)) == {
        "$.strategies[0].title: expected a string, not an integer",
        "$.strategies[0].aliases: expected an array, not a string",
    }


def test_invariants_are_checked_on_a_valid_structure_all_at_once(document: Document) -> None:
    strategies = document["strategies"]
    strategies[2]["id"] = strategies[1]["id"]
    strategies[3]["period"] = {"start": 2022, "end": 2020}
    strategies[4]["excerpts"][1]["text"] = "   "
    strategies[5]["excerpts"][1]["id"] = "1"
    document["entities"][-1]["id"] = document["entities"][-2]["id"]
    strategies[6]["published"] = "2012-13"
    strategies[7]["excerpts"][0]["text"] += "  with two spaces"
    strategies[8]["id"] = "Not A Slug"
    problems = problems_of(document)
    assert len(problems) == 8
    joined = "\n".join(problems)
    assert (
        f"$.strategies[2].id: duplicate id {strategies[1]['id']!r} (first at $.strategies[1].id)"
        in joined
    )
    assert "$.strategies[3].period: ends in 2020, before it starts in 2022" in joined
    assert "$.strategies[4].excerpts[1].text: empty text" in joined
    assert "$.strategies[5].excerpts[1].id: duplicate id '1'" in joined
    assert f"$.entities[{len(document['entities']) - 1}].id: duplicate id" in joined
    assert "$.strategies[6].published: month must be in 1..12" in joined
    assert "$.strategies[7].excerpts[0].text: whitespace not normalized" in joined
    assert "$.strategies[8].id: 'Not A Slug' is not a valid id" in joined


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "$: invalid JSON: Expecting value at line 1 column 1"),
        ('{"format": 1,', "$: invalid JSON: Expecting property name enclosed in double quotes"),
        ("[]", "$: expected an object, not an array"),
        ("null", "$: expected an object, not null"),
        ('"catalog"', "$: expected an object, not a string"),
        ('{"format": 3, "source": 0, "strategies": []}', "$.format: unsupported format 3"),
    ],
)
def test_a_file_that_is_not_a_catalog_at_all(text: str, problem: str) -> None:
    assert problems_of(text)[0].startswith(problem)


def test_bytes_that_are_not_utf8() -> None:
    with pytest.raises(fs.DatasetError, match=r"\$: not UTF-8"):
        fs.loads(b'{"format": 1, "source": "\xff"}')


@pytest.mark.parametrize("depth", [63, 5_000, 200_000])
def test_absurd_nesting_is_a_dataset_error(document: Document, depth: int) -> None:
    document["entities"][0]["aliases"] = ["@"]
    text = json.dumps(document).replace('["@"]', "[" * depth + "]" * depth, 1)
    problems = problems_of(text)
    assert problems in {
        ("$: nested more than 64 levels deep",),  # too deep for the JSON parser itself
        (f"$.entities[0].aliases{'[0]' * 62}: nested more than 64 levels deep",),
    }


def test_nesting_up_to_the_limit_is_judged_on_its_content(document: Document) -> None:
    document["entities"][0]["aliases"] = ["@"]
    text = json.dumps(document).replace('["@"]', "[" * 62 + "]" * 62, 1)  # 64 levels deep
    problems = problems_of(text)
    assert problems == ("$.entities[0].aliases[0]: expected a string, not an array",)


def test_deeply_nested_excerpts_within_the_limit_load(document: Document) -> None:
    excerpt: Document = {"id": "1", "text": "Leaf."}
    for _ in range(20):
        excerpt = {"id": "1", "text": "Level.", "children": [excerpt]}
    document["strategies"][0]["excerpts"] = [excerpt]
    problems = problems_of(document)  # the nested ids repeat "1"
    assert all("duplicate id '1'" in problem for problem in problems)


def test_dumps_takes_a_catalog_and_loads_takes_text() -> None:
    with pytest.raises(TypeError):
        fs.dumps(fs.strategies())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fs.loads({"format": 1})  # type: ignore[arg-type]


def test_the_schema_is_valid_and_accepts_the_bundled_file() -> None:
    schema = fs.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(fs.dumps(fs.catalog())))


def test_the_schema_rejects_what_the_loader_rejects(document: Document) -> None:
    validator = jsonschema.Draft202012Validator(fs.json_schema())
    breakages: list[Callable[[Document], object]] = [
        lambda d: d["strategies"][0].update(colour="blue"),
        lambda d: d["strategies"][0]["period"].update(start="2022"),
        lambda d: d["strategies"][0].update(kind="memo"),
        lambda d: d["strategies"][0].update(published="May 2016"),
        lambda d: d.update(format=3),
        lambda d: d.update(format=1),  # the bundled file has format 2's capture_sha256
        lambda d: d["source"].pop("url"),
        lambda d: d["entities"][0].update(kind=None),
    ]
    for breakage in breakages:
        broken = copy.deepcopy(document)
        breakage(broken)
        assert not validator.is_valid(broken)
        problems_of(broken)


def test_a_users_catalog_is_queried_the_same_way(document: Document) -> None:
    document["strategies"] = [document["strategies"][11]]  # the National Drug Control Strategy
    document["strategies"][0]["aliases"] = ["Drug Strategy"]
    catalog = fs.loads(json.dumps(document))
    assert len(catalog) == 1
    assert catalog.lookup("drug strategy 2019").id == "national-drug-control-strategy-2019"
    assert [m.excerpt.id for m in catalog.mentioning("HIDTA")] == ["1"]
    with pytest.raises(fs.StrategyNotFoundError):
        catalog.get("quadrennial-homeland-security-review-2014")
