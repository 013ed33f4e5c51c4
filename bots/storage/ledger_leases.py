"""Who works on which document: leases in the ledger, and the workers' heartbeats.

A lease keeps two processes (two bots on one host or on several, a bot and the desk) from
working on one document at once. A worker claims the oldest document due with one
transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL: claimers pass each other's rows
instead of waiting). A lease ends when its document is finished or released; it is taken
over when it expires, when its owner's heartbeat is older than STALE_SECONDS (a host or
process gone; not in the first STALE_SECONDS after the database server started, when every
heartbeat is old), or at once when its owner was a process on this host that is dead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from bots.storage.database import retried
from bots.storage.liveness import host_name, owner_alive
from bots.storage.states import TERMINAL

HEARTBEAT_SECONDS = 5.0
STALE_SECONDS = 30.0  # a worker silent this long is gone: its leases may be taken over
_NOT_FINISHED = f"state NOT IN ({','.join(repr(str(s)) for s in TERMINAL)})"


def _silent(db) -> str:
    """Workers whose leases may be taken over: gone for certain (a negative heartbeat), or
    silent too long — but not just after the database server started, when every heartbeat
    is old. SQL with two parameters: now - STALE_SECONDS, twice."""
    return f"(heartbeat_at < 0 OR (heartbeat_at < ? AND {db.started_at} < ?))"


class LeaseLost(Exception):
    """This worker's lease on the document was taken over while it was cut off (stopped,
    or away from the database) longer than STALE_SECONDS: another worker has the document
    now, and this worker's step was not recorded."""


def leased(row, now: float, stale_owners: frozenset[str] = frozenset()) -> bool:
    """Held by a process that is (as far as can be told) alive and within its lease."""
    return bool(row["lease_until"] and row["lease_until"] >= now
                and row["lease_owner"] not in stale_owners
                and owner_alive(row["lease_owner"]))


