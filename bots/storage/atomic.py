"""Durable, atomic file writes: temporary file in the target folder, fsync, rename, fsync folder."""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TEMP_PREFIX = ".tmp-"


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see either nothing or the whole file."""
    path = Path(path)
    write_atomic_group(path.parent, [(path.name, data)])


def write_atomic_group(folder: Path, files: list[tuple[str, bytes]]) -> None:
    """Write several files into one folder, each atomically, made visible in the order given
    and made durable together: the files are written, then fsynced at once (the file system
    makes them durable in one journal commit rather than one after the other), renamed in
    order, and the folder is fsynced once."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, Path]] = []
    try:
        for name, data in files:
            written.append((_temporary(folder, data), folder / name))
        _fsync_all([tmp for tmp, _ in written])
        for tmp, path in written:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in written:
            Path(tmp).unlink(missing_ok=True)
        raise
    fsync_path(folder)


def _temporary(folder: Path, data: bytes) -> str:
    """A temporary file in `folder` holding `data` (not yet durable); its path."""
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


_syncers: ThreadPoolExecutor | None = None


def _forget_syncers() -> None:
    """A forked child has none of its parent's threads: it starts its own pool."""
    global _syncers
    _syncers = None


os.register_at_fork(after_in_child=_forget_syncers)


def _fsync_all(paths: list[str]) -> None:
    """fsync the files in parallel threads; an error is raised once all are done."""
    global _syncers
    if len(paths) == 1:
        fsync_path(paths[0])
        return
    if _syncers is None:
        _syncers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fsync")
    for future in [_syncers.submit(fsync_path, path) for path in paths]:
        future.result()


def fsync_path(path: str | Path) -> None:
    """fsync a file or a folder by its path."""
    fd = os.open(path, os.O_RDONLY)
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
        if not writer_alive(tmp.name):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def writer_alive(name: str) -> bool:
    """Whether the process named in a temporary file's (or folder's) name still runs."""
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
