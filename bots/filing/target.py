"""What every filing target does, and the values it is given: file a decided invoice exactly
once, withdraw (or mark) it when it comes back, and say when it cannot take files now."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bots.pipeline.model import Checks, Document, Invoice, Routing


class EfileUnavailable(Exception):
    """The e-file target cannot be written now (unreachable, full): retry later."""


@dataclass(frozen=True)
class Filed:
    """What is known of a decided invoice, for its target: the recorded values, the name of
    the queue's caseworker (or team) and the vendor's creditor number."""

    document: Document
    invoice: Invoice
    checks: Checks
    routing: Routing
    queue_name: str
    creditor_number: str | None = None


@dataclass(frozen=True)
class Filing:
    """One hand-over of an invoice: its PDF (and original XML), the how-many-th filing of the
    document this is (1, or more after it came back) and when."""

    filed: Filed
    pdf: bytes
    xml: bytes | None
    number: int
    at: str


@dataclass(frozen=True)
class Withdrawal:
    """A filed invoice sent back: by whom, with which note, the how-many-th return it is."""

    filed: Filed
    by: str
    note: str
    number: int
    at: str


class FilingTarget(Protocol):
    def check(self, queue: str, needed: int = 0) -> None:
        """Raise EfileUnavailable unless the queue's target can take `needed` bytes now."""

    def file(self, filing: Filing) -> str:
        """Hand the invoice over, exactly once however often it is called for the same filing
        (a restart repeats it); the location for the ledger. EfileUnavailable: retry later."""

    def withdraw(self, withdrawal: Withdrawal) -> None:
        """Take the copy back from the queue, or mark it where it cannot be taken back;
        repeating it changes nothing more."""


MIN_FREE_BYTES = 50 * 1024 * 1024  # never fill the target's last 50 MB


def check_free_space(folder: Path, needed: int, reserve: int = MIN_FREE_BYTES) -> None:
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        free = shutil.disk_usage(probe).free
    except OSError as exc:
        raise EfileUnavailable(f"target not reachable ({exc.strerror})") from None
    if free < needed + reserve:
        raise EfileUnavailable(f"target almost full ({free // 2**20} MB free)")


def check_folder(folder: Path, needed: int = 0) -> None:
    """Raise EfileUnavailable unless `folder` exists (made when missing) and can take
    `needed` bytes now."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EfileUnavailable(f"target not reachable ({exc.strerror})") from None
    check_free_space(Path(folder), needed)
