"""Catalog files written by someone else: what JSON allows and the format does not (lone
surrogates, huge integers, repeated keys, other encodings, endless streams) is a
`DatasetError` with a JSON path, and `load` reads only paths."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import fusion_strategies as fs
from broken_catalogs import BUNDLED, problems_of

MAX_FILE_SIZE = 64 * 1024 * 1024  # fileformat.MAX_FILE_SIZE, as the docs give it
MAX_INTEGER_DIGITS = 20


@pytest.fixture
def document() -> dict[str, Any]:
    return copy.deepcopy(BUNDLED)


# -- the text of a file -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"\\ud800"',  # a lone high surrogate, escaped
        '"\\udfff and more"',  # a lone low surrogate
        '"\\ude00\\ud83d"',  # a pair in the wrong order is two lone ones
    ],
)
def test_an_escaped_lone_surrogate_is_refused_with_its_path(
    document: dict[str, Any], text: str
) -> None:
    data = json.dumps(document).replace('"Fusion Centers', text[:-1] + " Fusion Centers", 1)
    assert problems_of(data)[0].startswith("$.source.title: a lone surrogate (U+D")


def test_a_lone_surrogate_in_a_str_or_a_key_is_refused(document: dict[str, Any]) -> None:
    document["strategies"][3]["aliases"] = ["ok", "bad \ud800"]
    data = json.dumps(document, ensure_ascii=False)
    assert problems_of(data) == (
        "$.strategies[3].aliases[1]: a lone surrogate (U+D800), which is not Unicode text",
    )
    document = copy.deepcopy(BUNDLED)
    document["source"]["\udc80"] = 1
    (problem,) = problems_of(json.dumps(document))
    assert problem.startswith("$.source.\\udc80: a lone surrogate (U+DC80)")


def _every_field() -> dict[str, Any]:
    """The bundled document with every optional field given: a withdrawn excerpt, an entity
    description."""
    document = copy.deepcopy(BUNDLED)
    strategy = document["strategies"][0]
    document["withdrawn"] = [
        {"strategy_id": strategy["id"], "excerpt_id": "99", "text": "Gone.", "date": "2024-01-02"}
    ]
    document["entities"][0]["description"] = "A description."
    return document


def _places(value: object, path: str) -> list[tuple[str, tuple[object, ...]]]:
    """The JSON path and the steps to each string and each key, the first of each field."""
    found: list[tuple[str, tuple[object, ...]]] = []
    pending: list[tuple[object, str, tuple[object, ...]]] = [(value, path, ())]
    while pending:
        item, at, steps = pending.pop(0)
        if isinstance(item, str):
            found.append((at, steps))
        elif isinstance(item, dict):
            for key, child in item.items():
                found.append((f"{at}.{key}\ud800", (*steps, ("key", key))))
                pending.append((child, f"{at}.{key}", (*steps, key)))
        elif isinstance(item, list) and item:  # the first item stands for the others
            pending.append((item[0], f"{at}[0]", (*steps, 0)))
    return found


def _planted(document: dict[str, Any], steps: tuple[object, ...]) -> dict[str, Any]:
    """The document with a lone surrogate added to the string or the key at `steps`."""
    planted = copy.deepcopy(document)
    holder: Any = planted
    for step in steps[:-1]:
        holder = holder[step]
    last = steps[-1]
    if isinstance(last, tuple):  # a key: renamed, its value kept
        holder[last[1] + "\ud800"] = holder.pop(last[1])
    else:
        holder[last] += "\ud800"
    return planted


EVERY_FIELD = _every_field()
PLACES = _places(EVERY_FIELD, "$")


@pytest.mark.parametrize(("path", "steps"), PLACES, ids=[path for path, _ in PLACES])
def test_a_lone_surrogate_anywhere_in_a_str_is_refused_with_its_path(
    path: str, steps: tuple[object, ...]
) -> None:
    # Every string of every field, and every key: whichever check of the catalog it meets
    # first, the problem named is the surrogate, and only it.
    assert fs.loads(json.dumps(EVERY_FIELD, ensure_ascii=False))  # loads as it is
    data = json.dumps(_planted(EVERY_FIELD, steps), ensure_ascii=False)
    shown = path.encode("utf-8", "backslashreplace").decode("utf-8")
    assert problems_of(data) == (f"{shown}: a lone surrogate (U+D800), which is not Unicode text",)


def test_raw_surrogate_bytes_are_not_utf8() -> None:
    data = json.dumps(BUNDLED).replace("Fusion", "\ud800", 1).encode("utf-8", "surrogatepass")
    (problem,) = problems_of(data)
    assert problem.startswith("$: not UTF-8 text (invalid continuation byte at byte")


def test_a_surrogate_pair_is_a_character_and_loads(document: dict[str, Any]) -> None:
    document["source"]["title"] = "Strategies \U0001f600"
    catalog = fs.loads(json.dumps(document))  # ensure_ascii writes a pair of escapes
    assert catalog.source().title == "Strategies \U0001f600"


def test_an_integer_longer_than_the_limit_is_a_dataset_error(document: dict[str, Any]) -> None:
    digits = "9" * 5000
    data = json.dumps(document).replace('"start": 2022', f'"start": {digits}', 1)
    assert problems_of(data) == (
        f"$.strategies[0].period.start: an integer of 5000 digits, more than {MAX_INTEGER_DIGITS}",
    )
    negative = json.dumps(document).replace('"format": ', '"format": -1' + "0" * 40 + ", ", 1)
    with pytest.raises(fs.DatasetError):
        fs.loads(negative)


def test_a_duplicate_key_is_refused_not_resolved_to_the_last(document: dict[str, Any]) -> None:
    data = json.dumps(document).replace('"title": ', '"title": "first", "title": ', 1)
    assert problems_of(data) == ("$.source.title: duplicate key 'title'",)


def test_nan_and_infinity_are_not_json() -> None:
    assert problems_of('{"format": NaN}') == ("$: invalid JSON: NaN is not a JSON value",)
    assert problems_of('{"format": -Infinity}') == (
        "$: invalid JSON: -Infinity is not a JSON value",
    )


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16-LE"), ("utf-16-be", "UTF-16-BE"),
     ("utf-32", "UTF-32"), ("utf-32-le", "UTF-32-LE"), ("utf-32-be", "UTF-32-BE")],
)  # fmt: skip
def test_utf16_and_utf32_files_are_refused(encoding: str, named: str) -> None:
    (problem,) = problems_of(json.dumps(BUNDLED).encode(encoding))
    assert problem.startswith("$: not UTF-8 text (UTF-")
    assert "save the file as UTF-8" in problem


def test_a_utf8_byte_order_mark_is_allowed_and_dropped() -> None:
    data = json.dumps(BUNDLED, ensure_ascii=False)
    assert fs.loads(b"\xef\xbb\xbf" + data.encode("utf-8")) == fs.catalog()
    assert fs.loads("\ufeff" + data) == fs.catalog()


def test_the_documented_limits_are_the_modules() -> None:
    from fusion_strategies import fileformat

    assert (fileformat.MAX_FILE_SIZE, fileformat.MAX_INTEGER_DIGITS) == (
        MAX_FILE_SIZE,
        MAX_INTEGER_DIGITS,
    )


def test_a_file_larger_than_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_SIZE + 1)
    with pytest.raises(fs.DatasetError, match="larger than 67,108,864 bytes") as raised:
        fs.load(path)
    assert raised.value.source == str(path)


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ("", "larger than 67,108,864 bytes, the most a catalog file may hold"),
        (", max_size=100 << 20", "larger than 104,857,600 bytes, the max_size it was read with"),
    ],
    ids=["default cap", "raised cap"],
)
def test_dev_zero_is_refused_not_read_forever(arguments: str, problem: str) -> None:
    # In a child with 2 GiB of address space: code that reads on would fill the machine.
    script = (
        "import resource, fusion_strategies as fs\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "try:\n"
        f"    fs.load('/dev/zero'{arguments})\n"
        "except fs.DatasetError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.stdout == f"/dev/zero: invalid catalog (1 problem)\n$: {problem}\n", result.stderr


def test_a_fifo_nobody_writes_to_reads_as_empty_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "catalog.fifo"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            fs.load(fifo)
        except BaseException as error:  # the thread's result, to assert on
            outcome.append(error)

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(timeout=30)
    if reader.is_alive():  # the old code blocks in open(); unblock it, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("load() blocked on a FIFO with no writer")
    assert isinstance(outcome[0], fs.DatasetError)
    assert "invalid JSON" in str(outcome[0])


@pytest.mark.parametrize("path", [3, True, 0, None, b"catalog.json", 1.5])
def test_load_takes_a_path_never_a_file_descriptor(path: object) -> None:
    # open(3) and open(True) would read (and close) descriptor 3 or stdout.
    with pytest.raises(TypeError, match="load\\(\\) takes a path"):
        fs.load(path)  # type: ignore[arg-type]
