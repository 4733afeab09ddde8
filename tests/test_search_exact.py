"""Pruned search is exact: the same hits, in the same order, with the same scores to the
last bit, as BM25 computed over every posting, on generated catalogs.

The reference below is the ranking `Catalog.search` documents, written the plain way: every
excerpt read with `Text`, every term and phrase scored in every excerpt that holds it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fusion_strategies as fs
from fusion_strategies import _codes, _search, _topk
from fusion_strategies._bm25 import K1, B, idf
from fusion_strategies._name_finder import ENTITY, NameFinder
from fusion_strategies._text import Text

# Words that repeat, so that terms are shared, phrases recur and scores tie: names of the
# bundled glossary in several cases, plurals and possessives, stopwords, the words whose
# term and stopword-ness disagree ("does" is a stopword whose term is "doe", "wills" no
# stopword whose term is "will"), initialisms and clause marks.
VOCABULARY = (
    "fusion", "centers", "center’s", "Fusion", "center", "SAR", "SARs", "sar",
    "suspicious", "activity", "reporting", "HIDTA", "HIDTAs", "hidta", "state", "local",
    "tribal", "territorial", "partners", "partner", "information", "sharing", "the", "of",
    "and", "does", "doe", "wills", "will", "U.S.", "border", "borders", "drug", "threat",
    "threats", ",", ".", ";", "(", ")", "intelligence", "Homeland", "Security",
)  # fmt: skip


def reference(catalog: fs.Catalog, query: str, limit: int) -> list[tuple[str, str, float]]:
    """BM25 over every posting, as `Catalog.search` documents it: (strategy, excerpt, score)."""
    documents = [(s, e) for s in catalog.strategies() for e in s.iter_excerpts()]
    glossary = NameFinder.of_glossary(catalog.entities())
    counts: list[Counter[str]] = []
    words: list[list[tuple[int, str]]] = []  # each word's clause and term
    for _, excerpt in documents:
        text = Text(excerpt.text, offsets=False)
        counts.append(Counter(text.stems[at] for at in text.words))
        counts[-1].update(ENTITY + key for key, _, _ in glossary.find(text))
        words.append([(text.clauses[at], text.stems[at]) for at in text.words])
    size = len(documents)
    average = sum(float(len(each)) for each in words) / size or 1.0
    norms = [K1 * (1.0 - B + B * float(len(each)) / average) for each in words]

    def bm25(number: int, said: int, weight: float) -> float:
        return weight * said * (K1 + 1.0) / (said + norms[number])

    read = Text(query, offsets=False)
    terms = dict.fromkeys(read.stems[at] for at in read.words)
    terms.update(dict.fromkeys(ENTITY + key for key, _, _ in glossary.find(read, ignore_case=True)))
    phrases = dict.fromkeys((read.stems[a], read.stems[b]) for a, b in read.pairs())
    scores: dict[int, float] = {}
    for term in terms:
        holding = [number for number in range(size) if term in counts[number]]
        for number in holding:
            weight = bm25(number, counts[number][term], idf(size, len(holding)))
            scores[number] = scores.get(number, 0.0) + weight
    for first, second in phrases:
        said = {}
        for number, each in enumerate(words):
            # Two words in a row within a clause, counted as `str.count` counts: without
            # overlaps, so that "fusion fusion fusion" says "fusion fusion" once.
            times, at = 0, 0
            while at + 1 < len(each):
                one, two = each[at], each[at + 1]
                if one[0] == two[0] and (one[1], two[1]) == (first, second):
                    times, at = times + 1, at + 2
                else:
                    at += 1
            if times:
                said[number] = times
        for number, times in said.items():
            scores[number] += 1.0 * bm25(number, times, idf(size, len(said)))
    ranked = sorted(((score, -number) for number, score in scores.items()), reverse=True)
    return [
        (documents[-negated][0].id, documents[-negated][1].id, score)
        for score, negated in ranked[:limit]
    ]


def catalog_of(texts: Sequence[str]) -> fs.Catalog:
    """A catalog of these excerpts, three to a strategy, with the bundled glossary."""
    template = fs.strategies()[0]
    strategies = [
        fs.Strategy(
            id=f"generated-strategy-{number}-2020",
            title=f"Generated Strategy {number}",
            heading=f"Generated Strategy {number} (2020)",
            period=template.period,
            issuer=template.issuer,
            kind=template.kind,
            themes=template.themes,
            excerpts=tuple(
                fs.Excerpt(id=str(at), text=text)
                for at, text in enumerate(texts[start : start + 3], 1)
            ),
        )
        for number, start in enumerate(range(0, len(texts), 3))
    ]
    return fs.Catalog(source=fs.source(), strategies=strategies, entities=fs.entities())


def reference_spans(text: str, query: str, glossary: NameFinder) -> tuple[tuple[int, int], ...]:
    """Where a text says the query's words or entities, the plain way: as `Hit.spans` does."""
    read, asked = Text(text, offsets=True), Text(query, offsets=False)
    words = {asked.stems[at] for at in asked.words}
    entities = {key for key, _, _ in glossary.find(asked, ignore_case=True)}
    spans = [read.span(at, at + 1) for at in read.words if read.stems[at] in words]
    named = [read.span(first, end) for key, first, end in glossary.find(read) if key in entities]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans + named):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def found(catalog: fs.Catalog, query: str, limit: int) -> list[tuple[str, str, float]]:
    return [
        (hit.strategy.id, hit.excerpt.id, hit.score) for hit in catalog.search(query, limit=limit)
    ]


