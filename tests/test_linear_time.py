"""Pathological text costs time and memory in proportion to its size, never more.

Each input here is big enough that the quadratic code these tests replaced took minutes
(the sizes and times are in the comments), and the limits are generous, so that a slow
machine cannot make them flake. The tokenizer's rewrite is also checked against the plain
pattern it replaced, on every kind of short text.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fusion_strategies as fs
from fusion_strategies import _codes, _text, timeline

GENEROUS = 20.0  # seconds; the fixed code takes well under one


@contextmanager
def finishes_within(seconds: float) -> Iterator[None]:
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.1f} s"


# -- the tokenizer ------------------------------------------------------------------------

DOTTED = "a." * 100_000 + "b"  # 200 KB; the old tokenizer: about 5 minutes (0.5 s at 8 KB)


def test_dotted_initials_without_a_final_dot_tokenize_in_linear_time() -> None:
    with finishes_within(GENEROUS):
        fs.search(DOTTED)
        fs.match(DOTTED)


def test_an_excerpt_of_dotted_initials_does_not_slow_the_first_search() -> None:
    strategy = attrs.evolve(fs.strategies()[0], excerpts=(fs.Excerpt(id="1", text=DOTTED),))
    catalog = fs.Catalog(source=fs.source(), strategies=[strategy], entities=fs.entities())
    with finishes_within(GENEROUS):
        assert catalog.search("b")[0].spans == ((len(DOTTED) - 1, len(DOTTED)),)


_PLAIN_TOKEN = re.compile(
    r"(?:[^\W_]\.){2,}(?![^\W_])|[^\W_]+(?:['’&][^\W_]+)*|[.,;:!?()\[\]“”\"…•]"
)


@settings(max_examples=2000)
@given(st.text(alphabet="ab1_.'’& éU.S", max_size=24))
def test_the_linear_tokenizer_cuts_text_as_the_plain_pattern_did(text: str) -> None:
    assert _text.TOKEN.findall(text) == _PLAIN_TOKEN.findall(text)


# -- names in text ------------------------------------------------------------------------


def test_a_long_alias_is_refused_before_it_can_cost_quadratic_time() -> None:
    # 100,000 words: the old mention finder took about 7 minutes (2.7 s at 8,000 words),
    # and the glossary finder of search about 40 s.
    words = 100_000
    entity = attrs.evolve(fs.entities()[0], aliases=(" ".join(["a"] * words) + " b",))
    strategy = attrs.evolve(
        fs.strategies()[0],
        issuer=entity,
        excerpts=(fs.Excerpt(id="1", text=" ".join(["a"] * words)),),
    )
    with finishes_within(GENEROUS), pytest.raises(fs.DatasetError, match="more than 500"):
        fs.Catalog(source=fs.source(), strategies=[strategy], entities=(entity, *fs.entities()[1:]))


def test_the_longest_alias_allowed_costs_linear_time_in_the_text() -> None:
    alias = " ".join(["a"] * 248) + " b"  # 499 characters
    entity = attrs.evolve(fs.entities()[0], aliases=(alias,))
    text = " ".join(["a"] * 50_000)
    strategy = attrs.evolve(
        fs.strategies()[0], issuer=entity, excerpts=(fs.Excerpt(id="1", text=text),)
    )
    catalog = fs.Catalog(
        source=fs.source(), strategies=[strategy], entities=(entity, *fs.entities()[1:])
    )
    with finishes_within(GENEROUS):
        assert catalog.mentioning(entity) == ()
        catalog.search("a b")
        catalog.match(text)


# -- the timeline ---------------------------------------------------------------------------


def test_a_timeline_of_the_widest_span_is_linear_in_the_span() -> None:
    # 400 single years at both ends of 1-9999: the old text timeline tested each empty year
    # of each row against a list of 2,000 ticks, 400 x 9,999 x 2,000 comparisons (86 s
    # for 200 rows, so about 3 minutes); a year of 300 digits is now refused on loading.
    strategies = [
        attrs.evolve(
            fs.strategies()[0],
            id=f"plan-{n}",
            period=fs.Period(start=1, end=1) if n % 2 else fs.Period(start=9999, end=9999),
        )
        for n in range(400)
    ]
    catalog = fs.Catalog(source=fs.source(), strategies=strategies, entities=fs.entities())
    with finishes_within(GENEROUS):
        text = timeline.to_text(catalog, width=80)
        svg = timeline.to_svg(catalog)
    assert len(text) < 10_000_000
    assert len(svg) < 20_000_000


# -- memory -------------------------------------------------------------------------------


def test_the_word_cache_does_not_keep_long_tokens() -> None:
    # 40 queries of one distinct 1 MB token: the old cache kept each (about 3 MB apiece).
    fs.search("warm up the index")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(40):
            fs.search(f"x{n:02d}" + "y" * 1_000_000)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 20_000_000, f"{kept:,} bytes kept"


# -- a catalog of more words than characters can number -------------------------------------


def test_words_past_the_last_number_are_searched_without_a_key_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A million distinct words are too slow to build here; a smaller last number shows the
    # same path.
    monkeypatch.setattr(_codes, "_LAST_NUMBER", 1_000)  # the glossary's names take a few hundred
    words = [f"word{n}" for n in range(2_000)]
    strategy = attrs.evolve(
        fs.strategies()[0], excerpts=(fs.Excerpt(id="1", text=" ".join(words)),)
    )
    catalog = fs.Catalog(source=fs.source(), strategies=[strategy], entities=fs.entities())
    (hit,) = catalog.search("word1955 word1956")
    assert hit.score > 0
    assert catalog.search("word1 word2")[0].spans  # numbered words are still highlighted
