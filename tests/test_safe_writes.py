"""Files that must not be lost: every command that writes a file writes it whole or not
at all, through a temporary no one can redirect, keeping its mode, and writes special
files in place. The CLI meets broken files and streams with one line, never a traceback."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import fusion_strategies as fs
from console_script import OLD, listing
from fusion_strategies import export

# -- the temporary --------------------------------------------------------------------------


def test_a_symlink_planted_at_the_temporary_name_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(OLD)
    target = tmp_path / "out.json"
    # The old temporary's name was predictable: .NAME.PID.tmp, opened with plain open().
    (tmp_path / f".out.json.{os.getpid()}.tmp").symlink_to(victim)
    export.write(target, "json", fs.catalog())
    assert victim.read_bytes() == OLD
    assert fs.load(target) == fs.catalog()
    assert not target.is_symlink()


@pytest.mark.parametrize("format", ["json", "sqlite"])
def test_an_existing_files_mode_is_kept(tmp_path: Path, format: export.ExportFormat) -> None:
    target = tmp_path / "private"
    target.write_bytes(OLD)
    target.chmod(0o600)
    export.write(target, format, fs.catalog())
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() != OLD


def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        export.write(tmp_path / "new.csv", "csv", fs.catalog())
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640


def test_a_symlink_to_a_file_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.bib"
    real.write_bytes(OLD)
    link = tmp_path / "link.bib"
    link.symlink_to(real)
    export.write(link, "bibtex", fs.catalog())
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("@misc{")


# -- special files ----------------------------------------------------------------------------


def test_a_fifo_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as reader:
            received.append(reader.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    export.write(fifo, "bibtex", fs.catalog())
    reader.join(timeout=10)
    if reader.is_alive():  # the old code replaced the FIFO, so the reader still waits: free it
        if stat.S_ISFIFO(fifo.stat().st_mode):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received[0].startswith(b"@misc{")


def test_a_device_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    export.write(device, "json", fs.catalog())
    assert stat.S_ISCHR(device.stat().st_mode)


# -- failures -------------------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    from fusion_strategies._atomic import write_atomically

    target = tmp_path / "out"
    target.write_bytes(OLD)

    def fail(file: object) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, fail)
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["out"]


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_a_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, number: int
) -> None:
    target = tmp_path / "out"
    target.write_bytes(OLD)
    # The signal's usual course, whatever this suite inherited: under `nohup`, SIGHUP is
    # ignored, and a write must leave an ignored signal ignored (the test below).
    usual = "signal.default_int_handler" if number == signal.SIGINT else "signal.SIG_DFL"
    script = (
        "import os, signal, sys\n"
        f"signal.signal({int(number)}, {usual})\n"
        "from fusion_strategies._atomic import write_atomically\n"
        "def write(file):\n"
        "    file.write(b'half of the new')\n"
        f"    os.kill(os.getpid(), {int(number)})\n"
        "    file.write(b' content')\n"
        "try:\n"
        f"    write_atomically({str(target)!r}, write)\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit(130)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=60, check=False
    )
    assert result.returncode in {-number, 130}, result.stderr
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["out"]


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
def test_an_ignored_signal_stays_ignored_during_a_write(tmp_path: Path) -> None:
    # As under `nohup`: the hang-up the user asked to ignore ends neither the write nor
    # the process, and the new content is written whole.
    target = tmp_path / "out"
    target.write_bytes(OLD)
    script = (
        "import os, signal\n"
        "signal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
        "from fusion_strategies._atomic import write_atomically\n"
        "def write(file):\n"
        "    file.write(b'half of the new')\n"
        "    os.kill(os.getpid(), signal.SIGHUP)\n"
        "    file.write(b' content')\n"
        f"write_atomically({str(target)!r}, write)\n"
        "assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == b"half of the new content"
    assert listing(tmp_path) == ["out"]
