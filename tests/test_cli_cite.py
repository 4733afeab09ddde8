"""fusion-strategies cite: a strategy's or an excerpt's citation, from any catalog."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import fusion_strategies as fs
from fusion_strategies import cli
from fusion_strategies.cli import main

QHSR = fs.lookup("QHSR")


def cite(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["cite", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_help_lists_cite(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "\n    cite " in capsys.readouterr().out
    assert "\n  cite NAME [--excerpt ID] [--style note|bibtex|csl-json]\n" in str(cli.__doc__)
    assert main(["cite", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: fusion-strategies cite")


def test_cite_prints_the_note_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cite(capsys, "QHSR")
    assert (status, err) == (0, "")
    assert out == fs.cite(QHSR) + "\n"


@pytest.mark.parametrize("style", ["note", "bibtex", "csl-json"])
def test_cite_in_each_style(capsys: pytest.CaptureFixture[str], style: str) -> None:
    status, out, _ = cite(capsys, "national", "biodefense", "strategy", "--style", style)
    assert status == 0
    assert out == fs.cite(fs.lookup("National Biodefense Strategy"), style) + "\n"
    if style == "csl-json":
        assert json.loads(out)["id"] == "nbs2018"


def test_cite_an_excerpt(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cite(capsys, "QHSR", "--excerpt", "1", "--style", "bibtex")
    assert status == 0
    assert out.startswith("@misc{qhsr2014:1,\n")
    assert out == fs.cite(QHSR.excerpts[0], "bibtex") + "\n"


def test_a_wrong_excerpt_is_one_line_with_close_ids(capsys: pytest.CaptureFixture[str]) -> None:
    nested = "dhs-information-sharing-strategy-2013"
    status, out, err = cite(capsys, nested, "--excerpt", "1.4")
    assert (status, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith(f"fusion-strategies: no excerpt of '{nested}' matches '1.4'")
    assert "did you mean" in err
    assert "'1.1'" in err
    status, _, err = cite(capsys, "QHSR", "--excerpt", "9")
    assert status == 1
    assert err.endswith("matches '9'; did you mean '1', '2' or '3'?\n")
    status, _, err = cite(capsys, "QHSR", "--excerpt", "9" * 5000)
    assert (status, err.count("\n")) == (1, 1)


def test_a_wrong_name_or_style(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = cite(capsys, "QHRS")
    assert status == 1
    assert "did you mean 'QHSR'?" in err
    status, _, err = cite(capsys, "QHSR", "--style", "chicago")
    assert status == 2
    assert "invalid choice: 'chicago'" in err


def test_cite_from_a_catalog_of_your_own(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = attrs.evolve(fs.source(), title="Our Reading List", url="https://example.org/")
    ours = fs.Catalog(source=source, strategies=[QHSR], entities=fs.entities())
    path = tmp_path / "ours.json"
    path.write_text(fs.dumps(ours), encoding="utf-8")
    status, out, _ = cite(capsys, "QHSR", "--catalog", str(path))
    assert status == 0
    assert "“Our Reading List,”" in out
    assert out == ours.cite(QHSR) + "\n"
