"""Recognise e-invoice XML by its root element: UBL 2.1, UN/CEFACT CII, ZUGFeRD 1.0."""

from __future__ import annotations

from lxml import etree

from einvoice.errors import EInvoiceError

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


def syntax_of(root: etree._Element) -> str:
    """The invoice syntax of a parsed root element; EInvoiceError('unsupported') if none."""
    syntax = SYNTAXES.get(root.tag) if isinstance(root.tag, str) else None
    if syntax is None:
        raise EInvoiceError("unsupported", "XML is not a UBL, CII or ZUGFeRD invoice")
    return syntax
