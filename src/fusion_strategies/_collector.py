"""The cyclic garbage collector, paused while a large batch of acyclic records is built.

Building a catalog from a large file allocates hundreds of thousands of dicts, tuples and
records, none of them in a reference cycle; each allocation counts towards the next
collection, and each collection walks the heap that the load is growing, for about a
third of the load's time and nothing found. Pauses nest and may overlap across threads:
the collector is enabled again when the last one ends, and only if it was enabled when
the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off, as it was afterwards.

    >>> import gc
    >>> with paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    global _pauses, _was_enabled  # noqa: PLW0603  # one collector per process, one count
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
