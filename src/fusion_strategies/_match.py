"""How match scores: which strategies a product's text supports, most specific first.

`Catalog.match` reads the product with the one text layer (`_text`, `_name_finder`):
its words, the glossary's entities it names, and the vocabulary terms of each theme
(`Catalog.vocabulary`) it says. A strategy's score adds up three kinds of evidence, and
each weighs by how few strategies it points to, because evidence that many strategies
share tells them apart no better than none.

1. Words and entities, by BM25 (`_bm25`) over the strategies. Each strategy is one
   document: the words and entities of all its excerpts, and the words of its names,
   each counted as if said `_NAME_WEIGHT` (1.5) times. A name is the page's own word for
   the strategy's subject, said once, where excerpts say their words as often as their
   length allows: so "prevention", said again and again in a product, points to the
   Prevention Framework, named for it, before strategies whose longer excerpts share
   more of the product's common words ("critical", "official", "government"). The
   idf is taken over the strategies, so a term weighs by how few of them say it:
   "HIDTA", which two strategies name, weighs nearly four times "fusion center", which
   twelve do.
   An entity's mention in an excerpt counts once, as the entity; the words of its name
   count half each (`_NAMED_WORD`), as part of that mention, not as the excerpt's own
   words. "Northern border" in an excerpt names a region, as "SWB" in another does: in
   full, its "border" would make a product that says "border" point to the first
   strategy before the second, only because one writes the name out and the other does
   not. And the "organized crime" and "drug" of "Organized Crime Drug Enforcement Task
   Forces", named in passing in the Northern Border Counternarcotics Strategy, would
   count as if it spoke of organized crime and drugs itself. A document's length counts
   its words as they count here.

2. Distinctive names, by BM25 over the strategies' names. The names (title, heading and
   short names) are documents of their own, with their own idf: a term weighs by how
   few strategies are named for it, and less in a long name than in a short one. So
   "fusion center", which twelve strategies' excerpts say but one strategy's name
   bears, has an idf of 2.7 among the names against 0.6 among the excerpts, and a
   product on fusion centers points to the strategy named for them before the eleven
   that only mention them.
   Only what can name a subject counts as a name:

   - not a number (a year) nor a word of one or two letters ("U" of "U. S."), which
     name nothing;
   - not a document kind's word ("strategy", "report", "plan", "framework"): a product
     that says "report" is no more about the reports among the strategies than about
     the others;
   - not the words of the author's name where a name writes it out ("Federal Bureau of
     Investigation", "U.S. Customs and Border Protection"), because "federal" or
     "border" in a product says nothing of who wrote a strategy. The author's entity
     and acronym stay names ("FBI", "CBP"): that is how analysts name those strategies.
   - the author once, not twice, where the names have a subject of their own. A
     product's "FBI" is one mention, and says both the entity and the word; the FBI
     National Information Sharing Strategy is about information sharing, so its author
     counts among its names as the entity alone (`_distinctive`): on a one-line cyber
     advisory the FBI co-signed, that strategy's score falls by a fifth. A strategy
     whose names say nothing but its author ("U.S. Customs and Border Protection
     Strategy", the ATF's plan) is about that author, and keeps both. The name's
     length is as written, and among the excerpts' words (1.) the name keeps both.

3. Themes. Each vocabulary term in the product speaks for its theme. The theme speaks for
   every strategy that has it, weighted by how few strategies do (the same idf), and by
   its place in the strategy's themes, which are listed most central first: the first
   weighs in full, the second a half, the third a third. So a text on a subject points
   to the strategy whose subject it is before one that only touches on it. A theme
   weighs `_THEME_WEIGHT` times a term of the same rarity: the theme is the product's
   subject, and must not be outweighed by a few names and words.

The product's main subject beats a passing mention twice over. A term said again weighs
more, saturating slowly (k3 = `_K3`: said ten times, it weighs 4 times once), so the
words a product keeps coming back to outweigh the ones it says once. And a theme weighs
by its share of the product's vocabulary, its count over the count of the theme it
speaks to most: one sentence on organized crime in a text that names terrorism ten
times adds a tenth of a theme for organized crime. A theme that is a place (the northern
and southwest borders) is not a subject that competes with the others, but where they
happen: named once, as a drug seizure's press release names Mexico once among ten words
of border security and drugs, it weighs in full (`_PLACES`), so that the strategy of that
border's drugs comes before the one of border security at large. On the thirteen tuning
sets it puts the most specific strategy first in 6 more cases and an acceptable one in
2 more; one set's MRR falls by 0.004 (December 2, 2026).

The rules above hold for any catalog. Two weights (`_THEME_WEIGHT` and `_K3`) were
chosen on the four older labelled sets in tests/data; the author-once rule and
`_NAME_WEIGHT` (1.5, was 1; 1.75 gives the same figures, 2 nearly) were kept because
they lower none of the five (`benchmarks/match_eval.py` prints them). The half count of
an entity's words (`_NAMED_WORD`) was kept because it lowers none of the six, and ranks
no case of them lower; 0.5 and 0.6 give the same figures, 0.4 and 0.7 one case fewer
with an acceptable strategy first, and 1 is the rule before. All six have been looked
at while tuning, so their figures are no longer an unbiased estimate: a fresh blind set
is.

A match's excerpts are its strategy's excerpts that share terms or themes with the text,
ranked by BM25 over the excerpts. Its terms (`Term`) are the product's words for the
evidence, weightiest first, each with its source: the strategy's excerpts, its names, an
entity, or a theme's vocabulary. What more than a quarter of the strategies hold
(`_COMMON_SHARE`) explains none of them and is not shown, nor is a number, a word of one
or two lower-case letters, or a bare word the product says once (unless it names the
strategy): they still count, but they are noise to a reader. A word inside a longer term
that counted ("fusion" in "fusion center") adds its weight to the longer one.

Cost. Reading the product is linear in it; scoring touches each posting of its terms
once in the excerpts' index and once in the names', one per strategy at most.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ._bm25 import Postings, best, idf
from ._name_finder import ENTITY, NameFinder, terms
from ._text import Span, Text, is_acronym
from .model import DocumentKind, EntityKind, Excerpt, Match, Strategy, Term, TermSource, Theme

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["MatchIndex"]

_THEME = "#"
"""The mark before a theme's value that makes it a key apart from any word."""
_K3 = 5.0
"""How slowly a term said again saturates: ten times weighs 4 times once."""
_NAME_WEIGHT = 1.5
"""How many times a word of a strategy's names counts among the words of its excerpts (it
counts again, on its own, among the strategies' names: `MatchIndex._named`)."""
_THEME_WEIGHT = 3.5
"""How much a theme that a text speaks to weighs, next to a term of the same rarity."""
_MAX_TERMS = 10
_COMMON_SHARE = 0.25
"""A term or theme that more than this share of the strategies hold is too common to
explain a match, and is not shown among its terms (it still counts)."""
_CACHE_SIZE = 4096
_PLACES = frozenset({Theme.NORTHERN_BORDER.value, Theme.SOUTHWEST_BORDER.value})
"""The themes that are places, not subjects: where a product's subject happens, whatever
share of its vocabulary they take."""
_NAMED_WORD = 0.5
"""How much a word of an excerpt counts among its strategy's words where it is part of an
entity's name ("border" in "Northern border"): the entity counts the mention in full."""


