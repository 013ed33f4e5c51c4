"""Folders people (or a DMS) drop files into for the bot, grouped by the document they name:
every file whose name starts with a 16-digit document id belongs to that document. A group
is taken once none of its files changed for `settle` seconds; files the bot cannot use are
set aside into a sub-folder with a German note that says why, never deleted."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import structlog

from bots.intake.folder_bot import is_ignored
from bots.logs import where_raised

log = structlog.get_logger("returns")

DOCUMENT_PREFIX = re.compile(r"[0-9a-f]{16}")
NOTE_SUFFIXES = (".txt", ".err", ".error", ".log", ".fehler")
MAX_NOTE = 500


def settled_groups(folder: Path, settle: float) -> dict[str | None, list[Path]]:
    """Document id -> its files in `folder` (None: files that name no document), only groups
    whose files all settled."""
    try:
        entries = [p for p in folder.iterdir() if p.is_file() and not is_ignored(p.name)]
    except OSError:  # not there (yet), or unreachable: nothing to take now
        return {}
    groups: dict[str | None, list[Path]] = {}
    for path in sorted(entries):
        prefix = path.name[:16].lower()
        groups.setdefault(prefix if DOCUMENT_PREFIX.fullmatch(prefix) else None, []).append(path)
    now = time.time()
    return {key: files for key, files in groups.items()
            if all(now - _mtime(p) >= settle for p in files)}


def each_group(folder: Path, settle: float,
               take: Callable[[str | None, list[Path]], bool]) -> list[str]:
    """Hand each settled group to `take`; the document ids it took. A group that fails is
    logged and left for the next pass: one bad file never stops the others or the bot."""
    taken = []
    for document_id, files in settled_groups(folder, settle).items():
        try:
            if take(document_id, files):
                taken.append(document_id)
        except Exception as exc:  # noqa: BLE001 - a bad file or a share that went away
            log.error("drop_folder_failed", document_id=document_id, folder=folder.name,
                      error_type=type(exc).__name__, where=where_raised(exc))
    return taken


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()


def note_of(files: list[Path]) -> str:
    """The text of the group's note files (.txt, or a DMS's .err/.log), on one line,
    at most MAX_NOTE characters; '' when there is none."""
    texts = []
    for path in files:
        if path.suffix.lower() in NOTE_SUFFIXES:
            data = path.read_bytes()[:64 * 1024]
            try:
                texts.append(data.decode("utf-8-sig"))
            except UnicodeDecodeError:
                texts.append(data.decode("cp1252", errors="replace"))
    text = " ".join(" ".join(texts).split())
    return text[:MAX_NOTE - 1] + "…" if len(text) > MAX_NOTE else text


def set_aside(folder: Path, files: list[Path], why: str, into: str) -> None:
    """Move `files` into folder/<into>/ (a name taken gets a number) with a note file
    '<first file>.hinweis.txt' saying `why` (German)."""
    target = folder / into
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        destination = target / path.name
        number = 1
        while destination.exists():
            number += 1
            destination = target / f"{path.stem}-{number}{path.suffix}"
        os.replace(path, destination)
    if why:
        (target / f"{files[0].name}.hinweis.txt").write_text(why + "\n", encoding="utf-8")


def remove(files: list[Path]) -> None:
    for path in files:
        path.unlink(missing_ok=True)
