"""Checks before deciding: a valid e-invoice, required fields present, not a duplicate
invoice."""

from __future__ import annotations

from bots.fieldnames import label
from bots.ledger import Ledger
from bots.model import Check, Checks, Invoice


def run_checks(invoice: Invoice, document_id: str, *, ledger: Ledger,
               required_fields: tuple[str, ...]) -> Checks:
    checked = [
        (_required(invoice, required_fields), "missing_fields"),
        (_not_duplicate(invoice, document_id, ledger), "duplicate"),
    ]
    if "einvoice_valid" in invoice.extra:  # e-invoices carry their validation (ocr/)
        checked.insert(0, (_valid_einvoice(invoice), "invalid_einvoice"))
    problem = next(((reason, c.detail) for c, reason in checked if not c.ok), None)
    return Checks(items=tuple(c for c, _ in checked), problem=problem)


def _valid_einvoice(invoice: Invoice) -> Check:
    """The e-invoice passed its validation (XML schema, EN 16931, XRechnung); the detail
    names every error with its rule id."""
    errors = [f for f in invoice.extra.get("einvoice_findings") or ()
              if f.get("severity") == "error"]
    if invoice.extra.get("einvoice_valid") and not errors:
        return Check("einvoice_valid", True, "E-Rechnung formal gültig")
    listed = "; ".join(f"{f['rule']}: {f['message']}" for f in errors)
    return Check("einvoice_valid", False,
                 f"E-Rechnung ungültig ({len(errors)} Fehler): {listed}")


def _required(invoice: Invoice, required_fields: tuple[str, ...]) -> Check:
    missing = [label(f) for f in required_fields if not invoice.fields.get(f)]
    if missing:
        return Check("required_fields", False, "Nicht erkannt: " + ", ".join(missing))
    return Check("required_fields", True, "Alle Pflichtangaben vorhanden")


def _not_duplicate(invoice: Invoice, document_id: str, ledger: Ledger) -> Check:
    key = invoice.invoice_key()
    other = ledger.find_filed_invoice(key, document_id) if key else None
    if other:
        return Check("duplicate_invoice", False,
                     f"Gleiche Rechnungsnummer desselben Rechnungsstellers wie Dokument {other}")
    return Check("duplicate_invoice", True, "Keine frühere Rechnung mit dieser Nummer")
