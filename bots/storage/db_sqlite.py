"""The SQLite backend of the ledger: one file in WAL mode, writers serialised by
BEGIN IMMEDIATE, fsync per commit unless a step may be redone after a power loss."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bots.storage.ledger_schema import create_or_upgrade


class SqliteDatabase:
    backend = "sqlite"
    for_update = ""  # BEGIN IMMEDIATE already holds the one write lock
    skip_locked = ""
    started_at = "0"  # no server: heartbeats are never old for its restart
    integrity_errors = (sqlite3.IntegrityError,)
    database_errors = (sqlite3.Error,)

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._use_wal()
        self._db.execute("PRAGMA synchronous=FULL")
        self._durable = True
        self._db.execute("PRAGMA busy_timeout=30000")
        create_or_upgrade(self._db)

    def location(self) -> str:
        return f"sqlite:{self.path}"

    def close(self) -> None:
        self._db.close()

    def execute(self, sql: str, params: tuple | list = ()) -> sqlite3.Cursor:
        return self._db.execute(sql, params)

    def execute_later(self, sql: str, params: tuple | list = ()) -> None:
        """A statement whose result nobody reads (PostgreSQL sends it with the next one)."""
        self._db.execute(sql, params)

    def executemany(self, sql: str, rows) -> sqlite3.Cursor:
        return self._db.executemany(sql, rows)

    def executescript(self, sql: str) -> None:
        self._db.executescript(sql)

    def _use_wal(self, seconds: float = 30.0) -> None:
        """WAL mode, set once per database file. Processes that open a new ledger at the same
        moment (two bots starting) meet here, and SQLite answers 'locked' without waiting for
        the other: so look again in a moment."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                if self._db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    @contextmanager
    def transaction(self, *, durable: bool = True, exclusive: bool = True
                    ) -> Iterator[SqliteDatabase]:
        """BEGIN IMMEDIATE ... COMMIT; `durable=False` commits without waiting for fsync
        (see RELAXED_STATES). Every SQLite transaction is exclusive."""
        if durable != self._durable:
            self._db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            self._durable = durable
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def notify(self) -> None:
        """Other workers look for work every round anyway (one host, one file)."""

    def wait_for_work(self, seconds: float) -> bool:
        """SQLite has no notifications: the caller polls (True: look now)."""
        time.sleep(seconds)
        return True

    @staticmethod
    def json_object(*pairs: str) -> str:
        return f"json_object({', '.join(pairs)})"
