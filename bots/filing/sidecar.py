"""The JSON sidecar beside a filed PDF: the fields, checks and decision of the invoice
(DESIGN.md "Contracts")."""

from __future__ import annotations

from bots.filing.target import Filing
from bots.pipeline.duedates import overdue_on_arrival


def sidecar(filing: Filing) -> dict:
    filed = filing.filed
    document, invoice, routing = filed.document, filed.invoice, filed.routing
    return {
        "document_id": document.id,
        "sha256": document.sha256,
        "source": document.source,
        "original_name": document.original_name,
        "kind": invoice.kind,
        "pages": invoice.pages,
        "fields": invoice.fields,
        "confidence": invoice.confidence,
        "evidence": invoice.evidence,
        "warnings": list(invoice.warnings),
        "document": invoice.document,
        "einvoice": invoice.einvoice,
        "vendor": invoice.vendor,
        "custom_fields": invoice.custom,
        "checks": filed.checks.to_dict(),
        "decision": {"queue": routing.queue, "rule_id": routing.rule_id,
                     "explanation": routing.detail, **routing.decision_dict()},
        "review_required": routing.review_required,
        "labels": list(routing.decision.labels),
        "pay_by": invoice.pay_by(),
        "overdue_on_arrival": overdue_on_arrival(invoice.pay_by(), document.received_at),
        "received_at": document.received_at,
        "filed_at": filing.at,
    }
