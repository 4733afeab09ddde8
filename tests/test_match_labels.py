"""The evaluation labels for ``match()`` are well formed, checked without calling ``match()``.

Five files label product texts with the strategies an analyst would accept (``accept``) and
the one most specific fit (``specific``): the hand-written ``match_cases.json`` and
``match_holdout.json``, the real U.S. government passages split between
``match_real_tune.json`` and ``match_real_holdout.json``, and a fresh blind held-out set of
real passages from other pages, ``match_real_blind.json``. A label that names no bundled
strategy, or a real passage that is not what its file's "about" promises, would make every
number computed from these files wrong without any error, so the labels are checked here.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import fusion_strategies as fs

DATA = Path(__file__).parent / "data"
HAND_WRITTEN = ("match_cases.json", "match_holdout.json")
REAL = ("match_real_tune.json", "match_real_holdout.json")
BLIND = "match_real_blind.json"  # held out; its pages are none of REAL's
PASSAGES = (*REAL, BLIND)
SPLIT_SEED = 20261201  # the seed the real files' "about" records
REAL_KEYS = {"id", "url", "publisher", "form", "text", "specific", "accept"}


def cases(name: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads((DATA / name).read_text("utf-8"))["cases"]
    return loaded


def bundled_ids() -> set[str]:
    return {strategy.id for strategy in fs.strategies()}


def words(text: str) -> int:
    return len(text.split())


def page(url: str) -> str:
    """The page an address names: host (no "www.") and path, ignoring query, fragment and case."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return (host + parts.path.rstrip("/")).lower()


def sentences(text: str) -> set[str]:
    """The text's sentences of eight words or more, with whitespace made single spaces."""
    pieces = re.split(r"(?<=[.!?])\s+", text)
    return {" ".join(piece.split()) for piece in pieces if len(piece.split()) >= 8}


def allowed_host(url: str) -> bool:
    """An https address on a U.S. federal (.gov, .mil) host, or RISS's own site."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    federal = host.endswith((".gov", ".mil"))
    riss = host == "riss.net" or host.endswith(".riss.net")
    return parts.scheme == "https" and (federal or riss)


@pytest.mark.parametrize("name", HAND_WRITTEN + PASSAGES)
def test_every_label_names_a_bundled_strategy(name: str) -> None:
    known = bundled_ids()
    for case in cases(name):
        accept = case["accept"]
        assert accept, case["text"]
        assert len(set(accept)) == len(accept), case["text"]
        assert set(accept) <= known, (case["text"], set(accept) - known)
        assert case["specific"] in known, (case["text"], case["specific"])


@pytest.mark.parametrize("name", HAND_WRITTEN + PASSAGES)
def test_the_specific_strategy_is_an_accepted_one(name: str) -> None:
    for case in cases(name):
        assert case["specific"] in case["accept"], (case["text"], case["specific"])


@pytest.mark.parametrize("name", PASSAGES)
def test_real_passages_are_what_the_files_promise(name: str) -> None:
    for case in cases(name):
        assert REAL_KEYS <= case.keys() <= REAL_KEYS | {"note"}, case.get("id")
        assert case["form"] == "passage", case["id"]
        assert case["publisher"].strip(), case["id"]
        assert allowed_host(case["url"]), (case["id"], case["url"])
        assert 60 <= words(case["text"]) <= 300, (case["id"], words(case["text"]))


def test_real_ids_are_unique_and_numbered_in_collection_order() -> None:
    ids = [case["id"] for name in REAL for case in cases(name)]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == [f"real-{n:02d}" for n in range(1, len(ids) + 1)]
    for name in REAL:
        in_file = [case["id"] for case in cases(name)]
        assert in_file == sorted(in_file), name


def test_blind_ids_are_unique_and_numbered_in_collection_order() -> None:
    ids = [case["id"] for case in cases(BLIND)]
    assert ids == [f"blind-{n:02d}" for n in range(1, len(ids) + 1)]


def test_the_blind_set_has_at_least_forty_passages() -> None:
    assert len(cases(BLIND)) >= 40


def test_no_page_of_the_blind_set_is_a_page_of_another_real_set() -> None:
    blind = [page(case["url"]) for case in cases(BLIND)]
    others = {page(case["url"]) for name in REAL for case in cases(name)}
    assert len(blind) == len(set(blind))
    assert not set(blind) & others


def test_no_text_of_the_blind_set_is_in_another_real_set() -> None:
    blind = [case["text"] for case in cases(BLIND)]
    others = {case["text"] for name in REAL for case in cases(name)}
    assert len(blind) == len(set(blind))
    assert not set(blind) & others


def test_no_sentence_of_the_blind_set_is_in_another_real_set() -> None:
    others = set().union(*(sentences(case["text"]) for name in REAL for case in cases(name)))
    for case in cases(BLIND):
        assert not sentences(case["text"]) & others, case["id"]


def test_no_text_is_in_both_real_files() -> None:
    tune, held_out = ({case["text"] for case in cases(name)} for name in REAL)
    assert not tune & held_out
    assert len(tune) == len(cases(REAL[0]))
    assert len(held_out) == len(cases(REAL[1]))


def test_the_real_split_is_the_recorded_seeded_shuffle() -> None:
    tune, held_out = ({case["id"] for case in cases(name)} for name in REAL)
    order = sorted(tune | held_out)
    random.Random(SPLIT_SEED).shuffle(order)
    half = len(order) // 2
    assert set(order[:half]) == tune
    assert set(order[half:]) == held_out


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("https://www.dhs.gov/nsi", "https://dhs.gov/NSI/?utm_source=feed", True),
        ("https://cbp.gov/newsroom", "https://www.cbp.gov/newsroom#top", True),
        ("https://www.dhs.gov/nsi", "https://www.dhs.gov/nsi-about", False),
        ("https://www.dhs.gov/nsi", "https://www.fbi.gov/nsi", False),
    ],
)
def test_the_page_rule(first: str, second: str, same: bool) -> None:
    assert (page(first) == page(second)) is same


def test_the_sentence_rule() -> None:
    text = "One two three four five six seven eight. Too short to count here.  Nine ten"
    assert sentences(text) == {"One two three four five six seven eight."}
    assert sentences(text + " eleven twelve thirteen fourteen fifteen sixteen?") == {
        "One two three four five six seven eight.",
        "Nine ten eleven twelve thirteen fourteen fifteen sixteen?",
    }


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://www.dhs.gov/nsi", True),
        ("https://dod.defense.gov/News/", True),
        ("https://www.riss.net/faq/", True),
        ("http://www.dhs.gov/nsi", False),
        ("https://www.dhs.gov.example.com/nsi", False),
        ("https://notriss.net/", False),
        ("https://example.org/?next=https://www.dhs.gov", False),
    ],
)
def test_the_host_rule(url: str, allowed: bool) -> None:
    assert allowed_host(url) is allowed
