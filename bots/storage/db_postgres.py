"""The PostgreSQL backend of the ledger (psycopg 3 and its connection pool), for several
hosts sharing one ledger.

Writers that read before they write take one transaction-scoped advisory lock, so every
guarantee the ledger gives on SQLite (where BEGIN IMMEDIATE serialises writers) holds here
too; claiming work instead locks single rows (`FOR UPDATE SKIP LOCKED`). When the server is
unreachable, a statement outside a transaction waits for it and is repeated; one inside a
transaction raises LedgerUnavailable (the server rolled it back). The password never comes
from bot.yaml: RBOT_LEDGER_PASSWORD, or libpq's own PGPASSWORD / ~/.pgpass.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import psycopg
from psycopg.adapt import Loader
from psycopg_pool import ConnectionPool, PoolTimeout

from bots.storage.database import PASSWORD_ENV, LedgerUnavailable

WRITE_LOCK = 0x72626F74  # pg_advisory_xact_lock key of the ledger's writers ("rbot")
CHANNEL = "rbot_work"  # LISTEN/NOTIFY: new or returned work in the ledger
_pools: dict[str, ConnectionPool] = {}
_pools_lock = threading.Lock()
_migrated: set[str] = set()


class Row:
    """A result row like sqlite3.Row: by index, by column name, dict(row), unpacking."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: tuple[str, ...], values: tuple):
        self._names, self._values = names, values

    def keys(self) -> tuple[str, ...]:
        return self._names

    def __getitem__(self, key):
        if isinstance(key, str):
            return self._values[self._names.index(key)]
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _rows(cursor):
    names = tuple(c.name for c in cursor.description or ())
    return lambda values: Row(names, values)


class _WholeOrFloat(Loader):
    """numeric (what SUM of integers gives) as int when whole, as SQLite answers."""

    def load(self, data):
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def _configure(conn: psycopg.Connection) -> None:
    conn.autocommit = True
    conn.row_factory = _rows
    conn.adapters.register_loader("numeric", _WholeOrFloat)


def connect_kwargs() -> dict:
    password = os.environ.get(PASSWORD_ENV)
    return {"connect_timeout": 5} | ({"password": password} if password else {})


def _pool(url: str) -> ConnectionPool:
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None or pool.closed:
            pool = ConnectionPool(url, kwargs=connect_kwargs(), min_size=1, max_size=8,
                                  configure=_configure, check=ConnectionPool.check_connection,
                                  reconnect_timeout=3600, open=True, name="ledger")
            _pools[url] = pool
        return pool


def close_pools() -> None:
    """Before a fork, and at exit: no pool thread may be copied into a child process."""
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()


