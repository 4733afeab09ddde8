"""The command line meets broken files, streams and arguments with one line on stderr and
exit status 1 or 2, never a traceback; it writes files through the one safe writer."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

import fusion_strategies as fs
from console_script import OLD, SCRIPT, listing, one_line_error, run
from fusion_strategies.cli import main


def test_stdout_through_proc_is_written_in_place(tmp_path: Path) -> None:
    # A link to /proc/self/fd/1, like /dev/stdout itself: the old code replaced the link.
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    result = run("export", "--format", "bibtex", "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"@misc{")
    assert link.is_symlink()
    assert result.stdout.count(b"@misc{") == 22


def test_dev_stdout_and_dash_write_to_stdout() -> None:
    for path in ("/dev/stdout", "-"):
        result = run("export", "--format", "csl-json", "-o", path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(b"[")
        result = run("timeline", "--svg", path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(b"<?xml")


def test_an_svg_that_fails_to_write_leaves_the_old_one_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from fusion_strategies import timeline

    target = tmp_path / "timeline.svg"
    target.write_bytes(OLD)
    # Text that UTF-8 cannot encode fails the write itself, after the old code truncated.
    monkeypatch.setattr(timeline, "to_svg", lambda catalog: "<svg>\ud800</svg>")
    assert main(["timeline", "--svg", str(target)]) == 1
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["timeline.svg"]
    assert "Traceback" not in capsys.readouterr().err


def test_sqlite_on_a_full_disk_leaves_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    connect = sqlite3.connect

    def full_disk(path: str) -> sqlite3.Connection:
        database = connect(path)
        database.execute("PRAGMA max_page_count = 8")  # "database or disk is full"
        return database

    monkeypatch.setattr(sqlite3, "connect", full_disk)
    target = tmp_path / "catalog.db"
    target.write_bytes(OLD)
    assert main(["export", "--format", "sqlite", "-o", str(target)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "database or disk is full" in error
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["catalog.db"]


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/", 1, "/: Is a directory"),
        (".", 1, ".: Is a directory"),
        ("", 2, "-o needs a file name"),
    ],
)
def test_export_to_a_directory_or_to_no_name_is_one_line(
    path: str, status: int, message: str
) -> None:
    for format in ("json", "sqlite"):
        error = one_line_error(run("export", "--format", format, "-o", path), status)
        assert message in error


def test_timeline_svg_to_a_directory_is_one_line(tmp_path: Path) -> None:
    assert f"{tmp_path}: Is a directory" in one_line_error(run("timeline", "--svg", str(tmp_path)))


def test_a_closed_stdout_is_one_line_on_stderr() -> None:
    shell = subprocess.run(
        f"'{SCRIPT}' list >&-", shell=True, capture_output=True, timeout=60, check=False
    )
    assert "standard output is closed" in one_line_error(shell)


def test_a_full_stdout_is_one_line_on_stderr() -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [str(SCRIPT), "export", "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    assert "No space left on device" in one_line_error(result)


def test_undecodable_stdin_under_strict_utf8_is_one_line() -> None:
    for args in (("match", "-"), ("validate", "-")):
        result = subprocess.run(
            [str(SCRIPT), *args],
            input=b"fentanyl \xff\xfe seizures",
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
            timeout=60,
            check=False,
        )
        said = one_line_error(result) + result.stdout.decode("utf-8")  # validate: stdout
        assert "not UTF-8 text" in said


@pytest.mark.parametrize("encoding", ["utf-8:strict", "ascii:strict", ""])
def test_lone_surrogates_in_argv_are_one_line(encoding: str) -> None:
    env = {"PYTHONIOENCODING": encoding} if encoding else {}
    for args in (
        (b"show", b"caf\xe9 \xff"),
        (b"search", b"\xed\xa0\x80"),
        (b"--catalog", b"/nonexistent/\xff.json", b"list"),
        (b"mentions", b"\xff"),
    ):
        error = one_line_error(run(*args, **env))
        assert "\\udcff" in error or "\\udced" in error or "no excerpt" in error
    result = run(b"match", b"fentanyl \xff", **env)
    assert result.returncode == 0, result.stderr


def test_a_file_name_that_is_not_utf8_is_printed_escaped(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    valid = folder + b"/caf\xe9.json"
    with open(valid, "w", encoding="utf-8") as file:
        file.write(fs.dumps(fs.catalog()))
    result = run(b"validate", valid, PYTHONIOENCODING="utf-8:strict")
    assert result.returncode == 0, result.stderr
    assert b"caf\\udce9.json: valid: 22 strategies" in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "\x00"],
        ["--catalog", "a\x00b", "list"],
        ["validate", "\ud800"],
        ["match", "--file", "\x00"],
        ["export", "--format", "json", "-o", "out\x00"],
    ],
)
def test_a_path_no_file_system_can_name_is_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # os.open() raises ValueError for a NUL or an unencodable surrogate, not OSError.
    assert main(argv) == 1
    error = capsys.readouterr().err
    assert "not a valid path" in error
    assert "internal error" not in error
