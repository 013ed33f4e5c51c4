"""The ledger's database schema on SQLite, and its upgrade when an older ledger is opened
(PostgreSQL: schema_postgres.py, the same tables)."""

from __future__ import annotations

import sqlite3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    sha256        TEXT PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    state         TEXT NOT NULL,
    source        TEXT NOT NULL,
    original_name TEXT NOT NULL,
    store_path    TEXT NOT NULL,
    size          INTEGER NOT NULL,
    received_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    kind          TEXT,
    pages         INTEGER,
    caseworker    TEXT,
    rule_id       TEXT,
    reason        TEXT,
    reason_detail TEXT,
    invoice_json  TEXT,
    decision_json TEXT,
    filed_path    TEXT,
    filed_at      TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    parent_id     TEXT
);
CREATE INDEX IF NOT EXISTS documents_state ON documents(state);
CREATE TABLE IF NOT EXISTS receipts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    intake_key    TEXT NOT NULL UNIQUE,
    sha256        TEXT NOT NULL,
    source        TEXT NOT NULL,
    original_name TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    duplicate     INTEGER NOT NULL,
    meta_json     TEXT
);
CREATE INDEX IF NOT EXISTS receipts_sha256 ON receipts(sha256);
CREATE TABLE IF NOT EXISTS audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    event       TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT,
    detail_json TEXT
);
CREATE INDEX IF NOT EXISTS audit_document ON audit(document_id);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
CREATE TABLE IF NOT EXISTS users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS proposals (
    document_id   TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    status        TEXT NOT NULL,
    missing       TEXT,
    proposal_json TEXT,
    batch         TEXT
);
CREATE INDEX IF NOT EXISTS proposals_batch ON proposals(batch);
CREATE TABLE IF NOT EXISTS exports (
    batch      TEXT PRIMARY KEY,
    day        TEXT NOT NULL,
    marked_at  TEXT NOT NULL,
    written_at TEXT,
    proposals  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS workers (
    owner        TEXT PRIMARY KEY,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    started_at   TEXT NOT NULL,
    heartbeat_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS web_sessions (
    sid        TEXT PRIMARY KEY,
    user       TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_attempts (
    id  INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    at  REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_attempts_key ON login_attempts(key, at);
CREATE TABLE IF NOT EXISTS learned_providers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT,
    keys_json   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS learned_keys (
    key         TEXT PRIMARY KEY,
    provider_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS learned_hints (
    provider_id INTEGER NOT NULL,
    field       TEXT NOT NULL,
    anchor_json TEXT NOT NULL,
    document_id TEXT NOT NULL,
    actor       TEXT NOT NULL,
    learned_at  TEXT NOT NULL,
    used        INTEGER NOT NULL DEFAULT 0,
    refuted     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (provider_id, field)
);
"""


# Columns added after the first release, created on open when an older ledger lacks them.
_ADDED_COLUMNS = (
    ("documents", "pay_by", "TEXT"),         # due date, else issue date + 30 days
    ("documents", "lease_owner", "TEXT"),    # the process working on the document
    ("documents", "lease_until", "REAL"),    # epoch seconds; an expired lease may be taken over
    ("documents", "retry_at", "REAL"),       # epoch seconds; not before this after a failure
    ("documents", "purged_at", "TEXT"),      # copy deleted, personal values cleared (retention)
    ("documents", "invoice_key", "TEXT"),    # issuer|number, for duplicate invoices (indexed)
    ("documents", "team", "TEXT"),           # the team a team rule distributed it in (indexed)
    ("users", "disabled_at", "TEXT"),        # a review desk user who may not sign in
)
_ADDED_INDEXES = """
CREATE INDEX IF NOT EXISTS documents_invoice_key ON documents(invoice_key);
CREATE INDEX IF NOT EXISTS documents_caseworker ON documents(caseworker, state);
CREATE INDEX IF NOT EXISTS documents_team ON documents(team, state);
"""


def _add_missing_columns(db: sqlite3.Connection) -> None:
    _add_columns(db)
    db.executescript(_ADDED_INDEXES)


def _add_columns(db: sqlite3.Connection) -> None:
    for table, column, kind in _ADDED_COLUMNS:
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            try:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            except sqlite3.OperationalError as exc:  # another process added it just now
                if "duplicate column" not in str(exc):
                    raise


# The read text of each document for the desk's search (bots.storage.search); on PostgreSQL
# a tsvector instead (schema_postgres.py).
_SEARCH_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS document_text USING fts5(
    document_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2');
"""


def create_or_upgrade(db: sqlite3.Connection) -> None:
    db.executescript(_SCHEMA)
    _add_missing_columns(db)
    db.executescript(_SEARCH_SCHEMA)