@functools.lru_cache(maxsize=512)
def _dialect(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


def read_only_rows(url: str, sql: str, params: tuple):
    """Rows of one query in a read-only transaction (planning never changes the ledger)."""
    with psycopg.connect(url, options="-c default_transaction_read_only=on",
                         **connect_kwargs()) as conn:
        yield from conn.execute(_dialect(sql), params)


class PostgresDatabase:
    backend = "postgresql"
    for_update = " FOR UPDATE"
    skip_locked = " FOR UPDATE SKIP LOCKED"
    started_at = "extract(epoch FROM pg_postmaster_start_time())"  # after an outage
    integrity_errors = (psycopg.errors.IntegrityError,)
    database_errors = (psycopg.Error, LedgerUnavailable)

    def __init__(self, url: str, wait_seconds: float = 60.0):
        from bots.storage.schema_postgres import migrate
        self.url, self.wait_seconds = url, wait_seconds
        self._conn: psycopg.Connection | None = None
        self._listener: psycopg.Connection | None = None
        self._in_transaction = False
        self._queued: list[tuple[str, tuple]] = []  # execute_later's, within a transaction
        self._connect()
        if url not in _migrated:  # once per process (the desk opens a ledger per request)
            migrate(self._conn)
            _migrated.add(url)

    def location(self) -> str:
        from bots.storage.database import shown
        return shown(self.url)

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._conn is not None:
            _pool(self.url).putconn(self._conn)
            self._conn = None

    # -- connection, waiting for the server --------------------------------------

    def _connect(self) -> None:
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                self._conn = _pool(self.url).getconn(timeout=max(1.0, min(
                    10.0, deadline - time.monotonic())))
                return
            except (PoolTimeout, psycopg.OperationalError) as exc:
                if time.monotonic() >= deadline:
                    raise LedgerUnavailable(f"{self.location()}: {type(exc).__name__}") from exc
                time.sleep(0.5)

    def _lost(self) -> bool:
        """The connection is gone (server restart, network): hand it back for a new one."""
        if self._conn is None or not (self._conn.broken or self._conn.closed):
            return False
        _pool(self.url).putconn(self._conn)  # the pool discards a broken connection
        self._conn = None
        return True

    def execute(self, sql: str, params: tuple | list = ()):
        """Run a statement and return its cursor; statements queued before it in the
        transaction (execute_later) go with it in one round trip."""
        params = tuple(params)
        query = _dialect(sql) if params else sql
        if self._queued:
            return self._send_queued(query, params)
        while True:
            if self._conn is None:
                self._connect()
            try:
                return self._conn.execute(query, params or None)
            except psycopg.OperationalError as exc:
                if not self._lost():
                    raise
                if self._in_transaction:
                    raise LedgerUnavailable(type(exc).__name__) from exc

    def execute_later(self, sql: str, params: tuple | list = ()) -> None:
        """A statement whose result nobody reads, inside a transaction: sent with the next
        statement that is read, or with COMMIT (one round trip for several statements,
        psycopg's pipeline mode). An error it meets is raised there."""
        if not self._in_transaction:
            self.execute(sql, params)
            return
        params = tuple(params)
        self._queued.append((_dialect(sql) if params else sql, params))

    def _send_queued(self, query: str, params: tuple):
        queued, self._queued = [*self._queued, (query, params)], []
        while True:
            if self._conn is None:
                self._connect()
            try:
                with self._conn.pipeline():
                    cursors = [self._conn.execute(sql, values or None) for sql, values in queued]
                return cursors[-1]
            except psycopg.OperationalError as exc:
                if not self._lost():
                    raise
                if queued[0][0] != "BEGIN" or query == "COMMIT":  # cut off mid-transaction
                    raise LedgerUnavailable(type(exc).__name__) from exc

    def executemany(self, sql: str, rows) -> None:
        for row in rows:  # inside the caller's transaction: one round trip each, few rows
            self.execute(sql, row)

    def executescript(self, sql: str) -> None:
        self.execute(sql)

    @contextmanager
    def transaction(self, *, durable: bool = True, exclusive: bool = True
                    ) -> Iterator[PostgresDatabase]:
        """BEGIN ... COMMIT. `durable=False`: synchronous_commit off (atomic and in order,
        only the wait for the WAL flush is skipped). `exclusive`: one writer at a time, as
        on SQLite (row locks alone would let two read-then-write steps interleave)."""
        self._in_transaction = True
        self._queued = [("BEGIN", ())]  # sent with the first statement read, in one round trip
        if not durable:
            self._queued.append(("SET LOCAL synchronous_commit = off", ()))
        if exclusive:
            self._queued.append((f"SELECT pg_advisory_xact_lock({WRITE_LOCK})", ()))
        try:
            yield self
            self.execute("COMMIT")
        except BaseException:
            begun = not self._queued or self._queued[0][0] != "BEGIN"
            self._queued = []
            if begun and self._conn is not None and not self._conn.broken:
                self._conn.execute("ROLLBACK")
            raise
        finally:
            self._in_transaction = False

    # -- waking workers -----------------------------------------------------------

    def notify(self) -> None:
        """Wake the workers listening (sent when the transaction commits)."""
        self.execute_later(f"SELECT pg_notify('{CHANNEL}', '')")

    def wait_for_work(self, seconds: float) -> bool:
        """Sleep until another process announces work (True) or `seconds` pass (False)."""
        try:
            if self._listener is None:
                self._listener = psycopg.connect(self.url, autocommit=True, **connect_kwargs())
                self._listener.execute(f"LISTEN {CHANNEL}")
                return True  # work announced before we listened is not lost: look once
            return any(True for _ in self._listener.notifies(timeout=seconds, stop_after=1))
        except psycopg.OperationalError:
            if self._listener is not None:
                self._listener.close()
            self._listener = None
            time.sleep(min(seconds, 1.0))
            return True

    @staticmethod
    def json_object(*pairs: str) -> str:
        return f"json_build_object({', '.join(pairs)})::text"
