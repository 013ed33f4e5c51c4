"""Parse untrusted XML safely: no DTD, no entities, no network, bounded size."""

from __future__ import annotations

from lxml import etree

from einvoice.errors import EInvoiceError

MAX_XML_BYTES = 20 * 1024 * 1024

# A DOCTYPE is refused before parsing, in the encodings an XML declaration may announce
# (UTF-8/ASCII family; UTF-16 LE and BE both contain the second form). Plain substring
# searches: a regular expression over a large invoice costs milliseconds. XML spells the
# keyword upper case; other spellings are malformed, and anything that still slips through
# is caught on the parsed tree below.
_DOCTYPES = (b"<!DOCTYPE", b"<!doctype", b"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes) -> etree._Element:
    """Return the root element of `data`, or raise EInvoiceError.

    Any DOCTYPE is refused (XXE, billion laughs); malformed XML is corrupt; XML above
    MAX_XML_BYTES is unsupported.
    """
    if len(data) > MAX_XML_BYTES:
        raise EInvoiceError("unsupported", f"XML larger than {MAX_XML_BYTES // (1024 * 1024)} MB")
    if any(marker in data for marker in _DOCTYPES):
        raise EInvoiceError("corrupt", "XML with a DOCTYPE declaration refused")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise EInvoiceError("corrupt", f"malformed XML (line {exc.lineno})") from None
    except (ValueError, etree.LxmlError) as exc:
        raise EInvoiceError("corrupt", f"XML not parseable ({type(exc).__name__})") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise EInvoiceError("corrupt", "XML with a DOCTYPE declaration refused")
    return root
