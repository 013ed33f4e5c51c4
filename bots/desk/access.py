"""Who may open which document at the review desk. Administrators open every document. A
clerk (Prüfplatz) opens what the desk is for: documents on their way through the bot and
open exceptions, and any document they handled or uploaded themselves; a filed or closed
document of someone else's work is none of theirs (404, as for an unknown id). Ids of
documents a user may not open are never shown to them (the duplicate check names "an
earlier document" instead)."""

from __future__ import annotations

import re

from bots.storage.ledger import DocumentRow, Ledger
from bots.storage.states import State

CLERK_STATES = frozenset({State.RECEIVED, State.READ, State.EXTRACTED, State.DECIDED,
                          State.EXCEPTION})
_DOCUMENT_IN_TEXT = re.compile(r"\bDokument ([0-9a-f]{16})\b")


def may_open(ledger: Ledger, row: DocumentRow, user: dict) -> bool:
    if user["role"] == "admin" or row.state in CLERK_STATES:
        return True
    if any(entry["actor"] == user["name"] for entry in ledger.audit_rows(row.id)):
        return True
    return any(meta.get("uploaded_by") == user["name"] for meta in ledger.intake_metas(row.sha256))


def may_open_id(ledger: Ledger, doc_id: str | None, user: dict) -> bool:
    row = ledger.get(doc_id) if doc_id else None
    return row is not None and may_open(ledger, row, user)


def without_hidden_ids(text: str, ledger: Ledger, user: dict) -> str:
    """`text` with every 'Dokument <id>' the user may not open said as 'ein früheres
    Dokument'."""
    return _DOCUMENT_IN_TEXT.sub(
        lambda m: m.group(0) if may_open_id(ledger, m.group(1), user) else "ein früheres Dokument",
        text)
