"""Ranked search of the excerpts, and matching a free text with the strategies it supports.

`Catalog.search` and `Catalog.match` call a `SearchIndex`, which a catalog builds on its
first search or match, once; importing the package builds nothing.

Words. A text is cut into runs of letters and digits, and case is folded
(`str.casefold`). Punctuation separates words, so "information-sharing" reads as
"information sharing", but an ampersand or an apostrophe inside a word keeps it whole
("I&A"). A possessive "'s" or "’s" is dropped ("CBP’s" is "cbp"), other apostrophes
vanish ("agencies’" is "agencies"), and an initialism with dots is one word ("U.S." is
"us"). Plurals are folded by a light singularizer, Harman's "S" stemmer with "-sses",
"-xes", "-ches" and "-shes" made singular too: "agencies" is "agency", "centers" is
"center", "breaches" is "breach"; "analysis", "process", "status" and every word of three
letters or fewer, such as "DHS", are left alone. It stops there on purpose: a full stemmer
(Porter) would make "intelligence" and "intelligent", or "organized" and "organization",
one word, which costs precision on short excerpts, while the curated vocabulary names the
other forms a product may use. Common function words ("the", "of", "and", …) are not
indexed, though names that contain them still match. A clause mark (. , ; : ! ? and
brackets or quotes) ends a phrase.

Terms. An excerpt is indexed under its words and under the entities of the catalog's
glossary that it names. An entity is one term whichever of its names (`Entity.names`) a
text uses, so "SAR" finds "suspicious activity reporting" and "HSIN" finds "Homeland
Security Information Network". Names are found as `Catalog.mentioning` finds them: whole
words, plural-blind, and an acronym only in capitals; in a search query, which people
type in lower case, an acronym is found in any case.

Ranking. Okapi BM25 (k1 = 1.2, b = 0.75) with the non-negative idf
ln(1 + (N - df + 0.5) / (df + 0.5)). Each two words in a row in a query (stopwords
between them aside) are a phrase, scored by BM25 as one more term: an excerpt that says
the phrase scores for it on top of its words, which is the phrase boost. Search is an OR
of the query's terms, best first, ties in page order.

Matching. A strategy's profile is the words and entities of all its excerpts, plus its
title, heading, aliases and issuer. A matched text is read like a long query whose
repeated terms saturate (BM25's k3 = 1.2). The catalog's vocabulary (`Catalog.vocabulary`,
curated per theme) bridges the words that products use and excerpts do not: each
vocabulary term in the text speaks for its theme, and a strategy scores for each of its
themes that the text speaks to, weighted by how few strategies share the theme (twice a
word of the same rarity). A match's excerpts are its strategy's excerpts that share
terms or vocabulary themes with the text, best first; its terms are the text's own words
for what carried it.

Cost. Each term's postings hold, per excerpt, its idf × BM25 weight, computed when the
index is built, so a search costs one multiply-add per posting its terms touch. A phrase
is checked only in the excerpts that hold both its words, in each excerpt's sequence of
word numbers (a forward index, kept as bytes), which also gives the offsets to highlight.
Nothing in a query walks the whole catalog. A character numbers a word, so a catalog of
more than about 1.1 million distinct words leaves the words past that without a number:
they are still searched and ranked, but neither highlighted nor found in phrases.
Tokenizing is linear in the text, and only tokens of up to 40 characters are cached.
"""

from __future__ import annotations

import heapq
import math
import re
import sys
import threading
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import accumulate, compress, count, pairwise
from operator import neg, not_
from typing import TYPE_CHECKING

from ._terms import is_acronym
from .model import Excerpt, Hit, Match, Strategy

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["SearchIndex"]

_K1 = 1.2
_B = 0.75
_K3 = 1.2
_PHRASE_WEIGHT = 1.0
"""How much a phrase of the query weighs, next to one of its words (1)."""
_TITLE_WEIGHT = 1.0
"""How much a word of a strategy's title, heading or aliases weighs, next to an excerpt's."""
_THEME_WEIGHT = 2.0
"""How much a theme that a text speaks to weighs, next to a word of the same rarity."""
_MAX_TERMS = 10
_CACHE_SIZE = 4096
_CACHED_TOKEN = 40
"""The longest token whose folding is cached: longer ones are rare, and would hold memory."""
_MAX_WORD_NUMBER = sys.maxunicode
"""The last character that can number a word of the forward index."""
_FEW = 128

