"""Word codes: a catalog's texts read once, fast, each word written as one character.

The search index reads every excerpt of a catalog, which for a catalog of a million
paragraphs is tens of millions of words. Reading each through `_text.Text` costs a dozen
Python steps a word; a `Coder` reads them with the same tokenizer and the same folding,
but a text's whitespace-separated chunks ("(DHS),", "centers.") repeat across a catalog,
so each distinct chunk is read once and its code remembered. A text is then
``"".join(map(codes, text.split()))``: a few C-level steps a word, no Python.

A word's code is one character, the same for every text: its term's number (`number`).
`read` gives two codes of a text:

- its words: the terms that are not stopwords, a `CLAUSE` character where a clause
  ends, so that two words in a row within a clause are two characters in a row (a phrase
  is a substring);
- its names: every word, stopwords included, no clause marks, which is what the glossary's
  names are found in (`_name_finder.CodedNames`), position for position as in
  `Text.stems`.

The tokenizer (`_text.TOKEN`) never matches across whitespace, nor looks past it, so
reading a text chunk by chunk gives the tokens of reading it whole.

Each distinct chunk is remembered as one code of both (`_Chunks`): its words in order, a
`CLAUSE` character for each clause mark, and a word that is only in the names code (a
stopword) marked by `NAMES_ONLY` before its character. A catalog is one join over its
chunks; its names code is that less the marks (`str.replace`, in C), and its words code
that less each marked word (one regular expression's substitution, in C).

A character numbers a term, so a catalog of more than about 1.1 million distinct terms
leaves the terms past that as `UNNUMBERED`; `Coder.unnumbered` reads their terms the slow
way, for the few texts that hold them.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import accumulate, chain, repeat
from operator import add, contains, sub

from ._text import CLAUSE_MARKS, STOPWORDS, TOKEN, Text, _fold, singular

__all__ = ["CLAUSE", "NAMES_ONLY", "TEXT_END", "UNNUMBERED", "Coder", "Reading"]

CLAUSE = "\0"
"""The character that ends a clause in a text's words code."""
UNNUMBERED = "\1"
"""The character of every term past the last that a character can number."""
NAMES_ONLY = "\2"
"""The mark, in a chunk's code, before a word that is in its names code only (a stopword)."""
TEXT_END = "\3"
"""The character that ends each text in `Reading.names`."""
_FIRST_NUMBER = 4
_BATCH = 256
"""How many texts `Coder.read_all` splits at once. The chunks a split makes are freed
among the strings that the index keeps, and the memory around those stays in use: the
fewer at once, the less (1,024 a batch left 3 MB more of it at 5,000 excerpts, measured)."""
_LAST_NUMBER = sys.maxunicode
_STOPWORD_FIRST = 0x100
"""Stopwords are numbered from here, apart from the terms, which have the characters below
(those that Python shares, not made anew each time a string yields one) to themselves."""
_STOPWORD_CODES = {
    word: chr(_STOPWORD_FIRST + number) for number, word in enumerate(sorted(STOPWORDS))
}
_STOPWORD_END = _STOPWORD_FIRST + len(_STOPWORD_CODES)
_NAMES_ONLY_WORD = re.compile(NAMES_ONLY + ".", re.DOTALL)
"""A word of a chunk's code that its words code leaves out."""


def _names_code(code: str) -> str:
    """A chunk's names code, from its code: every word, no mark.

    >>> _names_code("\\0" + NAMES_ONLY + "a" + "b" + "\\0")
    'ab'
    """
    return code.replace(CLAUSE, "").replace(NAMES_ONLY, "")


def _words_code(code: str) -> str:
    """A chunk's words code, from its code: the words that count, and the clause marks.

    >>> _words_code("\\0" + NAMES_ONLY + "a" + "b" + "\\0")
    '\\x00b\\x00'
    """
    return _NAMES_ONLY_WORD.sub("", code) if NAMES_ONLY in code else code


