"""The ledger: one row per document keyed by the SHA-256 of its bytes, in SQLite (WAL, the
default) or PostgreSQL (several hosts), chosen by its location (bots.storage.database).

It is the single source of truth: documents with their state, every intake event
(receipts), and an append-only audit table of every transition and human decision.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bots.storage.database import open_database, retried
from bots.storage.ledger_figures import LedgerFigures
from bots.storage.ledger_leases import LedgerLeases, leased
from bots.storage.search import drop_text
from bots.storage.states import RELAXED_STATES, STATES, TERMINAL, State

# Further writes in a transition's transaction; what it returns joins the audit detail.
Also = Callable[..., dict | None]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def document_id_for(sha256: str) -> str:
    """A document's id: the first 16 hex digits of its content hash (stable, path-safe)."""
    return sha256[:16]


@dataclass(frozen=True)
class DocumentRow:
    id: str
    sha256: str
    state: str
    source: str
    original_name: str
    store_path: str
    size: int
    received_at: str
    updated_at: str
    kind: str | None
    pages: int | None
    caseworker: str | None
    rule_id: str | None
    reason: str | None
    reason_detail: str | None
    invoice: dict | None
    decision: dict | None
    filed_path: str | None
    filed_at: str | None
    attempts: int
    parent_id: str | None
    pay_by: str | None = None
    lease_owner: str | None = None
    lease_until: float | None = None
    retry_at: float | None = None
    purged_at: str | None = None
    invoice_key: str | None = None
    team: str | None = None


@dataclass(frozen=True)
class Receipt:
    """One intake event. `duplicate` is True when the bytes were already known."""

    document_id: str
    sha256: str
    source: str
    original_name: str
    duplicate: bool
    new: bool  # False when this very intake (same intake key) was already recorded


