"""Run the docs' examples: ``python`` blocks as doctests, ``console`` blocks as commands.

pytest's ``--doctest-glob=*.md`` (set in pyproject.toml) runs the ``>>>`` examples of
every page, as it does the README's. This file adds the command-line examples: each
```` ```console ```` block of a page is a test. In it, a line starting with ``$ `` is a
command, run by bash from this directory with the installed ``fusion-strategies``
first on ``PATH``; the lines up to the next command are its output, stdout and stderr
together. A line ``...`` in the output stands for any lines. Output is compared line by
line with trailing spaces ignored, at a terminal width of 88 columns and with no color.
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest._code.code import TerminalRepr, TracebackStyle

DOCS = Path(__file__).parent
WIDTH = 88
_FENCE = re.compile(r"^(`{3,})console\s*$")


@pytest.fixture(autouse=True)
def _run_from_docs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages' examples name files relative to docs/, as a reader in docs/ would."""
    monkeypatch.chdir(DOCS)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect the console blocks of each page."""
    if file_path.suffix == ".md" and file_path.parent == DOCS:
        return ConsolePage.from_parent(parent, path=file_path)
    return None


class ConsolePage(pytest.File):
    """A page of the docs, as the console blocks it holds."""

    def collect(self) -> Iterator[ConsoleBlock]:
        """One test per console block, named by the line it starts on."""
        lines = self.path.read_text(encoding="utf-8").splitlines()
        for start, block in _console_blocks(lines):
            yield ConsoleBlock.from_parent(self, name=f"line {start}", lines=block, start=start)


def _console_blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        index += 1
        if opening is None:
            continue
        start, block = index, []
        while index < len(lines) and lines[index].strip() != opening[1]:
            block.append(lines[index])
            index += 1
        index += 1
        yield start, block


class ConsoleBlock(pytest.Item):
    """One console block: its commands, each with the output it shows."""

    def __init__(self, *, lines: list[str], start: int, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines = lines
        self.start = start

    def runtest(self) -> None:
        """Run each command of the block and compare what it prints with the page."""
        for command, expected in _commands(self.lines):
            actual = _run(command)
            if not _matches(expected, actual):
                raise ConsoleMismatchError(command, expected, actual)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: TracebackStyle | None = None,
    ) -> str | TerminalRepr:
        """The command, what the page shows and what it printed, for a mismatch."""
        if isinstance(excinfo.value, ConsoleMismatchError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the block is, for pytest's report."""
        return self.path, self.start, f"console block at {self.path.name}:{self.start + 1}"


class ConsoleMismatchError(AssertionError):
    """A command printed something other than what the page shows."""

    def __init__(self, command: str, expected: list[str], actual: list[str]) -> None:
        shown = "\n".join(expected)
        printed = "\n".join(actual)
        super().__init__(f"$ {command}\n--- the page shows:\n{shown}\n--- it printed:\n{printed}")


def _commands(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    command: str | None = None
    output: list[str] = []
    for line in lines:
        if line.startswith("$ "):
            if command is not None:
                yield command, output
            command, output = line[2:], []
        elif command is None:
            raise ValueError(f"a console block must start with a '$ ' command, not {line!r}")
        else:
            output.append(line)
    if command is not None:
        yield command, output


def _run(command: str) -> list[str]:
    scripts = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": str(WIDTH),
        "NO_COLOR": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("FORCE_COLOR", None)
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=DOCS,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    return [line.rstrip() for line in result.stdout.splitlines()]


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Whether the output matches the page; a ``...`` line stands for any lines."""
    want = "".join("..." if line.strip() == "..." else line.rstrip() + "\n" for line in expected)
    got = "".join(line + "\n" for line in actual)
    return doctest.OutputChecker().check_output(want, got, doctest.ELLIPSIS)