texts = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=30).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(texts, min_size=1, max_size=60),
    st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=4).map(" ".join),
    st.integers(min_value=1, max_value=4),
)
def test_search_is_exhaustive_bm25_to_the_last_bit(
    excerpts: list[str], query: str, limit: int
) -> None:
    if not any(char.isalnum() for char in query):
        query += " fusion"
    catalog = catalog_of(excerpts)
    assert found(catalog, query, limit) == reference(catalog, query, limit)
    glossary = NameFinder.of_glossary(catalog.entities())
    for hit in catalog.search(query, limit=limit):
        assert hit.spans == reference_spans(hit.excerpt.text, query, glossary)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(texts, min_size=1, max_size=60),
    st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=4).map(" ".join),
    st.integers(min_value=1, max_value=4),
)
def test_phrases_of_common_words_are_exact_too(excerpts: list[str], query: str, limit: int) -> None:
    # Every word held by two excerpts or more is common here, so that its phrases are the
    # ones counted when the index is built, and counted again in each excerpt scored.
    # And the catalog is searched and highlighted as a large one is: pruned (not scored
    # whole, as a query of few postings is), and each hit's excerpt read anew.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_topk, "_COMMON", 2)
        patch.setattr(_topk, "_SMALL", 0)
        patch.setattr(_topk, "_WHOLE", 0)  # pruned, however few the postings
        catalog = catalog_of(excerpts)
        assert found(catalog, query, limit) == reference(catalog, query, limit)
        glossary = NameFinder.of_glossary(catalog.entities())
        for hit in catalog.search(query, limit=limit):
            assert hit.spans == reference_spans(hit.excerpt.text, query, glossary)


def random_catalog(seed: int, size: int) -> fs.Catalog:
    """Excerpts of a long tail of filler words, the vocabulary's words among them."""
    rng = random.Random(seed)
    words = [*VOCABULARY, *(f"filler{number}" for number in range(2_000))]
    weights = [1.0 / rank for rank in range(1, len(words) + 1)]
    rng.shuffle(weights)
    # Lengths repeat (ties on the norm) and vary (so that the prefix can end early); a text
    # in four is said again elsewhere, so that scores tie.
    texts = [" ".join(rng.choices(words, weights, k=rng.randint(3, 60))) for _ in range(size)]
    for at in range(0, size, 4):
        texts[rng.randrange(size)] = texts[at]
    return catalog_of(texts)


QUERIES = (
    "fusion centers",
    "state local tribal and territorial partners",
    "SAR",
    "suspicious activity reporting",
    "drug threats at the border",
    "the information sharing of fusion centers",
    "wills does",
    "Homeland Security intelligence",
)


