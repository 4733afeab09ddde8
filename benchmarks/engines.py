"""Not a script: the engines that search.py and scale.py measure ours against.

`Fts5`: SQLite FTS5 in memory, with the unicode61 tokenizer (case-folded words), ranked
by bm25. `Tantivy`: a tantivy index in RAM, written by one writer thread and committed
once, ranked by its BM25. Both are built from the excerpts' texts in page order, take a
query's words as an OR, and return the 10 best: FTS5 their numbers (from 0, in page
order), tantivy their addresses.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tantivy

__all__ = ["Fts5", "Tantivy", "words"]

LIMIT = 10
_FTS5_SEARCH = (
    "SELECT rowid - 1, bm25(excerpts) FROM excerpts WHERE excerpts MATCH ?"
    " ORDER BY bm25(excerpts) LIMIT ?"
)


def words(query: str) -> list[str]:
    """A query's words, each as letters and digits only, so that no engine reads syntax."""
    cleaned = ("".join(char for char in word if char.isalnum()) for word in query.split())
    return [word for word in cleaned if word]


class Fts5:
    """The excerpts in an in-memory SQLite FTS5 table (unicode61: case-folded words)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.connection = sqlite3.connect(":memory:")
        self.connection.execute("CREATE VIRTUAL TABLE excerpts USING fts5(text)")
        self.connection.executemany(
            "INSERT INTO excerpts (rowid, text) VALUES (?, ?)", enumerate(texts, start=1)
        )
        self.connection.commit()

    def search(self, query: str, limit: int = LIMIT) -> list[int]:
        """The numbers of the `limit` best excerpts by bm25, best first."""
        match = " OR ".join(f'"{word}"' for word in words(query))
        if not match:
            return []
        rows = self.connection.execute(_FTS5_SEARCH, (match, limit)).fetchall()
        return [int(number) for number, _ in rows]


class Tantivy:
    """The excerpts in a tantivy index in RAM (its default tokenizer: lower-cased words)."""

    def __init__(self, texts: Iterable[str]) -> None:
        import tantivy  # here, not at the top, so that the FTS5 figures need no tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("text", stored=False)
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema)
        writer = self.index.writer(num_threads=1)
        for text in texts:
            writer.add_document(tantivy.Document(text=text))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def query(self, query: str) -> tantivy.Query:
        """The OR of a query's words (lower-cased, as the index has them)."""
        import tantivy

        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "text", word.lower()))
                for word in words(query)
            ]
        )

    def search(self, query: str, limit: int = LIMIT) -> list[tuple[int, int]]:
        """The addresses (segment, document) of the `limit` best excerpts by BM25, best first.

        An address is what a search gives; reading the document it names is not timed.
        """
        hits = self.searcher.search(self.query(query), limit, count=False).hits
        return [(address.segment_ord, address.doc) for _, address in hits]
