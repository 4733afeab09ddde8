"""The catalog shipped in the package: read on first use, once, whichever thread asks."""

from __future__ import annotations

import sys
import threading

from ._collector import paused
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
    # The first load imports the converter's and the resource reader's modules, then builds
    # the records: long-lived or acyclic, so a collection in between would find nothing.
    with paused():
        if sys.version_info >= (3, 13):
            from importlib.resources import files
        else:
            from importlib_resources import files

        # The data build proved this file (build-data.sh --check): it is not checked again.
        from .fileformat import loads_proven

        return loads_proven(files(__package__).joinpath("data", "catalog.json").read_bytes())