@pytest.mark.parametrize("common", [1_024, 100])
def test_a_large_catalog_is_pruned_both_ways_and_exact(
    common: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_topk, "_COMMON", common)  # 100: the phrases of common words counted
    monkeypatch.setattr(_topk, "_WHOLE", 0)  # pruned, however few the postings
    catalog = random_catalog(20231107, 3_000)
    scanned: list[int] = []
    rested: list[bool] = []
    length_end, rest = _topk.TopK._length_end, _topk.TopK._rest

    def spy_length_end(self: _topk.TopK, upto: int) -> int:
        scanned.append(length_end(self, upto))
        return scanned[-1]

    def spy_rest(self: _topk.TopK, *arguments: Any) -> bool:
        rested.append(rest(self, *arguments))
        return rested[-1]

    monkeypatch.setattr(_topk.TopK, "_length_end", spy_length_end)
    monkeypatch.setattr(_topk.TopK, "_rest", spy_rest)
    bound_stops = rest_stops = 0
    for limit in (1, 3, 10):
        for query in QUERIES:
            scanned.clear()
            rested.clear()
            assert found(catalog, query, limit) == reference(catalog, query, limit), query
            rest_stops += any(rested)
            bound_stops += max(scanned) < 3_000 and not any(rested)
    # Both ways of stopping early are taken, so that the test checks them.
    assert bound_stops >= 2, bound_stops
    assert rest_stops >= 2, rest_stops


def test_a_long_excerpt_that_says_a_word_often_is_not_pruned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The shortest excerpts come first and say "HIDTA" once; a long one says it ten times
    # and weighs more than any of them, though it is scored last.
    monkeypatch.setattr(_topk, "_WHOLE", 0)  # pruned, however few the postings
    short = ["HIDTA filler1"] * 40
    long = " ".join(["HIDTA"] * 10 + [f"filler{number}" for number in range(5)])
    catalog = catalog_of([*short, long])
    assert found(catalog, "HIDTA", 1) == reference(catalog, "HIDTA", 1)
    assert found(catalog, "HIDTA", 1)[0][:2] == ("generated-strategy-13-2020", "2")


# Where a word's term and its stopword-ness disagree: "does" is a stopword, though its term
# is "doe", so it is neither counted nor shown; "wills" is none, though its term is "will",
# which is one, so it is counted and shown, alone or among marks, and "will" is neither.
IRREGULAR_WORDS = [  # a text, a query, what is shown of the text, and another text
    (
        "Does the doe run? It does, the doe’s fawns (does) do: doe/does.",
        "doe",
        ["doe"] * 3,
        "a doe",
    ),
    ("Wills, and the will: wills (Wills) will wills.", "wills", ["Wills", "wills"] * 2, "a will"),
]


