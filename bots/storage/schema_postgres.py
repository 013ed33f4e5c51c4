"""The ledger's schema on PostgreSQL as numbered migrations, applied when a process opens the
ledger: one process at a time (a session advisory lock), each migration in one transaction
and recorded in schema_migrations. Same tables and columns as on SQLite (ledger_schema.py);
the audit is append-only by trigger here too. A new table or column is a new migration at
the end of MIGRATIONS — never an edit of one that has shipped."""

from __future__ import annotations

import re

import psycopg

MIGRATE_LOCK = 0x72626F75  # pg_advisory_lock key: one process migrates at a time

# The tables of the first PostgreSQL release, as SQLite has them (ledger_schema.py,
# mail_ledger.py): translated, not written twice. A table or column added later gets a
# migration of its own at the end of MIGRATIONS.
_V1_TABLES = ("documents", "receipts", "audit", "users", "proposals", "exports",
              "web_sessions", "workers", "mails", "login_attempts", "learned_providers",
              "learned_keys", "learned_hints")
_APPEND_ONLY = """
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit table is append-only'; END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
ALTER TABLE mails ADD COLUMN rowid BIGSERIAL NOT NULL;  -- SQLite's hidden arrival order
"""
_TYPES = (("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY"),
          (" REAL", " DOUBLE PRECISION"), ("IF NOT EXISTS ", ""))


def _from_sqlite() -> str:
    """The v1 tables and indexes in PostgreSQL's words, with the columns SQLite added later."""
    from bots.storage import ledger_schema, mail_ledger
    statements = [part.strip() for part in ledger_schema._SCHEMA.split(";")]
    statements += list(mail_ledger._SCHEMA)
    kept = []
    for statement in statements:
        words = statement.replace("(", " ").split()
        if words[:2] in (["CREATE", "TABLE"], ["CREATE", "INDEX"]) and any(
                table in words for table in _V1_TABLES):
            kept.append(re.sub(r"^(\s+)user(\s)", r'\1"user"\2', statement, flags=re.M))
    kept += [f"ALTER TABLE {table} ADD COLUMN {column} {kind}"
             for table, column, kind in ledger_schema._ADDED_COLUMNS]
    kept += [part.strip() for part in ledger_schema._ADDED_INDEXES.split(";") if part.strip()]
    sql = ";\n".join(kept) + ";\n"
    for sqlite_type, postgres_type in _TYPES:
        sql = sql.replace(sqlite_type, postgres_type)
    return sql + _APPEND_ONLY


# (version, name, SQL): applied in order, each once.
MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "initial ledger: documents, receipts, audit, users, proposals, mails, workers",
     _from_sqlite()),
    (2, "document_text: the read text for the desk's search, a tsvector ('german')",
     "CREATE TABLE document_text (document_id TEXT PRIMARY KEY, body TEXT NOT NULL,"
     " body_tsv tsvector GENERATED ALWAYS AS (to_tsvector('german', body)) STORED);"
     " CREATE INDEX document_text_tsv ON document_text USING GIN (body_tsv);"),
)


def migrate(conn: psycopg.Connection) -> list[int]:
    """Apply the migrations this database lacks; the versions applied now."""
    conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
    try:
        if conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
            conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                         " name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            with conn.transaction():
                conn.execute(sql)
                conn.execute("INSERT INTO schema_migrations(version, name) VALUES (%s, %s)",
                             (version, name))
            applied.append(version)
        return applied
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))
