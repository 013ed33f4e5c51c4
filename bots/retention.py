"""Retention: the bot's own copies of filed originals are deleted after `retention_days` (the
e-file is the record); exceptions stay until a person closes them. With the copy go the personal
values in the ledger (fields, rule traces, file names, mail metadata); hashes, states, queues,
rule ids and the audit trail stay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bots.ledger import Ledger, now_iso
from bots.store import Store

CLOSED_STATES = ("filed", "rejected")
PURGED_NAME = "(gelöscht)"


@dataclass(frozen=True)
class PurgeItem:
    document_id: str
    sha256: str
    state: str
    closed_at: str
    bytes: int


def due_for_purge(ledger: Ledger, retention_days: int, now: datetime | None = None
                  ) -> list[PurgeItem]:
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=retention_days)).isoformat()
    return [PurgeItem(r.id, r.sha256, r.state, r.filed_at or r.updated_at, r.size)
            for r in ledger.closed_before(CLOSED_STATES, cutoff)]


def purge(ledger: Ledger, store: Store, items: list[PurgeItem]) -> int:
    """Delete the copies and clear personal values; returns the number purged."""
    for item in items:
        store.path_for(item.sha256).unlink(missing_ok=True)
        ledger.clear_personal_data(item.document_id, PURGED_NAME, now_iso())
    return len(items)
