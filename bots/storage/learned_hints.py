"""What the bot learned from clerks' corrections, per provider, in the ledger database:
`learned_providers` (one row per provider, with the keys it is known by: VAT ID, IBAN,
letterhead), `learned_keys` (each key to its provider) and `learned_hints` (per provider
and field, where the field is printed: an anchor as a plain mapping, see ocr.anchors).
Visible and removable: `run_bot.py learned list|show|forget` and the desk's page."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bots.storage.ledger import Ledger, now_iso

REFUTED_LIMIT = 2  # a hint refuted this often by a checksum or the arithmetic is dropped


@dataclass(frozen=True)
class Hint:
    provider_id: int
    field: str
    anchor: dict
    document_id: str  # the corrected document it was learned from
    actor: str
    learned_at: str
    used: int  # invoices it was read on
    refuted: int  # times a checksum or the totals' arithmetic refuted what it read


@dataclass(frozen=True)
class Provider:
    id: int
    name: str | None
    keys: tuple[str, ...]
    created_at: str
    updated_at: str
    hints: tuple[Hint, ...]


class LearnedHints:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def provider_for(self, keys: Iterable[str]) -> int | None:
        """The provider known by any of these keys (the first key that is known wins)."""
        for key in keys:
            row = self.ledger.query("SELECT provider_id FROM learned_keys WHERE key=?", (key,))
            if row:
                return row[0][0]
        return None

    def learn(self, keys: Iterable[str], name: str | None, anchors: Mapping[str, dict], *,
              document_id: str, actor: str) -> int:
        """Keep the anchors (field -> anchor) for the provider these keys name, created when
        new; a field's earlier hint is replaced. The provider's id."""
        keys = list(dict.fromkeys(keys))
        at = now_iso()
        with self.ledger.transaction() as db:
            provider_id = _known(db, keys)
            if provider_id is None:
                provider_id = db.execute(
                    "INSERT INTO learned_providers(name, keys_json, created_at, updated_at)"
                    " VALUES (?,?,?,?) RETURNING id", (name, "[]", at, at)).fetchone()[0]
            old = json.loads(db.execute("SELECT keys_json FROM learned_providers WHERE id=?",
                                        (provider_id,)).fetchone()[0])
            merged = list(dict.fromkeys([*old, *keys]))
            db.execute("UPDATE learned_providers SET name=COALESCE(?, name), keys_json=?,"
                       " updated_at=? WHERE id=?", (name, json.dumps(merged), at, provider_id))
            db.executemany("INSERT INTO learned_keys(key, provider_id) VALUES (?,?)"
                           " ON CONFLICT (key) DO UPDATE SET provider_id=excluded.provider_id",
                           [(key, provider_id) for key in keys])
            db.executemany(
                "INSERT INTO learned_hints(provider_id, field, anchor_json, document_id, actor,"
                " learned_at) VALUES (?,?,?,?,?,?) ON CONFLICT (provider_id, field) DO UPDATE"
                " SET anchor_json=excluded.anchor_json, document_id=excluded.document_id,"
                " actor=excluded.actor, learned_at=excluded.learned_at, used=0, refuted=0",
                [(provider_id, field, json.dumps(anchor, ensure_ascii=False), document_id,
                  actor, at) for field, anchor in anchors.items()])
        return provider_id

    def hints(self, provider_id: int) -> list[Hint]:
        rows = self.ledger.query("SELECT * FROM learned_hints WHERE provider_id=?"
                                 " ORDER BY field", (provider_id,))
        return [Hint(r["provider_id"], r["field"], json.loads(r["anchor_json"]),
                     r["document_id"], r["actor"], r["learned_at"], r["used"], r["refuted"])
                for r in rows]

    def providers(self) -> list[Provider]:
        rows = self.ledger.query("SELECT * FROM learned_providers ORDER BY id")
        return [Provider(r["id"], r["name"], tuple(json.loads(r["keys_json"])),
                         r["created_at"], r["updated_at"], tuple(self.hints(r["id"])))
                for r in rows]

    def provider(self, provider_id: int) -> Provider | None:
        return next((p for p in self.providers() if p.id == provider_id), None)

    def forget(self, provider_id: int, field: str | None = None) -> int:
        """Remove one field's hint, or (no field) everything learned about the provider.
        How many hints were removed."""
        with self.ledger.transaction() as db:
            if field is not None:
                return db.execute("DELETE FROM learned_hints WHERE provider_id=? AND field=?",
                                  (provider_id, field)).rowcount
            removed = db.execute("DELETE FROM learned_hints WHERE provider_id=?",
                                 (provider_id,)).rowcount
            db.execute("DELETE FROM learned_keys WHERE provider_id=?", (provider_id,))
            gone = db.execute("DELETE FROM learned_providers WHERE id=?", (provider_id,))
            return removed if gone.rowcount else -1

    def learned_before(self, cutoff: str) -> int:
        """How many hints were learned before `cutoff` (an ISO time)."""
        return self.ledger.query("SELECT COUNT(*) FROM learned_hints WHERE learned_at<?",
                                 (cutoff,))[0][0]

    def forget_learned_before(self, cutoff: str) -> tuple[int, int]:
        """Retention: remove the hints learned before `cutoff`, and the providers (with the
        keys they are known by: VAT ID, IBAN, letterhead) left without a hint. How many
        hints and providers were removed."""
        with self.ledger.transaction() as db:
            hints = db.execute("DELETE FROM learned_hints WHERE learned_at<?",
                               (cutoff,)).rowcount
            orphans = [r[0] for r in db.execute(
                "SELECT id FROM learned_providers WHERE id NOT IN"
                " (SELECT provider_id FROM learned_hints)")]
            for provider_id in orphans:
                db.execute("DELETE FROM learned_keys WHERE provider_id=?", (provider_id,))
                db.execute("DELETE FROM learned_providers WHERE id=?", (provider_id,))
        return hints, len(orphans)

    def record_use(self, provider_id: int, used: Iterable[str], refuted: Iterable[str]
                   ) -> list[str]:
        """Count the fields read from hints and those a check refuted; a hint refuted
        REFUTED_LIMIT times is dropped. The fields whose hints were dropped."""
        with self.ledger.transaction(durable=False) as db:
            for field in used:
                db.execute("UPDATE learned_hints SET used=used+1 WHERE provider_id=? AND"
                           " field=?", (provider_id, field))
            for field in refuted:
                db.execute("UPDATE learned_hints SET refuted=refuted+1 WHERE provider_id=?"
                           " AND field=?", (provider_id, field))
            dropped = [r[0] for r in db.execute(
                "SELECT field FROM learned_hints WHERE provider_id=? AND refuted>=?",
                (provider_id, REFUTED_LIMIT))]
            db.execute("DELETE FROM learned_hints WHERE provider_id=? AND refuted>=?",
                       (provider_id, REFUTED_LIMIT))
        return dropped


def _known(db: sqlite3.Connection, keys: list[str]) -> int | None:
    for key in keys:
        row = db.execute("SELECT provider_id FROM learned_keys WHERE key=?", (key,)).fetchone()
        if row:
            return row[0]
    return None