class Ledger(LedgerLeases, LedgerFigures):
    """Access to the ledger database. One instance per process (not shared across threads).
    `location`: an SQLite file path or a postgresql:// URL; `wait_seconds`: how long a step
    waits for an unreachable PostgreSQL server before it gives up."""

    def __init__(self, location: Path | str, wait_seconds: float = 60.0):
        self.location = location
        self.wait_seconds = wait_seconds
        self._db = open_database(location, wait_seconds)
        self.backend = self._db.backend

    @property
    def path(self) -> Path:
        return self._db.path  # SQLite only

    def shown_location(self) -> str:
        return self._db.location()

    def close(self) -> None:
        self._db.close()

    def wait_for_work(self, seconds: float) -> bool:
        """Sleep until another process announces work (True) or `seconds` pass."""
        return self._db.wait_for_work(seconds)

    @contextmanager
    def transaction(self, *, durable: bool = True, exclusive: bool = True) -> Iterator:
        """One transaction; `durable=False` commits without waiting for the disk (see
        RELAXED_STATES); `exclusive`: writers one at a time (always so on SQLite)."""
        with self._db.transaction(durable=durable, exclusive=exclusive) as db:
            yield db

    # -- intake ---------------------------------------------------------------

    @retried
    def register(self, *, sha256: str, intake_key: str, source: str, original_name: str,
                 store_path: str, size: int, meta: dict | None = None,
                 parent_id: str | None = None) -> Receipt:
        """Record one intake of some bytes, idempotently per intake_key."""
        doc_id = document_id_for(sha256)
        with self.transaction() as db:
            seen = db.execute("SELECT duplicate FROM receipts WHERE intake_key=?",
                              (intake_key,)).fetchone()
            if seen is not None:
                return Receipt(doc_id, sha256, source, original_name, bool(seen[0]), new=False)
            known = db.execute("SELECT 1 FROM documents WHERE sha256=?", (sha256,)).fetchone()
            at = now_iso()
            db.execute(
                "INSERT INTO receipts(intake_key, sha256, source, original_name, received_at,"
                " duplicate, meta_json) VALUES (?,?,?,?,?,?,?)",
                (intake_key, sha256, source, original_name, at, int(known is not None),
                 json.dumps(meta or {}, ensure_ascii=False)),
            )
            if known is None:
                db.execute(
                    "INSERT INTO documents(sha256, id, state, source, original_name, store_path,"
                    " size, received_at, updated_at, parent_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (sha256, doc_id, State.RECEIVED, source, original_name, store_path, size, at, at,
                     parent_id),
                )
                self._audit(db, doc_id, "bot", "received", None, State.RECEIVED, {"source": source})
                db.notify()
            else:
                self._audit(db, doc_id, "bot", "duplicate_received", None, None,
                            {"source": source})
        return Receipt(doc_id, sha256, source, original_name, known is not None, new=True)

    def has_intake(self, intake_key: str) -> bool:
        row = self._db.execute("SELECT 1 FROM receipts WHERE intake_key=?",
                               (intake_key,)).fetchone()
        return row is not None

    def intake_metas(self, sha256: str) -> list[dict]:
        """What each intake of these bytes noted about them (meta_json), first intake first."""
        rows = self._db.execute("SELECT meta_json FROM receipts WHERE sha256=? ORDER BY id",
                                (sha256,)).fetchall()
        return [json.loads(row[0]) if row[0] else {} for row in rows]

    def unpurged_among(self, doc_ids: list[str]) -> int:
        """How many of these documents (those that exist) still keep their copy."""
        marks = ",".join("?" * len(doc_ids))
        return self._db.execute(f"SELECT COUNT(*) FROM documents WHERE id IN ({marks})"  # noqa: S608
                                " AND purged_at IS NULL", doc_ids).fetchone()[0]

    def unpurged_parts(self, parent_id: str) -> int:
        return self._db.execute("SELECT COUNT(*) FROM documents WHERE parent_id=? AND"
                                " purged_at IS NULL", (parent_id,)).fetchone()[0]

    # -- state ----------------------------------------------------------------

    @retried
    def transition(self, doc_id: str, to_state: str, *, actor: str = "bot",
                   event: str | None = None, detail: dict | None = None,
                   passing: tuple[str, dict] | None = None, also: Also | None = None,
                   **columns) -> None:
        """Move a document to `to_state`, updating columns, with an audit row, atomically.
        `passing` (state, columns): a state passed on the way, recorded and audited in the
        same transaction (one commit instead of two when stages follow each other at once).
        `also`: further writes in the same transaction (a posting proposal); what it returns
        joins the audit row's detail."""
        steps = [passing] if passing else []
        steps.append((to_state, columns))
        if any(state not in STATES for state, _ in steps):
            raise ValueError(f"unknown state in {[state for state, _ in steps]!r}")
        relaxed = actor == "bot" and all(state in RELAXED_STATES for state, _ in steps)
        with self.transaction(durable=not relaxed, exclusive=False) as db:
            row = db.execute("SELECT state, lease_owner FROM documents WHERE id=?"
                             + db.for_update, (doc_id,)).fetchone()
            if row is None:
                raise KeyError(doc_id)
            self._check_fence(doc_id, row[1])  # the worker's lease, not taken over meanwhile
            from_state = row[0]
            for state, values in steps[:-1]:
                _set_state(db, doc_id, state, values)
                self._audit(db, doc_id, actor, state, from_state, state, None)
                from_state = state
            _set_state(db, doc_id, to_state, columns)
            detail = (detail or {}) | ((also(db) or {}) if also else {})
            self._audit(db, doc_id, actor, event or to_state, from_state, to_state, detail)

    @retried
    def add_attempt(self, doc_id: str) -> int:
        with self.transaction(durable=False, exclusive=False) as db:
            row = db.execute("SELECT attempts, lease_owner FROM documents WHERE id=?"
                             + db.for_update, (doc_id,)).fetchone()
            self._check_fence(doc_id, row[1])
            db.execute_later("UPDATE documents SET attempts=attempts+1 WHERE id=?", (doc_id,))
            return row[0] + 1

    @retried
    def audit(self, doc_id: str, event: str, *, actor: str = "bot",
              detail: dict | None = None) -> None:
        with self.transaction() as db:
            self._audit(db, doc_id, actor, event, None, None, detail)

    @staticmethod
    def _audit(db, doc_id, actor, event, from_state, to_state, detail) -> None:
        db.execute_later(
            "INSERT INTO audit(document_id, at, actor, event, from_state, to_state, detail_json)"
            " VALUES (?,?,?,?,?,?,?)",
            (doc_id, now_iso(), actor, event, from_state, to_state,
             json.dumps(detail or {}, ensure_ascii=False)),
        )

    # -- queries --------------------------------------------------------------

    def get(self, doc_id: str) -> DocumentRow | None:
        row = self._db.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
        return _document(row) if row else None

    def pending(self, now: float | None = None) -> list[DocumentRow]:
        """Documents not yet in a terminal state that are due for work (not leased by a live
        process, not waiting for a retry), oldest first."""
        now = time.time() if now is None else now
        marks = ",".join("?" * len(TERMINAL))
        rows = self._db.execute(
            f"SELECT * FROM documents WHERE state NOT IN ({marks})"  # noqa: S608
            " AND (retry_at IS NULL OR retry_at <= ?) ORDER BY received_at, id",
            (*TERMINAL, now),
        ).fetchall()
        stale = self._stale_owners(now)
        return [_document(r) for r in rows if not leased(r, now, stale)]

    def by_state(self, state: str) -> list[DocumentRow]:
        rows = self._db.execute(
            "SELECT * FROM documents WHERE state=? ORDER BY received_at, id", (state,)
        ).fetchall()
        return [_document(r) for r in rows]

    def all_documents(self) -> list[DocumentRow]:
        rows = self._db.execute("SELECT * FROM documents ORDER BY received_at, id").fetchall()
        return [_document(r) for r in rows]

    def find_filed_invoice(self, key: str, exclude_id: str) -> str | None:
        """The id of another filed or pending document with the same invoice key, if any."""
        row = self._db.execute(
            "SELECT id FROM documents WHERE invoice_key=?"
            " AND id<>? AND state IN ('decided','filed') ORDER BY received_at LIMIT 1",
            (key, exclude_id),
        ).fetchone()
        return row[0] if row else None

    def related_invoices(self, key: str, exclude_id: str, limit: int = 50) -> list[DocumentRow]:
        """Documents whose invoice key (issuer|NUMBER) shares the issuer or the invoice number
        with `key`, newest first: where the original of a duplicate is looked for."""
        issuer, _, number = key.partition("|")
        rows = self._db.execute(
            "SELECT * FROM documents WHERE id<>? AND (invoice_key LIKE ? ESCAPE '!'"
            " OR invoice_key LIKE ? ESCAPE '!') ORDER BY received_at DESC, id LIMIT ?",
            (exclude_id, f"{_literal(issuer)}|%", f"%|{_literal(number)}", limit),
        ).fetchall()
        return [_document(r) for r in rows]

    def count_events(self, doc_id: str, event: str) -> int:
        """How often the audit recorded `event` for the document (its filings, its returns)."""
        return self._db.execute("SELECT COUNT(*) FROM audit WHERE document_id=? AND event=?",
                                (doc_id, event)).fetchone()[0]

    def audit_rows(self, doc_id: str) -> list[dict]:
        rows = self._db.execute(
            "SELECT at, actor, event, from_state, to_state, detail_json FROM audit"
            " WHERE document_id=? ORDER BY id", (doc_id,)
        ).fetchall()
        return [dict(r) | {"detail": json.loads(r["detail_json"] or "{}")} for r in rows]

    def closed_before(self, states: tuple[str, ...], cutoff_iso: str) -> list[DocumentRow]:
        """Closed documents (not yet purged) whose closing is older than the cutoff."""
        marks = ",".join("?" * len(states))
        rows = self._db.execute(
            f"SELECT * FROM documents WHERE state IN ({marks}) AND purged_at IS NULL"  # noqa: S608
            " AND COALESCE(filed_at, updated_at) < ? ORDER BY received_at", (*states, cutoff_iso)
        ).fetchall()
        return [_document(r) for r in rows]

    @retried
    def clear_personal_data(self, doc_id: str, placeholder: str, at: str) -> None:
        """Retention: keep hash, state, queue and rule id; drop fields, traces, names, mail data,
        the read text and an exported posting proposal's values."""
        with self.transaction() as db:
            sha = db.execute("SELECT sha256 FROM documents WHERE id=?", (doc_id,)).fetchone()[0]
            kept = db.json_object("'queue'", "caseworker", "'rule_id'", "rule_id")
            db.execute(  # noqa: S608 - the dialect's JSON function, no values
                "UPDATE documents SET invoice_json=NULL, reason_detail=NULL, original_name=?,"
                f" decision_json={kept}, purged_at=? WHERE id=?", (placeholder, at, doc_id))
            drop_text(db, doc_id)
            db.execute("UPDATE receipts SET original_name=?, meta_json=NULL WHERE sha256=?",
                       (placeholder, sha))
            db.execute("UPDATE proposals SET proposal_json=NULL WHERE document_id=? AND batch IN"
                       " (SELECT batch FROM exports WHERE written_at IS NOT NULL)", (doc_id,))
            self._audit(db, doc_id, "bot", "purged", None, None, {})

    # -- review desk: guarded transitions, users, status figures ----------------

    def version(self, doc_id: str) -> int:
        """A number that changes with every audit row of the document (optimistic locking)."""
        row = self._db.execute("SELECT COALESCE(MAX(id), 0) FROM audit WHERE document_id=?",
                               (doc_id,)).fetchone()
        return row[0]

    @retried
    def transition_from(self, doc_id: str, from_state: str, to_state: str, *, actor: str,
                        event: str, version: int | None = None, detail: dict | None = None,
                        also: Also | None = None, **columns) -> bool:
        """Like transition(), but only while the document is in `from_state` (and, when given,
        still at `version`); False when someone else changed it first."""
        if to_state not in STATES:
            raise ValueError(f"unknown state {to_state!r}")
        with self.transaction() as db:
            row = db.execute("SELECT state FROM documents WHERE id=?", (doc_id,)).fetchone()
            current = db.execute("SELECT COALESCE(MAX(id), 0) FROM audit WHERE document_id=?",
                                 (doc_id,)).fetchone()[0]
            if row is None or row[0] != from_state or version not in (None, current):
                return False
            _set_state(db, doc_id, to_state, columns)
            detail = (detail or {}) | ((also(db) or {}) if also else {})
            self._audit(db, doc_id, actor, event, from_state, to_state, detail)
            if to_state not in TERMINAL:
                db.notify()  # back to the bots (a clerk's decision, a re-read)
        return True

    def query(self, sql: str, params: tuple = ()) -> list:
        """Rows of a read-only query, without taking the write lock (other modules' tables)."""
        return self._db.execute(sql, params).fetchall()


