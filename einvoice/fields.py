"""The EN 16931 contract fields of an e-invoice, derived from its parsed model (EInvoice).

Each field is one business term (BT) of the model in the contract's form (ISO dates,
two-place amounts, compact identifiers); its evidence is the XPath of the element the reader
took it from. A term whose element holds no valid date or number is left out with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from einvoice.model import EInvoice
from einvoice.values import compact, two_places


def _payee_iban(invoice: EInvoice) -> str | None:
    """BT-84 of the first payment means that pays into the payee's account."""
    return next((means.iban for means in invoice.payment_means
                 if means.is_credit_transfer and means.iban), None)


def _currency(invoice: EInvoice) -> str | None:
    return (compact(invoice.currency) or "")[:3] or None


# Contract field -> (its business term, its value in the model).
TERMS: dict[str, tuple[str, Callable[[EInvoice], str | None]]] = {
    "invoice_number": ("BT-1", lambda inv: inv.number),
    "issue_date": ("BT-2", lambda inv: inv.issue_date),
    "due_date": ("BT-9", lambda inv: inv.due_date),
    "buyer_reference": ("BT-10", lambda inv: inv.buyer_reference),
    "order_reference": ("BT-13", lambda inv: inv.order_reference),
    "seller_name": ("BT-27", lambda inv: inv.seller.name),
    "seller_vat_id": ("BT-31", lambda inv: inv.seller.vat_id),
    "iban": ("BT-84", _payee_iban),
    "currency": ("BT-5", _currency),
    "total_net": ("BT-109", lambda inv: two_places(inv.totals.net)),
    "total_tax": ("BT-110", lambda inv: two_places(inv.totals.tax)),
    "total_gross": ("BT-112", lambda inv: two_places(inv.totals.gross)),
    "amount_due": ("BT-115", lambda inv: two_places(inv.totals.due)),
}


@dataclass(frozen=True)
class ContractFields:
    """The found contract fields, where each was found, warnings, and the document type."""

    fields: dict[str, str]
    evidence: dict[str, str]
    warnings: tuple[str, ...]
    document_type_code: str | None  # BT-3, e.g. '380' invoice, '381' credit note


def contract_fields(invoice: EInvoice) -> ContractFields:
    fields: dict[str, str] = {}
    evidence: dict[str, str] = {}
    warnings: list[str] = []
    for name, (term, value_of) in TERMS.items():
        value = value_of(invoice)
        if value is not None:
            fields[name] = value
            evidence[name] = invoice.sources.get(term, term)
        elif term in invoice.malformed:
            warnings.append(f"{name}: value not in the expected format")
    return ContractFields(fields, evidence, tuple(warnings), invoice.type_code)
