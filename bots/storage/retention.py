"""Retention: the bot's own copies of filed originals are deleted after `retention_days` (the
e-file is the record); exceptions stay until a person closes them. With the copy go the copies
made for it (mail renderings, and batch scans and mails once all their documents are purged) and
the personal values in the ledger (fields, rule traces, file names, mail metadata, the sender of
a mail); hashes, states, queues, rule ids and the audit trail stay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bots.storage.ledger import Ledger, now_iso
from bots.storage.mail_ledger import SeenMails
from bots.storage.store import Store

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
    """Delete the copies and clear personal values; returns the number purged. With a
    document go the copies made for it: a mail's rendering as PDF; the scanned batch it was
    split from and the mail it came in, once the last document of those is purged."""
    mails = SeenMails(ledger)
    for item in items:
        derived = _derived_copies(ledger.intake_metas(item.sha256))
        store.path_for(item.sha256).unlink(missing_ok=True)
        ledger.clear_personal_data(item.document_id, PURGED_NAME, now_iso())
        for sha256 in derived["own"]:
            store.path_for(sha256).unlink(missing_ok=True)
        for batch_id, sha256 in derived["batches"]:
            if ledger.unpurged_parts(batch_id) == 0:
                store.path_for(sha256).unlink(missing_ok=True)
        for mail in mails.containing(item.document_id):
            if ledger.unpurged_among(list(mail.documents)) == 0:
                store.path_for(mail.eml_sha256).unlink(missing_ok=True)
                mails.forget_sender(mail.mail_key)
    return len(items)


def _derived_copies(metas: list[dict]) -> dict:
    """The store copies a document's intakes made besides it: its own (a mail's rendering)
    and those shared with other documents (the batch it was split from: (id, sha256))."""
    own = [m["rendering"]["sha256"] for m in metas if "sha256" in (m.get("rendering") or {})]
    batches = [(m["batch"]["id"], m["batch"]["sha256"]) for m in metas
               if "sha256" in (m.get("batch") or {})]
    return {"own": own, "batches": batches}