class LedgerLeases:
    """Mixed into Ledger (self._db, self.transaction, self.get)."""

    _fence: tuple[str, str] | None = None  # (document id, owner) while a worker holds it

    @contextmanager
    def fenced(self, doc_id: str, owner: str) -> Iterator[None]:
        """While the worker `owner` works on the document: each of its state changes checks,
        in the change's own transaction, that the lease is still the worker's (LeaseLost
        when another worker took it over meanwhile, and nothing is written)."""
        self._fence = (doc_id, owner)
        try:
            yield
        finally:
            self._fence = None

    def _check_fence(self, doc_id: str, lease_owner: str | None) -> None:
        """Within a transaction that read the document's row FOR UPDATE (its lease_owner)."""
        if self._fence is not None and self._fence[0] == doc_id \
                and lease_owner != self._fence[1]:
            raise LeaseLost(doc_id)

    def check_lease(self, doc_id: str) -> None:
        """Before an effect outside the ledger (the e-file): LeaseLost when the fenced
        document's lease went to another worker."""
        if self._fence is not None and self._fence[0] == doc_id:
            row = self._db.execute("SELECT lease_owner FROM documents WHERE id=?",
                                   (doc_id,)).fetchone()
            self._check_fence(doc_id, row[0] if row else None)

    @retried
    def claim(self, doc_id: str, owner: str, seconds: float) -> bool:
        """Take the lease of a document in one transaction; False when another live process
        holds it or it is finished."""
        now = time.time()
        with self.transaction(durable=False, exclusive=False) as db:  # a lost lease is taken again
            row = db.execute("SELECT state, lease_owner, lease_until FROM documents WHERE id=?"
                             + db.for_update, (doc_id,)).fetchone()
            if row is None or row["state"] in TERMINAL:
                return False
            if row["lease_owner"] != owner and leased(row, now, self._stale_owners(now)):
                return False
            db.execute_later("UPDATE documents SET lease_owner=?, lease_until=? WHERE id=?",
                       (owner, now + seconds, doc_id))
            return True

    @retried
    def claim_next(self, owner: str, seconds: float) -> str | None:
        """Lease the oldest document due for work to `owner`; its id, or None."""
        now = time.time()
        with self.transaction(durable=False, exclusive=False) as db:
            row = db.execute(
                f"SELECT id FROM documents WHERE {_NOT_FINISHED}"  # noqa: S608
                " AND (retry_at IS NULL OR retry_at <= ?)"
                " AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?"
                f"      OR lease_owner IN (SELECT owner FROM workers WHERE {_silent(db)}))"
                f" ORDER BY received_at, id LIMIT 1{db.skip_locked}",
                (now, now, owner, now - STALE_SECONDS, now - STALE_SECONDS)).fetchone()
            if row is None:
                return None
            db.execute_later("UPDATE documents SET lease_owner=?, lease_until=? WHERE id=?",
                       (owner, now + seconds, row[0]))
            return row[0]

    @retried
    def release(self, doc_id: str, owner: str, retry_at: float | None = None) -> None:
        with self.transaction(durable=False, exclusive=False) as db:
            db.execute_later("UPDATE documents SET lease_owner=NULL, lease_until=NULL, retry_at=?"
                       " WHERE id=? AND lease_owner=?", (retry_at, doc_id, owner))

    def _stale_owners(self, now: float) -> frozenset[str]:
        rows = self._db.execute(f"SELECT owner FROM workers WHERE {_silent(self._db)}",
                                (now - STALE_SECONDS, now - STALE_SECONDS)).fetchall()
        return frozenset(row[0] for row in rows)

    # -- workers ------------------------------------------------------------------

    @retried
    def heartbeat(self, owner: str) -> None:
        """This worker is alive; workers of this host whose process died are marked gone
        (their leases are taken over at once)."""
        host, pid, _ = owner.split(":", 2)  # liveness.owner_id()
        now, at = time.time(), datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction(durable=False, exclusive=False) as db:
            db.execute_later("INSERT INTO workers(owner, host, pid, started_at, heartbeat_at)"
                       " VALUES (?,?,?,?,?) ON CONFLICT (owner) DO UPDATE"
                       " SET heartbeat_at=excluded.heartbeat_at", (owner, host, int(pid), at, now))
            rows = db.execute("SELECT owner FROM workers WHERE host=? AND heartbeat_at >= ?",
                              (host_name(), now - STALE_SECONDS)).fetchall()
            for (other,) in rows:
                if not owner_alive(other):
                    _gone(db, other, now)
            db.execute("DELETE FROM workers WHERE ABS(heartbeat_at) < ?", (now - 7 * 86400,))

    def retire(self, owner: str) -> None:
        """This worker stops (its leases were released with its last document)."""
        with self.transaction(durable=False, exclusive=False) as db:
            _gone(db, owner, time.time())

    def workers(self) -> list[dict]:
        """The workers alive (heartbeat within STALE_SECONDS), with the leases they hold."""
        now = time.time()
        rows = self._db.execute("SELECT owner, host, pid, heartbeat_at FROM workers"
                                " WHERE heartbeat_at >= ? ORDER BY host, pid",
                                (now - STALE_SECONDS,)).fetchall()
        leases = self._db.execute(
            "SELECT id, lease_owner, lease_until FROM documents WHERE lease_owner IS NOT NULL"
            " AND lease_until >= ? ORDER BY id", (now,)).fetchall()
        return [{"owner": r["owner"], "host": r["host"], "pid": r["pid"],
                 "heartbeat": datetime.fromtimestamp(r["heartbeat_at"], UTC).isoformat(
                     timespec="seconds"),
                 "leases": [lease["id"] for lease in leases
                            if lease["lease_owner"] == r["owner"]]} for r in rows]


def _gone(db, owner: str, now: float) -> None:
    """A worker certainly stopped or died: its heartbeat negative, the moment it was found
    gone (the row stays a week, for the record)."""
    db.execute("UPDATE workers SET heartbeat_at=? WHERE owner=?", (-now, owner))
