"""Moving an SQLite ledger to PostgreSQL: every table (documents, receipts, the audit,
mails, proposals, users, web sessions, workers and whatever else the ledger holds) copied
in one PostgreSQL transaction, ids and arrival order kept, then the rows counted on both
sides. The target must be a new ledger: nothing is merged."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from bots.storage.ledger import Ledger
from bots.storage.mail_ledger import SeenMails

BATCH = 500
_IMPLICIT_ROWID = {"mails": "rowid"}  # SQLite's hidden arrival order, a column on PostgreSQL


class CopyRefused(Exception):
    """The copy cannot start or did not verify; nothing was written."""


def copy_ledger(source: Path, target_url: str) -> dict[str, int]:
    """Copy the SQLite ledger `source` into the empty PostgreSQL ledger at `target_url`
    (migrated first); the rows per table, verified equal on both sides."""
    if not Path(source).is_file():
        raise CopyRefused(f"{source}: no ledger file")
    SeenMails(Ledger(source)).ledger.close()  # an old ledger: its tables brought up to date
    target = Ledger(target_url)
    uri = f"file:{quote(str(Path(source).resolve()))}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=30)) as src:
        src.row_factory = sqlite3.Row  # full-text index tables (type 'shadow') are rebuilt
        tables = sorted(r["name"] for r in src.execute("PRAGMA main.table_list") if r["type"]
                        in ("table", "virtual") and not r["name"].startswith("sqlite_"))
        with target.transaction() as db:
            _refuse_unless_empty(db, tables)
            counts = {table: _copy_table(src, db, table) for table in tables}
            _verify(db, counts)
    target.close()
    return counts


def _target_columns(db, table: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema ="
        " current_schema() AND table_name = ? ORDER BY ordinal_position", (table,))]


def _refuse_unless_empty(db, tables: list[str]) -> None:
    for table in tables:
        if not _target_columns(db, table):
            raise CopyRefused(f"table {table} has no PostgreSQL migration "
                              "(bots/storage/schema_postgres.py)")
        if db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]:  # noqa: S608
            raise CopyRefused(f"the target ledger is not empty (table {table})")


def _copy_table(src: sqlite3.Connection, db, table: str) -> int:
    source_columns = [r[1] for r in src.execute(f'PRAGMA table_info("{table}")')]
    hidden = _IMPLICIT_ROWID.get(table)
    wanted = [c for c in _target_columns(db, table) if c in source_columns or c == hidden]
    missing = set(source_columns) - set(wanted)
    if missing:
        raise CopyRefused(f"table {table}: columns {sorted(missing)} not on PostgreSQL")
    names = ", ".join(f'"{c}"' for c in wanted)
    insert = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(wanted))})'
    rows = src.execute(f'SELECT {names} FROM "{table}"')  # noqa: S608 - names from the schema
    copied = 0
    while batch := rows.fetchmany(BATCH):
        for row in batch:
            db.execute(insert, tuple(row))
        copied += len(batch)
    for column in ("id", hidden):
        sequence = column in wanted and db.execute(
            "SELECT pg_get_serial_sequence(?, ?)", (table, column)).fetchone()[0]
        if sequence:  # serial columns go on after the copied ids
            db.execute(f'SELECT setval(?, (SELECT COALESCE(MAX("{column}"), 0) + 1'  # noqa: S608
                       f' FROM "{table}"), false)', (sequence,))
    return copied


def _verify(db, counts: dict[str, int]) -> None:
    for table, expected in counts.items():
        found = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        if found != expected:
            raise CopyRefused(f"table {table}: {found} rows on PostgreSQL, {expected} in SQLite")
