"""Retention: the bot's own copies of filed originals are deleted after `retention_days` (the
e-file is the record); exceptions stay until a person closes them. With the copy go the copies
made for it (mail renderings, and batch scans and mails once all their documents are purged) and
the personal values in the ledger (fields, rule traces, file names, mail metadata, the sender of
a mail); hashes, states, queues, rule ids and the audit trail stay.

What was learned from clerks' corrections holds data of invoices too (a provider's VAT ID,
IBAN and letterhead, where its fields are printed): a hint is kept `learned_retention_days`
after it was learned (learning it again from a new correction starts it afresh), and a
provider goes with its keys once it has no hint left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bots.storage.learned_hints import LearnedHints
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
    return [PurgeItem(r.id, r.sha256, r.state, r.filed_at or r.updated_at, r.size)
            for r in ledger.closed_before(CLOSED_STATES, _cutoff(retention_days, now))]


def _cutoff(days: int, now: datetime | None) -> str:
    return ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat()


def learned_due(ledger: Ledger, days: int, now: datetime | None = None) -> int:
    """How many learned hints are older than `days`."""
    return LearnedHints(ledger).learned_before(_cutoff(days, now))


def purge_learned(ledger: Ledger, days: int, now: datetime | None = None) -> tuple[int, int]:
    """Remove the hints learned more than `days` ago and the providers left without one;
    how many hints and providers went."""
    return LearnedHints(ledger).forget_learned_before(_cutoff(days, now))


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