@pytest.mark.parametrize("small", [1_024, 0])
@pytest.mark.parametrize("case", IRREGULAR_WORDS, ids=lambda case: case[1])
def test_a_word_is_highlighted_as_its_term_is_counted(
    case: tuple[str, str, list[str], str], small: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, query, shown, other = case
    monkeypatch.setattr(_topk, "_SMALL", small)
    catalog = catalog_of([text, other, "filler1 filler2"])
    glossary = NameFinder.of_glossary(catalog.entities())
    hits = catalog.search(query, limit=3)
    assert [hit.spans for hit in hits if hit.excerpt.text == text] == [
        reference_spans(text, query, glossary)
    ]
    assert [text[start:end] for start, end in reference_spans(text, query, glossary)] == shown


# Texts where a query's chunks are said whole, inside longer chunks and as their prefixes,
# twice in a row, at either end, and among marks, so that only the chunk said whole shows.
CHUNKED = [
    "SAR SARs, sar (SAR) SARSAR xSAR SAR SAR",
    "centers datacenters centers’ center, center center.",
    "fusion, Fusion (fusion-center) confusion fusions fusion",
    "drug drugs, xdrug drug drug (drug) drugstore drug",
    "filler1 filler2",
]


@pytest.mark.parametrize("find", [0, 1_000])
@pytest.mark.parametrize(
    "query", ["SAR", "centers", "drug", "fusion center", "sar fusion drug center"]
)
def test_a_hits_chunks_are_found_by_either_way_as_its_words_are_read(
    query: str, find: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large catalog's highlights: the query's chunks found among the hit's (`find` 0)
    # or looked for in its text, one by one (1,000).
    monkeypatch.setattr(_topk, "_SMALL", 0)  # highlighted as a large catalog is
    monkeypatch.setattr(_search, "_FIND", find)
    catalog = catalog_of(CHUNKED)
    glossary = NameFinder.of_glossary(catalog.entities())
    hits = catalog.search(query, limit=4)
    assert hits
    for hit in hits:
        assert hit.spans == reference_spans(hit.excerpt.text, query, glossary)


def test_a_word_said_as_itself_alone_or_never_is_highlighted_as_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "drug" is said as itself alone, which `Coder.saying` leaves out; "threats" by one
    # chunk not itself, which it keeps; "wills" (term "will") by none, though "will", a
    # stopword, is said as itself, and is no word to show.
    monkeypatch.setattr(_topk, "_SMALL", 0)  # highlighted as a large catalog is
    texts = ["drug and the will", "threats, drug drug", "the will drug", "filler1"]
    catalog = catalog_of(texts)
    saying = catalog._search_index._saying
    numbers = catalog._search_index._numbers
    assert numbers["drug"] not in saying
    assert saying[numbers["threat"]] == ["threats,"]
    glossary = NameFinder.of_glossary(catalog.entities())
    hits = catalog.search("wills threats drug", limit=4)
    assert len(hits) == 3
    for hit in hits:
        assert hit.spans == reference_spans(hit.excerpt.text, "wills threats drug", glossary)


@pytest.mark.parametrize("small", [1_024, 0])
def test_words_past_the_last_number_score_as_every_posting_does(
    small: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A million distinct words are too many to build here: a lower last number leaves about
    # half the words without a character, so that their postings are counted apart, said
    # once or more often (one text in five says its first word again), in a small catalog
    # (each weight kept) and in a pruned one.
    monkeypatch.setattr(_codes, "_LAST_NUMBER", 1_000)
    monkeypatch.setattr(_topk, "_SMALL", small)
    monkeypatch.setattr(_topk, "_WHOLE", 0)  # pruned, however few the postings
    rng = random.Random(20231201)
    words = [f"filler{number}" for number in range(2_000)]
    texts = [" ".join(rng.choices(words, k=rng.randint(3, 30))) for _ in range(300)]
    texts[::5] = [f"{text} {text.split()[0]}" for text in texts[::5]]
    catalog = catalog_of(texts)
    queries = [text.split()[0] for text in texts[::25]] + ["fusion", "SAR"]
    numbers = catalog._search_index._numbers
    assert sum(query not in numbers for query in queries) >= 3  # the path is taken
    for query in queries:
        for limit in (1, 10):
            assert found(catalog, query, limit) == reference(catalog, query, limit), query


def test_a_word_said_often_in_few_excerpts_is_found_among_many_that_say_it_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 3,000 short excerpts say "threat" once, and weigh less the longer they are; five say
    # it ten times and weigh more than any. Once the shortest are scored, only those five
    # can still reach the top: MaxScore scores them whole, and none of the others.
    short = [
        " ".join(["threat"] + [f"filler{n}" for n in range(at % 5 + 1)]) for at in range(3_000)
    ]
    often = [" ".join(["threat"] * 10 + ["filler1", "filler2"])] * 5
    catalog = catalog_of([*short, *often])
    rested: list[bool] = []
    rest = _topk.TopK._rest

    def spy_rest(self: _topk.TopK, *arguments: Any) -> bool:
        rested.append(rest(self, *arguments))
        return rested[-1]

    monkeypatch.setattr(_topk.TopK, "_rest", spy_rest)
    assert found(catalog, "threat", 3) == reference(catalog, "threat", 3)
    assert [hit.excerpt.text for hit in catalog.search("threat", limit=3)] == often[:3]
    assert rested == [True, True]  # one a search: the first MaxScore round ends each


# Characters from every part of the code points: the marks, Latin-1, the basic plane, lone
# surrogates (a term's character may be one) and past the basic plane.
CHARACTERS = ("\0", "\1", "a", "b", "\xff", "\u0100", "\u4e00", "\ud800", "\udfff", "\U00010000")


@given(st.lists(st.lists(st.sampled_from(CHARACTERS), max_size=12).map("".join), max_size=20))
def test_the_postings_are_each_terms_documents_and_counts(texts: list[str]) -> None:
    ones, many = _topk._postings(texts, [1.0] * len(texts), {})
    counts = [
        Counter(text.replace(_codes.CLAUSE, "").replace(_codes.UNNUMBERED, "")) for text in texts
    ]
    terms = {term for each in counts for term in each}
    assert set(ones) | set(many) == terms
    for term in terms:
        said = [(number, each[term]) for number, each in enumerate(counts) if term in each]
        assert list(ones.get(term, ())) == [number for number, times in said if times == 1]
        found = many.get(term)
        assert ([] if found is None else list(zip(found.documents, found.counts, strict=True))) == [
            (number, times) for number, times in said if times > 1
        ]


@given(
    st.lists(st.lists(st.sampled_from(CHARACTERS), max_size=12).map("".join), max_size=20),
    st.randoms(use_true_random=False),
)
def test_a_terms_bounds_are_the_heaviest_of_its_postings_from_each_on(
    texts: list[str], rng: random.Random
) -> None:
    # Each posting said more than once bounds what it and every later one weigh (over
    # the idf): the pruning's bound, computed here the plain way.
    norms = [rng.uniform(0.25, 4.0) for _ in texts]
    _, many = _topk._postings(texts, norms, {})
    for found in many.values():
        weights = [
            said * (K1 + 1.0) / (said + norms[number])
            for number, said in zip(found.documents, found.counts, strict=True)
        ]
        assert list(found.bounds) == [max(weights[at:]) for at in range(len(weights))]


def test_the_index_keeps_one_string_of_each_term() -> None:
    # More than 252 distinct words, so that terms have characters that are made, not
    # shared by Python: the postings and highlights are keyed by the numbers' own strings.
    catalog = random_catalog(20231201, 1_100)
    index = catalog._search_index
    own = {code: code for code in index._numbers.values()}
    keys = [*index._topk._ones, *index._topk._many, *index._saying]
    assert len(keys) > 1_000
    assert all(key is own[key] for key in keys)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text("abc\0", max_size=12), min_size=1, max_size=80),
    st.sampled_from(["ab", "ba", "aa", "cc", "a\0"]),
    st.sampled_from([0, 64]),
)
def test_a_phrase_is_found_in_its_holders_as_str_count_counts(
    texts: list[str], pattern: str, few: int
) -> None:
    # One join and one split (`few` 0), or a count per text (64): the documents that say
    # it once, those that say it more often, and how often.
    index = _topk.TopK(texts, lengths=[len(text) or 1 for text in texts])
    holders = list(range(0, len(texts), 2))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_topk, "_FEW", few)
        part = index._said(pattern, holders, 1.0)
    said = {n: index._texts[n].count(pattern) for n in holders}
    assert list(part.ones) == [n for n in holders if said[n] == 1]
    assert list(part.many.documents) == [n for n in holders if said[n] > 1]
    assert list(part.many.counts) == [said[n] for n in holders if said[n] > 1]
    assert part.idf == idf(len(texts), sum(map(bool, said.values())))


