"""The values an index template sees for one document (docs/filing.md lists them), and the
two made-up invoices every template is tried on at start."""

from __future__ import annotations

from bots.filing.target import Filed
from bots.pipeline.model import Checks, Document, Invoice, Routing
from ocr.model import FIELD_NAMES
from rules.model import Decision, Outcome

FILING, RETURN = "ablage", "rueckgabe"


class _Known(dict):
    """The custom fields: one the invoice does not have reads as empty (None), as one the
    rules declare but the text did not show, so a template may name any of them."""

    def __missing__(self, key):
        return None


def index_values(filed: Filed, *, action: str, at: str, number: int, files: dict[str, str | None],
                 note: str = "", returned_by: str = "") -> dict:
    document, invoice, routing = filed.document, filed.invoice, filed.routing
    rule_name = next((t.name for t in routing.decision.trace if t.rule_id == routing.rule_id),
                     None)
    return {
        "action": action,  # ablage | rueckgabe
        "number": number,  # the how-many-th filing (or return) of the document
        "document_id": document.id, "sha256": document.sha256,
        "original_name": document.original_name, "source": document.source,
        "received_at": document.received_at, "at": at,
        "kind": invoice.kind, "pages": invoice.pages,
        "credit_note": bool(invoice.document.get("credit_note")),
        "queue": routing.queue, "caseworker_name": filed.queue_name,
        "team": routing.decision.team, "rule_id": routing.rule_id, "rule_name": rule_name,
        "review_required": routing.review_required, "labels": list(routing.decision.labels),
        "fields": {name: invoice.fields.get(name) for name in FIELD_NAMES},
        "custom": _Known(invoice.custom), "pay_by": invoice.pay_by(),
        "vendor_id": invoice.vendor.get("vendor_id"), "creditor_number": filed.creditor_number,
        "files": files, "note": note, "returned_by": returned_by,
    }


def trial_values() -> tuple[dict, ...]:
    """A complete invoice and one with nothing but the required fields, as filing, and the
    latter as return: what an index template must render without error."""
    full, sparse = made_up_filed()
    values = [index_values(filed, action=FILING, at="2026-11-03T10:00:00+00:00", number=1,
                           files={"pdf": "x.pdf", "xml": xml})
              for filed, xml in ((full, "x.xml"), (sparse, None))]
    values.append(index_values(sparse, action=RETURN, number=1, at="2026-11-04T10:00:00+00:00",
                               files={"pdf": None, "xml": None}, returned_by="x",
                               note="Nicht zuständig; bitte an Team Pflege"))
    return tuple(values)


def made_up_filed() -> tuple[Filed, Filed]:
    """Two made-up decided invoices to try templates on: every field known, and only the
    required ones (no vendor, no custom fields)."""
    full = {"invoice_number": "RE-2026-0001", "issue_date": "2026-11-02",
            "due_date": "2026-12-02", "buyer_reference": "05999-7120-95",
            "order_reference": "KZ-1", "seller_name": "Beispiel & Söhne <GmbH>",
            "seller_vat_id": "DE123456789", "iban": "DE02120300000000202051", "currency": "EUR",
            "total_net": "100.00", "total_tax": "19.00", "total_gross": "119.00",
            "amount_due": "119.00"}
    sparse = dict.fromkeys(FIELD_NAMES) | {k: full[k] for k in ("invoice_number", "issue_date",
                                                               "total_gross")}
    return _made_up(full, {"aktenzeichen": "71.20-1"}), _made_up(sparse, {})


def _made_up(fields: dict, custom: dict) -> Filed:
    document = Document("0123456789abcdef", "0" * 64, "registratur", "rechnung.pdf", "x",
                        "2026-11-03T09:00:00+00:00")
    known = fields["iban"] is not None
    invoice = Invoice(kind="pdf-text", pages=1, fields=dict(fields), confidence={}, evidence={},
                      warnings=(), vendor={"vendor_id": "beispiel"} if known else {},
                      custom=custom,
                      payment={"vat_breakdown": [{"category": "S", "rate": "19",
                                                  "taxable_amount": "100.00",
                                                  "tax_amount": "19.00"}] if known else [],
                               "discount": {"percent": "2", "days": 10, "base": None}
                               if known else None})
    decision = Decision(Outcome.ROUTED, "becker", None, "beispiel", (), False, "", (),
                        {"account": "5331000", "cost_centre": "71200"} if known else {})
    routing = Routing(queue="becker", rule_id="beispiel", detail="", decision=decision)
    return Filed(document, invoice, Checks(items=()), routing, "Anna Becker",
                 "70001" if known else None)
