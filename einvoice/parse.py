"""Parse e-invoice XML once: the safe lxml tree, its syntax and the complete EN 16931 model.

A ParsedInvoice is what the rest of a document's path hands along (the contract fields, the
validation and the readable PDF all start from it), so no stage parses the XML again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from einvoice.cii import read_cii
from einvoice.model import EInvoice
from einvoice.syntax import syntax_of
from einvoice.ubl import read_ubl
from einvoice.xmlsafe import parse_xml


@dataclass(frozen=True, eq=False)
class ParsedInvoice:
    """An e-invoice XML parsed once. `root` is shared by its readers: treat it as read-only."""

    xml: bytes = field(repr=False)
    root: etree._Element = field(repr=False)
    syntax: str  # ubl | cii | zugferd1
    invoice: EInvoice

    def __reduce__(self):  # an lxml tree does not pickle: another process parses the bytes
        return parse_invoice, (self.xml,)


def parse_invoice(xml: bytes) -> ParsedInvoice:
    """Parse untrusted e-invoice XML safely and read it completely; EInvoiceError if it is
    not a well-formed UBL, CII or ZUGFeRD invoice."""
    root = parse_xml(xml)
    syntax = syntax_of(root)
    invoice = read_ubl(root) if syntax == "ubl" else read_cii(root, syntax)
    return ParsedInvoice(xml, root, syntax, invoice)
