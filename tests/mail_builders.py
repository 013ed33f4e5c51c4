"""Mails for the mailbox tests, built with the standard library's email package from the
sample invoices: several attachments, nested multiparts, forwarded mails, encoded and hostile
file names, no attachment, ZIP archives and a ZIP bomb."""

from __future__ import annotations

import base64
import io
import zipfile
from email.message import EmailMessage
from email.utils import make_msgid

from tests.conftest import SAMPLES

PDF_DIAKONIE = "rechnung-diakonie-2026-1203.pdf"  # filed to schneider
PDF_VOGT = "rechnung-sanitaetshaus-vogt-2026-3381.pdf"  # filed to neumann
ZUGFERD_VOGT = "zugferd-sanitaetshaus-vogt-2026-3402.pdf"  # filed to neumann
XML_UBL = "xrechnung-abendrot-2026-0461-ubl.xml"  # filed to wagner
XML_CII = "xrechnung-dolmetscher-albers-2026-117-cii.xml"  # filed to yilmaz


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def new_mail(subject: str, text: str = "Sehr geehrte Damen und Herren,\nanbei die Rechnung.",
             sender: str = "Buchhaltung <rechnung@anbieter.example>",
             message_id: str | None = None) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "rechnungseingang@lv.example"
    mail["Subject"] = subject
    mail["Date"] = "Mon, 02 Mar 2026 09:15:00 +0100"
    mail["Message-ID"] = message_id or make_msgid(domain="anbieter.example")
    mail.set_content(text)
    return mail


def attach(mail: EmailMessage, data: bytes, filename: str | None,
           mime: str = "application/octet-stream") -> EmailMessage:
    maintype, subtype = mime.split("/")
    mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return mail


def several_attachments() -> bytes:
    mail = new_mail("Rechnungen März")
    attach(mail, sample(PDF_DIAKONIE), PDF_DIAKONIE, "application/pdf")
    attach(mail, sample(XML_UBL), XML_UBL, "application/xml")
    attach(mail, b"Allgemeine Geschaeftsbedingungen", "AGB.txt", "text/plain")
    return bytes(mail)


def nested_multipart() -> bytes:
    """mixed { alternative {text, html}, mixed { pdf, mixed { xml } } }"""
    mail = new_mail("Verschachtelt")
    mail.add_alternative("<p>Sehr geehrte Damen und Herren,<br>anbei.</p>", subtype="html")
    inner = EmailMessage()
    inner.make_mixed()
    inner.add_attachment(sample(PDF_VOGT), maintype="application", subtype="pdf",
                         filename=PDF_VOGT)
    innermost = EmailMessage()
    innermost.add_attachment(sample(XML_CII), maintype="application", subtype="xml",
                             filename=XML_CII)
    inner.attach(innermost)
    mail.make_mixed()
    mail.attach(inner)
    return bytes(mail)


def forwarded() -> bytes:
    original = new_mail("Rechnung ZUGFeRD", sender="Sanitätshaus <rechnung@vogt.example>")
    attach(original, sample(ZUGFERD_VOGT), ZUGFERD_VOGT, "application/pdf")
    mail = new_mail("WG: Rechnung ZUGFeRD", text="Zur Bearbeitung weitergeleitet.",
                    sender="Poststelle <post@lv.example>")
    mail.add_attachment(original)  # message/rfc822
    return bytes(mail)


def encoded_names() -> tuple[bytes, list[str]]:
    """RFC 2231 (umlaut), RFC 2047 inside a quoted parameter (as Outlook writes it), a
    traversal attempt with a reserved device name, and a PDF under a misleading .txt name."""
    b64 = base64.b64encode("Rechnung Büro №7.pdf".encode()).decode()
    mail = new_mail("Dateinamen")
    attach(mail, sample(PDF_DIAKONIE), "Rechnung März.pdf", "application/pdf")  # RFC 2231
    part = attach(mail, sample(PDF_VOGT), "placeholder.pdf", "application/pdf").get_payload()[-1]
    part.replace_header("Content-Disposition", f'attachment; filename="=?utf-8?B?{b64}?="')
    attach(mail, sample(XML_UBL), "../../../etc/NUL.xml", "application/xml")
    attach(mail, sample(ZUGFERD_VOGT), "notiz.txt", "text/plain")
    return bytes(mail), ["Rechnung März.pdf", "Rechnung Büro №7.pdf", "_NUL.xml", "notiz.txt"]


def without_attachment(subject: str = "Frage zur Rechnung") -> bytes:
    return bytes(new_mail(subject, text="Wann wird unsere Rechnung bezahlt?"))


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb(megabytes: int = 8) -> bytes:
    """One entry of zeros: a few KiB packed, `megabytes` unpacked (ratio ~1000:1)."""
    return zip_of({"rechnung.pdf": b"%PDF-1.4\n" + bytes(megabytes * 1024 * 1024)})


def with_zip_bomb() -> bytes:
    mail = new_mail("Rechnungsarchiv")
    attach(mail, zip_bomb(), "rechnungen.zip", "application/zip")
    return bytes(mail)


def with_zip() -> bytes:
    mail = new_mail("Rechnungen als ZIP")
    attach(mail, zip_of({"2026/" + XML_CII: sample(XML_CII), "liesmich.txt": b"Hallo"}),
           "rechnungen.zip", "application/zip")
    return bytes(mail)
