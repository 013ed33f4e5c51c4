"""Marking a duplicate by choosing its original from a list: the documents with the same
invoice number (from any sender), or from the same sender with the same amount — those the
user may open (bots.desk.access) and only those, the closest first."""

from __future__ import annotations

from dataclasses import dataclass

from bots.desk import access
from bots.pipeline.recorded import recorded_invoice
from bots.storage.ledger import DocumentRow, Ledger

SHOWN = 5


@dataclass(frozen=True)
class Original:
    row: DocumentRow
    number: str | None
    total: str | None
    currency: str | None
    why: str  # German: what it shares with the duplicate


def likely_originals(ledger: Ledger, row: DocumentRow, user: dict) -> list[Original]:
    invoice = recorded_invoice(row)
    key = invoice.invoice_key()
    if key is None:
        return []
    issuer, number = key.split("|", 1)
    total = invoice.fields.get("total_gross")
    found = []
    for other in ledger.related_invoices(key, row.id):
        theirs = recorded_invoice(other)
        other_issuer, other_number = (other.invoice_key or "|").split("|", 1)
        same_total = total is not None and theirs.fields.get("total_gross") == total
        why = _shared(other_issuer == issuer, other_number == number, same_total)
        if why and access.may_open(ledger, other, user):
            found.append((_rank(other_issuer == issuer, other_number == number, same_total),
                          Original(other, theirs.fields.get("invoice_number"),
                                   theirs.fields.get("total_gross"),
                                   theirs.fields.get("currency"), why)))
    found.sort(key=lambda pair: pair[0])
    return [original for _, original in found[:SHOWN]]


def _shared(same_sender: bool, same_number: bool, same_total: bool) -> str | None:
    if same_sender and same_number:
        return "gleicher Rechnungssteller, gleiche Rechnungsnummer"
    if same_number:
        return "gleiche Rechnungsnummer, anderer Rechnungssteller"
    if same_sender and same_total:
        return "gleicher Rechnungssteller, gleicher Betrag"
    return None


def _rank(same_sender: bool, same_number: bool, same_total: bool) -> int:
    return 0 if same_sender and same_number else 1 if same_number and same_total else \
        2 if same_number else 3
