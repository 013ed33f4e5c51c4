"""Handing files to a folder another program takes them from (a DMS hot folder), exactly once
across crashes.

A hand-over has a key, unique per document and attempt ("<document id>-f2": its second
filing). Its files are written into a temporary folder inside the staging folder and made
durable; renaming that folder to the key makes the complete set appear at once. Then each
file is moved into the hot folder in the order given — content first, the index, the ready
marker last — by a rename on the same file system, so the importer never sees half a file.
The key's folder, empty at the end, stays as the mark that the hand-over is complete until
the ledger has recorded it: a restart finds the mark and hands nothing over again, though the
DMS may long have taken the files away.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from bots.faults import fault_point
from bots.storage.atomic import TEMP_PREFIX, fsync_path, write_atomic_group, writer_alive

FILE_MODE = 0o640  # the DMS importer reads the files as a member of the bot's group
_KEY = re.compile(r"(?P<document>[0-9a-f]{16})-(?P<kind>[fr])(?P<number>\d+)")


def hand_over(staging: Path, hotfolder: Path, key: str, files: list[tuple[str, bytes]]) -> None:
    """Hand `files` (name, bytes) over to `hotfolder` once for `key`; repeating it after a
    crash completes what is missing and never repeats what is done."""
    staged = staging / key
    if not staged.is_dir():
        _stage(staging, key, files)
        fault_point("handover_staged")
    hotfolder.mkdir(parents=True, exist_ok=True)
    for index, (name, _) in enumerate(files):
        source = staged / name
        if not source.exists():  # moved before a crash
            continue
        os.replace(source, hotfolder / name)
        fsync_path(hotfolder)
        fsync_path(staged)
        if index == 0:
            fault_point("handover_partial")


def _stage(staging: Path, key: str, files: list[tuple[str, bytes]]) -> None:
    staging.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=staging))
    try:
        write_atomic_group(temporary, files)
        for name, _ in files:
            os.chmod(temporary / name, FILE_MODE)
        os.rename(temporary, staging / key)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    fsync_path(staging)


def key_for(document_id: str, kind: str, number: int) -> str:
    """'f' for a filing, 'r' for the mark of a return; `number` counts them per document."""
    return f"{document_id}-{kind}{number}"


def forget_earlier(staging: Path, document_id: str, kind: str, number: int) -> None:
    """Remove the completed marks of this document's earlier hand-overs of this kind: the
    ledger recorded them, or there would be no later one."""
    if not staging.is_dir():
        return
    for path in staging.glob(f"{document_id}-{kind}*"):
        found = parse_key(path.name)
        if found and found[2] < number:
            forget(staging, path.name)


def parse_key(key: str) -> tuple[str, str, int] | None:
    """(document id, kind, number) of a document's hand-over key, else None."""
    found = _KEY.fullmatch(key)
    return (found["document"], found["kind"], int(found["number"])) if found else None


def sweep(staging: Path, recorded: Callable[[str], bool]) -> int:
    """Remove what a killed writer left (temporary folders) and the marks of hand-overs the
    ledger has recorded (`recorded(key)`); returns how many."""
    removed = 0
    if not staging.is_dir():
        return removed
    for path in staging.iterdir():
        if path.name.startswith(TEMP_PREFIX):
            if not writer_alive(path.name):
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        elif recorded(path.name):
            removed += forget(staging, path.name)
    return removed


def forget(staging: Path, key: str) -> int:
    """Remove the mark of a completed hand-over the ledger has recorded (1), unless it is no
    mark: a hand-over not yet complete keeps its files (0)."""
    try:
        (staging / key).rmdir()
    except OSError:
        return 0
    return 1