# A dotted initialism ("U.S."), or a run of letters and digits kept whole across an inner
# apostrophe or ampersand ("DHS’s", "I&A"), or a mark that ends a clause.
# An initialism is tried only where a run of letter-dot pairs starts: the lookbehind
# rules out a letter after a lone letter and its dot, so that "a.a.a.…b", which is no
# initialism, is not tried again from each of its letters (quadratic) but once (linear).
_TOKEN = re.compile(
    r"(?<!(?<![^\W_])(?<!['’&])[^\W_]\.)(?:[^\W_]\.){2,}(?![^\W_])"
    r"|[^\W_]+(?:['’&][^\W_]+)*|[.,;:!?()\[\]“”\"…•]"
)
_STOPWORDS = frozenset(
    """a about after all also among an and any are as at be been before being between both
    but by can could do does during each for from had has have he her his how i if in into
    is it its may more most must no nor not of on or other others our out over own same she
    should so some such than that the their them then there these they this those through
    to under upon was we were what when where which while who whom whose why will with
    within would you your""".split()  # noqa: SIM905  # a paragraph reads better than 98 lines
)
_ENTITY = "@"
_THEME = "#"
_CLAUSE = "\0"
"""The character that separates two clauses in a document's sequence of words."""
_UNNUMBERED = "\1"
"""The character of every word past the last that a character can number (a million)."""
_Span = tuple[int, int]


def _singular(word: str) -> str:
    """Fold a plural to its singular, for words of four letters or more."""
    if len(word) < 4 or word[-1] != "s" or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4 and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def _fold(token: str) -> tuple[str, str, bool]:
    """A token's term ("" for a clause mark), its text less a possessive, if it is a stopword."""
    # The cache keeps short tokens only: a query of long distinct tokens would fill
    # its 65,536 entries with megabytes each, held until the process ends.
    return _fold_cached(token) if len(token) <= _CACHED_TOKEN else _folded(token)


def _folded(token: str) -> tuple[str, str, bool]:
    cased = token[:-2] if len(token) > 2 and token[-2:] in ("'s", "’s") else token
    folded = cased.casefold()
    word = folded.replace("'", "").replace("’", "").replace(".", "")
    return _singular(word) if word[:1].isalnum() else "", cased, folded in _STOPWORDS


_fold_cached = lru_cache(maxsize=1 << 16)(_folded)


class _Text:
    """A text's words: each one's term, its cased text, its clause and its offset."""

    __slots__ = ("cased", "clauses", "starts", "stems", "words")

    def __init__(self, text: str, *, offsets: bool) -> None:
        starts: Iterable[int] = ()
        if offsets:  # one scan gives both the tokens and their offsets
            matches = list(_TOKEN.finditer(text))
            tokens = list(map(re.Match.group, matches))
            starts = map(re.Match.start, matches)
        else:
            tokens = _TOKEN.findall(text)
        stems, cased, stops = zip(*map(_fold, tokens), strict=True) if tokens else ((), (), ())
        self.clauses: list[int]
        if "" in stems:  # drop the clause marks, numbering the clauses between them
            kept = list(map(bool, stems))
            stems = tuple(compress(stems, kept))
            cased = tuple(compress(cased, kept))
            stops = tuple(compress(stops, kept))
            self.clauses = list(compress(accumulate(map(not_, kept)), kept))
            starts = compress(starts, kept)
        else:
            self.clauses = [0] * len(stems)
        self.stems: Sequence[str] = stems
        self.cased: Sequence[str] = cased
        self.starts = list(starts)
        self.words = list(compress(count(), map(not_, stops)))  # all but the stopwords

    def pairs(self) -> Iterator[tuple[int, int]]:
        """The positions of each two indexed words in a row within a clause."""
        clauses = self.clauses
        for first, second in pairwise(self.words):
            if clauses[first] == clauses[second]:
                yield first, second

    def span(self, first: int, end: int) -> _Span:
        """The character offsets of the words from `first` up to, not including, `end`."""
        return self.starts[first], self.starts[end - 1] + len(self.cased[end - 1])


