"""The bundled catalog as plain JSON data, to break on purpose, and the problems it gets."""

from __future__ import annotations

import json
from typing import Any

import pytest

import fusion_strategies as fs

BUNDLED: dict[str, Any] = json.loads(fs.dumps(fs.catalog()))


def problems_of(data: str | bytes) -> tuple[str, ...]:
    with pytest.raises(fs.DatasetError) as raised:
        fs.loads(data)
    return raised.value.problems
