"""The catalog shipped in the package: read on first use, once, whichever thread asks."""

from __future__ import annotations

import sys
import threading

from .catalog import Catalog

_lock = threading.Lock()
_loaded: list[Catalog] = []


def bundled_catalog() -> Catalog:
    """The catalog of ``data/catalog.json``, loaded under a lock the first time only."""
    if not _loaded:
        with _lock:
            if not _loaded:
                _loaded.append(_read())
    return _loaded[0]


def _read() -> Catalog:
    if sys.version_info >= (3, 13):
        from importlib.resources import files
    else:
        from importlib_resources import files

    from .fileformat import loads

    return loads(files(__package__).joinpath("data", "catalog.json").read_bytes())
