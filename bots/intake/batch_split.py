"""Batch scans at intake: a stack of invoices the registry scanned into one file becomes one
document per invoice (ocr.batch cuts it at separator sheets, and at blank pages if
configured). The batch's own bytes stay in the store; each part is registered with
parent_id = the batch's document id, and its place in the batch (part n of k, the batch's
pages) in the receipt's meta.
"""

from __future__ import annotations

from pathlib import Path

import structlog

from bots.config import BatchSplit
from bots.intake.register import Incoming
from bots.storage.ledger import Ledger, document_id_for
from bots.storage.store import Store
from ocr.batch import split_batch

log = structlog.get_logger("batch")


def part_key(intake_key: str, number: int) -> str:
    return f"{intake_key}#part{number}"


def taken_before(ledger: Ledger, intake_key: str) -> bool:
    """Whether this arrival was taken already, whole or as the parts of a batch."""
    return ledger.has_intake(intake_key) or ledger.has_intake(part_key(intake_key, 1))


def parts_of(incoming: Incoming, split: BatchSplit, store: Store) -> list[Incoming]:
    """The arrival as it is, or, for a batch scan, one arrival per invoice in it."""
    parts = split_batch(incoming.data, separator_text=split.separator_text,
                        at_blank_pages=split.at_blank_pages)
    if not parts:
        return [incoming]
    sha, stored = store.put(incoming.data)  # the batch itself is kept
    batch_id = document_id_for(sha)
    stem = Path(incoming.original_name).stem
    log.info("batch_split", batch_id=batch_id, parts=len(parts))
    return [
        Incoming(part.data, incoming.source, f"{stem} – Teil {n} von {len(parts)}{part.suffix}",
                 part_key(incoming.intake_key, n),
                 meta=(incoming.meta or {}) | {"batch": {
                     "id": batch_id, "sha256": sha, "store_path": str(stored),
                     "original_name": incoming.original_name, "part": n, "parts": len(parts),
                     "pages": list(part.pages)}},
                 parent_id=batch_id)
        for n, part in enumerate(parts, start=1)
    ]
