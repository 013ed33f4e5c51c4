"""Login throttling, per user name and per client address, kept in the ledger (table
login_attempts) so a restart does not lift it and every desk process shares it.

An attempt takes its place before the password is checked (in one transaction), so parallel
attempts cannot check more passwords than allowed. A user is locked after `per_user` failed
attempts within `window` seconds; an address only after `per_address` (many more: behind the
TLS proxy the whole office shares one address, and one user's typos must not lock the rest).
A successful login clears the user's failures; `run_bot.py users unlock` clears them too."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bots.storage.ledger import Ledger


@dataclass(frozen=True)
class Attempt:
    """A login attempt that took its place: `wait` 0, or the seconds to wait (refused)."""

    user_key: str
    address_key: str
    ids: tuple[int, ...] = ()
    wait: float = 0.0


def user_key(name: str) -> str:
    return f"user:{name.strip().casefold()}"


def unlock(ledger: Ledger, name: str) -> int:
    """Clear a user's failed attempts (`users unlock`); how many there were."""
    with ledger.transaction() as db:
        return db.execute("DELETE FROM login_attempts WHERE key=?", (user_key(name),)).rowcount


class LoginThrottle:
    def __init__(self, ledger: Ledger, *, per_user: int, per_address: int, window: float,
                 clock: Callable[[], float] = time.time):
        self.ledger = ledger
        self.limits = {"user": per_user, "ip": per_address}
        self.window = window
        self.clock = clock

    def begin(self, name: str, address: str | None) -> Attempt:
        """Take a place for an attempt, or say how long to wait."""
        keys = (user_key(name), f"ip:{address or '?'}")
        now = self.clock()
        with self.ledger.transaction() as db:
            db.execute("DELETE FROM login_attempts WHERE at < ?", (now - self.window,))
            wait = max(self._wait(db, key, now) for key in keys)
            if wait > 0:
                return Attempt(*keys, wait=wait)
            ids = tuple(db.execute("INSERT INTO login_attempts(key, at) VALUES (?,?) RETURNING id",
                                   (key, now)).fetchone()[0] for key in keys)
        return Attempt(*keys, ids=ids)

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: this attempt does not count, nor the user's failures."""
        with self.ledger.transaction() as db:
            db.executemany("DELETE FROM login_attempts WHERE id=?", [(i,) for i in attempt.ids])
            db.execute("DELETE FROM login_attempts WHERE key=?", (attempt.user_key,))

    def _wait(self, db, key: str, now: float) -> float:
        limit = self.limits[key.split(":", 1)[0]]
        stamps = [row[0] for row in db.execute(
            "SELECT at FROM login_attempts WHERE key=? ORDER BY at DESC LIMIT ?", (key, limit))]
        if len(stamps) < limit:
            return 0.0
        return max(0.0, self.window - (now - stamps[-1]))
