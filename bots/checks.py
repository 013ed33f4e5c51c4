"""Checks before deciding: required fields present, not a duplicate invoice."""

from __future__ import annotations

from bots.fieldnames import label
from bots.ledger import Ledger
from bots.model import Check, Checks, Invoice


def run_checks(invoice: Invoice, document_id: str, *, ledger: Ledger,
               required_fields: tuple[str, ...]) -> Checks:
    items = (
        _required(invoice, required_fields),
        _not_duplicate(invoice, document_id, ledger),
    )
    problem = next(((reason, c.detail) for c, reason in
                    zip(items, ("missing_fields", "duplicate"), strict=True) if not c.ok), None)
    return Checks(items=items, problem=problem)


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
