"""Validate an e-invoice: well-formed XML, its XML schema, the EN 16931 arithmetic
(BR-CO-10..16) and, for XRechnung, the national rules (BR-DE-*).

Every finding carries its rule id and a German message; an invoice with any finding of
severity 'error' is invalid (the bots make it an exception `invalid_einvoice`).
"""

from __future__ import annotations

from einvoice.errors import EInvoiceError
from einvoice.model import Finding
from einvoice.parse import ParsedInvoice, parse_invoice
from einvoice.rules_de import xrechnung_findings
from einvoice.rules_en import arithmetic_findings
from einvoice.xsd import xsd_findings

# ZUGFeRD 1.0 predates EN 16931 and books allowances, charges and credit notes by its own
# conventions; of the arithmetic only these two rules hold there.
ZUGFERD1_RULES = frozenset({"BR-CO-14", "BR-CO-15"})

ZUGFERD1_NOTE = Finding(
    "ZUGFERD-1.0", "warning",
    "ZUGFeRD 1.0 (älter als die EN 16931): geprüft sind XML-Schema, Umsatzsteuersumme und "
    "Bruttobetrag.")
PARTIAL_PROFILE_NOTE = Finding(
    "PROFIL", "warning",
    "Profil MINIMUM bzw. BASIC WL: die XML enthält nicht alle Pflichtangaben einer Rechnung "
    "(§ 14 UStG) – die übrigen Angaben bitte im PDF prüfen.")


def is_valid(findings: tuple[Finding, ...]) -> bool:
    return not any(finding.severity == "error" for finding in findings)


def validate(parsed: ParsedInvoice) -> tuple[Finding, ...]:
    """All findings of a parsed, well-formed invoice."""
    invoice = parsed.invoice
    findings = list(xsd_findings(parsed.root))
    arithmetic = arithmetic_findings(invoice)
    if invoice.syntax == "zugferd1":
        findings.append(ZUGFERD1_NOTE)
        arithmetic = tuple(f for f in arithmetic if f.rule in ZUGFERD1_RULES)
    elif invoice.profile in ("minimum", "basicwl"):
        findings.append(PARTIAL_PROFILE_NOTE)
    findings += arithmetic
    findings += xrechnung_findings(invoice)
    return tuple(findings)


def validate_xml(xml: bytes) -> tuple[Finding, ...]:
    """All findings of e-invoice XML bytes, starting with well-formedness: XML that is not
    well-formed, hostile (DOCTYPE) or no invoice gives one error finding 'XML'."""
    try:
        parsed = parse_invoice(xml)
    except EInvoiceError as exc:
        return (Finding("XML", "error", f"Keine lesbare E-Rechnung ({exc.code}): "
                        f"{exc.message}"),)
    return validate(parsed)