class Reading:
    """What `Coder.read_all` reads of many texts.

    ``words[i]`` is text i's words code; `names` is every text's names code, each followed
    by `TEXT_END`, so that a name, found in all at once, never spans two texts;
    `text_at` tells whose a position of `names` is; `cased` gives the words as written,
    position for position with `names`, each text's read only when a slice of it is asked
    for (a name in capitals was found there).
    """

    __slots__ = ("_ends", "cased", "names", "words")

    def __init__(self, coder: Coder, texts: Sequence[str], words: list[str], names: str) -> None:
        self.words = words
        self.names = names
        # Where each text's names code ends: the lengths of the codes and their marks so far,
        # less one, in C. What follows the last mark is no text's.
        lengths = map(len, names.split(TEXT_END)[:-1])
        self._ends = list(map(sub, accumulate(map(add, lengths, repeat(1))), repeat(1)))
        self.cased = _Cased(coder, texts, self)

    def text_at(self, position: int) -> int:
        """The number of the text whose names code holds `position`."""
        return bisect_left(self._ends, position)

    def texts_at(self, positions: Iterable[int]) -> list[int]:
        """`text_at` of each position, in C.

        >>> Coder().read_all(["Fusion centers.", "The SARs"]).texts_at([0, 1, 3, 4])
        [0, 0, 1, 1]
        """
        return list(map(bisect_left, repeat(self._ends), positions))

    def start_of(self, number: int) -> int:
        """Where text `number`'s names code starts in `names`."""
        return self._ends[number - 1] + 1 if number else 0


class _Cased:
    """The words of many texts as written, sliced by position in a `Reading.names`."""

    __slots__ = ("_coder", "_last", "_reading", "_texts")

    def __init__(self, coder: Coder, texts: Sequence[str], reading: Reading) -> None:
        self._coder = coder
        self._texts = texts
        self._reading = reading
        self._last: tuple[int, Sequence[str]] = (-1, ())

    def __getitem__(self, span: slice) -> Sequence[str]:
        """The words from ``span.start`` to ``span.stop``, which are one text's."""
        number = self._reading.text_at(span.start)
        if self._last[0] != number:
            self._last = (number, self._coder.cased(self._texts[number]))
        start = self._reading.start_of(number)
        return self._last[1][span.start - start : span.stop - start]


def _tokens(chunk: str) -> Sequence[str]:
    """A chunk's tokens: a run of letters and digits is one, else the tokenizer says."""
    return (chunk,) if chunk.isalnum() else TOKEN.findall(chunk)


class _Chunks(dict[str, str]):
    """The code of each chunk read so far (see the module's docstring); a chunk not read yet
    is read on lookup."""

    __slots__ = ("_coder",)

    def __init__(self, coder: Coder) -> None:
        super().__init__()
        self._coder = coder

    def __missing__(self, chunk: str) -> str:
        return self._coder._read_chunk(chunk)


class _CasedChunks(dict[str, tuple[str, ...]]):
    """The words as written of each chunk asked for, read on lookup as `Coder._read_chunk`
    reads the chunk's terms: few chunks are asked for, so none is read before."""

    __slots__ = ()

    def __missing__(self, chunk: str) -> tuple[str, ...]:
        word = chunk.strip(CLAUSE_MARKS)
        if word.isalnum():  # as `_read_chunk` reads it
            folded = word.casefold()
            if folded[:1].isalnum() and singular(folded):
                found: tuple[str, ...] = (word,)
                self[chunk] = found
                return found
        found = self[chunk] = tuple(
            written for term, written, _ in map(_fold, _tokens(chunk)) if term
        )
        return found


