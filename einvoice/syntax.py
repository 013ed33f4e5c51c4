"""Recognise e-invoice XML (UBL 2.1, UN/CEFACT CII, ZUGFeRD 1.0) and read it into a Reading."""

from __future__ import annotations

import threading

from lxml import etree

from einvoice.xmlsafe import parse_xml
from ocr.model import ReadError, Reading

UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
ZUGFERD1 = "urn:ferd:CrossIndustryDocument:invoice:1p0"

# Root element (Clark notation) -> syntax name.
SYNTAXES: dict[str, str] = {
    f"{{{UBL_INVOICE}}}Invoice": "ubl",
    f"{{{UBL_CREDIT_NOTE}}}CreditNote": "ubl",
    f"{{{CII}}}CrossIndustryInvoice": "cii",
    f"{{{ZUGFERD1}}}CrossIndustryDocument": "zugferd1",
}

KIND_OF_SYNTAX = {"ubl": "xrechnung-ubl", "cii": "xrechnung-cii", "zugferd1": "xrechnung-cii"}


def syntax_of(root: etree._Element) -> str:
    """The invoice syntax of a parsed root element; ReadError('unsupported') if none."""
    syntax = SYNTAXES.get(root.tag) if isinstance(root.tag, str) else None
    if syntax is None:
        raise ReadError("unsupported", "XML is not a UBL, CII or ZUGFeRD invoice")
    return syntax


# The last invoice parsed in this thread: reading, extracting and rendering one document
# hand the same bytes object along, so it is parsed once, not three times.
_last = threading.local()
MAX_REUSED_BYTES = 2 * 1024 * 1024


def parse_invoice_xml(data: bytes) -> tuple[etree._Element, str]:
    """Parse `data` safely and return (root, syntax); ReadError for anything else.

    The tree is shared with the next caller that passes the very same bytes object: treat
    it as read-only."""
    last = getattr(_last, "parsed", None)
    if last is not None and last[0] is data:
        return last[1], last[2]
    root = parse_xml(data)
    syntax = syntax_of(root)
    _last.parsed = (data, root, syntax) if len(data) <= MAX_REUSED_BYTES else None
    return root, syntax


def read_einvoice(data: bytes) -> Reading:
    """A Reading of a stand-alone e-invoice XML file."""
    _, syntax = parse_invoice_xml(data)
    return Reading(kind=KIND_OF_SYNTAX[syntax], pages=0, xml=data)
