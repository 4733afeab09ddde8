"""Running the installed command in a process of its own, as a user's shell runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "fusion-strategies"
OLD = b"the old content, which must survive a failed write\n"


def run(*args: str | bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, **env}
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, env=environment, timeout=120, check=False
    )


def one_line_error(result: subprocess.CompletedProcess[bytes], status: int = 1) -> str:
    error = result.stderr.decode("utf-8", "replace")
    assert result.returncode == status, error
    assert "Traceback" not in error
    assert error.count("\n") == 1, error
    return error


def listing(folder: Path) -> list[str]:
    return sorted(child.name for child in folder.iterdir())