class _Name:
    """A name to find in a text: its terms, and its cased words if case matters."""

    __slots__ = ("cased", "key", "stems")

    def __init__(self, key: str, name: str, *, case_sensitive: bool) -> None:
        text = _Text(name, offsets=False)
        self.key = key
        self.stems = text.stems
        self.cased = text.cased if case_sensitive else None

    def written_at(self, text: _Text, first: int) -> bool:
        """Whether the words from `first` are written as the name is (a plural allowed)."""
        if self.cased is None:
            return True
        *inner, last = self.cased
        written = text.cased[first : first + len(self.cased)]
        return list(written[:-1]) == inner and written[-1] in (last, f"{last}s", f"{last}es")


class _NameFinder:
    """Finds keyed names in a text: for each key, leftmost and longest, never overlapping."""

    __slots__ = ("_by_first",)

    def __init__(self, names: Iterable[tuple[str, str, bool]]) -> None:
        by_first: dict[str, list[_Name]] = {}
        for key, name, case_sensitive in names:
            found = _Name(key, name, case_sensitive=case_sensitive)
            if found.stems:
                by_first.setdefault(found.stems[0], []).append(found)
        for candidates in by_first.values():
            candidates.sort(key=lambda candidate: -len(candidate.stems))
        self._by_first = by_first

    def find(self, text: _Text, *, ignore_case: bool = False) -> Iterator[tuple[str, int, int]]:
        """Yield (key, first word, end word) for every name found, in text order."""
        by_first = self._by_first
        stems = text.stems
        free_from: dict[str, int] = {}
        for position, stem in enumerate(stems):
            candidates = by_first.get(stem)
            if candidates is None:
                continue
            for name in candidates:
                end = position + len(name.stems)
                if (
                    free_from.get(name.key, 0) <= position
                    and stems[position:end] == name.stems
                    and (ignore_case or name.written_at(text, position))
                ):
                    free_from[name.key] = end
                    yield name.key, position, end


def _terms(text: _Text, glossary: _NameFinder) -> dict[str, int]:
    """How often a text says each of its terms: words and entities."""
    counts: dict[str, int] = {}
    stems = text.stems
    for position in text.words:
        counts[stems[position]] = counts.get(stems[position], 0) + 1
    for key, _, _ in glossary.find(text):
        counts[_ENTITY + key] = counts.get(_ENTITY + key, 0) + 1
    return counts


def _idf(documents: int, containing: int) -> float:
    return math.log(1.0 + (documents - containing + 0.5) / (containing + 0.5))


def _saturated(said: int) -> float:
    """How much a term said `said` times in a matched text weighs: ten times, about twice."""
    return said * (_K3 + 1.0) / (said + _K3)


class _Postings:
    """For each term, the documents that hold it and its idf × BM25 weight in each.

    The catalog cannot change, so the weights are computed once, when the index is built,
    and a query adds them up: one multiply-add per posting it touches.
    """

    __slots__ = ("documents", "norms", "postings")

    def __init__(self, term_counts: Iterable[tuple[Mapping[str, float], float]]) -> None:
        documents: dict[str, list[int]] = {}
        frequencies: dict[str, list[float]] = {}
        lengths: list[float] = []
        for number, (counts, length) in enumerate(term_counts):
            lengths.append(length)
            for term, said in counts.items():
                found = documents.get(term)
                if found is None:
                    documents[term] = [number]
                    frequencies[term] = [said]
                else:
                    found.append(number)
                    frequencies[term].append(said)
        average = (sum(lengths) / len(lengths) if lengths else 0.0) or 1.0
        self.documents = len(lengths)
        self.norms = array("d", (_K1 * (1.0 - _B + _B * length / average) for length in lengths))
        self.postings: dict[str, tuple[array[int], array[float]]] = {}
        for term, numbers in documents.items():
            idf = _idf(self.documents, len(numbers))
            weights = array(
                "d", map(self.bm25, numbers, frequencies.pop(term), (idf,) * len(numbers))
            )
            self.postings[term] = (array("i", numbers), weights)

    def bm25(self, number: int, said: float, idf: float) -> float:
        """The idf × BM25 weight in one document of a term said there `said` times."""
        return idf * said * (_K1 + 1.0) / (said + self.norms[number])

    def weight(self, term: str, said: float, number: int) -> float:
        """The idf × BM25 weight of a term said `said` times in one document."""
        found = self.postings.get(term)
        return 0.0 if found is None else self.bm25(number, said, self.idf(len(found[0])))

    def idf(self, containing: int) -> float:
        """The idf of a term that `containing` documents hold."""
        return _idf(self.documents, containing)

    def scores(self, terms: Iterable[str]) -> dict[int, float]:
        """Each document's score: the sum of its weights for the terms."""
        scores: dict[int, float] = {}
        get = scores.get
        for term in terms:
            found = self.postings.get(term)
            if found is not None:
                for number, weight in zip(*found, strict=True):
                    scores[number] = get(number, 0.0) + weight
        return scores


