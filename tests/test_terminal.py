"""Text from a catalog reaches a terminal only with its control and bidi characters made
visible, in every table and format the command prints; JSON escapes them too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fusion_strategies as fs
from console_script import run_in_terminal
from fusion_strategies._terminal import visible, visible_json

SCRIPT = Path(sys.executable).parent / "fusion-strategies"
OUR_STYLES = ("\x1b[1;33m", "\x1b[1m", "\x1b[36m", "\x1b[0m")
HOSTILE = (
    "\x1b]52;c;SGVsbG8=\x07",  # OSC 52: write the clipboard
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # OSC 8: a hidden link
    "\x1b[2J\x1b[H",  # CSI: clear the screen
    "\x9b31m",  # a C1 CSI
    "\x1b[31m",  # a color of its own
    "admin\b\b\b\b\buser",  # backspaces that hide what precedes them
    "\u202egnp.exe",  # a right-to-left override
    "\u2066isolate\u2069\u200b\u200f",
    "\x00\x7f\x9d",
)


def unsafe(text: str) -> list[str]:
    """The characters a terminal would obey, once our own styles are set aside."""
    for style in OUR_STYLES:
        text = text.replace(style, "")
    return [char for char in text if not (char.isprintable() or char in " \n\r")]


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


def hostile_catalog(tmp_path: Path) -> Path:
    data: dict[str, Any] = json.loads(fs.dumps(fs.catalog()))
    bad = "".join(HOSTILE)
    data["source"]["title"] = "Page " + bad
    for number, strategy in enumerate(data["strategies"][:3]):
        strategy["title"] = f"Strategy {number} {bad}"
        strategy["heading"] = f"Heading {number} {bad} (2020)"
        strategy["aliases"] = [f"alias{number} {bad}"]
        strategy["excerpts"][0]["text"] = f"fusion centers tribal {bad} partners"
    data["entities"][0]["name"] = "Entity " + bad
    data["entities"][0]["acronym"] = "E" + HOSTILE[0]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    fs.load(path)  # the loader lets these through: they are text, made safe on output
    return path


COMMANDS = [
    ("show", "dhs-fusion-center-engagement-and-information-sharing-strategy-2022"),
    ("list",),
    ("search", "tribal partners"),
    ("match", "fusion centers tribal partners"),
    ("mentions", "fusion centers"),
    ("entities",),
    ("timeline",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
@pytest.mark.parametrize("format", ["table", "csv", "markdown"])
def test_every_table_on_a_terminal_shows_hostile_text_inert(
    tmp_path: Path, command: tuple[str, ...], format: str
) -> None:
    catalog = hostile_catalog(tmp_path)
    options = () if format == "table" or command[0] == "timeline" else ("--format", format)
    shown = run_in_terminal("--catalog", str(catalog), *command, *options, COLUMNS="200")
    assert "Strategy" in shown or "Entity" in shown or "Heading" in shown or "fusion" in shown
    assert unsafe(shown) == []
    assert "\\x1b]52;c;SGVsbG8=\\x07" in shown or "\\u202e" in shown


@pytest.mark.parametrize("command", COMMANDS[:-1], ids=lambda command: command[0])
def test_json_output_escapes_them_and_reads_back_the_same(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    catalog = hostile_catalog(tmp_path)
    result = subprocess.run(
        [str(SCRIPT), "--catalog", str(catalog), *command, "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert unsafe(result.stdout) == []
    assert "\\u202e" in result.stdout
    assert any("".join(HOSTILE) in text for text in strings(json.loads(result.stdout)))


def test_exports_to_a_terminal_are_made_visible(tmp_path: Path) -> None:
    catalog = hostile_catalog(tmp_path)
    for format in ("markdown", "csv", "bibtex", "json"):
        assert (
            unsafe(
                run_in_terminal(
                    "--catalog", str(catalog), "export", "--format", format, COLUMNS="200"
                )
            )
            == []
        )


def test_error_messages_quoting_a_name_are_made_visible(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(SCRIPT), "show", "nothing \x1b]52;c;SGVsbG8=\x07 \u202e"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert unsafe(result.stderr) == []


@given(st.text())
def test_visible_text_is_all_printable_and_printable_text_is_left_alone(text: str) -> None:
    shown = visible(text)
    assert all(char.isprintable() or char == " " for char in shown)
    if text.isprintable():
        assert shown == text


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_visible_json_reads_back_the_same_value(value: object) -> None:
    text = visible_json(value)
    assert all(char.isprintable() or char in " \n" for char in text)
    assert json.loads(text) == value
