"""Running the installed command in a process of its own, as a user's shell runs it."""

from __future__ import annotations

import os
import pty
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


def run_in_terminal(*args: str, **env: str) -> str:
    """Run the script with its stdout on a pseudo-terminal and return what it printed."""
    controller, terminal = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update(TERM="xterm", **env)
    with subprocess.Popen(
        [str(SCRIPT), *args], stdout=terminal, stderr=subprocess.PIPE, env=environment
    ) as process:
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal is gone: the process has ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode("utf-8")