def _best(scores: dict[int, float], limit: int) -> list[tuple[float, int]]:
    """The `limit` best (score, number) pairs, best first, ties in page order (by number)."""
    candidates: Iterable[tuple[float, int]]
    if len(scores) > _FEW:
        # Find the score to beat among bare floats first: far cheaper than ranking pairs.
        least = heapq.nlargest(limit, scores.values())[-1]
        candidates = [(score, -number) for number, score in scores.items() if score >= least]
    else:
        candidates = zip(scores.values(), map(neg, scores), strict=True)
    return [(score, -negated) for score, negated in sorted(candidates, reverse=True)[:limit]]


def _merged(spans: list[_Span]) -> tuple[_Span, ...]:
    """Spans in order, overlapping or touching ones made one."""
    if len(spans) < 2:
        return tuple(spans)
    ordered = sorted(spans)
    merged = [ordered[0]]
    for start, end in ordered[1:]:
        last_start, last_end = merged[-1]
        if start > last_end:
            merged.append((start, end))
        elif end > last_end:
            merged[-1] = (last_start, end)
    return tuple(merged)


class _Document:
    """A document's forward index: its words, as one character each, and where each is.

    Word number n is the character chr(n), so that a word or a phrase is found by
    `str.find`, in C; a `_CLAUSE` character separates clauses, so that no phrase spans two.
    `starts` and `ends` hold each word's character offsets in the text (-1 for a mark).
    """

    __slots__ = ("ends", "entities", "sequence", "starts")

    def __init__(
        self,
        sequence: str,
        spans: tuple[array[int], array[int]],
        entities: tuple[tuple[str, int, int], ...],
    ) -> None:
        self.sequence = sequence
        self.starts, self.ends = spans
        self.entities = entities  # (key, start, end) of each name of an entity

    def spans(self, words: Iterable[str], entities: frozenset[str]) -> tuple[_Span, ...]:
        """Where the document says any of these words (as characters) or entities (by key)."""
        starts, ends, sequence = self.starts, self.ends, self.sequence
        found = []
        for word in words:
            at = sequence.find(word)
            while at >= 0:
                found.append((starts[at], ends[at]))
                at = sequence.find(word, at + 1)
        if entities:
            found += ((start, end) for key, start, end in self.entities if key in entities)
            return _merged(found)
        return tuple(sorted(found))  # words never overlap


def _with_marks(offsets: list[int], opens: list[bool]) -> array[int]:
    """Offsets with a -1 before each word that opens a clause, in step with a sequence."""
    return array(
        "i",
        [
            each
            for offset, opened in zip(offsets, opens, strict=True)
            for each in ((-1, offset) if opened else (offset,))
        ],
    )


class _Query:
    """A search query: its words and entities, in query order, and its phrases."""

    __slots__ = ("phrases", "terms")

    def __init__(self, query: str, glossary: _NameFinder) -> None:
        text = _Text(query, offsets=False)
        stems = text.stems
        terms = dict.fromkeys(stems[position] for position in text.words)
        terms.update(
            dict.fromkeys(_ENTITY + key for key, _, _ in glossary.find(text, ignore_case=True))
        )
        self.terms = tuple(terms)
        self.phrases = tuple(dict.fromkeys((stems[one], stems[two]) for one, two in text.pairs()))


