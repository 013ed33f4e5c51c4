"""Checks before deciding: a valid e-invoice, required fields present, a known vendor's
IBAN on file, the routing fields read surely enough, not a duplicate invoice."""

from __future__ import annotations

from collections import Counter

import structlog

from bots.pipeline.fieldnames import label
from bots.pipeline.model import Check, Checks, Invoice
from bots.pipeline.reasons import Reason
from bots.pipeline.vendors import Vendor, changed_iban, mask_iban
from bots.storage.ledger import Ledger

log = structlog.get_logger("checks")


def run_checks(invoice: Invoice, document_id: str, *, ledger: Ledger,
               required_fields: tuple[str, ...], vendors: tuple[Vendor, ...] = (),
               min_confidence: float = 0.0, routing_fields: tuple[str, ...] = ()) -> Checks:
    checked = [
        (_required(invoice, required_fields), Reason.MISSING_FIELDS),
        (_iban_on_file(invoice, document_id, vendors), Reason.IBAN_CHANGED),
        (_confident(invoice, routing_fields, min_confidence), Reason.LOW_CONFIDENCE),
        (_not_duplicate(invoice, document_id, ledger), Reason.DUPLICATE),
    ]
    if "einvoice_valid" in invoice.einvoice:  # e-invoices carry their validation (ocr/)
        checked.insert(0, (_valid_einvoice(invoice), Reason.INVALID_EINVOICE))
    problem = next(((reason, c.detail) for c, reason in checked if not c.ok), None)
    return Checks(items=tuple(c for c, _ in checked), problem=problem)


def _valid_einvoice(invoice: Invoice) -> Check:
    """The e-invoice passed its validation with the official rules; the detail names every
    broken rule once, with its German sentence (and how often it fired)."""
    errors = [f for f in invoice.einvoice.get("einvoice_findings") or ()
              if f.get("severity") == "error"]
    if invoice.einvoice.get("einvoice_valid") and not errors:
        return Check("einvoice_valid", True, "E-Rechnung nach den amtlichen Regeln gültig")
    fired = Counter(f["rule"] for f in errors)
    messages = {f["rule"]: f["message"] for f in reversed(errors)}  # the first one's
    listed = "; ".join(f"{rule}{f' ({n}×)' if n > 1 else ''}: {messages[rule]}"
                       for rule, n in fired.items())
    return Check("einvoice_valid", False,
                 f"E-Rechnung ungültig ({len(errors)} Fehler): {listed}")


def _required(invoice: Invoice, required_fields: tuple[str, ...]) -> Check:
    missing = [label(f) for f in required_fields if not invoice.fields.get(f)]
    if missing:
        return Check("required_fields", False, "Nicht erkannt: " + ", ".join(missing))
    return Check("required_fields", True, "Alle Pflichtangaben vorhanden")


def _iban_on_file(invoice: Invoice, document_id: str, vendors: tuple[Vendor, ...]) -> Check:
    """A known vendor is paid only to an account on file (a changed IBAN is the classic
    invoice fraud); both IBANs appear only masked."""
    changed = changed_iban(invoice, vendors)
    if changed is None:
        return Check("vendor_iban", True, "IBAN passt zu den Stammdaten oder Anbieter unbekannt")
    vendor, iban = changed
    known = ", ".join(mask_iban(i) for i in vendor.ibans)
    log.warning("iban_changed", document_id=document_id, vendor_id=vendor.id,
                invoice_iban=mask_iban(iban), known_ibans=known)
    return Check("vendor_iban", False, f"IBAN der Rechnung ({mask_iban(iban)}) ist für "
                 f"{vendor.name} nicht hinterlegt (bekannt: {known}) – Kontoänderung bitte "
                 "beim Rechnungssteller auf bekanntem Weg bestätigen lassen")


def read_surely(confidence: float | None, threshold: float) -> bool:
    """A value counts as read surely at the configured threshold (ocr.min_confidence) or
    above; the check low_confidence and the desk's "sicher"/"bitte prüfen" use this one test."""
    return confidence is None or confidence >= threshold


def _confident(invoice: Invoice, fields: tuple[str, ...], threshold: float) -> Check:
    """Fields the routing relies on were read surely enough, or the bot does not guess."""
    unsure = [f for f in fields if invoice.fields.get(f) is not None
              and not read_surely(invoice.confidence.get(f), threshold)]
    if unsure:
        return Check("confidence", False, "Unsicher erkannt (bitte prüfen): "
                     + ", ".join(label(f) for f in unsure))
    return Check("confidence", True, "Zuständigkeitsfelder sicher erkannt")


def _not_duplicate(invoice: Invoice, document_id: str, ledger: Ledger) -> Check:
    key = invoice.invoice_key()
    other = ledger.find_filed_invoice(key, document_id) if key else None
    if other:
        return Check("duplicate_invoice", False,
                     f"Gleiche Rechnungsnummer desselben Rechnungsstellers wie Dokument {other}")
    return Check("duplicate_invoice", True, "Keine frühere Rechnung mit dieser Nummer")
