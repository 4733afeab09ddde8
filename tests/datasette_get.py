"""Datasette's answers to GET requests on a database, from a process of its own.

``python datasette_get.py DATABASE [--metadata FILE] PATH...`` prints a JSON list with, for
each path, its status and decoded JSON body; with ``--metadata``, Datasette is given that
metadata file, as ``datasette DATABASE -m FILE`` would be.

Datasette 0.65 leaves SQLite connections open, on import and on every request, and Python
3.14's sqlite3 reports each one as a ``ResourceWarning`` when the garbage collector
finalizes it, in whichever test runs then. Asked from a process of its own, as a user's
Datasette would be, its leaks stay in that process, and the test suite keeps treating
every warning of ours as an error.
"""

from __future__ import annotations

import asyncio
import json
import sys


async def get(
    database: str, paths: list[str], metadata: dict[str, object] | None = None
) -> list[dict[str, object]]:
    # Imported here, so that collecting the tests' modules does not import it.
    from datasette.app import Datasette

    datasette = Datasette([database], metadata=metadata)
    answers = []
    for path in paths:
        response = await datasette.client.get(path)
        answers.append({"status": response.status_code, "json": response.json()})
    return answers


if __name__ == "__main__":
    database, *paths = sys.argv[1:]
    metadata = None
    if paths[:1] == ["--metadata"]:
        with open(paths[1], encoding="utf-8") as file:
            metadata = json.load(file)
        paths = paths[2:]
    print(json.dumps(asyncio.run(get(database, paths, metadata))))