class SearchIndex:
    """The search and match indexes of one catalog; see `Catalog.search` and `Catalog.match`."""

    __slots__ = (
        "_documents",
        "_forward",
        "_glossary",
        "_lock",
        "_numbers",
        "_postings",
        "_profiles",
        "_strategies",
        "_vectors",
        "_vocabulary",
        "_word_numbers",
    )

    def __init__(self, catalog: Catalog) -> None:
        self._strategies = catalog.strategies()
        self._documents: tuple[tuple[Strategy, Excerpt], ...] = tuple(
            (strategy, excerpt)
            for strategy in self._strategies
            for excerpt in strategy.iter_excerpts()
        )
        self._numbers: dict[str, range] = {}
        for number, (strategy, _) in enumerate(self._documents):
            known = self._numbers.get(strategy.id, range(number, number))
            self._numbers[strategy.id] = range(known.start, number + 1)
        self._glossary = _NameFinder(
            (entity.id, name, name == entity.acronym or is_acronym(name))
            for entity in catalog.entities()
            for name in entity.names
        )
        self._vocabulary = _NameFinder(
            (theme.value, term, is_acronym(term))
            for theme, terms in catalog.vocabulary().items()
            for term in terms
        )
        self._word_numbers: dict[str, str] = {}
        self._forward: list[_Document] = []
        self._postings = _Postings(map(self._read, self._documents))
        self._vectors: dict[int, tuple[dict[str, float], frozenset[str]]] = {}
        self._profiles: _Profiles | None = None
        self._lock = threading.Lock()

    def _read(self, document: tuple[Strategy, Excerpt]) -> tuple[Mapping[str, int], float]:
        """Index a document forward; give its term counts and its length in words."""
        text = _Text(document[1].text, offsets=True)
        words, clauses = text.words, text.clauses
        stems = [text.stems[position] for position in words]
        numbers = self._word_numbers
        characters = [numbers.get(stem) or self._number(stem) for stem in stems]
        # A word that opens a new clause is preceded by a clause mark, which has no offsets.
        opens = [False, *(clauses[a] != clauses[b] for a, b in pairwise(words))][: len(words)]
        starts = [text.starts[position] for position in words]
        ends = [
            start + len(text.cased[position]) for start, position in zip(starts, words, strict=True)
        ]
        entities = tuple(
            (key, *text.span(first, end)) for key, first, end in self._glossary.find(text)
        )
        self._forward.append(
            _Document(
                "".join(_CLAUSE + c if o else c for c, o in zip(characters, opens, strict=True)),
                (_with_marks(starts, opens), _with_marks(ends, opens)),
                entities,
            )
        )
        counts = Counter(stems)
        counts.update(_ENTITY + key for key, _, _ in entities)
        return counts, float(len(words))

    def _number(self, stem: str) -> str:
        """Number a word not seen before, by the next character free."""
        numbers = self._word_numbers
        if len(numbers) + 2 > _MAX_WORD_NUMBER:
            return _UNNUMBERED
        found = numbers[stem] = chr(len(numbers) + 2)
        return found

    # -- search ------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 10) -> tuple[Hit, ...]:
        """The excerpts that best answer `query`, best first; see `Catalog.search`."""
        _require_text(query, "query", "words to search for, such as 'fusion centers' or 'SAR'")
        _require_limit(limit)
        parsed = _Query(query, self._glossary)
        scores = self._postings.scores(parsed.terms)
        for phrase in parsed.phrases:
            self._add_phrase(scores, phrase)
        documents = self._documents
        entities = frozenset(term[1:] for term in parsed.terms if term.startswith(_ENTITY))
        words = [self._word_numbers[term] for term in parsed.terms if term in self._word_numbers]
        return tuple(
            Hit(
                strategy=documents[number][0],
                excerpt=documents[number][1],
                score=score,
                spans=self._forward[number].spans(words, entities),
            )
            for score, number in _best(scores, limit)
        )

    def _add_phrase(self, scores: dict[int, float], phrase: tuple[str, str]) -> None:
        """Score a phrase as a term, in the documents that hold both of its words."""
        postings, numbers = self._postings, self._word_numbers
        # A word past the last numbered one (a catalog of over a million distinct words)
        # has no place in the forward index: its phrases score as its words alone.
        if phrase[0] not in numbers or phrase[1] not in numbers:
            return
        rarer = min((postings.postings[word][0] for word in phrase), key=len)
        pattern = numbers[phrase[0]] + numbers[phrase[1]]
        forward = self._forward
        said = {}
        for number in rarer:
            times = forward[number].sequence.count(pattern)
            if times:
                said[number] = times
        idf = postings.idf(len(said))
        for number, times in said.items():
            scores[number] += _PHRASE_WEIGHT * postings.bm25(number, times, idf)

    # -- match -------------------------------------------------------------------------

    def match(self, text: str, *, limit: int = 5) -> tuple[Match, ...]:
        """The strategies `text` aligns with, best first; see `Catalog.match`."""
        _require_text(text, "text", "the text of a product, from a title to a whole document")
        _require_limit(limit)
        profiles = self._profiles or self._build_profiles()
        product = _Product(text, self._glossary, self._vocabulary)
        contributions = profiles.contributions(product)
        totals = {number: sum(each.values()) for number, each in contributions.items()}
        return tuple(
            Match(
                strategy=self._strategies[number],
                score=score,
                excerpts=self._support(self._strategies[number], product, profiles),
                terms=product.surfaces(contributions[number]),
            )
            for score, number in _best(totals, limit)
        )

    def _build_profiles(self) -> _Profiles:
        with self._lock:
            if self._profiles is None:
                self._profiles = _Profiles(self._strategies, self._glossary)
            return self._profiles

    def _support(
        self, strategy: Strategy, product: _Product, profiles: _Profiles
    ) -> tuple[Excerpt, ...]:
        """The strategy's excerpts that share terms or themes with the product, best first."""
        themes = profiles.theme_weights(strategy, product)
        said = product.weights
        scored: list[tuple[float, int]] = []
        for number in self._numbers[strategy.id]:
            weights, grounded = self._vectors.get(number) or self._vector(number)
            if len(weights) < len(said):
                score = sum(weight * said[term] for term, weight in weights.items() if term in said)
            else:
                score = sum(
                    weight * weights[term] for term, weight in said.items() if term in weights
                )
            score += sum(weight for theme, weight in themes.items() if theme in grounded)
            if score > 0:
                scored.append((-score, number))
        return tuple(self._documents[number][1] for _, number in sorted(scored))

    def _vector(self, number: int) -> tuple[dict[str, float], frozenset[str]]:
        """A document's idf × BM25 weight for each of its terms, and the themes it grounds."""
        text = _Text(self._documents[number][1].text, offsets=False)
        weigh = self._postings.weight
        weights = {
            term: weigh(term, said, number) for term, said in _terms(text, self._glossary).items()
        }
        grounded = frozenset(theme for theme, _, _ in self._vocabulary.find(text))
        if len(self._vectors) >= _CACHE_SIZE:
            self._vectors.clear()
        found = self._vectors[number] = (weights, grounded)
        return found


