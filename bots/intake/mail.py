"""Taking one mail into the ledger: every invoice attachment becomes a document; a mail without
one becomes an exception document (`no_attachment`) whose original is the .eml itself, with a
readable PDF of it kept in the store; a refused attachment (e.g. a ZIP bomb) becomes an
exception document (`attachment_rejected`) with its bytes kept.

Idempotent per arrival: intake keys are derived from the mail's key and part numbers, and the
mail's row in `mails` is written after all its documents, so a crash at any point re-takes
the mail without registering anything twice. The same mail arriving again (same Message-ID and
body, e.g. a second delivery or a new UIDVALIDITY) registers nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bots.intake.register import Incoming, take
from bots.storage.ledger import Ledger, Receipt
from bots.storage.mail_ledger import MailRecord, SeenMails
from bots.storage.store import Store
from mailbox.message import body_sha256, parse_mail
from mailbox.model import Attachment, ParsedMail
from mailbox.names import display_name
from mailbox.render import render_mail_pdf


@dataclass(frozen=True)
class MailOrigin:
    """Where one arrival of a mail came from."""

    key: str  # unique per arrival; see MailRecord.mail_key
    account: str  # mailbox name, or the source of the watched folder
    folder: str
    uidvalidity: str | None
    uid: str | None
    source: str  # the documents' source


@dataclass(frozen=True)
class MailTaken:
    record: MailRecord
    receipts: tuple[Receipt, ...]  # what this call registered (empty when seen before)


def take_mail(raw: bytes, origin: MailOrigin, ledger: Ledger, store: Store,
              seen: SeenMails) -> MailTaken:
    known = seen.get(origin.key)
    if known is not None:
        return MailTaken(known, ())
    mail = _parsed(raw)
    eml_sha, _ = store.put(raw)
    twin = (seen.same_mail(mail.message_id, mail.body_sha256, origin.key)
            if mail.message_id else None)
    receipts = () if twin else tuple(take(incoming, ledger, store)
                                     for incoming in _incomings(raw, mail, origin, store))
    record = MailRecord(
        mail_key=origin.key, account=origin.account, folder=origin.folder,
        uidvalidity=origin.uidvalidity, uid=origin.uid, message_id=mail.message_id,
        sender=mail.sender, body_sha256=mail.body_sha256, eml_sha256=eml_sha,
        outcome=twin.outcome if twin else _outcome(mail),
        duplicate_of=twin.mail_key if twin else None,
        documents=tuple(dict.fromkeys(r.document_id for r in receipts)))
    seen.record(record)
    return MailTaken(seen.get(origin.key) or record, receipts)


def _parsed(raw: bytes) -> ParsedMail:
    """The parsed mail; a mail the parser cannot take apart still becomes a document (its
    .eml, an exception for a clerk), it never blocks the mailbox."""
    try:
        return parse_mail(raw)
    except Exception:  # noqa: BLE001 - any parser failure on hostile input
        return ParsedMail(message_id=None, sender=None, to=None, subject="", date=None,
                          body_text="(Die E-Mail konnte nicht zerlegt werden.)",
                          body_sha256=body_sha256(raw), attachments=())


def _outcome(mail: ParsedMail) -> str:
    """processed: every part became an invoice document; failed: a clerk must look."""
    return "processed" if mail.usable and not mail.rejected else "failed"


def _incomings(raw: bytes, mail: ParsedMail, origin: MailOrigin,
               store: Store) -> list[Incoming]:
    found = [_attachment(a, mail, origin) for a in mail.usable + mail.rejected]
    if not found:
        found.append(_whole_mail(raw, mail, origin, store))
    return found


def _attachment(attachment: Attachment, mail: ParsedMail, origin: MailOrigin) -> Incoming:
    meta = {"mail": _mail_meta(mail, origin, attachment.part)}
    if attachment.status == "rejected":
        meta["exception"] = {"reason": "attachment_rejected",
                             "detail": f"{attachment.name}: {attachment.problem}"}
    return Incoming(attachment.data, origin.source, attachment.name,
                    f"{origin.key}#{attachment.part}", meta=meta)


def _whole_mail(raw: bytes, mail: ParsedMail, origin: MailOrigin, store: Store) -> Incoming:
    """The mail itself as the document: its .eml is the original, a PDF of it is kept."""
    pdf_sha, pdf_path = store.put(render_mail_pdf(mail))
    others = ", ".join(a.name for a in mail.ignored)
    detail = (f"Die E-Mail hat keinen Anhang in einem Rechnungsformat (gefunden: {others})."
              if others else "Die E-Mail hat keinen Anhang.")
    meta = {"mail": _mail_meta(mail, origin, "mail"),
            "exception": {"reason": "no_attachment", "detail": detail},
            "rendering": {"sha256": pdf_sha, "store_path": str(pdf_path),
                          "media_type": "application/pdf"}}
    name = display_name(mail.subject, "E-Mail") + ".eml"
    return Incoming(raw, origin.source, name, f"{origin.key}#mail", meta=meta)


def _mail_meta(mail: ParsedMail, origin: MailOrigin, part: str) -> dict:
    return {"key": origin.key, "account": origin.account, "folder": origin.folder,
            "uidvalidity": origin.uidvalidity, "uid": origin.uid,
            "message_id": mail.message_id, "sender": mail.sender, "part": part}
