"""The folder bot: watches the registry's folders and takes each file once it is complete."""

from __future__ import annotations

import fnmatch
import os
import queue
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import structlog
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from bots.config import FolderConfig
from bots.intake.batch_split import parts_of, taken_before
from bots.intake.mail import MailOrigin, take_mail
from bots.intake.quarantine import DEFAULT_FOLDER, quarantine
from bots.intake.register import Incoming, take
from bots.intake.safe_read import Changed, Refused, kind_of, read_regular
from bots.intake.shares import settle_time
from bots.intake.writers import open_for_writing
from bots.storage.ledger import Ledger, Receipt
from bots.storage.mail_ledger import SeenMails
from bots.storage.store import Store
from mailbox.message import looks_like_mail

log = structlog.get_logger("folder_bot")

DEFAULT_MAX_BYTES = 100 * 2**20
IGNORED_PATTERNS = ("*.tmp", "*.part", "~$*", ".~lock*", "thumbs.db", "desktop.ini", ".*")


def is_ignored(name: str) -> bool:
    """Temporary and system files that are never invoices."""
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern) for pattern in IGNORED_PATTERNS)


def candidates(folder: FolderConfig) -> list[Path]:
    """Files in a watched folder (and its sub-folders) that may be invoices."""
    found = []
    if not folder.path.is_dir():
        return found
    skip = folder.done_folder.resolve() if folder.done_folder else None
    for root, dirs, files in os.walk(folder.path):
        dirs[:] = [d for d in dirs if not d.startswith(".")
                   and (skip is None or (Path(root) / d).resolve() != skip)]
        found += [Path(root) / name for name in files if not is_ignored(name)]
    return sorted(found)


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float


def intake_key(path: Path, stat: os.stat_result) -> str:
    """This arrival: where (the file itself, not what a link points to), size and mtime. A
    name that is not UTF-8 is keyed by its bytes in hex (it cannot be stored as text)."""
    where = str(path.parent.resolve() / path.name)
    try:
        where.encode("utf-8")
    except UnicodeEncodeError:
        return f"folder-bytes:{os.fsencode(where).hex()}:{stat.st_size}:{stat.st_mtime_ns}"
    return f"folder:{where}:{stat.st_size}:{stat.st_mtime_ns}"


