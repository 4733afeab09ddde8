"""Reading a stranger's file: a bounded number of bytes, and never waiting on a pipe."""

from __future__ import annotations

import errno
import os

__all__ = ["MAX_FILE_SIZE", "MAX_TEXT", "read_at_most"]

MAX_FILE_SIZE = 64 * 1024 * 1024
"""The most bytes of an input file read unless a caller says otherwise (64 MiB).

`fileformat.MAX_FILE_SIZE` is this number, under the name that users read; it lives here,
with the reader, so that the package's face can give it as a default without importing
the file format and its converter.
"""

MAX_TEXT = 64 * 1024 * 1024
"""The most bytes of a product's text (64 MiB) read from one file, JSON line or stdin.

`products.MAX_TEXT` is this number; it lives here so that the command line bounds the text
that `match` reads with the very number that `tag` reads with, without importing
`products` for every command (`show` needs none of it).
"""


def read_at_most(path: str | os.PathLike[str], limit: int) -> bytes:
    """A file's first `limit` + 1 bytes at most, so that a caller can tell one too large.

    A FIFO that nobody writes to is opened without waiting (reads then block as usual),
    and a path the file system cannot hold (a NUL, a lone surrogate) is a
    `FileNotFoundError`, as a missing file is.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ten.txt"
    >>> _ = path.write_bytes(b"0123456789")
    >>> read_at_most(path, 4), len(read_at_most(path, 100))
    (b'01234', 10)
    """
    # O_NONBLOCK lets open() return on a FIFO that nobody writes to; reads then block as usual.
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, os.O_RDONLY | nonblocking)
    except ValueError:  # a NUL, or a lone surrogate that the file system cannot encode
        raise FileNotFoundError(errno.ENOENT, "no such file (not a valid path)", path) from None
    with open(descriptor, "rb", closefd=True) as file:
        if nonblocking:
            os.set_blocking(descriptor, True)
        return file.read(limit + 1)