def _said(times: float) -> float:
    """How much a term said `times` times in the product weighs: once is 1."""
    return times * (_K3 + 1.0) / (times + _K3)


class MatchIndex:
    """The match index of one catalog; see `Catalog.match`."""

    __slots__ = (
        "_common",
        "_excerpts",
        "_glossary",
        "_holders",
        "_named",
        "_names",
        "_numbers",
        "_postings",
        "_profiles",
        "_strategies",
        "_vectors",
        "_vocabulary",
    )

    def __init__(self, catalog: Catalog, glossary: NameFinder) -> None:
        self._strategies = catalog.strategies()
        self._glossary = glossary
        self._vocabulary = NameFinder.of_vocabulary(catalog.vocabulary())
        # Each excerpt is read once: its terms as its own document, and as said in its
        # strategy's document (`_as_said`).
        documents: list[tuple[Strategy, Excerpt, dict[str, int]]] = []
        by_strategy: list[dict[str, float]] = []
        for strategy in self._strategies:
            counts: dict[str, float] = {}
            for excerpt in strategy.iter_excerpts():
                text = Text(excerpt.text, offsets=False)
                documents.append((strategy, excerpt, terms(text, glossary)))
                for term, said in _as_said(text, glossary).items():
                    counts[term] = counts.get(term, 0.0) + said
            by_strategy.append(counts)
        self._excerpts = tuple((strategy, excerpt) for strategy, excerpt, _ in documents)
        self._numbers: dict[str, range] = {}
        for number, (strategy, _, _) in enumerate(documents):
            known = self._numbers.get(strategy.id, range(number, number))
            self._numbers[strategy.id] = range(known.start, number + 1)
        self._postings = Postings((counts, _length(counts)) for _, _, counts in documents)
        found = [self._names_of(strategy) for strategy in self._strategies]
        self._names = tuple(names for names, _ in found)
        # The names as documents of their own: a term weighs by how few strategies' names
        # hold it, and less in a long name than in a short one. A name's length is its
        # words as written, the author's acronym among them.
        self._named = Postings(
            (dict.fromkeys(_distinctive(names, acronym), 1), _length(dict.fromkeys(names, 1)))
            for names, acronym in found
        )
        self._profiles = Postings(
            self._profile(self._strategies[number], counts, self._names[number])
            for number, counts in enumerate(by_strategy)
        )
        holders: dict[str, list[tuple[int, float]]] = {}
        for number, strategy in enumerate(self._strategies):
            for place, theme in enumerate(strategy.themes):
                holders.setdefault(theme.value, []).append((number, 1.0 / (1.0 + place)))
        count = len(self._strategies)
        self._holders = {
            theme: (idf(count, len(held)), tuple(held)) for theme, held in holders.items()
        }
        self._vectors: dict[int, tuple[dict[str, float], frozenset[str]]] = {}
        held = self._profiles.postings
        common = [
            term for term, (numbers, _) in held.items() if len(numbers) > count * _COMMON_SHARE
        ]
        common += (
            _THEME + theme for theme, found in holders.items() if len(found) > count * _COMMON_SHARE
        )
        self._common = frozenset(common)

    def _names_of(self, strategy: Strategy) -> tuple[frozenset[str], frozenset[str]]:
        """The terms of a strategy's title, heading and short names that name its subject,
        and the author's entity and acronym among them.

        A number (a year), a word of one or two letters ("U" of "U. S.") and a word of a
        document kind ("strategy", "report", "plan") name no subject, and are left out. So
        are the words of its author's name where a name spells it out ("Federal Bureau of
        Investigation"): the author stays a name, as its entity and its acronym ("FBI"),
        but "federal" or "border" in a product says nothing of who wrote a strategy.
        """
        found: set[str] = set()
        by_author: set[str] = set()
        author = strategy.issuer
        for name in (strategy.title, strategy.heading, *strategy.aliases):
            text = Text(name, offsets=False)
            spelled: set[str] = set()
            if author.kind is EntityKind.ORGANIZATION:
                cased, stems = text.cased, text.stems
                for key, start, end in self._glossary.find(text):
                    if key == author.id:
                        by_author.add(ENTITY + key)
                        for at in range(start, end):
                            (by_author if is_acronym(cased[at]) else spelled).add(stems[at])
            found.update(
                term
                for term in terms(text, self._glossary)
                if term[0] == ENTITY or (_names_a_subject(term) and term not in spelled)
            )
        return frozenset(found), frozenset(by_author & found)

    @staticmethod
    def _profile(
        strategy: Strategy, counts: Mapping[str, float], names: Iterable[str]
    ) -> tuple[dict[str, float], float]:
        """A strategy's terms, its names counted `_NAME_WEIGHT` times more, and its length."""
        profile: dict[str, float] = dict(counts)
        for term in names:
            profile[term] = profile.get(term, 0.0) + _NAME_WEIGHT
        return profile, _length(counts)

    def match(self, text: str, *, limit: int) -> tuple[Match, ...]:
        """The strategies `text` aligns with, best first; see `Catalog.match`."""
        product = _Product(text, self._glossary, self._vocabulary, self._common)
        themes = self._theme_weights(product)
        evidence = self._evidence(product, themes)
        totals = {number: sum(found.values()) for number, found in evidence.items()}
        return tuple(
            Match(
                strategy=self._strategies[number],
                score=score,
                excerpts=self._support(number, product, themes),
                terms=product.explain(evidence[number], self._names[number]),
            )
            for score, number in best(totals, limit)
        )

    def _evidence(
        self, product: _Product, themes: Mapping[str, float]
    ) -> dict[int, dict[str, float]]:
        """What each term and theme of the product adds to each strategy's score."""
        found: dict[int, dict[str, float]] = {}
        postings, named = self._profiles.postings, self._named.postings
        for term, weight in product.weights.items():
            entry = postings.get(term)
            if entry is not None:
                for number, bm25 in zip(*entry, strict=True):
                    found.setdefault(number, {})[term] = weight * bm25
            entry = named.get(term)
            if entry is not None:
                for number, bm25 in zip(*entry, strict=True):
                    evidence = found.setdefault(number, {})
                    evidence[term] = evidence.get(term, 0.0) + weight * bm25
        for theme, weight in themes.items():
            rarity, held = self._holders[theme]
            for number, centrality in held:
                found.setdefault(number, {})[_THEME + theme] = weight * rarity * centrality
        return found

    def _theme_weights(self, product: _Product) -> dict[str, float]:
        """Each theme the product speaks to, with its weight before rarity and centrality."""
        said = {theme: len(places) for theme, places in product.themes.items()}
        most = max(said.values(), default=1)
        return {
            theme: _THEME_WEIGHT * _said(times) * (1.0 if theme in _PLACES else times / most)
            for theme, times in said.items()
            if theme in self._holders
        }

    def _support(
        self, number: int, product: _Product, weights: Mapping[str, float]
    ) -> tuple[Excerpt, ...]:
        """The strategy's excerpts that share terms or themes with the product, best first."""
        strategy = self._strategies[number]
        themes = {
            theme.value: weight for theme in strategy.themes if (weight := weights.get(theme.value))
        }
        said = product.weights
        scored: list[tuple[float, int]] = []
        for index in self._numbers[strategy.id]:
            weights, grounded = self._vectors.get(index) or self._vector(index)
            score = sum(weight * said[term] for term, weight in weights.items() if term in said)
            score += sum(weight for theme, weight in themes.items() if theme in grounded)
            if score > 0:
                scored.append((-score, index))
        return tuple(self._excerpts[index][1] for _, index in sorted(scored))

    def _vector(self, index: int) -> tuple[dict[str, float], frozenset[str]]:
        """An excerpt's idf × BM25 weight for each of its terms, and the themes it grounds."""
        text = Text(self._excerpts[index][1].text, offsets=False)
        weigh = self._postings.weight
        weights = {
            term: weigh(term, said, index) for term, said in terms(text, self._glossary).items()
        }
        grounded = frozenset(theme for theme, _, _ in self._vocabulary.find(text))
        if len(self._vectors) >= _CACHE_SIZE:
            self._vectors.clear()
        found = self._vectors[index] = (weights, grounded)
        return found


