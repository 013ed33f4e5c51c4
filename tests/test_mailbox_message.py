"""Parsing mails: attachments found everywhere, judged by content, named safely."""

import io
import subprocess
import zipfile
from email.message import EmailMessage

import pytest

from mailbox.archives import ArchiveRefused, ZipLimits, unpack_zip
from mailbox.filetypes import sniff
from mailbox.message import looks_like_mail, parse_mail
from mailbox.names import display_name
from mailbox.render import render_mail_pdf
from tests import mail_builders as mb


def _summary(raw: bytes) -> list[tuple[str, str, str | None, str]]:
    return [(a.part, a.name, a.kind, a.status) for a in parse_mail(raw).attachments]


def test_several_attachments_each_judged_by_content():
    assert _summary(mb.several_attachments()) == [
        ("2", mb.PDF_DIAKONIE, "pdf", "usable"),
        ("3", mb.XML_UBL, "xml", "usable"),
        ("4", "AGB.txt", None, "ignored"),
    ]


def test_nested_multipart_finds_every_level_and_one_text_body():
    mail = parse_mail(mb.nested_multipart())
    assert [(a.part, a.name) for a in mail.usable] == [("2.1", mb.PDF_VOGT),
                                                       ("2.2.1", mb.XML_CII)]
    assert mail.body_text == "Sehr geehrte Damen und Herren,\nanbei die Rechnung."


def test_attachments_of_a_forwarded_mail_are_found():
    mail = parse_mail(mb.forwarded())
    assert [(a.part, a.name, a.data) for a in mail.usable] == [
        ("2.2", mb.ZUGFERD_VOGT, mb.sample(mb.ZUGFERD_VOGT))]
    assert mail.sender == "post@lv.example"  # the forwarding mail's sender


def test_an_eml_file_attached_as_octet_stream_is_opened_like_a_forwarded_mail():
    outer = mb.new_mail("Weiterleitung als Datei")
    mb.attach(outer, mb.several_attachments(), "original.eml")
    assert [a.name for a in parse_mail(bytes(outer)).usable] == [mb.PDF_DIAKONIE, mb.XML_UBL]


def test_encoded_and_hostile_names_are_decoded_for_display_only():
    raw, expected = mb.encoded_names()
    mail = parse_mail(raw)
    assert [a.name for a in mail.attachments] == expected
    # the PDF called notiz.txt is a PDF: content decides, not the name
    assert [a.kind for a in mail.attachments] == ["pdf", "pdf", "xml", "pdf"]
    assert all(a.status == "usable" for a in mail.attachments)


@pytest.mark.parametrize(("raw", "shown"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\system32\\evil.pdf", "evil.pdf"),
    ("CON", "_CON"),
    ("lpt1.pdf", "_lpt1.pdf"),
    ("..", "Anhang"),
    ("   ", "Anhang"),
    ("a\x00b\x1fc.pdf", "abc.pdf"),
    ('what?<>|*:"x.pdf', "what_______x.pdf"),
    ("=?iso-8859-1?q?Rechnung_f=FCr_M=E4rz.pdf?=", "Rechnung für März.pdf"),
    ("Rechnung Müller & Söhne.pdf", "Rechnung Müller & Söhne.pdf"),
])
def test_display_names(raw, shown):
    assert display_name(raw, "Anhang") == shown


def test_long_names_are_cut_keeping_the_extension():
    name = display_name("R" * 500 + ".pdf", "x")
    assert len(name) == 120 and name.endswith(".pdf")


