"""The fast paths of loading: they give what the checked, detailed paths give, or step aside.

The converter's hooks take a valid file in plain checks and leave anything else to the hooks
that cattrs generates; the catalog's excerpts are screened in bulk; the bundled file is read
without the checks that the data build proved. Each is held here to the slow path it stands
in for: equal records, or the very same problems.
"""

from __future__ import annotations

import copy
import gc
import json
import sys
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import fusion_strategies as fs
from broken_catalogs import BUNDLED
from fusion_strategies import _bundled, _collector, _invariants, _names, cli, fileformat

if sys.version_info >= (3, 13):
    from importlib.resources import files
else:
    from importlib_resources import files

BUNDLED_BYTES = files("fusion_strategies").joinpath("data", "catalog.json").read_bytes()
SLOW = fileformat._make_converter(fast=False)

Json = Any

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3000) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
# What a fast path might take that it must not: near misses of valid values.
near_misses: st.SearchStrategy[Json] = st.sampled_from(
    ["", " ", "1", "1.2", "1..2", "a b", "a  b", " a", "a ", "a\tb", "a\u00a0b", "x,y", "1,2"]
) | st.sampled_from([[], {}, None, 0, 1.5, True, [{}], [{"id": "1"}], {"id": "1"}])


def _slots(value: Json, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value in a document, the document itself excluded."""
    found: list[tuple[Any, ...]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        found.append((*path, key))
        if isinstance(item, (dict, list)):
            found += _slots(item, (*path, key))
    return found


SLOTS = _slots(BUNDLED)


@st.composite
def mutated_documents(draw: st.DrawFn) -> Json:
    """The bundled file with one to three values replaced, removed, or keys added."""
    document = copy.deepcopy(BUNDLED)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(SLOTS))
        parent: Json = document
        try:
            for key in path[:-1]:
                parent = parent[key]
            last = path[-1]
            parent[last]  # an earlier mutation may have removed it
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["replace", "near miss", "remove", "add a key"]))
        if action == "replace":
            parent[last] = draw(json_values)
        elif action == "near miss":
            parent[last] = draw(near_misses)
        elif action == "remove":
            del parent[last]
        elif isinstance(parent[last], dict):
            parent[last][draw(st.sampled_from(["children", "id", "extra"]))] = draw(json_values)
    return document


def _outcome(converter: cattrs.Converter, raw: Json) -> object:
    """The document a converter structures, or the problems it reports."""
    token = fileformat._known_entities.set(None)
    try:
        return converter.structure(raw, fileformat._Document)
    except (cattrs.BaseValidationError, fileformat._InvalidValueError) as error:
        return fileformat._problems(error)
    finally:
        fileformat._known_entities.reset(token)


def _fields(outcome: object) -> object:
    """A document's fields, which `==` compares (a document has no `==` of its own)."""
    if isinstance(outcome, fileformat._Document):
        return attrs.astuple(outcome, recurse=False)
    return outcome


def _slow_loads(text: str) -> object:
    """`loads` as it was: the detailed hooks throughout, then every check of a catalog."""
    try:
        raw = fileformat._parse(text)
        outcome = _outcome(SLOW, raw)
        if isinstance(outcome, list):
            return tuple(outcome)
        assert isinstance(outcome, fileformat._Document)
        if outcome.format == 1:
            fileformat._raise_format_2_fields(raw)
        return fs.Catalog(
            source=outcome.source,
            strategies=outcome.strategies,
            entities=outcome.entities,
            vocabulary=outcome.vocabulary,
            withdrawn=outcome.withdrawn,
            capture_sha256=outcome.capture_sha256,
        )
    except fs.DatasetError as error:
        return error.problems


def _loads(text: str) -> object:
    try:
        return fs.loads(text)
    except fs.DatasetError as error:
        return error.problems


# -- the bundled file ---------------------------------------------------------------------


def test_the_bundled_file_read_unchecked_is_the_checked_catalog() -> None:
    proven = fileformat.loads_proven(BUNDLED_BYTES)
    checked = fs.loads(BUNDLED_BYTES)
    assert proven == checked
    assert fs.catalog() == checked
    assert fs.dumps(proven) == BUNDLED_BYTES.decode("utf-8")
    assert [s.id for s in proven.strategies()] == [s.id for s in checked.strategies()]
    deep = [e for s in proven.strategies() for e in s.iter_excerpts()]
    assert deep == [e for s in checked.strategies() for e in s.iter_excerpts()]


def test_a_users_broken_file_is_checked_and_every_problem_named(tmp_path: Path) -> None:
    document = copy.deepcopy(BUNDLED)
    document["strategies"][0]["excerpts"][0]["text"] = "two  spaces"
    document["strategies"][1]["excerpts"][0]["id"] = "1..2"
    document["strategies"][2]["period"]["end"] = 1990
    del document["strategies"][3]["excerpts"][0]["text"]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(fs.DatasetError) as structural:
        fs.load(path)
    assert structural.value.problems == (
        "$.strategies[3].excerpts[0].text: missing required field",
    )
    document["strategies"][3]["excerpts"][0]["text"] = "Restored."
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(fs.DatasetError) as invariants:
        fs.load(path)
    problems = invariants.value.problems
    assert len(problems) == 3
    assert problems[0].startswith("$.strategies[0].excerpts[0].text: whitespace not normalized")
    assert problems[1].startswith("$.strategies[1].excerpts[0].id: '1..2' is not a valid id")
    assert problems[2].startswith("$.strategies[2].period: ends in 1990")


def test_a_proven_read_of_text_that_is_not_a_catalog_says_why_as_loads_does() -> None:
    for text in (b"{", b"[]", b'{"format": 2}'):
        with pytest.raises(fs.DatasetError) as proven:
            fileformat.loads_proven(text)
        with pytest.raises(fs.DatasetError) as checked:
            fs.loads(text)
        assert proven.value.problems == checked.value.problems


# -- the converter's fast paths -----------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_the_fast_hooks_structure_what_the_detailed_ones_do(document: Json) -> None:
    fast, detailed = _outcome(fileformat._CONVERTER, document), _outcome(SLOW, document)
    assert _fields(fast) == _fields(detailed)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_loads_gives_what_the_slow_path_gives(document: Json) -> None:
    text = json.dumps(document)
    assert _loads(text) == _slow_loads(text)


def test_excerpts_nested_past_the_fast_paths_bound_take_the_detailed_path() -> None:
    document = copy.deepcopy(BUNDLED)
    excerpt: Json = {"id": "1", "text": "Leaf."}
    for level in range(fileformat._FAST_NESTING + 3):
        excerpt = {"id": f"{level + 2}", "text": "Level.", "children": [excerpt]}
    document["strategies"][0]["excerpts"] = [excerpt]
    text = json.dumps(document)
    assert _loads(text) == _slow_loads(text)
    assert isinstance(_loads(text), fs.Catalog)


def test_excerpts_nested_too_deep_are_refused_though_each_level_is_valid() -> None:
    document = copy.deepcopy(BUNDLED)
    excerpt: Json = {"id": "1", "text": "Leaf."}
    for level in range(31):  # the leaf 4 + 2 * 31 = 66 levels down
        excerpt = {"id": f"{level + 2}", "text": "Level.", "children": [excerpt]}
    document["strategies"][0]["excerpts"] = [excerpt]
    text = json.dumps(document)
    problems = _loads(text)
    assert problems == _slow_loads(text)
    assert isinstance(problems, tuple)
    assert problems[0].endswith(": nested more than 64 levels deep")


# -- the bulk checks of excerpts ----------------------------------------------------------


def test_no_whitespace_but_the_space_is_printable() -> None:
    """What the normalization screen rests on, for every code point there is."""
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert [c for c in spaces if c.isprintable()] == [" "]


@given(st.text(st.sampled_from("ab \t\u00a0\u2028\u200b.")))
def test_the_normalization_screen_is_the_definition(text: str) -> None:
    assert _invariants._is_normalized(text) == (
        bool(text.strip()) and " ".join(text.split()) == text
    )


@given(st.lists(st.text(st.sampled_from("12.,a "), max_size=5), max_size=6))
@example(["1,2"])
@example(["1", "2,3"])
@example(["1", "1"])
@example(["1.", "2"])
def test_the_bulk_screen_of_excerpts_is_the_rule_for_each(ids: list[str]) -> None:
    excerpts = tuple(fs.Excerpt(id=excerpt_id, text="Text.") for excerpt_id in ids)
    strategy = fs.catalog().strategies()[0]
    held = attrs.evolve(strategy, excerpts=excerpts)
    each_valid = all(_invariants._EXCERPT_ID.fullmatch(excerpt_id) for excerpt_id in ids)
    assert _invariants._excerpts_keep_the_rules((held,)) == (
        each_valid and len(set(ids)) == len(ids)
    )


@given(st.lists(st.text(st.sampled_from("ab \t"), max_size=4), min_size=1, max_size=4))
def test_texts_joined_are_normalized_when_each_one_is(texts: list[str]) -> None:
    excerpts = tuple(fs.Excerpt(id=str(i), text=text) for i, text in enumerate(texts, 1))
    held = attrs.evolve(fs.catalog().strategies()[0], excerpts=excerpts)
    assert _invariants._excerpts_keep_the_rules((held,)) == all(
        _invariants._is_normalized(text) for text in texts
    )


ASCII_WHITESPACE = [chr(c) for c in range(128) if chr(c).isspace()]


@given(st.text(st.sampled_from(["a", ".", *ASCII_WHITESPACE]), max_size=6))
@example("a\x1fb")
@example("a\x0bb")
def test_the_ascii_screen_is_the_definition(text: str) -> None:
    assert _invariants._is_normalized_ascii(text) == (
        bool(text.strip()) and " ".join(text.split()) == text
    )


@given(st.lists(st.text(st.sampled_from("a \t\u2019\u00a0\u3000"), max_size=4), max_size=5))
@example(["a", "b\u2019c"])
@example(["a\u2019", " b"])
@example(["a\u00a0b", "c"])
def test_ascii_and_other_texts_screened_apart_are_normalized_when_each_one_is(
    texts: list[str],
) -> None:
    assert _invariants._texts_keep_the_rules(texts) == all(
        _invariants._is_normalized(text) for text in texts
    )


# -- the name index, whose normalized names wait for a query that needs them -----------------


def _fresh_catalog() -> fs.Catalog:
    return fileformat.loads_proven(BUNDLED_BYTES)


def test_a_lookup_of_a_name_as_written_normalizes_no_name() -> None:
    catalog = _fresh_catalog()
    assert catalog.lookup("QHSR").id == "quadrennial-homeland-security-review-2014"
    assert catalog._name_index.strategies._normalized is None
    assert catalog._name_index._entities is None  # a strategy's lookup reads no entity name
    assert catalog.lookup("qhsr").id == "quadrennial-homeland-security-review-2014"
    assert catalog._name_index.strategies._normalized is not None


@pytest.mark.parametrize("spelling", [str, str.lower, str.upper, lambda name: f"The {name}s"])
def test_names_found_before_and_after_the_normalized_index_is_made_are_the_same(
    spelling: Any,
) -> None:
    """Every name of every record, found first thing in a fresh catalog, and then again."""
    named = [
        (name, "lookup")
        for strategy in fs.catalog().strategies()
        for name in (strategy.id, strategy.heading, strategy.title, *strategy.aliases)
    ] + [(name, "entity") for entity in fs.catalog().entities() for name in entity.names]
    for name, method in named:
        first = _found(getattr(_fresh_catalog(), method), spelling(name))
        warmed = _fresh_catalog()
        _found(getattr(warmed, method), "no such name at all")  # the normalized index is made
        assert _found(getattr(warmed, method), spelling(name)) == first, name


def _found(find: Any, name: str) -> object:
    try:
        return find(name)
    except fs.FusionStrategiesError as error:
        return type(error), str(error)


# -- the collector's pause and the command line's parser ----------------------------------


def test_the_collector_is_paused_within_and_restored_after() -> None:
    assert gc.isenabled()
    with _collector.paused():
        with _collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with _collector.paused():
            pass
        assert not gc.isenabled()  # a collector the caller turned off stays off
    finally:
        gc.enable()


def test_the_bundled_file_is_read_with_the_collector_paused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []

    def read(data: bytes) -> fs.Catalog:
        seen.append(gc.isenabled())
        return fileformat.loads(data)

    monkeypatch.setattr(fileformat, "loads_proven", read)
    assert gc.isenabled()
    assert _bundled._read() == fs.catalog()
    assert seen == [False]
    assert gc.isenabled()


def test_the_command_names_are_the_parsers() -> None:
    parser = cli.build_parser()
    (commands,) = (a for a in parser._actions if a.dest == "command")
    assert commands.choices is not None
    assert set(commands.choices) == cli._COMMANDS


@pytest.mark.parametrize(
    ("words", "named"),
    [
        (["show", "QHSR"], "show"),
        (["--catalog", "list", "show", "QHSR"], "show"),
        (["--catalog=x.json", "search", "tribal"], "search"),
        (["--version"], None),
        (["shwo", "QHSR"], None),
        (["--", "show"], None),
        ([], None),
    ],
)
def test_the_command_is_found_as_argparse_finds_it(words: list[str], named: str | None) -> None:
    assert cli._command_named(words) == named


@pytest.mark.parametrize(
    "words",
    [
        ["show", "QHSR", "--format", "json"],
        ["--catalog", "c.json", "list", "--year", "2021"],
        ["cite", "QHSR", "--style", "bibtex"],
        ["export", "--format", "csv"],
        ["search", "tribal", "--limit", "3", "--wide"],
    ],
)
def test_the_named_commands_parser_parses_as_the_whole_one(words: list[str]) -> None:
    assert cli._parse_args(words) == cli.build_parser().parse_args(words)


# -- the bulk checks of strategies --------------------------------------------------------


@given(
    st.lists(
        st.sampled_from(["a", "B", "1", " ", ".", "'", "’", "s", "the", "The", "é", "&", "abcd"])
    ).map("".join)
)
@example("The")
@example("the's")
@example("The.")
@example("Thes")
@example("U.S.")
def test_a_name_is_findable_as_normalize_name_finds_it(name: str) -> None:
    assert _invariants._findable(name) == bool(_names.normalize_name(name))


BUNDLED_STRATEGY = fs.catalog().strategies()[0]
strategy_changes: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["ok-id-2020", "Bad Id", "a,b", "", "-x"]),
        "title": st.sampled_from(["A title", " A title", "A  title", "", "The", "…", "x" * 501]),
        "heading": st.sampled_from(["A heading (2020)", "A heading\t(2020)", "The's"]),
        "aliases": st.lists(st.sampled_from(["NSS", "", "The", " X", "Zed"]), max_size=3).map(
            tuple
        ),
        "period": st.tuples(st.integers(-1, 10001), st.integers(-1, 10001)).map(
            lambda years: fs.Period(start=years[0], end=years[1])
        ),
        "published": st.sampled_from(
            [
                None,
                fs.PartialDate(year=2020),
                fs.PartialDate(year=2021, month=2, day=30),
                fs.PartialDate(year=0),
                fs.PartialDate(year=2020, day=3),
            ]
        ),
        "issuer": st.sampled_from(
            [
                fs.catalog().entities()[0],
                attrs.evolve(fs.catalog().entities()[1]),  # equal, not the same object
                fs.Entity(id="stranger", name="A stranger", kind=fs.EntityKind.ORGANIZATION),
            ]
        ),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.lists(strategy_changes, max_size=3))
