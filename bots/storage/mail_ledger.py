"""The mails the bot has seen, in the ledger database: one row per arrival of a mail (an IMAP
UID in a folder generation, an Exchange item, an .eml file), with the documents it brought
and whether it was moved. It is what makes mail intake exactly-once across crashes."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bots.storage.ledger import Ledger, now_iso

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS mails (
    mail_key     TEXT PRIMARY KEY,
    account      TEXT NOT NULL,
    folder       TEXT NOT NULL,
    uidvalidity  TEXT,
    uid          TEXT,
    message_id   TEXT,
    sender       TEXT,
    body_sha256  TEXT NOT NULL,
    eml_sha256   TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    duplicate_of TEXT,
    documents    TEXT NOT NULL,
    seen_at      TEXT NOT NULL,
    moved_at     TEXT
)""",
    "CREATE INDEX IF NOT EXISTS mails_message_id ON mails(message_id)",
)


@dataclass(frozen=True)
class MailRecord:
    mail_key: str  # "<type>:<account>:<folder>:<uidvalidity>:<uid>" or "file:<intake key>"
    account: str
    folder: str
    uidvalidity: str | None
    uid: str | None
    message_id: str | None
    sender: str | None
    body_sha256: str
    eml_sha256: str  # the whole mail, kept in the store
    outcome: str  # processed | failed: the folder the mail belongs in
    duplicate_of: str | None  # mail_key of the same mail seen before (Message-ID and body)
    documents: tuple[str, ...]
    seen_at: str = ""
    moved_at: str | None = None


class SeenMails:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        if ledger.backend == "sqlite":  # PostgreSQL: in its migrations (schema_postgres.py)
            with ledger.transaction() as db:
                for statement in _SCHEMA:
                    db.execute(statement)

    def get(self, mail_key: str) -> MailRecord | None:
        return self._one("SELECT * FROM mails WHERE mail_key=?", (mail_key,))

    def same_mail(self, message_id: str, body_sha256: str, exclude_key: str
                  ) -> MailRecord | None:
        """The first arrival of the mail with this Message-ID and body, if seen before."""
        return self._one("SELECT * FROM mails WHERE message_id=? AND body_sha256=?"
                         " AND mail_key<>? ORDER BY seen_at, rowid LIMIT 1",
                         (message_id, body_sha256, exclude_key))

    def record(self, mail: MailRecord) -> None:
        with self.ledger.transaction() as db:
            db.execute(
                "INSERT INTO mails(mail_key, account, folder, uidvalidity, uid,"
                " message_id, sender, body_sha256, eml_sha256, outcome, duplicate_of,"
                " documents, seen_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                (mail.mail_key, mail.account, mail.folder, mail.uidvalidity, mail.uid,
                 mail.message_id, mail.sender, mail.body_sha256, mail.eml_sha256,
                 mail.outcome, mail.duplicate_of, json.dumps(list(mail.documents)), now_iso()))

    def moved(self, mail_key: str) -> None:
        with self.ledger.transaction() as db:
            db.execute("UPDATE mails SET moved_at=? WHERE mail_key=? AND moved_at IS NULL",
                       (now_iso(), mail_key))

    def containing(self, doc_id: str) -> list[MailRecord]:
        """The mails that brought this document."""
        return [mail for mail in self._all_where("documents LIKE ?", (f'%"{doc_id}"%',))
                if doc_id in mail.documents]

    def forget_sender(self, mail_key: str) -> None:
        """Retention: the sender's address goes with the mail's last document."""
        with self.ledger.transaction() as db:
            db.execute("UPDATE mails SET sender=NULL WHERE mail_key=?", (mail_key,))

    def all(self) -> list[MailRecord]:
        return self._all_where("TRUE", ())

    def _all_where(self, condition: str, params: tuple) -> list[MailRecord]:
        with self.ledger.transaction() as db:
            rows = db.execute(f"SELECT * FROM mails WHERE {condition}"  # noqa: S608
                              " ORDER BY seen_at, rowid", params).fetchall()
        return [_record(row) for row in rows]

    def _one(self, sql: str, params: tuple) -> MailRecord | None:
        with self.ledger.transaction() as db:
            row = db.execute(sql, params).fetchone()
        return _record(row) if row else None


def _record(row) -> MailRecord:
    data = dict(row)
    data.pop("rowid", None)  # PostgreSQL's arrival order column
    data["documents"] = tuple(json.loads(data["documents"]))
    return MailRecord(**data)
