"""Retention of the copies made for documents: a scanned batch is deleted with the last of its
parts, a mail (.eml, and its sender in the ledger) with the last document it brought; nothing
another open document still needs goes early."""

from datetime import UTC, datetime, timedelta

from bots.intake.register import Incoming, take
from bots.storage.ledger import Ledger, document_id_for
from bots.storage.mail_ledger import MailRecord, SeenMails
from bots.storage.retention import due_for_purge, purge
from bots.storage.store import Store

LATER = datetime.now(UTC) + timedelta(days=400)


def _setup(tmp_path):
    return Ledger(tmp_path / "ledger.sqlite3"), Store(tmp_path / "store")


def _file(ledger: Ledger, doc_id: str) -> None:
    ledger.transition(doc_id, "filed", filed_path="/efile/x.pdf",
                      filed_at=(datetime.now(UTC) - timedelta(days=1)).isoformat())


def _purge_only(ledger: Ledger, store: Store, doc_id: str) -> None:
    items = [i for i in due_for_purge(ledger, 30, now=LATER) if i.document_id == doc_id]
    assert purge(ledger, store, items) == 1


def test_a_batch_scan_goes_with_the_last_of_its_parts(tmp_path):
    ledger, store = _setup(tmp_path)
    batch_sha, batch_path = store.put(b"%PDF- the whole batch scan")
    batch_id = document_id_for(batch_sha)
    parts = [take(Incoming(f"%PDF- part {n}".encode(), "registratur", f"teil-{n}.pdf",
                           f"k#{n}", meta={"batch": {"id": batch_id, "sha256": batch_sha}},
                           parent_id=batch_id), ledger, store).document_id for n in (1, 2)]
    _file(ledger, parts[0])
    _purge_only(ledger, store, parts[0])
    assert batch_path.exists()  # part 2 is still open: the batch is its original too
    _file(ledger, parts[1])
    _purge_only(ledger, store, parts[1])
    assert not batch_path.exists()


def test_a_mail_and_its_sender_go_with_the_last_document_it_brought(tmp_path):
    ledger, store = _setup(tmp_path)
    mails = SeenMails(ledger)
    eml_sha, eml_path = store.put(b"From: pflege@example.org\r\n\r\nRechnungen anbei")
    docs = [take(Incoming(f"%PDF- anhang {n}".encode(), "postfach", f"a{n}.pdf", f"m#{n}"),
                 ledger, store).document_id for n in (1, 2)]
    mails.record(MailRecord("imap:x:INBOX:1:7", "x", "INBOX", "1", "7", "<m@x>",
                            "pflege@example.org", "b" * 64, eml_sha, "processed", None,
                            tuple(docs)))
    _file(ledger, docs[0])
    _purge_only(ledger, store, docs[0])
    assert eml_path.exists() and mails.get("imap:x:INBOX:1:7").sender
    _file(ledger, docs[1])
    _purge_only(ledger, store, docs[1])
    assert not eml_path.exists() and mails.get("imap:x:INBOX:1:7").sender is None


def test_a_mail_rendering_goes_with_its_document(tmp_path):
    ledger, store = _setup(tmp_path)
    pdf_sha, pdf_path = store.put(b"%PDF- the mail as PDF")
    doc = take(Incoming(b"From: a@b\r\n\r\nnur Text", "postfach", "mail.eml", "m#mail",
                        meta={"rendering": {"sha256": pdf_sha}}), ledger, store).document_id
    _file(ledger, doc)
    _purge_only(ledger, store, doc)
    assert not pdf_path.exists()
