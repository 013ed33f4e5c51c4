"""Counts from the ledger for status pages, metrics and reports: no invoice content."""

from __future__ import annotations

from datetime import datetime

from bots.storage.states import TERMINAL


class LedgerFigures:
    """Mixed into Ledger (self._db)."""

    def counts_by_state(self) -> dict[str, int]:
        rows = self._db.execute("SELECT state, COUNT(*) FROM documents GROUP BY state").fetchall()
        return {state: n for state, n in rows}

    def last_activity(self) -> str | None:
        return self._db.execute("SELECT MAX(at) FROM audit").fetchone()[0]

    def metric_facts(self) -> dict:
        """Counts for metrics and status: no invoice content."""
        db = self._db
        marks = ",".join("?" * len(TERMINAL))
        oldest = db.execute(
            f"SELECT MIN(received_at) FROM documents WHERE state NOT IN ({marks})",  # noqa: S608
            TERMINAL).fetchone()[0]
        return {
            "by_state_kind": {(s, k): n for s, k, n in db.execute(
                "SELECT state, kind, COUNT(*) FROM documents GROUP BY state, kind")},
            "exceptions": dict(db.execute("SELECT reason, COUNT(*) FROM documents"
                                          " WHERE state='exception' GROUP BY reason").fetchall()),
            "queues": self.open_items_per_caseworker(),
            "ocr_pages": db.execute("SELECT COALESCE(SUM(pages), 0) FROM documents"
                                    " WHERE kind='scan'").fetchone()[0],
            "oldest_unfinished": datetime.fromisoformat(oldest).timestamp() if oldest else None,
        }

    def filed_count(self, caseworker: str) -> int:
        return self._db.execute("SELECT COUNT(*) FROM documents WHERE caseworker=?"
                                " AND state='filed'", (caseworker,)).fetchone()[0]

    def team_turns(self, team: str) -> int:
        return self._db.execute("SELECT COUNT(*) FROM documents WHERE team=?"
                                " AND state IN ('decided', 'filed')", (team,)).fetchone()[0]

    def decisions_per_team(self) -> dict[str, int]:
        """How many documents each team rule has distributed so far (round-robin turns)."""
        rows = self._db.execute(
            "SELECT team, COUNT(*) FROM documents WHERE state IN ('decided', 'filed')"
            " AND team IS NOT NULL GROUP BY team").fetchall()
        return {team: n for team, n in rows}

    def open_items_per_caseworker(self) -> dict[str, int]:
        rows = self._db.execute(
            "SELECT caseworker, COUNT(*) FROM documents WHERE state='filed'"
            " AND caseworker IS NOT NULL GROUP BY caseworker"
        ).fetchall()
        return {cw: n for cw, n in rows}
