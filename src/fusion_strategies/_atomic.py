"""The one way the package writes a file: whole or not at all, never through a trap.

`write_atomically(path, write)` calls `write` with a binary file and puts what it wrote
at `path`; `write_bytes_atomically(path, data)` writes bytes. For a regular file (or a
name not taken yet):

- the new content goes to a temporary made by `tempfile.mkstemp` in the target's folder
  (an unpredictable name, created exclusively, so a symlink planted there is not followed),
  then is flushed, synced and renamed over the target, so that a reader sees the old file
  or the new one, never half of either;
- an existing target keeps its permission bits (a 0600 file stays 0600); a new one gets
  what `open` would give it (0666 less the umask); a symlink to a regular file is followed
  and the file it names replaced, so that the link stays;
- on any failure, and on SIGTERM, SIGHUP or Ctrl-C during the write, the temporary is
  removed and the old file is left as it was; the signal then takes its usual course.

A special file (a FIFO, a terminal or another device, and whatever ``/dev/stdout`` or
``/proc/self/fd/N`` points at) cannot be replaced without breaking whoever reads it, so it
is written in place, as a shell's ``>`` would (appended to, when it is a regular file
reached through such a path, which keeps a ``>>`` redirection's order).

A directory, or an empty path, raises `IsADirectoryError` or `FileNotFoundError` with the
path, like `open`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import BinaryIO

__all__ = ["write_atomically", "write_bytes_atomically"]

_STREAM_PATHS = ("/dev/fd/",)
_STANDARD_STREAMS = frozenset({"/dev/stdin", "/dev/stdout", "/dev/stderr"})
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def write_bytes_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Put `data` at `path`, whole or not at all; see the module's docstring.

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_bytes_atomically(target, b"hello")
    >>> target.read_bytes()
    b'hello'
    """
    write_atomically(path, lambda file: file.write(data))


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> None:
    """Call `write` with a binary file, and put what it wrote at `path`, whole or not at all.

    If `write` raises, the exception propagates and `path` is as it was.

    >>> import os, pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = target.write_text("old"); target.chmod(0o600)
    >>> write_atomically(target, lambda file: file.write(b"new"))
    >>> target.read_text(), oct(target.stat().st_mode & 0o777), os.listdir(target.parent)
    ('new', '0o600', ['notes.txt'])
    >>> def fail(file):
    ...     file.write(b"half")
    ...     raise RuntimeError("disk on fire")
    >>> write_atomically(target, fail)
    Traceback (most recent call last):
      ...
    RuntimeError: disk on fire
    >>> target.read_text(), os.listdir(target.parent)
    ('new', ['notes.txt'])
    """
    name = os.fspath(path)
    if not isinstance(name, str):
        raise TypeError(f"path must be a str or an os.PathLike of one, not {type(name).__name__}")
    if not name:
        raise FileNotFoundError(errno.ENOENT, "no file name given", name)
    try:
        in_place, target, mode = _examine(name)
    except ValueError:  # a NUL, or a lone surrogate that the file system cannot encode
        raise FileNotFoundError(errno.ENOENT, "not a valid path", name) from None
    if in_place:
        _write_in_place(name, target, write)
        return
    folder = os.path.dirname(target) or "."
    base = os.path.basename(target)
    with _signals_raise():
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=folder)
        except OSError as error:  # a missing or read-only folder: name the file asked for
            raise type(error)(error.errno, error.strerror, name) from None
        try:
            with os.fdopen(descriptor, "wb") as file:
                os.fchmod(file.fileno(), mode)
                write(file)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _examine(name: str) -> tuple[bool, str, int]:
    """Whether to write in place, the file to write, and the permission bits it is to have."""
    try:
        status = os.stat(name)
    except FileNotFoundError:
        if os.path.islink(name):  # a dangling symlink: create what it names
            return False, os.path.realpath(name), _default_mode()
        return False, name, _default_mode()
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
    if not stat.S_ISREG(status.st_mode) or _through_a_stream(name):
        return True, name, 0
    return False, os.path.realpath(name), stat.S_IMODE(status.st_mode)


def _through_a_stream(name: str) -> bool:
    """Whether a path leads through an open stream, as /dev/stdout and /proc/self/fd/1 do."""
    hop = os.path.abspath(name)
    for _ in range(40):  # the kernel's own limit on symlinks followed
        if hop.startswith(_STREAM_PATHS) or hop in _STANDARD_STREAMS:
            return True
        if hop.startswith("/proc/") and "/fd/" in hop:  # /proc/self/fd/1, /proc/42/fd/3
            return True
        if not os.path.islink(hop):
            return False
        hop = os.path.join(os.path.dirname(hop), os.readlink(hop))
    return False


def _write_in_place(name: str, target: str, write: Callable[[BinaryIO], object]) -> None:
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
    if stat.S_ISREG(os.stat(target).st_mode):
        flags |= os.O_APPEND
    try:
        descriptor = os.open(target, flags)
    except OSError as error:
        raise type(error)(error.errno, error.strerror, name) from None
    with os.fdopen(descriptor, "wb") as file:
        write(file)


def _default_mode() -> int:
    """The permission bits `open` gives a new file: 0666 less the umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


class _Terminated(BaseException):
    """A signal that ends the process arrived during a write; it is re-sent after cleanup."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception while a write runs, so that it cleans up.

    Only where their handler is the default one (the process would die), and only in the
    main thread, which is where Python runs handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    replaced = [number for number in _SIGNALS if signal.getsignal(number) == signal.SIG_DFL]

    def terminate(number: int, _frame: object) -> None:
        raise _Terminated(number)

    for number in replaced:
        signal.signal(number, terminate)
    try:
        yield
    except _Terminated as terminated:
        for number in replaced:
            signal.signal(number, signal.SIG_DFL)
        replaced = []
        os.kill(os.getpid(), terminated.number)  # die of it, as the process would have
        raise  # where the signal does not end the process at once
    finally:
        for number in replaced:
            signal.signal(number, signal.SIG_DFL)