def test_the_bulk_screen_of_strategies_is_the_rule_for_each(changes: list[dict[str, Any]]) -> None:
    catalog = fs.catalog()
    strategies = (
        tuple(attrs.evolve(BUNDLED_STRATEGY, **change) for change in changes)
        + catalog.strategies()[1:3]
    )
    known = frozenset(catalog.entities())
    each = [
        problem
        for strategy in strategies
        for problem in _invariants._strategy_problems(strategy, known, "$")
    ]
    assert _invariants._strategies_keep_the_rules(strategies, catalog.entities()) == (not each)


def test_the_bundled_catalog_takes_every_bulk_screen() -> None:
    catalog = fs.catalog()
    strategies = catalog.strategies()
    terms = [term for terms in catalog.vocabulary().values() for term in terms]
    assert _invariants._strategies_keep_the_rules(strategies, catalog.entities())
    assert _invariants._excerpts_keep_the_rules(strategies)
    assert _invariants._texts_keep_the_rules(terms)


def test_a_vocabulary_term_that_breaks_a_rule_is_named_by_its_path() -> None:
    document = copy.deepcopy(BUNDLED)
    terms = document["vocabulary"]["cybersecurity"]
    terms[1] = "two  words"
    terms.append(" ")
    with pytest.raises(fs.DatasetError) as raised:
        fs.loads(json.dumps(document))
    assert raised.value.problems == (
        "$.vocabulary['cybersecurity'][1]: whitespace not normalized (one space between words, "
        "none at the ends)",
        f"$.vocabulary['cybersecurity'][{len(terms) - 1}]: empty text",
    )


@given(st.text(st.sampled_from("a\u00e9\u2019\U0001f600\ud800\udbff\udc00\udfff"), max_size=6))
def test_a_text_encodes_as_utf8_exactly_when_the_quick_screen_says(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        encodes = False
    else:
        encodes = True
    assert fileformat._encodes(text) == encodes