@pytest.mark.parametrize(("data", "kind"), [
    (b"%PDF-1.7\n...", "pdf"),
    (b"\x00\x00junk before %PDF-1.4", "pdf"),
    (b"\xef\xbb\xbf<?xml version='1.0'?><Invoice/>", "xml"),
    ("<?xml version='1.0'?><a/>".encode("utf-16"), "xml"),
    (b"  <rsm:CrossIndustryInvoice>", "xml"),
    (b"<!DOCTYPE html><html>", None),
    (b"\x89PNG\r\n\x1a\n....", "png"),
    (b"\xff\xd8\xff\xe0....", "jpeg"),
    (b"II*\x00....", "tiff"),
    (b"PK\x03\x04....", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office"),
    (b"Hallo", None),
])
def test_sniff_by_magic_bytes(data, kind):
    assert sniff(data) == kind


def test_inline_logo_of_a_signature_is_not_an_attachment_but_a_real_image_is():
    mail = mb.new_mail("Mit Logo")
    mail.add_alternative('<p>Gruß</p><img src="cid:logo@x">', subtype="html")
    html = mail.get_payload()[1]
    html.add_related(b"\x89PNG\r\n\x1a\n" + bytes(200), maintype="image", subtype="png",
                     cid="<logo@x>")
    big_scan = b"\x89PNG\r\n\x1a\n" + bytes(100_000)
    mb.attach(mail, big_scan, "scan.png", "image/png")
    assert [(a.name, a.kind) for a in parse_mail(bytes(mail)).attachments] == [
        ("scan.png", "png")]


def test_zip_entries_become_attachments_and_office_files_are_not_archives():
    assert _summary(mb.with_zip()) == [
        ("2/1", mb.XML_CII, "xml", "usable"), ("2/2", "liesmich.txt", None, "ignored")]
    docx = mb.zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    mail = mb.attach(mb.new_mail("Anschreiben"), docx, "anschreiben.docx")
    assert _summary(bytes(mail)) == [("2", "anschreiben.docx", "office", "ignored")]


def test_zip_bomb_is_refused_before_inflating():
    mail = parse_mail(mb.with_zip_bomb())
    assert [(a.name, a.status) for a in mail.attachments] == [("rechnungen.zip", "rejected")]
    assert "ZIP-Bombe" in mail.attachments[0].problem
    assert len(mail.attachments[0].data) < 100_000  # the packed bytes are kept, not inflated


@pytest.mark.parametrize(("files", "limits", "words"), [
    ({f"r{i}.xml": b"<a/>" for i in range(5)}, ZipLimits(max_entries=4), "5 Dateien"),
    ({"a.pdf": bytes(3000)}, ZipLimits(max_entry_bytes=2000), "zu groß"),
    ({"a.pdf": bytes(3000), "b.pdf": bytes(3000)}, ZipLimits(max_total_bytes=5000), "zu groß"),
])
def test_zip_limits(files, limits, words):
    with pytest.raises(ArchiveRefused, match=words):
        unpack_zip(mb.zip_of(files), limits)


def test_zip_whose_header_understates_the_size_is_refused():
    data = bytearray(mb.zip_of({"a.pdf": bytes(50_000)}))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.infolist()[0]
    declared = info.file_size.to_bytes(4, "little")
    data[:] = data.replace(declared, (1000).to_bytes(4, "little"))  # local and central header
    with pytest.raises(ArchiveRefused):
        unpack_zip(bytes(data))


def test_damaged_and_encrypted_zips_are_refused():
    with pytest.raises(ArchiveRefused, match="beschädigt"):
        unpack_zip(b"PK\x03\x04 this is no archive")
    data = bytearray(mb.zip_of({"a.pdf": b"%PDF-1.4"}))
    for offset in (6, data.rfind(b"PK\x01\x02") + 8):  # general purpose flags: encrypted
        data[offset] |= 0x01
    with pytest.raises(ArchiveRefused, match="passwortgeschützt"):
        unpack_zip(bytes(data))


def test_a_mail_without_attachment_has_none_and_a_readable_pdf(tmp_path):
    mail = parse_mail(mb.without_attachment("Frage zu Rechnung Nr. 17 – Grüße"))
    assert mail.attachments == ()
    pdf = render_mail_pdf(mail)
    assert pdf == render_mail_pdf(mail)  # deterministic: the same mail, the same bytes
    (tmp_path / "mail.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "mail.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Frage zu Rechnung Nr. 17 – Grüße" in text
    assert "Wann wird unsere Rechnung bezahlt?" in text


def test_message_id_sender_and_body_hash():
    raw = mb.without_attachment()
    mail = parse_mail(raw)
    assert mail.message_id.startswith("<") and mail.sender == "rechnung@anbieter.example"
    redelivered = b"Received: from mx2 by mx1; Mon, 2 Mar 2026\r\n" + raw.replace(b"\n", b"\r\n")
    assert parse_mail(redelivered).body_sha256 == mail.body_sha256


def test_looks_like_mail():
    assert looks_like_mail(mb.without_attachment())
    assert not looks_like_mail(mb.sample(mb.PDF_DIAKONIE))
    assert not looks_like_mail(b"Hinweis: dies ist eine Notiz\n\nText")
    plain = EmailMessage()
    plain["Subject"] = "x"
    assert not looks_like_mail(bytes(plain))  # headers, but none a mail always has
