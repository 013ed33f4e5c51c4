"""Posting proposals in the ledger database (table `proposals`): one row per filed invoice —
its proposal, or that it got none and why — written in the same transaction as the filing,
so an invoice is proposed exactly once. An export (table `exports`) marks its rows with its
batch before it writes its files, and is recorded as written after; a proposal not yet
exported is withdrawn when its invoice comes back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from bots.storage.ledger import Also, Ledger, now_iso


@dataclass(frozen=True)
class ProposalRow:
    document_id: str
    created_at: str
    status: str  # proposed | withheld
    missing: tuple[str, ...]  # withheld: what it lacked
    proposal: dict | None
    batch: str | None  # the export it went out in (None: not yet)


def recording(document_id: str, status: str, missing: tuple[str, ...], values: dict) -> Also:
    """For Ledger.transition(also=...): the proposal row, unless the document has one (an
    invoice filed again after a return whose proposal was already exported keeps that one)."""
    def write(db) -> dict:
        cursor = db.execute(
            "INSERT INTO proposals(document_id, created_at, status, missing, proposal_json)"
            " VALUES (?,?,?,?,?) ON CONFLICT (document_id) DO NOTHING",
            (document_id, now_iso(), status, ",".join(missing) or None,
             json.dumps(values, ensure_ascii=False) if values else None))
        return {"proposal": status if cursor.rowcount else "kept"}
    return write


def withdrawing(document_id: str) -> Also:
    """For Ledger.transition_from(also=...): an invoice taken back loses its proposal unless
    that was exported (then the finance system has it: the audit says so)."""
    def withdraw(db) -> dict:
        row = db.execute("SELECT status, batch FROM proposals WHERE document_id=?",
                         (document_id,)).fetchone()
        if row is None:
            return {"proposal": "none"}
        if row[1] is not None:
            return {"proposal": "exported", "batch": row[1]}
        db.execute("DELETE FROM proposals WHERE document_id=?", (document_id,))
        return {"proposal": "withdrawn" if row[0] == "proposed" else "none"}
    return withdraw


class Proposals:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def get(self, document_id: str) -> ProposalRow | None:
        rows = self._rows("SELECT * FROM proposals WHERE document_id=?", (document_id,))
        return rows[0] if rows else None

    def withheld(self) -> list[ProposalRow]:
        """Filed invoices without a proposal, oldest first."""
        return self._rows("SELECT p.* FROM proposals p JOIN documents d ON d.id=p.document_id"
                          " WHERE p.status='withheld' AND d.state='filed'"
                          " ORDER BY p.created_at, p.document_id")

    def mark_batch(self, day: date, prefix: str) -> str | None:
        """Give every proposal not yet exported (of a filed invoice) the next batch of `day`,
        "<prefix>-<day>-<n>", recorded as not yet written; its name, or None when there was
        nothing new."""
        with self.ledger.transaction() as db:
            taken = db.execute("SELECT COUNT(*) FROM exports WHERE day=?",
                               (day.isoformat(),)).fetchone()[0]
            batch = f"{prefix}-{day.isoformat()}-{taken + 1}"
            cursor = db.execute(
                "UPDATE proposals SET batch=? WHERE status='proposed' AND batch IS NULL"
                " AND document_id IN (SELECT id FROM documents WHERE state='filed')", (batch,))
            if not cursor.rowcount:
                return None
            db.execute("INSERT INTO exports(batch, day, marked_at, proposals) VALUES (?,?,?,?)",
                       (batch, day.isoformat(), now_iso(), cursor.rowcount))
            return batch

    def unwritten(self) -> list[str]:
        """Batches marked whose files were not all handed over yet (a crash), oldest first."""
        return [row[0] for row in self.ledger.query(
            "SELECT batch FROM exports WHERE written_at IS NULL ORDER BY marked_at, batch")]

    def written(self, batch: str) -> None:
        with self.ledger.transaction() as db:
            db.execute("UPDATE exports SET written_at=? WHERE batch=?", (now_iso(), batch))

    def in_batch(self, batch: str) -> list[ProposalRow]:
        return self._rows("SELECT * FROM proposals WHERE batch=? ORDER BY created_at,"
                          " document_id", (batch,))

    def _rows(self, sql: str, params: tuple = ()) -> list[ProposalRow]:
        return [ProposalRow(r["document_id"], r["created_at"], r["status"],
                            tuple((r["missing"] or "").split(",")) if r["missing"] else (),
                            json.loads(r["proposal_json"]) if r["proposal_json"] else None,
                            r["batch"])
                for r in self.ledger.query(sql, params)]
