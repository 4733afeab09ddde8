"""How a text is cut into words: the one tokenizer, plural rule and stopword list.

Search, match, `Catalog.mentioning` and `Catalog.entities_in` all read text through
`Text`, so that they agree on what a word is and on when two words are the same.

Words. A text is cut into runs of letters and digits, and case is folded
(`str.casefold`). Punctuation separates words, so "information-sharing" reads as
"information sharing", but an ampersand or an apostrophe inside a word keeps it whole
("I&A"). A possessive "'s" or "’s" is dropped ("CBP’s" is "cbp"), other apostrophes
vanish ("agencies’" is "agencies"), and an initialism with dots is one word ("U.S." is
"us"). A clause mark (. , ; : ! ? and brackets or quotes) ends a phrase: two words
with one between them are not "in a row".

Plurals. Each word's term is its singular, by a light singularizer: Harman's "S"
stemmer, with "-sses", "-xes", "-ches" and "-shes" made singular too. "agencies" is
"agency", "centers" is "center", "breaches" is "breach"; "analysis", "process", "status"
and every word of three letters or fewer, such as "DHS", are left alone. It stops there on
purpose: a full stemmer (Porter) would make "intelligence" and "intelligent", or
"organized" and "organization", one word, which costs precision on short excerpts, while
the curated vocabulary names the other forms a product may use.

Stopwords. Common function words ("the", "of", "and", …) are read but not counted as
terms; names that contain them (`_name_finder`) still match.

Cost. Tokenizing is one regular-expression scan, linear in the text; each token's folding
is cached when it is at most 40 characters long.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate, compress, count, pairwise
from operator import not_

__all__ = ["STOPWORDS", "Text", "is_acronym", "singular"]

_CACHED_TOKEN = 40
"""The longest token whose folding is cached: longer ones are rare, and would hold memory."""

# A dotted initialism ("U.S."), or a run of letters and digits kept whole across an inner
# apostrophe or ampersand ("DHS’s", "I&A"), or a mark that ends a clause.
# An initialism is tried only where a run of letter-dot pairs starts: the lookbehind
# rules out a letter after a lone letter and its dot, so that "a.a.a.…b", which is no
# initialism, is not tried again from each of its letters (quadratic) but once (linear).
CLAUSE_MARKS = '.,;:!?()[]“”"…•'
"""The characters that end a clause, each a token of its own."""
TOKEN = re.compile(
    r"(?<!(?<![^\W_])(?<!['’&])[^\W_]\.)(?:[^\W_]\.){2,}(?![^\W_])"
    rf"|[^\W_]+(?:['’&][^\W_]+)*|[{re.escape(CLAUSE_MARKS)}]"
)
STOPWORDS = frozenset(
    """a about after all also among an and any are as at be been before being between both
    but by can could do does during each for from had has have he her his how i if in into
    is it its may more most must no nor not of on or other others our out over own same she
    should so some such than that the their them then there these they this those through
    to under upon was we were what when where which while who whom whose why will with
    within would you your""".split()  # noqa: SIM905  # a paragraph reads better than 98 lines
)
"""The function words that are read but not counted as terms."""

Span = tuple[int, int]
"""A ``(start, end)`` pair of character offsets, or of word positions."""


def is_acronym(term: str) -> bool:
    """Whether a term is written in capitals only, and so is found in capitals only.

    >>> is_acronym("HIDTA"), is_acronym("I&A"), is_acronym("fusion center")
    (True, True, False)
    """
    return any(char.isupper() for char in term) and not any(char.islower() for char in term)


def singular(word: str) -> str:
    """Fold a case-folded plural to its singular; words of three letters or fewer stay.

    >>> [singular(word) for word in ("agencies", "centers", "breaches", "analysis", "dhs")]
    ['agency', 'center', 'breach', 'analysis', 'dhs']
    """
    if len(word) < 4 or word[-1] != "s" or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4 and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def _fold(token: str) -> tuple[str, str, bool]:
    """A token's term ("" for a clause mark), its text less a possessive, if it is a stopword."""
    # The cache keeps short tokens only: a text of long distinct tokens would fill
    # its 65,536 entries with megabytes each, held until the process ends.
    return _fold_cached(token) if len(token) <= _CACHED_TOKEN else _folded(token)


def _folded(token: str) -> tuple[str, str, bool]:
    cased = token[:-2] if len(token) > 2 and token[-2:] in ("'s", "’s") else token
    folded = cased.casefold()
    word = folded.replace("'", "").replace("’", "").replace(".", "")
    return singular(word) if word[:1].isalnum() else "", cased, folded in STOPWORDS


_fold_cached = lru_cache(maxsize=1 << 16)(_folded)


class Text:
    """A text's words: each one's term, its cased text, its clause and, if asked, its offset.

    ``stems[i]`` is word i's term (its case-folded singular), ``cased[i]`` the word as
    written less a possessive, ``clauses[i]`` the number of the clause it is in, and
    ``words`` the positions of the words that are not stopwords.

    >>> text = Text("The Fusion Centers’ analysts, and DHS’s I&A.", offsets=True)
    >>> list(text.stems)
    ['the', 'fusion', 'center', 'analyst', 'and', 'dhs', 'i&a']
    >>> [text.stems[position] for position in text.words]
    ['fusion', 'center', 'analyst', 'dhs', 'i&a']
    >>> text.clauses
    [0, 0, 0, 0, 1, 1, 1]
    >>> text.span(1, 3)
    (4, 18)
    """

    __slots__ = ("cased", "clauses", "starts", "stems", "words")

    def __init__(self, text: str, *, offsets: bool) -> None:
        starts: Iterable[int] = ()
        if offsets:  # one scan gives both the tokens and their offsets
            matches = list(TOKEN.finditer(text))
            tokens = list(map(re.Match.group, matches))
            starts = map(re.Match.start, matches)
        else:
            tokens = TOKEN.findall(text)
        stems, cased, stops = zip(*map(_fold, tokens), strict=True) if tokens else ((), (), ())
        self.clauses: list[int]
        if "" in stems:  # drop the clause marks, numbering the clauses between them
            kept = list(map(bool, stems))
            stems = tuple(compress(stems, kept))
            cased = tuple(compress(cased, kept))
            stops = tuple(compress(stops, kept))
            self.clauses = list(compress(accumulate(map(not_, kept), initial=0), kept))
            starts = compress(starts, kept)
        else:
            self.clauses = [0] * len(stems)
        self.stems: Sequence[str] = stems
        self.cased: Sequence[str] = cased
        self.starts = list(starts)
        self.words = list(compress(count(), map(not_, stops)))  # all but the stopwords

    def pairs(self) -> Iterator[Span]:
        """The positions of each two counted words in a row within a clause."""
        clauses = self.clauses
        for first, second in pairwise(self.words):
            if clauses[first] == clauses[second]:
                yield first, second

    def span(self, first: int, end: int) -> Span:
        """The character offsets of the words from `first` up to, not including, `end`.

        Only a text read with ``offsets=True`` knows them.
        """
        return self.starts[first], self.starts[end - 1] + len(self.cased[end - 1])
