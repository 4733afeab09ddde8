"""The word codes read what `Text` reads: the same terms, clauses and cased words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fusion_strategies as fs
from fusion_strategies import _name_finder
from fusion_strategies._codes import CLAUSE, TEXT_END, Coder
from fusion_strategies._name_finder import NameFinder
from fusion_strategies._text import CLAUSE_MARKS, Text

# Pieces that exercise the tokenizer: words and their plurals, stopwords (and "does",
# whose term is no stopword's, or "wills", no stopword whose term is one), possessives,
# initialisms, clause marks, other punctuation, every kind of space, and the mark that
# `Coder.read_all` puts between texts.
PIECES = (
    "Fusion", "centers", "center’s", "DHS’s", "I&A", "U.S.", "a.b.c", "does", "wills",
    "the", "and", "of", "Straße", "İstanbul", "x", "42", ",", ".", ";", "(", ")", "“", "”",
    "-", "/", "_", "'", "’", " ", "\u00a0", "\t", "\n", TEXT_END, "SARs", "é",
    *CLAUSE_MARKS,
)  # fmt: skip

texts = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
# And texts of chunks between spaces, each a few pieces: words with clause marks about
# them ("(DHS),"), as most texts are, which a reading of a chunk tells apart.
spaced = st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join))
texts = st.one_of(texts, spaced.map(" ".join))


def clauses_of(coder: Coder, words: str) -> list[list[str]]:
    """A words code's terms, grouped by clause, empty clauses left out."""
    groups = [[coder.term(code) for code in clause] for clause in words.split(CLAUSE)]
    return [group for group in groups if group]


def expected_clauses(text: Text) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for at in text.words:
        groups.setdefault(text.clauses[at], []).append(text.stems[at])
    return list(groups.values())


@given(st.lists(texts, max_size=6))
def test_read_all_reads_each_text_as_text_does(many: list[str]) -> None:
    coder = Coder()
    reading = coder.read_all(many)
    names = reading.names.split(TEXT_END)
    assert names[-1] == ""
    at = 0
    for text, words, named in zip(many, reading.words, names, strict=False):
        read = Text(text, offsets=False)
        assert clauses_of(coder, words) == expected_clauses(read)
        assert [coder.term(code) for code in named] == list(read.stems)
        if read.stems:
            assert list(reading.cased[at : at + len(read.stems)]) == list(read.cased)
        at += len(named) + 1
    assert len(reading.words) == len(many) == len(names) - 1


@given(texts)
def test_read_reads_a_text_as_read_all_does(text: str) -> None:
    one, many = Coder(), Coder()
    reading = many.read_all([text])
    words, names = one.read(text)
    assert clauses_of(one, words) == clauses_of(many, reading.words[0])
    assert [one.term(code) for code in names] == [many.term(code) for code in reading.names[:-1]]


# The bundled glossary's names and the first words of each, as written and in other cases,
# so that names start, run on and stop short, share first words, and are in capitals or not.
NAME_PIECES = sorted(
    {
        form
        for entity in fs.entities()
        for name in entity.names
        for words in [name.split()]
        for end in range(1, len(words) + 1)
        for piece in [" ".join(words[:end])]
        for form in (piece, piece.lower(), piece.upper())
    }
)
name_texts = st.lists(st.sampled_from([*NAME_PIECES, ",", "the", "SARs"]), max_size=12).map(
    " ".join
)


@given(st.lists(name_texts, min_size=1, max_size=8))
def test_the_names_found_in_codes_are_those_found_in_each_text(many: list[str]) -> None:
    glossary = NameFinder.of_glossary(fs.entities())
    coder = Coder()
    names = glossary.coded(coder.number)
    reading = coder.read_all(many)
    expected = [
        (key, reading.start_of(number) + first, reading.start_of(number) + end)
        for number, text in enumerate(many)
        for key, first, end in glossary.find(Text(text, offsets=False))
    ]
    # Scanned for each name's first word, as a short code is, and for where a whole name
    # starts, as a long one is.
    for long in (_name_finder._LONG_CODE, 0):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_name_finder, "_LONG_CODE", long)
            found = names.find(reading.names, cased=lambda: reading.cased, written=coder.written)
        assert found == expected


WORDS = [f"word{number}" for number in range(400)]


@given(st.lists(st.sampled_from([*WORDS, "the", "does", ",", "(SAR)"]), max_size=600))
def test_a_term_has_one_string_wherever_the_coder_gives_it(more: list[str]) -> None:
    # Past the first 252 terms, a term's character is a string made when it is numbered:
    # `character` and `saying` give that one string, not an equal copy.
    coder = Coder()
    words = [*WORDS, *more]
    # A comma after the last word of each text: a term said as itself alone is no key of
    # `saying`, and these are.
    coder.read_all([" ".join(words[at : at + 7]) + "," for at in range(0, len(words), 7)])
    for code in coder.numbers.values():
        assert coder.character(ord(code)) is code
    codes = {code: code for code in coder.numbers.values()}
    for code in coder.saying():
        assert code is codes[code]
