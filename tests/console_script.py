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
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update(TERM="xterm", **env)
    return on_a_terminal(list(args), environment, stdout=True)[1]


def run_with_stderr_on_a_terminal(*args: str) -> tuple[bytes, str]:
    """Run the script with stderr on a pseudo-terminal: its stdout, and what stderr showed."""
    return on_a_terminal(list(args), dict(os.environ), stdout=False)


def on_a_terminal(args: list[str], env: dict[str, str], *, stdout: bool) -> tuple[bytes, str]:
    """Run the script with stdout, or else stderr, on a pseudo-terminal.

    Gives what the other stream carried and what the terminal showed.
    """
    controller, terminal = pty.openpty()
    streams = (terminal, subprocess.PIPE) if stdout else (subprocess.PIPE, terminal)
    with subprocess.Popen(
        [str(SCRIPT), *args], stdout=streams[0], stderr=streams[1], env=env
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
        piped = process.stderr if stdout else process.stdout
        assert piped is not None
        other = piped.read()
        process.wait(timeout=60)
    os.close(controller)
    return other, b"".join(chunks).decode("utf-8")
