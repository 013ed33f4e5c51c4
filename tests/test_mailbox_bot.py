"""The mailbox bot against a real Dovecot: every invoice filed once, every mail in its folder,
nothing else in the mailbox touched; `run --once` in-process through the real runner."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bots.config import load_config
from bots.intake.mailbox_bot import MailboxBot
from bots.pipeline.runner import run_once
from bots.storage.store import Store
from bots.wiring import folder_bot_for, open_context
from mailbox.message import parse_mail
from tests import mail_builders as mb
from tests.conftest import filed_files, write_bot_config
from tests.imap_server import PASSWORD, USER

pytest_plugins = ["tests.imap_fixtures"]

PASSWORD_ENV = "RBOT_TEST_MAIL_PASSWORD"
PROCESSED, FAILED = "Rechnungen/Verarbeitet", "Rechnungen/Fehler"
CASEWORKER = {mb.PDF_DIAKONIE: "schneider", mb.XML_UBL: "wagner", mb.PDF_VOGT: "neumann",
              mb.XML_CII: "yilmaz", mb.ZUGFERD_VOGT: "neumann"}


def mailbox_entry(server, **changes) -> dict:
    return {"name": "rechnungseingang", "type": "imap", "host": "127.0.0.1",
            "port": server.tls_port, "tls": "implicit", "user": USER,
            "password_env": PASSWORD_ENV, "ca_file": str(server.certificate.ca_file),
            "folder": "INBOX", "processed_folder": PROCESSED, "failed_folder": FAILED,
            "poll_seconds": 0.5} | changes


@pytest.fixture
def with_password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


def configure(root: Path, server, **changes) -> Path:
    return write_bot_config(root, extra={"mailboxes": [mailbox_entry(server, **changes)]})


def run(config_path: Path):
    ctx = open_context(load_config(config_path))
    try:
        return run_once(ctx, folder_bot_for(ctx))
    finally:
        ctx.ledger.close()


def ledger_rows(root: Path, sql: str) -> list[dict]:
    db = sqlite3.connect(root / "var" / "ledger.sqlite3")
    db.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in db.execute(sql)]
    finally:
        db.close()


def filed_names(root: Path) -> dict[str, list[str]]:
    """original name -> queues it was filed to (from the sidecars)."""
    found: dict[str, list[str]] = {}
    for sidecar in (root / "var" / "efile").glob("*/*.json"):
        found.setdefault(json.loads(sidecar.read_text())["original_name"], []).append(
            sidecar.parent.name)
    return found


def test_each_invoice_filed_once_each_mail_in_its_folder_other_mail_untouched(
        tmp_path, dovecot, with_password):
    for raw in (mb.several_attachments(), mb.nested_multipart(), mb.forwarded(),
                mb.without_attachment(), mb.with_zip_bomb()):
        dovecot.append(raw)
    dovecot.append(bytes(mb.new_mail("gelöscht", message_id="<deleted@x>")), flags=r"(\Deleted)")
    config = configure(tmp_path, dovecot)

    outcomes = run(config)
    assert run(config) == []  # a second run finds nothing new

    assert filed_names(tmp_path) == {name: [queue] for name, queue in CASEWORKER.items()}
    assert all(len(queues) == 1 for queues in filed_files(tmp_path / "var" / "efile").values())
    reasons = sorted((o.file, o.reason) for o in outcomes if o.outcome == "exception")
    assert reasons == [("Frage zur Rechnung.eml", "no_attachment"),
                       ("rechnungen.zip", "attachment_rejected")]
    assert dovecot.message_ids("INBOX") == ["<deleted@x>"]
    [(flags, _)] = dovecot.messages("INBOX")
    assert b"\\Deleted" in flags
    assert len(dovecot.messages(PROCESSED)) == 3
    failed_subjects = sorted(parse_mail(raw).subject for _, raw in dovecot.messages(FAILED))
    assert failed_subjects == ["Frage zur Rechnung", "Rechnungsarchiv"]


def test_the_ledger_knows_where_each_document_came_from(tmp_path, dovecot, with_password):
    raw = mb.several_attachments()
    dovecot.append(raw)
    run(configure(tmp_path, dovecot))
    [mail] = ledger_rows(tmp_path, "SELECT * FROM mails")
    assert mail["moved_at"] and mail["outcome"] == "processed"
    assert mail["uidvalidity"].isdigit() and mail["uid"] == "1"
    parsed = parse_mail(raw)
    assert (mail["message_id"], mail["sender"]) == (parsed.message_id, parsed.sender)
    receipts = ledger_rows(tmp_path, "SELECT original_name, meta_json FROM receipts")
    assert sorted(r["original_name"] for r in receipts) == [mb.PDF_DIAKONIE, mb.XML_UBL]
    for receipt in receipts:
        meta = json.loads(receipt["meta_json"])["mail"]
        assert meta | {"part": None} == {
            "key": mail["mail_key"], "account": "rechnungseingang", "folder": "INBOX",
            "uidvalidity": mail["uidvalidity"], "uid": "1", "message_id": parsed.message_id,
            "sender": "rechnung@anbieter.example", "part": None}
    # the whole mail is kept in the store too
    assert Store(tmp_path / "var" / "store").read(mail["eml_sha256"]).replace(b"\r\n", b"\n") \
        == raw.replace(b"\r\n", b"\n")


def test_a_mail_without_invoice_keeps_its_eml_and_a_readable_pdf(tmp_path, dovecot,
                                                                 with_password):
    dovecot.append(mb.without_attachment("Rückfrage Abrechnung"))
    run(configure(tmp_path, dovecot))
    [doc] = ledger_rows(tmp_path, "SELECT * FROM documents")
    assert (doc["state"], doc["reason"]) == ("exception", "no_attachment")
    assert doc["reason_detail"] == "Die E-Mail hat keinen Anhang."
    store = Store(tmp_path / "var" / "store")
    eml = store.read(doc["sha256"])
    assert parse_mail(eml).subject == "Rückfrage Abrechnung"
    [receipt] = ledger_rows(tmp_path, "SELECT meta_json FROM receipts")
    rendering = json.loads(receipt["meta_json"])["rendering"]
    pdf = store.read(rendering["sha256"])
    assert pdf.startswith(b"%PDF-") and Path(rendering["store_path"]).read_bytes() == pdf


def test_encoded_names_are_kept_for_display_and_zip_entries_filed(tmp_path, dovecot,
                                                                  with_password):
    raw, names = mb.encoded_names()
    dovecot.append(raw)
    dovecot.append(mb.with_zip())
    run(configure(tmp_path, dovecot))
    assert sorted(filed_names(tmp_path)) == sorted([*names, mb.XML_CII])
    # files are named by document id only: no name from a mail ever became a path
    assert {p.stem for p in (tmp_path / "var" / "efile").glob("*/*.pdf")} == \
        set(filed_files(tmp_path / "var" / "efile"))
    assert len(dovecot.messages(PROCESSED)) == 2


def test_the_same_mail_delivered_twice_is_registered_once(tmp_path, dovecot, with_password):
    raw = mb.several_attachments()
    dovecot.append(raw)
    dovecot.append(b"Received: from mx2.example by mx1.example\r\n" + raw)
    reused_id = mb.new_mail("Andere Mail, gleiche Message-ID",
                            message_id=parse_mail(raw).message_id)
    dovecot.append(bytes(mb.attach(reused_id, mb.sample(mb.PDF_VOGT), "r.pdf",
                                   "application/pdf")))
    outcomes = run(configure(tmp_path, dovecot))
    assert sorted(o.outcome for o in outcomes) == ["filed"] * 3  # no duplicate receipts
    mails = ledger_rows(tmp_path, "SELECT uid, duplicate_of, documents FROM mails ORDER BY uid")
    assert [m["duplicate_of"] is not None for m in mails] == [False, True, False]
    assert json.loads(mails[1]["documents"]) == []
    assert len(dovecot.messages(PROCESSED)) == 3


def test_uid_expunge_path_keeps_mail_flagged_deleted(tmp_path, dovecot_without_move,
                                                     with_password):
    server = dovecot_without_move
    server.append(bytes(mb.new_mail("gelöscht", message_id="<deleted@x>")), flags=r"(\Deleted)")
    server.append(mb.forwarded())
    server.append(bytes(mb.new_mail("noch einer gelöscht", message_id="<deleted2@x>")),
                  flags=r"(\Deleted)")
    run(configure(tmp_path, server))
    assert server.message_ids("INBOX") == ["<deleted2@x>", "<deleted@x>"]
    assert all(b"\\Deleted" in flags for flags, _ in server.messages("INBOX"))
    assert filed_names(tmp_path) == {mb.ZUGFERD_VOGT: ["neumann"]}
    assert len(server.messages(PROCESSED)) == 1


def test_eml_files_in_a_watched_folder_are_handled_like_mail(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0)
    (tmp_path / "inbox" / "weitergeleitet.eml").write_bytes(mb.nested_multipart())
    (tmp_path / "inbox" / "frage.eml").write_bytes(mb.without_attachment())
    outcomes = run(config)
    assert filed_names(tmp_path) == {mb.PDF_VOGT: ["neumann"], mb.XML_CII: ["yilmaz"]}
    assert [(o.source, o.reason) for o in outcomes if o.outcome == "exception"] == [
        ("registratur", "no_attachment")]
    assert list((tmp_path / "inbox").iterdir()) == []
    mails = ledger_rows(tmp_path, "SELECT mail_key, account, outcome FROM mails")
    assert sorted(m["outcome"] for m in mails) == ["failed", "processed"]
    assert all(m["mail_key"].startswith("file:") for m in mails)


def test_refused_login_is_retried_with_backoff_while_folders_are_served(tmp_path, dovecot,
                                                                        monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "falsch")
    dovecot.append(mb.forwarded())
    config = configure(tmp_path, dovecot, poll_seconds=10)
    (tmp_path / "inbox" / mb.XML_CII).write_bytes(mb.sample(mb.XML_CII))
    outcomes = run(config)
    assert [(o.file, o.outcome) for o in outcomes] == [(mb.XML_CII, "filed")]
    assert len(dovecot.messages("INBOX")) == 1  # the mail waits for the next attempt

    # The backoff, on a clock of the test's; the password variable is now missing, a refusal
    # before the server (Dovecot itself delays repeated failed logins, which is slow).
    monkeypatch.delenv(PASSWORD_ENV)
    now = [100.0]
    ctx = open_context(load_config(config))
    bot = MailboxBot(ctx.config.mailboxes[0], ctx.ledger, ctx.store, clock=lambda: now[0])
    delays = []
    for _ in range(6):
        assert bot.poll() == []
        delays.append(bot.next_attempt - now[0])
        assert bot.poll() == [] and bot.failures == len(delays)  # not due: no new attempt
        now[0] = bot.next_attempt
    assert delays == [10, 20, 40, 80, 150, 150]  # doubling up to 15 x poll_seconds
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    assert [r.original_name for r in bot.poll()] == [mb.ZUGFERD_VOGT]
    assert bot.failures == 0
    bot.close()
    ctx.ledger.close()


def test_a_missing_password_variable_never_reaches_the_server(tmp_path, dovecot, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    ctx = open_context(load_config(configure(tmp_path, dovecot)))
    opened = []
    bot = MailboxBot(ctx.config.mailboxes[0], ctx.ledger, ctx.store, opener=opened.append)
    assert bot.poll() == [] and bot.failures == 1 and opened == []
    ctx.ledger.close()


def test_mail_the_server_cannot_move_stays_and_is_registered_once(
        tmp_path, dovecot_without_move_or_uidplus, with_password):
    server = dovecot_without_move_or_uidplus
    server.append(mb.forwarded())
    server.append(mb.several_attachments())
    config = configure(tmp_path, server)
    first = run(config)
    assert run(config) == []  # seen: registered, not moved, never registered again
    assert sorted(o.file for o in first) == sorted([mb.ZUGFERD_VOGT, mb.PDF_DIAKONIE,
                                                    mb.XML_UBL])
    assert len(server.messages("INBOX")) == 2  # no EXPUNGE without UIDPLUS: both stay
    mails = ledger_rows(tmp_path, "SELECT moved_at FROM mails")
    assert [m["moved_at"] for m in mails] == [None, None]