def _prune_from_the_first_document(patch: pytest.MonkeyPatch, **settings: float) -> None:
    """Prune any catalog from a prefix of one document, MaxScore taken wherever it can be,
    and `_topk`'s other `settings` as given."""
    every = {"_SMALL": 0, "_WHOLE": 0, "_COMMON": 2, "_FIRST_PREFIX": 1, "_COUNT_COST": 0.0}
    for name, value in {**every, **settings}.items():
        patch.setattr(_topk, name, value)


# How a search of a few excerpts is made to take every path, each way of pruning from a
# prefix of one document. Every word held by two excerpts is common, and its phrases are
# found after the first prefix:
SMALLEST_PREFIXES = (
    # the few parts scored whole after each prefix whatever they cost;
    {"_FEW": 0},
    # those phrases then scored whole too, and each part at once;
    {"_FEW": 1_000},
    # MaxScore's other parts read from the texts, or from their postings; no part is few,
    # and phrases of common words are counted in their stand-ins, never looked for.
    {"_FEW": 0, "_SPARSE": 1_000, "_TEXT_COST": 0.0},
    {"_FEW": 0, "_SPARSE": 1_000, "_TEXT_COST": 1e9},
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(texts, min_size=1, max_size=60),
    st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=5).map(" ".join),
    st.integers(min_value=1, max_value=3),
    st.sampled_from(SMALLEST_PREFIXES),
)
def test_pruning_is_exact_on_the_smallest_prefixes(
    excerpts: list[str], query: str, limit: int, ways: dict[str, float]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        _prune_from_the_first_document(patch, **ways)
        catalog = catalog_of(excerpts)
        assert found(catalog, query, limit) == reference(catalog, query, limit)


PREFIX = ["border drug"] * 8
"""The first prefix of the two tests below: the eight shortest excerpts, which say both
words of "drug border" but not the phrase."""
FIRST = ["drug border filler1"]
"""The excerpt right after the prefix, the first to say the phrase."""
REST = [
    f"{word} filler1 filler2 filler3 filler{n}" for n in range(20) for word in ("drug", "border")
]
"""Longer excerpts that say one of the words."""


@pytest.fixture
def pruned(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A few excerpts searched as a large catalog is, the phrase's words common."""
    monkeypatch.setattr(_topk, "_SMALL", 0)  # searched as a large catalog is
    monkeypatch.setattr(_topk, "_WHOLE", 0)  # pruned, however few the postings
    monkeypatch.setattr(_topk, "_COMMON", 2)  # the phrase's words are common
    monkeypatch.setattr(_topk, "_FEW", 1)  # and no word is few
    return monkeypatch


def test_a_phrase_of_common_words_found_after_the_first_prefix_is_scored_whole(
    pruned: pytest.MonkeyPatch,
) -> None:
    # Only the excerpt after the prefix says the phrase. Its words alone weigh less than
    # the prefix's, so only its phrase brings it first: the phrase, found once the prefix
    # is scored (one holder is few), is scored whole at once, since nothing bounds it after.
    catalog = catalog_of([*PREFIX, *FIRST, *REST])
    assert found(catalog, "drug border", 1) == reference(catalog, "drug border", 1)
    assert [hit.excerpt.text for hit in catalog.search("drug border", limit=1)] == FIRST


def test_a_phrase_looked_for_at_the_maxscore_step_is_found_from_the_first_unscored_excerpt(
    pruned: pytest.MonkeyPatch,
) -> None:
    # As above, but two excerpts say the phrase, more than are few: it is not looked for
    # after the first prefix, but at the MaxScore step that follows, where it is essential
    # and its words are not. The one that says it first is the first excerpt past the
    # prefix, and only the phrase brings it first: looked for from one excerpt later, it
    # would never be a candidate. The other says it in a long text, and weighs less.
    looked_for: list[int] = []
    found_from = _topk.TopK._found

    def spy(self: _topk.TopK, part: _topk.Part, done: int) -> _topk.Part:
        looked_for.append(done)
        return found_from(self, part, done)

    pruned.setattr(_topk.TopK, "_found", spy)
    long = [" ".join(["drug border", *(f"filler{n}" for n in range(30))])]
    catalog = catalog_of([*PREFIX, *FIRST, *REST, *long])
    assert found(catalog, "drug border", 1) == reference(catalog, "drug border", 1)
    assert [hit.excerpt.text for hit in catalog.search("drug border", limit=1)] == FIRST
    # Once a search, at the MaxScore step after the first prefix (the rounds look for a
    # phrase of few holders only: two are not few here).
    assert looked_for == [len(PREFIX)] * 2


def phrase_catalog(seed: int, size: int) -> fs.Catalog:
    """Excerpts of filler words where "fusion centers" is said by most that say "fusion",
    and "drug threats" by few of those that say "drug"; some say a word twice."""
    rng = random.Random(seed)
    texts = []
    for _ in range(size):
        words = rng.choices([f"filler{number}" for number in range(300)], k=rng.randint(2, 40))
        for said, chance in (
            ("fusion centers", 0.4),
            ("fusion", 0.1),
            ("centers", 0.1),
            ("drug", 0.3),
            ("threats", 0.3),
            ("drug threats", 0.03),
        ):
            while rng.random() < chance:
                words.insert(rng.randint(0, len(words)), said)
        texts.append(" ".join(words))
    return catalog_of(texts)


@pytest.mark.parametrize("sparse", [2, 1_000])
def test_phrases_said_by_many_are_looked_for_late_or_counted_and_exact(
    sparse: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Phrases of common words said by more than a few excerpts: looked for after a later
    # prefix, or when MaxScore needs them, if few of their rarer word's excerpts say them
    # (with `sparse` 1,000, none is), else counted in those as the rounds go.
    monkeypatch.setattr(_topk, "_COMMON", 100)  # the phrases of common words counted
    monkeypatch.setattr(_topk, "_FEW", 4)  # and said by more than a few
    monkeypatch.setattr(_topk, "_WHOLE", 0)  # pruned, however few the postings
    monkeypatch.setattr(_topk, "_SPARSE", sparse)
    catalog = phrase_catalog(20231202, 3_000)
    sought: list[tuple[int, bool]] = []  # where a prefix ends, and if a phrase is looked for
    counted: list[int] = []
    is_sought, add_counted = _topk.TopK._sought, _topk.TopK._add_counted

    def spy_sought(self: _topk.TopK, part: _topk.Part, done: int) -> bool:
        answer = is_sought(self, part, done)
        if not part.say and self._pairs[part.code] > _topk._FEW:
            sought.append((done, answer))
        return answer

    def spy_add_counted(self: _topk.TopK, *arguments: Any) -> None:
        counted.append(arguments[2])  # where the prefix starts
        add_counted(self, *arguments)

    monkeypatch.setattr(_topk.TopK, "_sought", spy_sought)
    monkeypatch.setattr(_topk.TopK, "_add_counted", spy_add_counted)
    queries = (
        "fusion centers",
        "drug threats",
        "threats drug",
        "fusion centers drug threats",
        "drug threats fusion",
        "fusion fusion centers filler1",
        "centers drug threats filler2 filler3",
    )
    for limit in (1, 3, 10):
        for query in queries:
            assert found(catalog, query, limit) == reference(catalog, query, limit), query
    # The paths are taken: a phrase said by many counted past the first prefix, and, but
    # where none is sparse enough, one looked for after a later one, never the first.
    assert max(counted) > 0, counted
    assert (sparse == 2) == any(answer for _, answer in sought), sought
    assert not any(answer for done, answer in sought if not done), sought


def test_an_excerpt_scored_whole_and_by_the_rounds_counts_once_towards_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The excerpt that says "HIDTA", a few part, is scored whole first, and again by the
    # first prefix, which holds it: counted twice among the best two, its score alone
    # would beat the bound, and the long excerpt that says "threat" ten times, scored
    # after the prefix, would be left out, though it is the second best.
    monkeypatch.setattr(_topk, "_SMALL", 0)  # searched as a large catalog is
    monkeypatch.setattr(_topk, "_WHOLE", 0)  # pruned, however few the postings
    short = ["HIDTA threat", *(["threat filler1"] * 100)]
    long = " ".join(["threat"] * 10 + [f"filler{number}" for number in range(5)])
    catalog = catalog_of([*short, long])
    assert found(catalog, "HIDTA threat", 2) == reference(catalog, "HIDTA threat", 2)
    assert [hit.excerpt.text for hit in catalog.search("HIDTA threat", limit=2)] == [
        short[0],
        long,
    ]


@pytest.mark.parametrize("text_cost", [0.0, 1e9])
def test_maxscore_adds_the_other_parts_from_postings_or_texts_and_is_exact(
    text_cost: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MaxScore wherever it can be (`_COUNT_COST` 0): the essential parts' weights read from
    # their postings (or, for a phrase counted in its stand-ins, counted in those), then
    # each other part's, the heaviest first, from its postings (`text_cost` 1e9) or counted
    # in the texts of the candidates left (0), which fall as the parts are added.
    monkeypatch.setattr(_topk, "_COUNT_COST", 0.0)
    monkeypatch.setattr(_topk, "_TEXT_COST", text_cost)
    monkeypatch.setattr(_topk, "_WHOLE", 0)  # pruned, however few the postings
    monkeypatch.setattr(_topk, "_COMMON", 100)  # the phrases of common words counted
    monkeypatch.setattr(_topk, "_FEW", 4)  # and said by more than a few
    monkeypatch.setattr(_topk, "_SPARSE", 1_000)  # and counted in their stand-ins
    ways: Counter[str] = Counter()
    counted, posted = _topk.TopK._counted, _topk.TopK._posted

    def spy_counted(self: _topk.TopK, part: _topk.Part, numbers: Any) -> dict[int, float]:
        ways["counted" if part.say else "stand-ins"] += 1
        return counted(self, part, numbers)

    def spy_posted(self: _topk.TopK, part: _topk.Part, done: int) -> dict[int, float]:
        ways["posted"] += 1
        return posted(self, part, done)

    monkeypatch.setattr(_topk.TopK, "_counted", spy_counted)
    monkeypatch.setattr(_topk.TopK, "_posted", spy_posted)
    catalogs = (
        (random_catalog(20231108, 3_000), QUERIES),
        (phrase_catalog(20231203, 3_000), ("fusion centers drug", "drug threats fusion")),
    )
    for catalog, queries in catalogs:
        for limit in (1, 3, 10):
            for query in queries:
                assert found(catalog, query, limit) == reference(catalog, query, limit), query
    # Each way is taken: the other parts from the texts or from the postings, as asked, and
    # an essential phrase counted in its stand-ins.
    assert ways["posted" if text_cost else "counted"] >= 2, ways
    assert not ways["counted" if text_cost else "posted"], ways
    assert ways["stand-ins"] >= 1, ways
