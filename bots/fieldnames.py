"""German labels of the contract fields, for everything clerks read."""

FIELD_LABELS_DE: dict[str, str] = {
    "invoice_number": "Rechnungsnummer",
    "issue_date": "Rechnungsdatum",
    "due_date": "Fälligkeitsdatum",
    "buyer_reference": "Leitweg-ID / Käuferreferenz",
    "order_reference": "Bestellnummer",
    "seller_name": "Rechnungssteller",
    "seller_vat_id": "USt-IdNr.",
    "iban": "IBAN",
    "currency": "Währung",
    "total_net": "Nettobetrag",
    "total_tax": "Umsatzsteuer",
    "total_gross": "Bruttobetrag",
    "amount_due": "Zahlbetrag",
}


def label(field: str) -> str:
    return FIELD_LABELS_DE.get(field, field)
