"""Read any supported e-invoice XML (UBL 2.1, CII D16B, ZUGFeRD 1.0) into an EInvoice."""

from __future__ import annotations

import threading

from lxml import etree

from einvoice.cii import read_cii
from einvoice.model import EInvoice
from einvoice.syntax import parse_invoice_xml
from einvoice.ubl import read_ubl

_last = threading.local()  # the last (root, EInvoice) of this thread: see parse_invoice_xml


def einvoice_of(root: etree._Element, syntax: str) -> EInvoice:
    """The EInvoice of an already parsed root element of the given syntax."""
    last = getattr(_last, "read", None)
    if last is not None and last[0] is root:
        return last[1]
    invoice = read_ubl(root) if syntax == "ubl" else read_cii(root, syntax)
    _last.read = (root, invoice)
    return invoice


def parse_einvoice(xml: bytes) -> EInvoice:
    """Parse untrusted e-invoice XML safely and read it completely; ReadError if it is not
    a well-formed UBL, CII or ZUGFeRD invoice."""
    root, syntax = parse_invoice_xml(xml)
    return einvoice_of(root, syntax)