class _Product:
    """A text to match: its terms with their weights, where each is said, and its themes."""

    __slots__ = ("_common", "_first", "_once", "_read", "_silent", "themes", "weights")

    def __init__(
        self, text: str, glossary: NameFinder, vocabulary: NameFinder, common: frozenset[str]
    ) -> None:
        read = Text(text, offsets=False)  # a term's text is its words: no offsets needed
        self._read = read
        self._common = common
        counts: dict[str, int] = {}
        first: dict[str, Span] = {}
        stems = read.stems
        for position in read.words:
            stem = stems[position]
            if stem in counts:
                counts[stem] += 1
            else:
                counts[stem] = 1
                first[stem] = (position, position + 1)
        covered: set[int] = set()  # the words that a name or a vocabulary term says
        for key, start, end in glossary.find(read):
            term = ENTITY + key
            counts[term] = counts.get(term, 0) + 1
            first.setdefault(term, (start, end))
            covered.update(range(start, end))
        self.weights = {term: _said(times) for term, times in counts.items()}
        self._first = first
        self.themes: dict[str, list[Span]] = {}
        for theme, start, end in vocabulary.find(read):
            self.themes.setdefault(theme, []).append((start, end))
            covered.update(range(start, end))
        # A word outside every name and term never lends its weight to one: if it is not
        # shown either, explaining a match can pass it by at once.
        loose = [
            term for term, (start, _) in first.items() if term[0] != ENTITY and start not in covered
        ]
        cased = read.cased
        self._silent = frozenset(
            term for term in loose if term in common or not _real(cased[first[term][0]])
        )
        self._once = frozenset(term for term in loose if counts[term] == 1)

    def explain(self, evidence: Mapping[str, float], names: frozenset[str]) -> tuple[Term, ...]:
        """The product's words for the evidence of one match, the weightiest first."""
        # Each place gets the weight of all the evidence said there, and the source and key
        # of the weightiest ("health" may be a word of the title and a theme's term too).
        said: dict[Span, tuple[float, TermSource, str]] = {}
        heaviest: dict[Span, float] = {}
        silent, once = self._silent, self._once
        for key, weight in evidence.items():
            if key in silent or (key in once and key not in names):
                continue
            source, places = self._places(key, names)
            for place in places:
                total, kept_source, kept_key = said.get(place, (0.0, source, key))
                if weight > heaviest.get(place, 0.0):
                    heaviest[place] = weight
                    kept_source, kept_key = source, key
                said[place] = (total + weight, kept_source, kept_key)
        outer: dict[Span, tuple[float, TermSource, str]] = {}
        widest = (-1, -1)
        # In order of start, the widest first, a place ending before the last outer one ends
        # lies inside it, and adds its weight to it.
        for place in sorted(said, key=lambda place: (place[0], -place[1])):
            weight, source, key = said[place]
            if place[1] <= widest[1]:
                kept = outer[widest]
                outer[widest] = (kept[0] + weight, kept[1], kept[2])
            else:
                widest = place
                outer[place] = (weight, source, key)
        shown: dict[str, Term] = {}
        for place in sorted(outer, key=lambda place: (-outer[place][0], place)):
            weight, source, key = outer[place]
            words = self._read.cased[place[0] : place[1]]
            if not self._explains(source, key, words[0]):
                continue
            text = " ".join(words)
            if source in (TermSource.ENTITY, TermSource.THEME):
                key = key[1:]  # the mark goes: the key is the entity's id, the theme's value
            shown.setdefault(text.casefold(), Term(text=text, source=source, key=key))
            if len(shown) == _MAX_TERMS:
                break
        return tuple(shown.values())

    def _explains(self, source: TermSource, key: str, word: str) -> bool:
        """Whether a term is worth showing: what few strategies hold, and for a bare word,
        a real word said more than once unless it names the strategy."""
        if key in self._common:
            return False
        if source in (TermSource.ENTITY, TermSource.THEME):
            return True
        return _real(word) and (source is TermSource.NAME or self.weights.get(key, 0.0) > 1.0)

    def _places(self, key: str, names: frozenset[str]) -> tuple[TermSource, list[Span]]:
        """Where the product says an evidence key, and what the key is."""
        if key.startswith(_THEME):
            return TermSource.THEME, self.themes.get(key[1:], [])
        place = self._first.get(key)
        places = [] if place is None else [place]
        if key.startswith(ENTITY):
            return TermSource.ENTITY, places
        return (TermSource.NAME if key in names else TermSource.EXCERPT), places


