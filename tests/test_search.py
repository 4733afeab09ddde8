"""search(): ranked full-text search of the excerpts, through the public API."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fusion_strategies as fs

SOURCE = fs.SourcePage(
    title="A test page",
    url="https://example.org/page",
    publisher="Tests",
    last_updated=datetime.date(2024, 1, 1),
)
ISSUER = fs.Entity(id="issuer", name="An Issuer", kind=fs.EntityKind.ORGANIZATION)


def catalog_of(*texts: str, entities: tuple[fs.Entity, ...] = ()) -> fs.Catalog:
    """A catalog with one strategy per text, in the order given."""
    return fs.Catalog(
        source=SOURCE,
        entities=(ISSUER, *entities),
        strategies=[
            fs.Strategy(
                id=f"strategy-{number}-2020",
                title=f"Strategy {number}",
                heading=f"Strategy {number} (2020)",
                period=fs.Period(start=2020, end=2020),
                issuer=ISSUER,
                kind=fs.DocumentKind.STRATEGY,
                excerpts=(fs.Excerpt(id="1", text=text),),
            )
            for number, text in enumerate(texts, start=1)
        ],
    )


def places(hits: tuple[fs.Hit, ...]) -> list[tuple[str, str]]:
    return [(hit.strategy.id, hit.excerpt.id) for hit in hits]


def spanned(hit: fs.Hit) -> list[str]:
    return [hit.excerpt.text[start:end] for start, end in hit.spans]


# -- the glossary: one term for every name of an entity ----------------------------------


@pytest.mark.parametrize(
    ("entity", "name"),
    [(entity.id, name) for entity in fs.entities() for name in entity.names],
)
def test_any_name_of_an_entity_finds_every_excerpt_that_mentions_it(entity: str, name: str) -> None:
    mentioned = {(m.strategy.id, m.excerpt.id) for m in fs.mentioning(entity)}
    found = set(places(fs.search(name, limit=100)))
    assert mentioned <= found


def test_sar_finds_suspicious_activity_reporting_where_the_acronym_is_absent() -> None:
    without_acronym = [
        hit for hit in fs.search("SAR") if not re.search(r"\bSAR\b", hit.excerpt.text)
    ]
    assert without_acronym
    for hit in without_acronym:
        assert "suspicious activity reporting" in [text.casefold() for text in spanned(hit)]


def test_hsin_finds_the_network_by_its_name() -> None:
    texts = [text for hit in fs.search("HSIN") for text in spanned(hit)]
    assert "Homeland Security Information Network" in texts


def test_a_name_finds_the_excerpt_that_uses_only_the_acronym() -> None:
    hidta = fs.entity("HIDTA")
    acronym_only = [
        m for m in fs.mentioning(hidta) if hidta.name.casefold() not in m.excerpt.text.casefold()
    ]
    assert acronym_only
    found = places(fs.search(hidta.name, limit=100))
    for mention in acronym_only:
        assert (mention.strategy.id, mention.excerpt.id) in found


def test_an_acronym_in_lower_case_still_names_its_entity() -> None:
    assert places(fs.search("hsin")) == places(fs.search("HSIN"))


# -- words: case, punctuation, possessives, plurals --------------------------------------


def test_case_plurals_possessives_and_hyphens_are_folded() -> None:
    catalog = catalog_of(
        "The agencies’ analysts read CBP’s information-sharing reports.",
        "Nothing to see here.",
    )
    for query in ("AGENCY", "analyst", "cbp", "information sharing", "report", "Agencies"):
        hits = catalog.search(query)
        assert places(hits) == [("strategy-1-2020", "1")], query


def test_a_query_of_stopwords_or_punctuation_finds_nothing() -> None:
    assert fs.search("the of and") == ()
    assert fs.search("?!") == ()


def test_no_hit_is_an_empty_tuple() -> None:
    assert fs.search("zyzzyva quux") == ()


# -- ranking -----------------------------------------------------------------------------


def test_the_phrase_ranks_above_the_same_words_apart() -> None:
    catalog = catalog_of(
        "sharing rules for information today",
        "information sharing rules for today",
    )
    assert places(catalog.search("information sharing"))[0] == ("strategy-2-2020", "1")


def test_a_rare_word_weighs_more_than_a_common_one() -> None:
    catalog = catalog_of(
        "border patrol report",
        "border crossing report",
        "border wall report",
        "fentanyl seizure report",
    )
    hits = catalog.search("border fentanyl")
    assert hits[0].strategy.id == "strategy-4-2020"


def test_a_shorter_excerpt_ranks_above_a_longer_one_saying_the_same() -> None:
    catalog = catalog_of(
        "fusion centers support many partners across the nation in every region and state",
        "fusion centers support partners",
    )
    assert catalog.search("fusion")[0].strategy.id == "strategy-2-2020"


def test_ties_keep_page_order() -> None:
    catalog = catalog_of("fusion centers", "fusion centers", "fusion centers")
    hits = catalog.search("fusion centers")
    assert [hit.strategy.id for hit in hits] == [s.id for s in catalog.strategies()]
    assert len({hit.score for hit in hits}) == 1


def test_results_are_sorted_by_score_and_limited() -> None:
    hits = fs.search("fusion centers information sharing partners", limit=7)
    assert len(hits) == 7
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)


def test_results_are_deterministic_and_equal_on_an_equal_catalog() -> None:
    copy = fs.loads(fs.dumps(fs.catalog()))
    for query in ("information sharing", "SAR", "tribal law enforcement partners"):
        assert fs.search(query) == copy.search(query) == fs.search(query)


def test_every_excerpt_is_its_own_best_answer() -> None:
    for strategy in fs.strategies():
        for excerpt in strategy.iter_excerpts():
            best = fs.search(excerpt.text, limit=1)[0]
            assert best.excerpt.text == excerpt.text, (strategy.id, excerpt.id)


# -- spans -------------------------------------------------------------------------------


def _root(word: str) -> str:
    word = re.sub(r"['’]s$", "", word.casefold()).replace("’", "").replace("'", "")
    return re.sub(r"(?:ies|y|es|s)$", "", word.replace(".", ""))


def _same_word(one: str, other: str) -> bool:
    a, b = _root(one), _root(other)
    return a.startswith(b) or b.startswith(a)


def _names_an_entity_of(text: str, query: str) -> bool:
    named = {entity.id for entity in fs.entities_in(fs.Excerpt(id="1", text=text))}
    wanted = {e.id for e in fs.entities() if any(_same_word(n, query) for n in e.names)}
    wanted |= {e.id for e in fs.entities_in(fs.Excerpt(id="1", text=query))}
    return bool(named & wanted)


PAGE_WORDS = sorted(
    {
        word
        for strategy in fs.strategies()
        for excerpt in strategy.iter_excerpts()
        for word in re.findall(r"[^\W_]+(?:['’&][^\W_]+)*", excerpt.text)
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PAGE_WORDS), min_size=1, max_size=4))
def test_spans_lie_in_the_text_and_hold_a_query_term(words: list[str]) -> None:
    query = " ".join(words)
    for hit in fs.search(query, limit=20):
        assert hit.excerpt in tuple(hit.strategy.iter_excerpts())
        assert list(hit.spans) == sorted(hit.spans)
        previous_end = -1
        for start, end in hit.spans:
            assert 0 <= start < end <= len(hit.excerpt.text)
            assert start > previous_end
            previous_end = end
            text = hit.excerpt.text[start:end]
            assert any(_same_word(part, word) for part in text.split() for word in words) or (
                _names_an_entity_of(text, query)
            ), (query, text)


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(str.strip))
def test_any_text_is_a_valid_query(query: str) -> None:
    hits = fs.search(query, limit=3)
    assert len(hits) <= 3
    for hit in hits:
        assert all(0 <= start < end <= len(hit.excerpt.text) for start, end in hit.spans)


# -- arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "\u00a0"])
def test_an_empty_query_is_a_value_error(query: str) -> None:
    with pytest.raises(ValueError, match="query is empty; give words to search for"):
        fs.search(query)


@pytest.mark.parametrize("query", [None, 3, b"SAR", ["SAR"]])
def test_a_query_that_is_not_text_is_a_type_error(query: object) -> None:
    with pytest.raises(TypeError, match=r"query must be a str, not "):
        fs.search(query)  # type: ignore[arg-type]


@pytest.mark.parametrize("limit", [0, -1])
def test_a_limit_below_one_is_a_value_error(limit: int) -> None:
    with pytest.raises(ValueError, match=r"limit must be an int of 1 or more, not -?\d"):
        fs.search("SAR", limit=limit)


@pytest.mark.parametrize("limit", [True, 1.5, "3", None])
def test_a_limit_that_is_not_an_int_is_a_type_error(limit: object) -> None:
    with pytest.raises(TypeError, match=r"limit must be an int of 1 or more, not "):
        fs.search("SAR", limit=limit)  # type: ignore[arg-type]


# -- the index ---------------------------------------------------------------------------


def test_importing_the_package_builds_no_index() -> None:
    script = (
        "import sys, fusion_strategies as fs\n"
        "assert 'fusion_strategies._search' not in sys.modules\n"
        "fs.search('SAR')\n"
        "assert 'fusion_strategies._search' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_threads_searching_a_new_catalog_agree() -> None:
    catalog = fs.loads(fs.dumps(fs.catalog()))
    results: list[tuple[fs.Hit, ...]] = []
    threads = [
        threading.Thread(target=lambda: results.append(catalog.search("information sharing")))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert all(result == results[0] for result in results)


WORDS = st.text(alphabet="abcAB’'.-, ", min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(WORDS, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=6))
def test_any_catalog_can_be_searched_for_its_own_words(texts: list[str]) -> None:
    texts = [" ".join(text.split()) or "x" for text in texts]
    catalog = catalog_of(*texts)
    for text in texts:
        for word in text.split():
            for hit in catalog.search(word, limit=10):
                assert hit.score > 0
                for start, end in hit.spans:
                    assert 0 <= start < end <= len(hit.excerpt.text)
        assert isinstance(catalog.match(text), tuple)


def test_an_empty_catalog_finds_nothing() -> None:
    catalog = fs.Catalog(source=SOURCE, strategies=[])
    assert catalog.search("fusion") == ()
    assert catalog.match("fusion") == ()
