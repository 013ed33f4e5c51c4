"""The official verdict on a file that should be an e-invoice, for its validation report:
an XRechnung / e-invoice XML, or a PDF with the invoice XML embedded (ZUGFeRD, Factur-X).
Read as read_document reads e-invoices and validated as extract validates them - but never
OCR'd: a file that holds no readable invoice XML gets one finding that says why.
"""

from __future__ import annotations

from einvoice.model import EInvoice
from einvoice.validation import Finding, Validation, validate
from einvoice.zugferd import find_invoice_xml
from ocr.model import ReadError
from ocr.pdf import is_pdf, open_pdf
from ocr.read import looks_like_xml, parsed_einvoice

NO_EINVOICE = "KEINE-E-RECHNUNG"
_REASONS = {"corrupt": "Die Datei ist beschädigt oder keine wohlgeformte XML-Datei",
            "unsupported": "Die Datei ist keine E-Rechnung im Format UBL, CII oder ZUGFeRD",
            "encrypted": "Die PDF-Datei ist passwortgeschützt",
            "unreadable": "Die Datei ist leer oder nicht lesbar"}


def _unreadable(exc: ReadError) -> Validation:
    reason = _REASONS.get(exc.code, "Die Datei ist keine lesbare E-Rechnung")
    return Validation("–", (Finding(NO_EINVOICE, "error", f"{reason}.", official=exc.message),))


def _invoice_xml(data: bytes) -> tuple[bytes, bool]:
    """(the invoice XML, whether it came out of a PDF); ReadError when there is none."""
    if is_pdf(data):
        found = find_invoice_xml(open_pdf(data))
        if found is None:
            raise ReadError("unsupported", "PDF without an embedded invoice XML")
        return found[1], True
    if not data.strip():
        raise ReadError("unreadable", "empty file")
    if not looks_like_xml(data):
        raise ReadError("unsupported", "neither XML nor PDF")
    return data, False


def check_einvoice(data: bytes) -> tuple[EInvoice | None, Validation]:
    """(the invoice as read, None if unreadable; the verdict of the official rules)."""
    try:
        xml, embedded = _invoice_xml(data)
        parsed = parsed_einvoice(xml)
    except ReadError as exc:
        return None, _unreadable(exc)
    return parsed.invoice, validate(parsed, embedded=embedded)