def _as_said(text: Text, glossary: NameFinder) -> dict[str, float]:
    """How much an excerpt says each of its terms, as its strategy's document counts them:
    an entity's mention once, as the entity, and the words of its name `_NAMED_WORD` each.

    "Northern border" in an excerpt is one mention of a region, not two words of the
    excerpt's own: a product that says "border" is no more about a strategy whose excerpts
    spell that name out than about one whose excerpts write it "SWB".

    >>> glossary = NameFinder([("nb", "Northern border", False)])
    >>> _as_said(Text("Patrols along the Northern border", offsets=False), glossary)
    {'patrol': 1.0, 'along': 1.0, 'northern': 0.5, 'border': 0.5, '@nb': 1.0}
    """
    named: set[int] = set()
    entities: dict[str, float] = {}
    for key, start, end in glossary.find(text):
        entities[ENTITY + key] = entities.get(ENTITY + key, 0.0) + 1.0
        named.update(range(start, end))
    counts: dict[str, float] = {}
    stems = text.stems
    for position in text.words:
        said = _NAMED_WORD if position in named else 1.0
        counts[stems[position]] = counts.get(stems[position], 0.0) + said
    counts.update(entities)
    return counts


def _length(counts: Mapping[str, float]) -> float:
    """A document's length: how many words it says, its entities aside."""
    return float(sum(said for term, said in counts.items() if not term.startswith(ENTITY)))