class FolderBot:
    """Finds complete files in the configured folders and takes them into the ledger."""

    def __init__(self, folders: tuple[FolderConfig, ...], ledger: Ledger, store: Store,
                 clock=time.monotonic, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 quarantine_root: Path | None = None):
        self.folders = folders
        self.ledger = ledger
        self.store = store
        self.clock = clock
        self.max_bytes = max_bytes
        self.quarantine_root = quarantine_root or store.root.parent / DEFAULT_FOLDER
        self._settle = {folder.path: settle_time(folder) for folder in folders}
        self._seen: dict[Path, _Seen] = {}
        self._events: queue.SimpleQueue[Path] = queue.SimpleQueue()
        self._observers: list = []

    # -- discovery ------------------------------------------------------------

    def rescan(self) -> None:
        for folder in self.folders:
            for path in candidates(folder):
                self._observe(path)

    def start_watching(self) -> None:
        """Start watchdog observers; events only nominate files, readiness is checked here."""
        for folder in self.folders:
            folder.path.mkdir(parents=True, exist_ok=True)
            observer = PollingObserver(timeout=2) if folder.polling else Observer()
            observer.schedule(_Nominator(self._events), str(folder.path), recursive=True)
            observer.start()
            self._observers.append(observer)

    def stop_watching(self) -> None:
        for observer in self._observers:
            observer.stop()
        for observer in self._observers:
            observer.join(timeout=5)
        self._observers.clear()

    def has_waiting(self) -> bool:
        return bool(self._seen)

    # -- taking ---------------------------------------------------------------

    def take_ready(self) -> list[Receipt]:
        """Take every observed file that has settled; returns the new receipts."""
        self._drain_events()
        receipts = []
        for path in list(self._seen):
            folder = self._folder_of(path)
            if folder is None or not self._settled(path, folder):
                continue
            del self._seen[path]
            receipts += self._take(path, folder)
        return receipts

    def _take(self, path: Path, folder: FolderConfig) -> list[Receipt]:
        try:
            data, stat = read_regular(path, self.max_bytes)
            key = intake_key(path, stat)
            if folder.keep_originals and taken_before(self.ledger, key):
                return []
        except Changed:
            self._observe(path)  # still being written: look again once it settled
            return []
        except Refused as refused:
            return self._quarantine(path, folder, refused.kind)
        except PermissionError:
            return self._quarantine(path, folder, "unreadable")
        except OSError as exc:
            log.warning("file_not_taken", folder=folder.source, error=type(exc).__name__)
            return []
        receipts = self._register(data, key, path, folder)
        _finish(path, folder, stat)
        for receipt in receipts:
            log.info("file_taken", document_id=receipt.document_id, source=folder.source,
                     duplicate=receipt.duplicate)
        return [receipt for receipt in receipts if receipt.new]

    def _register(self, data: bytes, key: str, path: Path, folder: FolderConfig) -> list[Receipt]:
        if looks_like_mail(data):  # an .eml file: handled like a mail from a mailbox
            return list(take_mail(data, _file_mail(key, folder), self.ledger, self.store,
                                  SeenMails(self.ledger)).receipts)
        incoming = Incoming(data, folder.source, path.name, key, meta={"folder": folder.source})
        parts = parts_of(incoming, folder.batch, self.store) if folder.batch else [incoming]
        return [take(part, self.ledger, self.store) for part in parts]

    def _quarantine(self, path: Path, folder: FolderConfig, why: str) -> list[Receipt]:
        """What cannot be taken leaves the folder for quarantine, as an exception."""
        try:
            receipt = quarantine(path, why, source=folder.source, root=self.quarantine_root,
                                 ledger=self.ledger, store=self.store,
                                 limit_text=f"{self.max_bytes / 2**20:g} MB")
        except OSError as exc:
            log.warning("file_not_quarantined", folder=folder.source, why=why,
                        error=type(exc).__name__)
            return []
        log.warning("file_quarantined", document_id=receipt.document_id,
                    source=folder.source, why=why)
        return [receipt]

    def _observe(self, path: Path) -> None:
        if path not in self._seen and os.path.lexists(path) and not path.is_dir():
            self._seen[path] = _Seen(-1, -1, self.clock())

    def _drain_events(self) -> None:
        while True:
            try:
                path = self._events.get_nowait()
            except queue.Empty:
                return
            if not is_ignored(path.name) and self._folder_of(path) is not None:
                self._observe(path)

    def _settled(self, path: Path, folder: FolderConfig) -> bool:
        """True when size and mtime stayed unchanged for the settle time (on a shared folder
        at least SHARED_SETTLE_SECONDS) and no process here holds the file open for writing
        (a writer may pause longer than the settle time). What is no regular file is
        'settled' at once: it is quarantined, never opened."""
        seen = self._seen[path]
        try:
            stat = path.lstat()
        except FileNotFoundError:
            del self._seen[path]
            return False
        if kind_of(stat.st_mode) is not None:
            return True
        now = self.clock()
        if (stat.st_size, stat.st_mtime_ns) != (seen.size, seen.mtime_ns):
            seen.size, seen.mtime_ns, seen.since = stat.st_size, stat.st_mtime_ns, now
            return False
        if now - seen.since < self._settle[folder.path]:
            return False
        if open_for_writing(path):
            seen.since = now
            return False
        return True

    def _folder_of(self, path: Path) -> FolderConfig | None:
        for folder in self.folders:
            if path.is_relative_to(folder.path):
                if folder.done_folder and path.is_relative_to(folder.done_folder):
                    return None
                return folder
        return None


def _file_mail(key: str, folder: FolderConfig) -> MailOrigin:
    return MailOrigin(key=f"file:{key}", account=folder.source, folder=folder.source,
                      uidvalidity=None, uid=None, source=folder.source)


def _finish(path: Path, folder: FolderConfig, taken: os.stat_result) -> None:
    """Remove a taken file from its folder, or move it to the done-folder; a file that
    changed since it was read stays (it is taken again as a new arrival when complete)."""
    if folder.keep_originals or not _unchanged(path, taken):
        return
    if folder.done_folder is None:
        path.unlink(missing_ok=True)
        return
    folder.done_folder.mkdir(parents=True, exist_ok=True)
    target = folder.done_folder / path.name
    counter = 1
    while target.exists():
        target = folder.done_folder / f"{path.stem}-{counter}{path.suffix}"
        counter += 1
    try:
        shutil.move(str(path), str(target))
    except FileNotFoundError:  # another host sharing the folder took and moved it first
        log.info("file_taken_elsewhere", source=folder.source)


def _unchanged(path: Path, taken: os.stat_result) -> bool:
    try:
        now = path.lstat()
    except FileNotFoundError:
        return False
    return (now.st_ino, now.st_size, now.st_mtime_ns) == (taken.st_ino, taken.st_size,
                                                          taken.st_mtime_ns)


class _Nominator(FileSystemEventHandler):
    def __init__(self, events: queue.SimpleQueue):
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        target = getattr(event, "dest_path", "") or event.src_path
        self.events.put(Path(os.fsdecode(target)))
