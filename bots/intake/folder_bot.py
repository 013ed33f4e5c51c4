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
from bots.intake.register import Incoming, take
from bots.storage.ledger import Ledger, Receipt
from bots.storage.mail_ledger import SeenMails
from bots.storage.store import Store
from mailbox.message import looks_like_mail

log = structlog.get_logger("folder_bot")

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
    return f"folder:{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


class FolderBot:
    """Finds complete files in the configured folders and takes them into the ledger."""

    def __init__(self, folders: tuple[FolderConfig, ...], ledger: Ledger, store: Store,
                 clock=time.monotonic):
        self.folders = folders
        self.ledger = ledger
        self.store = store
        self.clock = clock
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
            stat = path.stat()
            key = intake_key(path, stat)
            if folder.keep_originals and taken_before(self.ledger, key):
                return []
            data = path.read_bytes()
        except OSError as exc:
            log.warning("file_not_taken", folder=folder.source, error=type(exc).__name__)
            return []
        if looks_like_mail(data):  # an .eml file: handled like a mail from a mailbox
            receipts = list(take_mail(data, _file_mail(key, folder), self.ledger, self.store,
                                      SeenMails(self.ledger)).receipts)
        else:
            incoming = Incoming(data, folder.source, path.name, key, meta={"folder": folder.source})
            parts = parts_of(incoming, folder.batch, self.store) if folder.batch else [incoming]
            receipts = [take(part, self.ledger, self.store) for part in parts]
        _finish(path, folder)
        for receipt in receipts:
            log.info("file_taken", document_id=receipt.document_id, source=folder.source,
                     duplicate=receipt.duplicate)
        return [receipt for receipt in receipts if receipt.new]

    def _observe(self, path: Path) -> None:
        if path not in self._seen and path.is_file():
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
        """True when size and mtime stayed unchanged for settle_seconds and the file opens."""
        seen = self._seen[path]
        try:
            stat = path.stat()
        except FileNotFoundError:
            del self._seen[path]
            return False
        now = self.clock()
        if (stat.st_size, stat.st_mtime_ns) != (seen.size, seen.mtime_ns):
            seen.size, seen.mtime_ns, seen.since = stat.st_size, stat.st_mtime_ns, now
            return False
        if now - seen.since < folder.settle_seconds:
            return False
        try:
            with path.open("rb"):
                return True
        except OSError:
            return False

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


def _finish(path: Path, folder: FolderConfig) -> None:
    """Remove a taken file from its folder, or move it to the done-folder."""
    if folder.keep_originals:
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
    shutil.move(str(path), str(target))


class _Nominator(FileSystemEventHandler):
    def __init__(self, events: queue.SimpleQueue):
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        target = getattr(event, "dest_path", "") or event.src_path
        self.events.put(Path(os.fsdecode(target)))
