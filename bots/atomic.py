"""Durable, atomic file writes: temporary file in the target folder, fsync, rename, fsync folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".tmp-"


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see either nothing or the whole file."""
    path = Path(path)
    write_atomic_group(path.parent, [(path.name, data)])


def write_atomic_group(folder: Path, files: list[tuple[str, bytes]]) -> None:
    """Write several files into one folder, each atomically, made visible in the order given
    and made durable together: every file is fsynced before any is renamed, and the folder is
    fsynced once at the end (one folder fsync instead of one per file)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, Path]] = []
    try:
        for name, data in files:
            written.append((_durable_temporary(folder, data), folder / name))
        for tmp, path in written:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in written:
            Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(folder)


def _durable_temporary(folder: Path, data: bytes) -> str:
    """A temporary file in `folder` holding `data`, fsynced; its path."""
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files that a killed process left under `folder`; returns how many.
    A temporary file names its writer's pid: those of live processes are left alone."""
    removed = 0
    if not folder.is_dir():
        return removed
    for tmp in folder.rglob(f"{TEMP_PREFIX}*"):
        if not _writer_alive(tmp.name):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def _writer_alive(name: str) -> bool:
    pid = name[len(TEMP_PREFIX):].split("-", 1)[0]
    if not pid.isdigit() or int(pid) == 0:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
