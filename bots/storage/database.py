"""The ledger's database, chosen by its location in bot.yaml: an SQLite file (embedded, the
default) or a PostgreSQL URL (several hosts share one ledger).

Both backends offer the same small surface to the ledger and its neighbours (mails,
proposals, accounts): `execute(sql, params)` with `?` placeholders and rows readable by
index and by column name, `transaction(durable=...)` that serialises writers like SQLite's
BEGIN IMMEDIATE, and the few dialect differences as attributes.
"""

from __future__ import annotations

import functools
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
PASSWORD_ENV = "RBOT_LEDGER_PASSWORD"


class LedgerUnavailable(Exception):
    """The ledger's database cannot be reached now (a PostgreSQL restart, a network outage):
    nothing was changed by the step that failed; wait and go on."""


def is_postgres(location: Path | str) -> bool:
    return str(location).startswith(POSTGRES_SCHEMES)


def sqlite_path(location: Path | str, base: Path) -> Path:
    """The file of an SQLite location: a plain path, `sqlite:///relative` or
    `sqlite:////absolute` (relative paths against `base`)."""
    text = str(location)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    path = Path(text)
    return path if path.is_absolute() else base / path


def shown(location: Path | str) -> str:
    """The location for logs and status pages: a URL never shows a password."""
    if not is_postgres(location):
        return f"sqlite:{location}"
    parts = urlsplit(str(location))
    host = parts.hostname or ""
    netloc = f"{parts.username + '@' if parts.username else ''}{host}"
    netloc += f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def has_password(location: Path | str) -> bool:
    return is_postgres(location) and urlsplit(str(location)).password is not None


def database_errors() -> tuple[type[Exception], ...]:
    """What either backend raises when its database refuses (for clear messages)."""
    import sqlite3

    import psycopg
    return (sqlite3.Error, psycopg.Error)


def open_database(location: Path | str, wait_seconds: float = 60.0):
    """The backend for `location`; PostgreSQL waits up to `wait_seconds` for the server."""
    if is_postgres(location):
        from bots.storage.db_postgres import PostgresDatabase
        return PostgresDatabase(str(location), wait_seconds)
    from bots.storage.db_sqlite import SqliteDatabase
    return SqliteDatabase(Path(location))


def retried(method):
    """Run a ledger step (one transaction) again when the database was unreachable during it:
    the server rolled it back, so nothing of it happened. Waits up to wait_seconds."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                return method(self, *args, **kwargs)
            except LedgerUnavailable:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.5)
    return run
