"""Whether some process still has a file open for writing. A writer that pauses longer than
the settle time (a slow scanner, a copy over a slow share) must not lose its file.

First a read lease (Linux `F_SETLEASE`): refused with EAGAIN while anyone holds the file open
for writing. Leases need the file's owner (or CAP_LEASE) and a local file system; otherwise
the open files of the processes this user may see in /proc are searched."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from pathlib import Path

_F_SETLEASE = getattr(fcntl, "F_SETLEASE", 1024)
_WRITE_MODES = os.O_WRONLY | os.O_RDWR


def open_for_writing(path: Path) -> bool:
    """True when a process is known to have `path` open for writing."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False  # not ours to judge: reading decides
    try:
        verdict = _lease_says(fd)
        if verdict is not None:
            return verdict
        status = os.fstat(fd)
    finally:
        os.close(fd)
    return _writer_in_proc((status.st_dev, status.st_ino))


def _lease_says(fd: int) -> bool | None:
    try:
        fcntl.fcntl(fd, _F_SETLEASE, fcntl.F_RDLCK)
    except OSError as exc:
        if exc.errno == errno.EAGAIN:
            return True
        return None  # not the owner, or no leases on this file system
    fcntl.fcntl(fd, _F_SETLEASE, fcntl.F_UNLCK)
    return False


def _writer_in_proc(identity: tuple[int, int]) -> bool:
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if _is_writer(pid, fd, identity):
                    return True
    return False


def _is_writer(pid: str, fd: str, identity: tuple[int, int]) -> bool:
    try:
        status = os.stat(f"/proc/{pid}/fd/{fd}")
        if (status.st_dev, status.st_ino) != identity:
            return False
        with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as info:
            flags = next(int(line.split()[1], 8) for line in info if line.startswith("flags:"))
    except (OSError, StopIteration, ValueError):
        return False
    return bool(flags & _WRITE_MODES)
