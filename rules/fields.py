"""The fields rules can test: names, kinds (text, amount, date) and German labels for clerks."""

from __future__ import annotations

CONTRACT_FIELDS: tuple[str, ...] = (
    "invoice_number", "issue_date", "due_date", "buyer_reference", "order_reference",
    "seller_name", "seller_vat_id", "iban", "currency",
    "total_net", "total_tax", "total_gross", "amount_due",
)
DOCUMENT_FIELDS: tuple[str, ...] = ("document_type_code", "credit_note", "kind", "source")
BUILTIN_FIELDS: tuple[str, ...] = CONTRACT_FIELDS + DOCUMENT_FIELDS
# Names the bots use beside the fields for what they know of an invoice (its e-invoice
# validation, the vendor it comes from): rules cannot test them, and a custom field may not
# take them, so that no name means two things in a sidecar or a report.
RESERVED_NAMES: tuple[str, ...] = (
    "document", "einvoice", "vendor", "custom", "custom_fields", "extra", "syntax",
    "einvoice_profile", "einvoice_valid", "einvoice_findings", "einvoice_validation",
    "einvoice_scenario",
    "vendor_id", "vendor_match",
)

AMOUNT_FIELDS = frozenset({"total_net", "total_tax", "total_gross", "amount_due"})
DATE_FIELDS = frozenset({"issue_date", "due_date"})

TEXT, AMOUNT, DATE = "text", "amount", "date"

FIELD_LABELS: dict[str, str] = {
    "invoice_number": "Rechnungsnummer",
    "issue_date": "Rechnungsdatum",
    "due_date": "Fälligkeitsdatum",
    "buyer_reference": "Leitweg-ID",
    "order_reference": "Bestellnummer",
    "seller_name": "Rechnungssteller",
    "seller_vat_id": "USt-IdNr.",
    "iban": "IBAN",
    "currency": "Währung",
    "total_net": "Nettobetrag",
    "total_tax": "Umsatzsteuer",
    "total_gross": "Rechnungsbetrag",
    "amount_due": "Zahlbetrag",
    "document_type_code": "Rechnungsart (Code)",
    "credit_note": "Gutschrift",
    "kind": "Eingangsform",
    "source": "Eingangsweg",
}

# Fields whose values the bots deliver upper case without spaces; rule values are
# normalised the same way so an administrator may write "DE 811 234 567".
_COMPACT_UPPER = frozenset({"seller_vat_id", "iban", "currency"})


def field_kind(name: str) -> str:
    if name in AMOUNT_FIELDS:
        return AMOUNT
    if name in DATE_FIELDS:
        return DATE
    return TEXT


def normalise_rule_text(field: str, value: str) -> str:
    """A rule's expected text as the bots deliver such values (IBAN, VAT ID compact)."""
    if field in _COMPACT_UPPER:
        return "".join(value.split()).upper()
    return value.strip()
