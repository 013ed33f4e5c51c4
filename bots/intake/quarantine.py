"""What intake cannot take (a symlink, a FIFO or device, a file too large to read, a file it
may not read) leaves the watched folder for a quarantine folder, untouched, and becomes an
exception with a German reason, so a clerk learns of it and the folder bot goes on.

The ledger holds a short note about the file in its place (the file itself is never read):
the quarantine folder keeps the original under its own name, bytes as they were, and the
intake record says where (`quarantined_file`: what the desk and `exceptions show` point to)."""

from __future__ import annotations

import errno
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bots.display_names import display_name
from bots.intake.register import Incoming, take
from bots.storage.ledger import Ledger, Receipt
from bots.storage.store import Store

DEFAULT_FOLDER = "quarantaene"

_WHY = {
    "symlink": ("unsupported", "Verknüpfung (Symlink) statt einer Datei – nicht "
                                    "geöffnet"),
    "special": ("unsupported", "keine gewöhnliche Datei (Gerät, FIFO oder Socket) – "
                                    "nicht geöffnet"),
    "too_large": ("too_large", "Datei größer als {limit} – nicht eingelesen"),
    "unreadable": ("unreadable", "Datei konnte nicht gelesen werden (Zugriffsrechte?)"),
}


def quarantine(path: Path, why: str, *, source: str, root: Path, ledger: Ledger, store: Store,
               limit_text: str = "") -> Receipt:
    """Move `path` (the entry itself, never what a link points to) into
    `root/<source>/<stamp>/` and register an exception about it. OSError when it cannot be
    moved (then nothing is registered)."""
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    place = root / source / stamp
    place.mkdir(parents=True, exist_ok=True)
    target = place / path.name
    try:
        os.rename(path, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:  # not another file system
            place.rmdir()
            raise
        shutil.move(path, target)  # copies a link as a link, not its target
    reason, detail = _WHY[why]
    detail = f"{detail.format(limit=limit_text)}; in Quarantäne: {display_name(str(target))}"
    note = (f"Quarantäne\nQuelle: {source}\nDatei: {display_name(path.name)}\n"
            f"Ablage: {display_name(str(target))}\nGrund: {detail}\n").encode()
    return take(Incoming(note, source, path.name, f"quarantine:{stamp}",
                         meta={"folder": source, "quarantine": display_name(str(target)),
                               "exception": {"reason": reason, "detail": detail}}),
                ledger, store)


def quarantined_file(ledger: Ledger, sha256: str) -> str | None:
    """Where the original of a quarantined document lies (a display path), None for any
    other document (its original is in the store)."""
    return next((m["quarantine"] for m in ledger.intake_metas(sha256) if "quarantine" in m),
                None)
