"""Fuzzing the public API and the command line: whatever the input, the API raises only
`FusionStrategiesError`, `TypeError` or `ValueError`, and the command exits 0, 1 or 2
with no traceback."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fusion_strategies as fs
from fusion_strategies import export, timeline
from fusion_strategies.citation import cite_strategy
from fusion_strategies.cli import main

EXPECTED = (fs.FusionStrategiesError, TypeError, ValueError)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that hits the special cases: marks, dotted initials, apostrophes, controls, bidi,
# surrogates, digits that look like years, and the names the catalog knows.
special = st.sampled_from(
    ["a.", "U.S.", "’s", "'", "&", "—", "The", "?", "2018", "NSS", "HIDTA", "fusion centers",
     "\x1b[2J", "\u202e", "\ud800", "\x00", " ", "\n", "é", "\u0301", "#", "<", "{", "}"]
)  # fmt: skip
texts = st.lists(special | st.text(max_size=6), max_size=8).map("".join)
anything = st.one_of(
    texts,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.binary(max_size=8),
    st.lists(texts, max_size=2),
    st.sampled_from([fs.Theme.CYBERSECURITY, fs.DocumentKind.STRATEGY, fs.strategies()[0]]),
    st.sampled_from([fs.entities()[0], fs.strategies()[0].excerpts[0]]),
)


@FUZZ
@given(st.sampled_from(["get", "lookup", "entity", "mentioning", "entities_in"]), anything)
def test_lookups_raise_only_what_the_api_documents(name: str, value: object) -> None:
    with contextlib.suppress(*EXPECTED):
        getattr(fs, name)(value)


@FUZZ
@given(st.sampled_from(["search", "match"]), anything, anything)
def test_search_and_match_raise_only_what_the_api_documents(
    name: str, text: object, limit: object
) -> None:
    with contextlib.suppress(*EXPECTED):
        getattr(fs, name)(text, limit=limit)
    if isinstance(text, str) and text.strip():
        getattr(fs, name)(text)  # a real text never fails


@FUZZ
@given(st.dictionaries(st.sampled_from(["year", "theme", "issuer", "kind", "mentions"]), anything))
def test_find_raises_only_what_the_api_documents(filters: dict[str, object]) -> None:
    with contextlib.suppress(*EXPECTED):
        fs.find(**filters)  # type: ignore[arg-type]


@FUZZ
@given(anything, anything, anything)
def test_citations_and_exports_raise_only_what_the_api_documents(
    item: object, style: object, level: object
) -> None:
    calls: list[Callable[[], object]] = [
        lambda: cite_strategy(item, style, source=fs.source()),  # type: ignore[arg-type]
        lambda: cite_strategy(fs.strategies()[0], style, source=item),  # type: ignore[arg-type]
        lambda: fs.cite(item, style),  # type: ignore[arg-type]
        lambda: fs.cite(fs.strategies()[0], style),  # type: ignore[arg-type]
        lambda: fs.rows(item),  # type: ignore[arg-type]
        lambda: fs.catalog().strategy_of(item),  # type: ignore[arg-type]
        lambda: export.strategy_markdown(item, source=fs.source(), level=level),  # type: ignore[arg-type]
        lambda: export.strategy_markdown(fs.strategies()[0], source=item),  # type: ignore[arg-type]
        lambda: export.escape_markdown(item),  # type: ignore[arg-type]
        lambda: export.to_csv(item),  # type: ignore[arg-type]
        lambda: timeline.to_text(item),  # type: ignore[arg-type]
        lambda: timeline.to_svg(item),  # type: ignore[arg-type]
        lambda: fs.loads(item),  # type: ignore[arg-type]
        lambda: fs.load(item),  # type: ignore[arg-type]
    ]
    for call in calls:
        with contextlib.suppress(*EXPECTED, OSError):  # OSError: a path that names no file
            call()


COMMANDS = ["list", "show", "search", "match", "mentions", "entities", "validate", "schema",
            "timeline", "export", "cite", "tag", "--help", "--version", ""]  # fmt: skip
OPTIONS = ["--format", "--limit", "--year", "--theme", "--issuer", "--kind", "--mentions",
           "--file", "--catalog", "-o", "--svg", "--excerpt", "--style", "-", "--"]  # fmt: skip
VALUES = ["json", "csv", "markdown", "table", "sqlite", "bibtex", "0", "-1", "10", "99999999999",
          "9" * 5000, "NSS 2017", "HIDTA", "a." * 50 + "b", "/", ".", "", "/dev/null", "\x00",
          "\ud800", "x\x00y.json"]  # fmt: skip


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from(COMMANDS),
    st.lists(st.sampled_from(OPTIONS) | st.sampled_from(VALUES) | texts, max_size=5),
)
def test_the_command_exits_0_1_or_2_and_never_shows_a_traceback(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    arguments: list[str],
) -> None:
    # Files the command writes land in a folder of their own, never beside the tests.
    monkeypatch.chdir(tmp_path_factory.mktemp("fuzz"))
    arguments = [_confined(argument) for argument in arguments]
    status = main([command, *arguments] if command else arguments)
    captured = capsys.readouterr()
    assert status in {0, 1, 2}, captured.err
    assert "Traceback" not in captured.err
    assert "internal error" not in captured.err


def _confined(argument: str) -> str:
    """An argument as given, except that an absolute path goes into the current folder.

    "/" too: `tag /` would read and tag every text file of the machine, for minutes.
    """
    return f"./{argument.lstrip('/')}" if argument.startswith("/") else argument


def test_fuzzing_writes_nothing_outside_its_folders() -> None:
    assert not Path("timeline.svg").exists()
