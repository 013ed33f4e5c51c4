"""The posting proposal (Buchungsvorschlag) of a filed invoice: what the finance system would
post, for a person to confirm ("zu bestätigen"). Written only when the checks passed and
every field bot.yaml requires (`posting: required`) is known; otherwise the invoice is filed
without one, and the proposal record says what was missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from bots.handover_config import PostingConfig
from bots.pipeline.model import Checks, Document, Invoice, Routing
from rules.posting import POSTING_KEYS

PROPOSED, WITHHELD = "proposed", "withheld"
TO_CONFIRM = "zu bestätigen"
CHECKS_FAILED = "checks"  # in `missing`: filed by hand although a check failed
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Proposal:
    status: str  # proposed | withheld
    missing: tuple[str, ...] = ()  # withheld: what it lacked (field names, or CHECKS_FAILED)
    values: dict = field(default_factory=dict)  # proposed: the proposal, JSON-ready


def build_proposal(document: Document, invoice: Invoice, checks: Checks, routing: Routing, *,
                   creditor_number: str | None, settings: PostingConfig) -> Proposal:
    values = proposal_values(document, invoice, routing, creditor_number, settings)
    missing = [name for name in settings.required if not _known(values, name)]
    if checks.problem is not None or not all(check.ok for check in checks.items):
        missing.insert(0, CHECKS_FAILED)
    if missing:
        return Proposal(WITHHELD, tuple(missing))
    return Proposal(PROPOSED, values=values)


def proposal_values(document: Document, invoice: Invoice, routing: Routing,
                    creditor_number: str | None, settings: PostingConfig) -> dict:
    fields = invoice.fields
    discount = _discount(invoice)
    return {
        "document_id": document.id, "status": TO_CONFIRM,
        "creditor_number": creditor_number, "vendor_id": invoice.vendor.get("vendor_id"),
        "invoice_number": fields.get("invoice_number"), "issue_date": fields.get("issue_date"),
        "credit_note": bool(invoice.document.get("credit_note")),
        "currency": fields.get("currency") or "EUR",
        **{name: fields.get(name) for name in ("total_net", "total_tax", "total_gross",
                                               "amount_due")},
        "vat_breakdown": list(invoice.payment.get("vat_breakdown") or []),
        "pay_by": invoice.pay_by(), **discount,
        "iban": fields.get("iban"),
        "case_reference": invoice.custom.get(settings.case_reference)
        if settings.case_reference else None,
        "posting": {key: routing.decision.posting.get(key) for key in POSTING_KEYS},
        "queue": routing.queue, "rule_id": routing.rule_id,
        "review_required": routing.review_required, "kind": invoice.kind,
    }


def _known(values: dict, name: str) -> bool:
    value = values["posting"].get(name) if name in POSTING_KEYS else values.get(name)
    return value not in (None, "")


def _discount(invoice: Invoice) -> dict:
    """Cash discount: its rate, the last day for it (issue date + days), its amount on the
    amount due (or the base the e-invoice names) and what is paid with it."""
    empty = {"discount_percent": None, "discount_until": None, "discount_amount": None,
             "amount_after_discount": None}
    terms = invoice.payment.get("discount")
    due = invoice.fields.get("amount_due") or invoice.fields.get("total_gross")
    issued = invoice.fields.get("issue_date")
    if not terms or not due or not issued:
        return empty
    try:
        percent, amount_due = Decimal(terms["percent"]), Decimal(due)
        base = Decimal(terms["base"]) if terms.get("base") else amount_due
        until = date.fromisoformat(issued) + timedelta(days=int(terms["days"]))
    except (InvalidOperation, ValueError, TypeError, KeyError):
        return empty
    amount = (base * percent / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    return {"discount_percent": terms["percent"], "discount_until": until.isoformat(),
            "discount_amount": f"{amount:.2f}",
            "amount_after_discount": f"{amount_due - amount:.2f}"}