class _Product:
    """A text to match: its terms with their saturated weights, and where each is first said."""

    __slots__ = ("_first", "_read", "_text", "themes", "weights")

    def __init__(self, text: str, glossary: _NameFinder, vocabulary: _NameFinder) -> None:
        read = _Text(text, offsets=True)
        self._text = text
        self._read = read
        self.weights = {term: _saturated(said) for term, said in _terms(read, glossary).items()}
        first: dict[str, tuple[int, int]] = {}
        for position in read.words:
            first.setdefault(read.stems[position], (position, position + 1))
        for key, start, end in glossary.find(read):
            first.setdefault(_ENTITY + key, (start, end))
        self._first = first
        self.themes: dict[str, list[tuple[int, int]]] = {}
        for theme, start, end in vocabulary.find(read):
            self.themes.setdefault(theme, []).append((start, end))

    def surfaces(self, contributions: Mapping[str, float]) -> tuple[str, ...]:
        """The text's own words for the terms that carried a match, the weightiest first.

        A term said inside a longer one that also counted ("fusion" in "fusion center")
        adds its weight to the longer one instead of being shown on its own.
        """
        said: dict[tuple[int, int], float] = {}
        for term, weight in contributions.items():
            if term.startswith(_THEME):
                places = self.themes.get(term[1:], [])
            else:
                places = [self._first[term]] if term in self._first else []
            for place in places:
                said[place] = said.get(place, 0.0) + weight
        outer: dict[tuple[int, int], float] = {}
        widest = (-1, -1)
        # In order of start, the widest first, a place ending before the last outer one ends
        # lies inside it.
        for place in sorted(said, key=lambda place: (place[0], -place[1])):
            if place[1] <= widest[1]:
                outer[widest] += said[place]
            else:
                widest = place
                outer[place] = said[place]
        surfaces: dict[str, str] = {}
        for first, end in sorted(outer, key=lambda place: (-outer[place], place)):
            start, stop = self._read.span(first, end)
            surface = self._text[start:stop]
            surfaces.setdefault(surface.casefold(), surface)
            if len(surfaces) == _MAX_TERMS:
                break
        return tuple(surfaces.values())