def _set_state(db, doc_id: str, state: str, columns: dict) -> None:
    values = {k: _column_value(v) for k, v in (columns | _derived(columns)).items()}
    values["state"] = state
    values["updated_at"] = now_iso()
    if state in TERMINAL:  # a finished document is nobody's: its lease ends with it
        values.update(lease_owner=None, lease_until=None, retry_at=None)
    assignments = ", ".join(f"{key}=?" for key in values)
    db.execute_later(f"UPDATE documents SET {assignments} WHERE id=?",  # noqa: S608
               (*values.values(), doc_id))


def _derived(columns: dict) -> dict:
    """Indexed columns kept in step with the JSON they come from, whoever writes it."""
    derived = {}
    if isinstance(columns.get("invoice_json"), dict):
        derived["invoice_key"] = columns["invoice_json"].get("invoice_key")
    if isinstance(columns.get("decision_json"), dict):
        derived["team"] = (columns["decision_json"].get("decision") or {}).get("team")
    return derived


def _column_value(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def _document(row) -> DocumentRow:
    data = dict(row)
    for column, name in (("invoice_json", "invoice"), ("decision_json", "decision")):
        text = data.pop(column)
        data[name] = json.loads(text) if text else None
    return DocumentRow(**data)


def _literal(text: str) -> str:
    """`text` for LIKE ... ESCAPE '!': its wildcards matched as themselves."""
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