class Coder:
    """Numbers terms as characters, and reads texts into codes of them.

    >>> coder = Coder()
    >>> words, names = coder.read("Fusion centers, and the centers’ partners.")
    >>> [coder.term(code) for code in words]
    ['fusion', 'center', '\\x00', 'center', 'partner', '\\x00']
    >>> [coder.term(code) for code in names]
    ['fusion', 'center', 'and', 'the', 'center', 'partner']
    >>> coder.cased("Fusion centers, and the centers’ partners.")
    ['Fusion', 'centers', 'and', 'the', 'centers', 'partners']
    """

    __slots__ = ("_cased", "_characters", "_chunks", "_terms", "numbers")

    def __init__(self) -> None:
        self.numbers: dict[str, str] = dict(_STOPWORD_CODES)
        """Each term's character."""
        self._terms: list[str] = []
        # Each code point's character, those of terms as `numbers` has them: one string each.
        self._characters = [*map(chr, range(_STOPWORD_FIRST)), *_STOPWORD_CODES.values()]
        self._chunks = _Chunks(self)  # each chunk's code, words and names in one
        self._cased = _CasedChunks()  # each chunk's cased words, those asked for

    def number(self, term: str) -> str:
        """The term's character, numbering it if it has none (`UNNUMBERED` past the last)."""
        found = self.numbers.get(term)
        if found is not None:
            return found
        number = len(self._terms) + _FIRST_NUMBER
        if number >= _STOPWORD_FIRST:  # the stopwords' characters come next
            number += _STOPWORD_END - _STOPWORD_FIRST
        if number > _LAST_NUMBER:
            return UNNUMBERED
        found = self.numbers[term] = chr(number)
        self._terms.append(term)
        if number >= len(self._characters):
            self._characters.append(found)
        return found

    def character(self, point: int) -> str:
        """The character of a code point, as `numbers` has it if it numbers a term.

        >>> coder = Coder()
        >>> coder.character(ord(coder.number("fusion"))) is coder.numbers["fusion"]
        True
        """
        return self._characters[point]

    def term(self, code: str) -> str:
        """The term a character numbers (a `CLAUSE` or `UNNUMBERED` mark as itself)."""
        number = ord(code)
        if number < _FIRST_NUMBER:
            return code
        if number < _STOPWORD_FIRST:
            return self._terms[number - _FIRST_NUMBER]
        if number < _STOPWORD_END:
            return sorted(STOPWORDS)[number - _STOPWORD_FIRST]
        return self._terms[number - _FIRST_NUMBER - len(_STOPWORD_CODES)]

    def read(self, text: str) -> tuple[str, str]:
        """A text's words code and names code (see the module's docstring)."""
        code = "".join(map(self._chunks.__getitem__, text.split()))  # reads those not read yet
        return _words_code(code), _names_code(code)

    def read_all(self, texts: Sequence[str]) -> Reading:
        """Many texts' words codes, and their names codes as one string (see `Reading`).

        All are read as one, a batch of `_BATCH` at a time (a batch's chunks are under a
        megabyte, not hundreds): a chunk of their own (`TEXT_END`) between two texts, one
        split and one join a batch; the words and names codes are then made from the whole.

        >>> coder = Coder()
        >>> reading = coder.read_all(["Fusion centers.", "The SARs"])
        >>> [[coder.term(code) for code in words] for words in reading.words]
        [['fusion', 'center', '\\x00'], ['sar']]
        >>> one, two = coder.read("Fusion centers.")[1], coder.read("The SARs")[1]
        >>> reading.names == one + TEXT_END + two + TEXT_END
        True
        >>> reading.cased[4:5]  # "SARs", in the second text
        ['SARs']
        """
        if any(map(contains, texts, repeat(TEXT_END))):  # the mark is a text's: one by one
            return self._read_each(texts)
        codes = []
        # For these joins only: a text may say the mark alone.
        self._chunks[TEXT_END] = TEXT_END
        try:
            for start in range(0, len(texts), _BATCH):  # the chunks of a batch at a time
                chunks = f" {TEXT_END} ".join([*texts[start : start + _BATCH], ""]).split()
                codes.append("".join(map(self._chunks.__getitem__, chunks)))
        finally:
            del self._chunks[TEXT_END]
        code = "".join(codes)
        del codes
        words = _words_code(code).split(TEXT_END)
        del words[-1]  # what follows the last text's end
        return Reading(self, texts, words, _names_code(code))

    def _read_each(self, texts: Sequence[str]) -> Reading:
        """`read_all`, one text at a time."""
        words, names = [], []
        for text in texts:
            text_words, text_names = self.read(text)
            words.append(text_words)
            names.append(text_names + TEXT_END)
        return Reading(self, texts, words, "".join(names))

    def cased(self, text: str) -> Sequence[str]:
        """A text's words as written, less a possessive, as `Text.cased` has them."""
        return list(chain.from_iterable(map(self._cased.__getitem__, text.split())))

    def written(self, codes: Collection[str]) -> dict[str, set[str]]:
        """Every way the texts read so far write a word of each of these codes, as `cased`
        has the words: each distinct chunk is looked at, not each text.

        >>> coder = Coder()
        >>> _ = coder.read("SARs, a sar (SAR).")
        >>> sorted(coder.written({coder.number("sar")})[coder.number("sar")])
        ['SAR', 'SARs', 'sar']
        """
        found: dict[str, set[str]] = {code: set() for code in codes}
        cased = self._cased
        for chunk, read in self._chunks.items():
            if not found.keys().isdisjoint(read):
                for code, word in zip(_names_code(read), cased[chunk], strict=True):
                    if code in found:
                        found[code].add(word)
        return found

    def saying(self) -> dict[str, list[str]]:
        """Each term's character, and the chunks read so far that say the term as a word that
        counts (no stopword), by `_text.Text`'s rule; less each term that only one chunk
        says, the term itself (as most are: "partner", said so alone), which `said_as`
        tells.

        The chunks are copies, made now: the strings read were made among millions of
        others, since freed, and each one kept would keep the memory around it in use.

        >>> coder = Coder()
        >>> _ = coder.read("Partners, the partner and its partners; wills fusion")
        >>> {coder.term(code): chunks for code, chunks in coder.saying().items()}
        {'partner': ['Partners,', 'partner', 'partners;'], 'will': ['wills']}
        """
        found: dict[str, list[str]] = {}
        characters = self._characters  # the keys are the strings of `numbers`, not copies
        for read, code in self._chunks.items():
            words = _words_code(code)
            for word in dict.fromkeys(words) if len(words) > 1 else words:
                if word > TEXT_END:  # no mark, nor a term that has no character
                    found.setdefault(characters[ord(word)], []).append(read)
        copies: dict[str, str] = {}  # each chunk's copy (see above), one for all its terms
        kept = {}
        for code, chunks in found.items():
            if len(chunks) > 1 or chunks[0] != self.term(code):
                kept[code] = [
                    copies.get(chunk) or copies.setdefault(chunk, (chunk + " ")[:-1])
                    for chunk in chunks
                ]
        return kept

    @staticmethod
    def said_as(term: str, saying: Mapping[str, Sequence[str]], code: str) -> Sequence[str]:
        """The chunks that say a term (`code` its character), from what `saying` gave.

        A term that `saying` leaves out is said by itself alone, or by no chunk: a stopword
        said as itself is not counted, and a term that no chunk says (a word of a name of
        the glossary's only) is not found as itself in any text read.

        >>> coder = Coder()
        >>> _ = coder.read("Partners, the fusion center")
        >>> saying = coder.saying()
        >>> [Coder.said_as(term, saying, coder.numbers[term]) for term in ("fusion", "partner")]
        [('fusion',), ['Partners,']]
        >>> Coder.said_as("the", saying, coder.numbers["the"])
        ()
        """
        found = saying.get(code)
        if found is not None:
            return found
        return () if term in STOPWORDS else (term,)

    def forget_chunks(self) -> None:
        """Forget the chunks read so far: `written` and `saying` know none after, and a text
        is read anew. The terms keep their characters.

        >>> coder = Coder()
        >>> _ = coder.read("Fusion centers")
        >>> coder.forget_chunks()
        >>> coder.saying(), coder.read("Fusion centers") == coder.read("Fusion centers")
        ({}, True)
        """
        self._chunks.clear()
        self._cased.clear()

    def _read_chunk(self, chunk: str) -> str:
        """A chunk's code (see the module's docstring)."""
        word = chunk.strip(CLAUSE_MARKS)
        if word.isalnum():  # one word, as most are, between clause marks if any ("(DHS),")
            folded = word.casefold()  # `_text._folded`, less what cannot apply
            term = singular(folded) if folded[:1].isalnum() else ""
            if term:
                code = self.number(term)
                if folded in STOPWORDS:
                    code = NAMES_ONLY + code
                before = len(chunk) - len(chunk.lstrip(CLAUSE_MARKS))
                if before or len(word) < len(chunk):
                    code = CLAUSE * before + code + CLAUSE * (len(chunk) - len(word) - before)
                self._chunks[chunk] = code
                return code
        codes = []
        for term, _, stopword in map(_fold, _tokens(chunk)):
            if not term:
                codes.append(CLAUSE)
                continue
            codes.append(NAMES_ONLY + self.number(term) if stopword else self.number(term))
        found = self._chunks[chunk] = "".join(codes)
        return found

    @staticmethod
    def unnumbered(text: str, numbers: dict[str, str]) -> Counter[str]:
        """How often a text says each term that has no character, by the slow reading."""
        read = Text(text, offsets=False)
        stems = read.stems
        return Counter(stems[at] for at in read.words if stems[at] not in numbers)
