"""Finding documents in the ledger (the desk's search): by invoice number, provider (fuzzy),
gross amount, invoice date, day of receipt, caseworker, state and the words of the read text.

The read text (OCR or a PDF's text layer) is kept in `document_text`, written with the
extraction: on SQLite an FTS5 table, on PostgreSQL a tsvector with the 'german' text search
configuration (schema_postgres.py). Everything else comes from the documents table. Every
query here only reads; the newest documents come first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

if TYPE_CHECKING:
    from bots.storage.ledger import Ledger

PROVIDER_SIMILARITY = 80  # rapidfuzz partial ratio of the typed name to the seller's name
MAX_WORDS = 10
_WORD = re.compile(r"\w+")
_NUMBER_PART = re.compile(r"[^\s/.-]+")


@dataclass(frozen=True)
class Criteria:
    """What was asked; empty parts ask nothing. Dates are ISO days, amounts Decimals."""

    number: str = ""
    provider: str = ""
    amount_from: Decimal | None = None
    amount_to: Decimal | None = None
    issued_from: str | None = None
    issued_to: str | None = None
    received_from: str | None = None
    received_to: str | None = None
    caseworker: str = ""
    states: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Scope:
    """Whose search it is: `everything` for administrators; otherwise the documents in
    `open_states` and those the user `name` handled (audit) or uploaded."""

    everything: bool
    name: str = ""
    open_states: tuple[str, ...] = ()


def save_text(db, doc_id: str, text: str | None) -> None:
    """Keep the read text of a document for the full-text search (inside the caller's
    transaction); an earlier text of the same document is replaced."""
    drop_text(db, doc_id)
    if not (text and text.strip()):
        return
    if db.backend == "sqlite":
        db.execute("INSERT INTO document_text(rowid, document_id, body) VALUES (?, ?, ?)",
                   (_rowid(doc_id), doc_id, text))
    else:
        db.execute("INSERT INTO document_text(document_id, body) VALUES (?, ?)", (doc_id, text))


def drop_text(db, doc_id: str) -> None:
    """Forget the read text of a document (a new reading, retention)."""
    if db.backend == "sqlite":
        db.execute("DELETE FROM document_text WHERE rowid=?", (_rowid(doc_id),))
    else:
        db.execute("DELETE FROM document_text WHERE document_id=?", (doc_id,))


def _rowid(doc_id: str) -> int:
    """The FTS5 row of a document: its id's 64 bits as SQLite's signed integer. FTS5 finds a
    row quickly by its rowid only (by document_id it would read the whole table)."""
    return int(doc_id, 16) - 2**63


def find(ledger: Ledger, criteria: Criteria, scope: Scope) -> list[str]:
    """The ids of the documents that meet every criterion within the scope, newest first."""
    where, params = _conditions(ledger.backend, criteria)
    scope_sql, scope_params = _scope(ledger.backend, scope)
    wanted = criteria.provider.strip().casefold()
    seller = _json(ledger.backend, "invoice_json", "fields", "seller_name") if wanted else "NULL"
    rows = ledger.query(
        f"SELECT id, {seller} FROM documents WHERE {' AND '.join([*where, scope_sql])}"  # noqa: S608
        " ORDER BY received_at DESC, id DESC", (*params, *scope_params))
    return [doc_id for doc_id, name in rows
            if not wanted or (name and fuzz.partial_ratio(wanted, name.casefold())
                              >= PROVIDER_SIMILARITY)]


def _conditions(backend: str, c: Criteria) -> tuple[list[str], list]:
    where, params = ["1=1"], []

    def add(sql: str, *values) -> None:
        where.append(sql)
        params.extend(values)

    if c.states:
        add(f"state IN ({','.join('?' * len(c.states))})", *c.states)
    if c.caseworker:
        add("caseworker=?", c.caseworker)
    if c.received_from:
        add("received_at >= ?", c.received_from)
    if c.received_to:
        add("received_at < ?", c.received_to + "T99")  # the whole last day, any offset
    number = _json(backend, "invoice_json", "fields", "invoice_number")
    for part in _NUMBER_PART.findall(c.number.upper())[:MAX_WORDS]:  # every part, anywhere:
        add(f"UPPER({number}) LIKE ? ESCAPE '\\'", f"%{_escaped(part)}%")  # '2026-0457' finds
        # 'HA-2026-10-0457', 'sl 2026 0457' finds 'SL-2026-0457'
    issued = _json(backend, "invoice_json", "fields", "issue_date")
    if c.issued_from:
        add(f"{issued} >= ?", c.issued_from)
    if c.issued_to:
        add(f"{issued} <= ?", c.issued_to)
    gross = _number(backend, _json(backend, "invoice_json", "fields", "total_gross"))
    if c.amount_from is not None:
        add(f"{gross} >= ?", _amount(backend, c.amount_from))
    if c.amount_to is not None:
        add(f"{gross} <= ?", _amount(backend, c.amount_to))
    words = _WORD.findall(c.text)[:MAX_WORDS]
    if words:
        add(f"id IN (SELECT document_id FROM document_text WHERE {_match(backend)})",
            _text_query(backend, words))
    return where, params


def _scope(backend: str, scope: Scope) -> tuple[str, list]:
    if scope.everything:
        return "1=1", []
    marks = ",".join("?" * len(scope.open_states)) or "NULL"
    uploader = _json(backend, "meta_json", "uploaded_by")
    return (f"(state IN ({marks}) OR id IN (SELECT document_id FROM audit WHERE actor=?)"
            f" OR sha256 IN (SELECT sha256 FROM receipts WHERE {uploader}=?))",
            [*scope.open_states, scope.name, scope.name])


def _json(backend: str, column: str, *path: str) -> str:
    """The text at `path` of a JSON column, in the backend's words."""
    if backend == "postgresql":
        return f"({column}::jsonb #>> '{{{','.join(path)}}}')"
    return f"json_extract({column}, '$.{'.'.join(path)}')"


def _number(backend: str, text_sql: str) -> str:
    if backend == "postgresql":  # a value that is no number is simply not found
        return (f"(CASE WHEN {text_sql} ~ '^-{{0,1}}[0-9]+([.][0-9]+){{0,1}}$'"  # no '?': a mark
                f" THEN ({text_sql})::numeric END)")
    return f"CAST({text_sql} AS REAL)"


def _amount(backend: str, value: Decimal):
    return value if backend == "postgresql" else float(value)


def _match(backend: str) -> str:
    if backend == "postgresql":
        return "body_tsv @@ to_tsquery('german', ?)"
    return "document_text MATCH ?"


def _text_query(backend: str, words: list[str]) -> str:
    """Every word, each also as the start of a longer one ('Pflege' finds 'Pflegegrad')."""
    if backend == "postgresql":
        return " & ".join(f"{word}:*" for word in words)
    return " ".join(f'"{word}"*' for word in words)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
