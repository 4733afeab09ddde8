"""What `dir()` shows: the public names and the public submodules, and nothing else."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import fusion_strategies as fs

PACKAGE = Path(fs.__file__).parent
PUBLIC = sorted(path.stem for path in PACKAGE.glob("*.py") if not path.stem.startswith("_"))
"""Every public submodule: the modules without a leading underscore."""


def test_the_package_shows_its_api_and_its_public_submodules_only() -> None:
    assert dir(fs) == sorted({*fs.__all__, *PUBLIC})


def test_every_name_dir_shows_is_there() -> None:
    for name in dir(fs):
        assert getattr(fs, name) is not None


@pytest.mark.parametrize("name", PUBLIC)
def test_a_public_submodule_shows_its_all_only(name: str) -> None:
    module = importlib.import_module(f"fusion_strategies.{name}")
    assert dir(module) == sorted(module.__all__)
    for public in module.__all__:
        assert hasattr(module, public), public


@pytest.mark.parametrize("leak", ["annotations", "os", "bundled_catalog", "TYPE_CHECKING"])
def test_the_leaks_the_issue_saw_are_gone(leak: str) -> None:
    assert leak not in dir(fs)


def test_an_unknown_attribute_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        fs.nonesuch  # type: ignore[attr-defined]  # noqa: B018
