"""How much `load` and `loads` read: 64 MiB unless told, and whatever `max_size` says.

A user's own catalog may be larger than the default cap (500,000 excerpts of a paragraph
take about 230 MB); `max_size` raises the cap for one call. The default still refuses a
larger file without reading it, and any cap is a bound on what is read, not only a check
afterwards.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import fusion_strategies as fs
from fusion_strategies import fileformat

MAX_FILE_SIZE = 64 * 1024 * 1024  # the docs' number
BUNDLED_TEXT = fs.dumps(fs.catalog())


def _padded(size: int) -> bytes:
    """The bundled catalog's JSON, padded with trailing spaces (valid JSON) to `size` bytes."""
    data = BUNDLED_TEXT.encode("utf-8")
    assert len(data) <= size
    return data + b" " * (size - len(data))


def test_the_default_is_the_documented_cap_everywhere() -> None:
    assert fileformat.MAX_FILE_SIZE == MAX_FILE_SIZE
    for function in (fs.load, fs.loads, fileformat.load, fileformat.loads):
        default = inspect.signature(function).parameters["max_size"].default
        assert default == MAX_FILE_SIZE, function


def test_a_cap_is_exact_for_a_file(tmp_path: Path) -> None:
    size = len(BUNDLED_TEXT.encode("utf-8")) + 10
    path = tmp_path / "catalog.json"
    path.write_bytes(_padded(size))
    assert fs.load(path, max_size=size) == fs.catalog()
    with pytest.raises(fs.DatasetError) as raised:
        fs.load(path, max_size=size - 1)
    assert raised.value.problems == (
        f"$: larger than {size - 1:,} bytes, the max_size it was read with",
    )
    assert raised.value.source == str(path)


def test_a_cap_is_exact_for_a_text() -> None:
    size = len(BUNDLED_TEXT)
    assert fs.loads(BUNDLED_TEXT, max_size=size) == fs.catalog()
    assert fs.loads(BUNDLED_TEXT.encode("utf-8"), max_size=len(BUNDLED_TEXT.encode())) is not None
    with pytest.raises(fs.DatasetError, match="larger than"):
        fs.loads(BUNDLED_TEXT, max_size=size - 1)


def test_the_default_refuses_a_larger_text_and_a_raised_cap_reads_it() -> None:
    data = _padded(MAX_FILE_SIZE + 1)
    with pytest.raises(fs.DatasetError, match="larger than 67,108,864 bytes, the most a catalog"):
        fs.loads(data)
    assert fs.loads(data, max_size=MAX_FILE_SIZE + 1) == fs.catalog()


def test_the_default_refuses_a_larger_file_and_a_raised_cap_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "large.json"
    path.write_bytes(_padded(MAX_FILE_SIZE + 1))
    with pytest.raises(fs.DatasetError, match="larger than 67,108,864 bytes"):
        fs.load(path)
    assert fs.load(path, max_size=2 * MAX_FILE_SIZE) == fs.catalog()


@pytest.mark.parametrize("size", ["100", 1.5, True, None])
def test_a_cap_that_is_not_an_int_is_a_type_error(size: object) -> None:
    with pytest.raises(TypeError, match="max_size as an int"):
        fs.loads(BUNDLED_TEXT, max_size=size)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="max_size as an int"):
        fs.load("no/such/file.json", max_size=size)  # type: ignore[arg-type]


def test_a_negative_cap_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="count of bytes"):
        fs.loads(BUNDLED_TEXT, max_size=-1)
    with pytest.raises(ValueError, match="count of bytes"):
        fs.load("no/such/file.json", max_size=-1)