_KIND_WORDS = frozenset(
    stem for kind in DocumentKind for stem in Text(kind.value, offsets=False).stems
)
"""The words of the document kinds ("strategy", "report", "strategic plan", ...)."""


def _distinctive(names: frozenset[str], by_author: frozenset[str]) -> frozenset[str]:
    """A strategy's names as the names index holds them: the author once, as its entity,
    where the names have a subject of their own.

    "FBI" in a name is one mention of its author, and a product's "FBI" says the entity and
    the word both; where the names have a subject of their own ("FBI National Information
    Sharing"), the author is who wrote the strategy, and counts once, as its entity. Where
    the names say nothing but the author ("CBP Strategy"), the author is the subject, and
    its acronym stays a word of the names too.

    >>> sorted(_distinctive(frozenset({"@fbi", "fbi", "sharing"}), frozenset({"@fbi", "fbi"})))
    ['@fbi', 'sharing']
    >>> sorted(_distinctive(frozenset({"@cbp", "cbp"}), frozenset({"@cbp", "cbp"})))
    ['@cbp', 'cbp']
    """
    if names <= by_author:
        return names
    return frozenset(term for term in names if term[0] == ENTITY or term not in by_author)


def _names_a_subject(word: str) -> bool:
    """Whether a word of a strategy's names may name its subject: not a number, nor a word of
    one or two letters, nor a document kind's word.

    >>> [word for word in ("national", "drug", "strategy", "2019", "u") if _names_a_subject(word)]
    ['national', 'drug']
    """
    return len(word) > 2 and not word.isdigit() and word not in _KIND_WORDS


def _real(word: str) -> bool:
    """Whether a word is a real one to show: not a number, nor one or two lower-case letters."""
    return any(character.isalpha() for character in word) and (len(word) > 2 or word.isupper())
