"""Reading a file from a watched folder without trusting it: only a regular file is opened
(never a symlink, FIFO, socket or device: `lstat`, `O_NOFOLLOW`, `O_NONBLOCK`), its size is
checked before a byte is read, and a file that changes while it is read is not taken."""

from __future__ import annotations

import os
import stat
from pathlib import Path

_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_CHUNK = 1 << 20


class Refused(Exception):
    """A file intake will not read: `kind` is 'symlink', 'special' or 'too_large'."""

    def __init__(self, kind: str, size: int = 0):
        super().__init__(kind)
        self.kind = kind
        self.size = size


class Changed(Exception):
    """The file changed while it was read (a writer is still at it): look again later."""


def kind_of(mode: int) -> str | None:
    """None for a regular file, else why it is never opened."""
    if stat.S_ISREG(mode):
        return None
    return "symlink" if stat.S_ISLNK(mode) else "special"


def read_regular(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `max_bytes`, and its status when read."""
    before = os.lstat(path)
    refuse_unless_fit(before, max_bytes)
    fd = os.open(path, _FLAGS)
    try:
        opened = os.fstat(fd)
        refuse_unless_fit(opened, max_bytes)
        if (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise Changed(path)  # replaced between lstat and open
        data = _read_at_most(fd, max_bytes)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise Refused("too_large", len(data))
    if len(data) != after.st_size or _version(after) != _version(opened):
        raise Changed(path)
    return data, after


def refuse_unless_fit(status: os.stat_result, max_bytes: int) -> None:
    kind = kind_of(status.st_mode)
    if kind is not None:
        raise Refused(kind)
    if status.st_size > max_bytes:
        raise Refused("too_large", status.st_size)


def _read_at_most(fd: int, max_bytes: int) -> bytes:
    chunks, total = [], 0
    while total <= max_bytes:
        chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _version(status: os.stat_result) -> tuple[int, int]:
    return status.st_size, status.st_mtime_ns
