"""The review desk's local users and their sessions, in the ledger database (tables users and
web_sessions): Argon2 hashes only, and sessions that a logout or a new password ends."""

from __future__ import annotations

import time

from bots.storage.ledger import Ledger, now_iso


class Accounts:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def save_user(self, name: str, role: str, password_hash: str) -> None:
        """Create a local user of the review desk, or set a known user's role and password
        (which ends the user's sessions)."""
        at = now_iso()
        with self.ledger.transaction() as db:
            db.execute('DELETE FROM web_sessions WHERE "user"=?', (name,))
            db.execute(
                "INSERT INTO users(name, role, password_hash, created_at, updated_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT(name) DO UPDATE SET role=excluded.role,"
                " password_hash=excluded.password_hash, updated_at=excluded.updated_at",
                (name, role, password_hash, at, at),
            )

    def get_user(self, name: str) -> dict | None:
        rows = self.ledger.query("SELECT name, role, password_hash, disabled_at FROM users"
                                 " WHERE name=?", (name,))
        return dict(rows[0]) if rows else None

    def list_users(self) -> list[dict]:
        return [dict(row) for row in self.ledger.query(
            "SELECT name, role, created_at, updated_at, disabled_at FROM users ORDER BY name")]

    def set_disabled(self, name: str, disabled: bool) -> bool:
        """Disable (ending the user's sessions) or enable a user; False for an unknown one."""
        with self.ledger.transaction() as db:
            db.execute('DELETE FROM web_sessions WHERE "user"=?', (name,))
            return db.execute("UPDATE users SET disabled_at=?, updated_at=? WHERE name=?",
                              (now_iso() if disabled else None, now_iso(), name)).rowcount > 0

    def remove_user(self, name: str) -> bool:
        with self.ledger.transaction() as db:
            db.execute('DELETE FROM web_sessions WHERE "user"=?', (name,))
            return db.execute("DELETE FROM users WHERE name=?", (name,)).rowcount > 0

    def start_session(self, sid: str, user: str, expires_at: float) -> None:
        """A review desk login (the cookie carries only `sid`); expired ones are dropped."""
        with self.ledger.transaction() as db:
            db.execute("DELETE FROM web_sessions WHERE expires_at < ?", (time.time(),))
            db.execute('INSERT INTO web_sessions(sid, "user", expires_at) VALUES (?,?,?)',
                       (sid, user, expires_at))

    def session_user(self, sid: str) -> dict | None:
        """The signed-in user (name, role) of a live session, else None."""
        rows = self.ledger.query(
            'SELECT u.name, u.role FROM web_sessions s JOIN users u ON u.name = s."user"'
            " WHERE s.sid=? AND s.expires_at >= ? AND u.disabled_at IS NULL", (sid, time.time()))
        return dict(rows[0]) if rows else None

    def end_session(self, sid: str) -> None:
        with self.ledger.transaction() as db:
            db.execute("DELETE FROM web_sessions WHERE sid=?", (sid,))
