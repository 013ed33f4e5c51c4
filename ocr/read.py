"""read_document: recognise a document by its content and read it into a Reading."""

from __future__ import annotations

import re

from ocr.einvoice import parse_invoice_xml, read_einvoice
from ocr.images import image_format
from ocr.model import ReadError, Reading
from ocr.pdf import is_pdf, open_pdf
from ocr.pdftext import has_usable_text, pdf_text
from ocr.scan import read_image, read_scanned_pdf
from ocr.zugferd import find_invoice_xml

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (.doc, .xls)
_LANG = re.compile(r"[a-z_]{3,}(?:\+[a-z_]{3,})*")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def looks_like_xml(data: bytes) -> bool:
    head = data[:64]
    for bom in _BOMS:
        if head.startswith(bom):
            return True
    return head.lstrip().startswith(b"<")


def _embedded_invoice(reader) -> tuple[tuple[str, bytes] | None, tuple[str, ...]]:
    """The embedded invoice XML if it is a valid invoice, else None and a warning why not."""
    try:
        found = find_invoice_xml(reader)
    except Exception as exc:  # garbled attachment structures
        return None, (f"embedded files not readable ({type(exc).__name__})",)
    if found is None:
        return None, ()
    try:
        parse_invoice_xml(found[1])
    except ReadError as exc:
        return None, (f"embedded invoice XML refused ({exc.code})",)
    return found, ()


def _visible_text(data: bytes) -> tuple[str, tuple[str, ...]]:
    """The text layer beside an e-invoice XML: wanted for comparison, not essential."""
    try:
        return pdf_text(data), ()
    except ReadError as exc:
        return "", (f"text layer not readable ({exc.code})",)


def read_pdf(data: bytes, *, lang: str, dpi: int) -> Reading:
    """Embedded e-invoice XML first, then the text layer, else OCR of the rendered pages."""
    reader = open_pdf(data)
    pages = len(reader.pages)
    embedded, warnings = _embedded_invoice(reader)
    if embedded is not None:
        name, xml = embedded
        text, text_warnings = _visible_text(data)
        return Reading(
            kind="zugferd", pages=pages, text=text, xml=xml, xml_name=name, warnings=text_warnings
        )
    text = pdf_text(data)
    if has_usable_text(text, pages):
        return Reading(kind="pdf-text", pages=pages, text=text, warnings=warnings)
    scan = read_scanned_pdf(data, pages, lang=lang, dpi=dpi)
    return Reading(
        kind=scan.kind,
        pages=scan.pages,
        text=scan.text,
        words=scan.words,
        warnings=warnings + scan.warnings,
    )


def read_document(data: bytes, *, lang: str = "deu+eng", dpi: int = 300) -> Reading:
    """Read an invoice document of any supported kind, recognised from its content.

    Raises ReadError (never another exception) for empty, corrupt, encrypted, unsupported
    or unreadable input.
    """
    if not _LANG.fullmatch(lang) or not 50 <= dpi <= 1200:
        raise ValueError("lang must be Tesseract languages like 'deu+eng'; dpi 50..1200")
    if not data or not data.strip():
        raise ReadError("unreadable", "empty file")
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
        raise ReadError("unsupported", "ZIP archive or Office document")
    if is_pdf(data):
        return read_pdf(data, lang=lang, dpi=dpi)
    if image_format(data):
        return read_image(data, lang=lang)
    if looks_like_xml(data):
        return read_einvoice(data)
    raise ReadError("unsupported", "unknown file format")