class _Profiles:
    """Every strategy's profile: its excerpts', titles' and issuer's terms, and its themes."""

    __slots__ = ("_glossary", "_holding", "_postings", "_theme_idf")

    def __init__(self, strategies: Sequence[Strategy], glossary: _NameFinder) -> None:
        self._glossary = glossary
        self._postings = _Postings(map(self._profile, strategies))
        self._holding: dict[str, list[int]] = {}
        for number, strategy in enumerate(strategies):
            for theme in strategy.themes:
                self._holding.setdefault(theme.value, []).append(number)
        self._theme_idf = {
            theme: _idf(len(strategies), len(numbers)) for theme, numbers in self._holding.items()
        }

    def _profile(self, strategy: Strategy) -> tuple[dict[str, float], float]:
        """A strategy's terms, weighted, and its length in words."""
        counts: dict[str, float] = {}
        length = 0
        for excerpt in strategy.iter_excerpts():
            text = _Text(excerpt.text, offsets=False)
            for term, said in _terms(text, self._glossary).items():
                counts[term] = counts.get(term, 0.0) + said
            length += len(text.words)
        titled = {_ENTITY + strategy.issuer.id}
        for name in (strategy.title, strategy.heading, *strategy.aliases):
            titled.update(_terms(_Text(name, offsets=False), self._glossary))
        for term in titled:
            counts[term] = counts.get(term, 0.0) + _TITLE_WEIGHT
        return counts, float(length)

    def contributions(self, product: _Product) -> dict[int, dict[str, float]]:
        """What each term of the product adds to each strategy's score, by strategy."""
        found: dict[int, dict[str, float]] = {}
        for term, weight in product.weights.items():
            entry = self._postings.postings.get(term)
            if entry is not None:
                for number, bm25 in zip(*entry, strict=True):
                    found.setdefault(number, {})[term] = weight * bm25
        for theme in product.themes:
            weight = self._theme_weight(theme, product)
            for number in self._holding.get(theme, ()):
                found.setdefault(number, {})[_THEME + theme] = weight
        return found

    def theme_weights(self, strategy: Strategy, product: _Product) -> dict[str, float]:
        """The weight of each theme of the strategy that the product speaks to."""
        return {
            theme.value: self._theme_weight(theme.value, product)
            for theme in strategy.themes
            if theme.value in product.themes
        }

    def _theme_weight(self, theme: str, product: _Product) -> float:
        said = len(product.themes[theme])
        return _THEME_WEIGHT * _saturated(said) * self._theme_idf.get(theme, 0.0)


def _require_text(value: object, argument: str, expected: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{argument} is empty; give {expected}")


def _require_limit(limit: object) -> None:
    if not isinstance(limit, int) or isinstance(limit, bool):
        raise TypeError(f"limit must be an int of 1 or more, not {type(limit).__name__}")
    if limit < 1:
        raise ValueError(f"limit must be an int of 1 or more, not {limit}")
