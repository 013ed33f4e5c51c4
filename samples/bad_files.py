"""Inputs the bot must turn into exceptions: empty, truncated, encrypted and unsupported files."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader, PdfWriter

USER_PASSWORD = "Rechnung2026"  # documented in the samples README of the report, not secret


def empty() -> bytes:
    """leer.pdf: a file of 0 bytes, as a failed scan-to-folder upload leaves behind."""
    return b""


def truncated(pdf: bytes) -> bytes:
    """abgeschnitten.pdf: the first half of a real invoice PDF (no xref table, no trailer)."""
    return pdf[: len(pdf) // 2]


def encrypted(pdf: bytes) -> bytes:
    """passwort.pdf: a real invoice PDF that opens only with a user password (AES-256)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=USER_PASSWORD, owner_password=USER_PASSWORD + "-owner",
                   algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""

_COVER_LETTER = (
    "Sanitätshaus Vogt GmbH · Bahnhofstraße 58 · 59065 Hammfeld",
    "Landschaftsverband Musterland, Dezernat Soziales",
    "Anschreiben zu unserer Rechnung R-2026-3381",
    "Sehr geehrte Damen und Herren,",
    "anbei erhalten Sie unsere Rechnung zur Hilfsmittelversorgung gemäß Ihrer "
    "Kostenzusage KZ-2026-08815. Die Rechnung folgt als PDF in einer separaten Nachricht.",
    "Mit freundlichen Grüßen",
    "Oliver Vogt",
)


def _document_xml(paragraphs: tuple[str, ...]) -> str:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"
                   for text in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>')


def cover_letter_docx() -> bytes:
    """anschreiben.docx: a real (minimal) Word document, which is not an invoice format."""
    out = io.BytesIO()
    parts = (
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _RELS),
        ("word/document.xml", _document_xml(_COVER_LETTER)),
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 9, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()
