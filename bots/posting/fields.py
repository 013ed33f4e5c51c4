"""The fields of a posting proposal that bot.yaml may require (`posting: required`), with the
German words the export and the report use for them."""

from __future__ import annotations

from types import MappingProxyType

from rules.posting import POSTING_LABELS

# Fields the proposal takes from the invoice, the vendor master data and the rules.
_OWN_LABELS = {
    "creditor_number": "Kreditor",
    "invoice_number": "Rechnungsnummer",
    "issue_date": "Rechnungsdatum",
    "total_gross": "Rechnungsbetrag",
    "amount_due": "Zahlbetrag",
    "iban": "IBAN",
    "pay_by": "Zahlen bis",
    "case_reference": "Aktenzeichen",
}
FIELD_LABELS: MappingProxyType[str, str] = MappingProxyType(_OWN_LABELS | dict(POSTING_LABELS))
PROPOSAL_FIELDS: tuple[str, ...] = tuple(FIELD_LABELS)
