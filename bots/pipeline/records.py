"""What the pipeline saves in the ledger: one function per transition, called by process()
in the order they happen. Each is one ledger transaction with its audit row."""

from __future__ import annotations

import uuid

import structlog

from bots.logs import where_raised
from bots.pipeline.model import (
    Checks,
    Document,
    DocumentProblem,
    Invoice,
    Outcome,
    OutcomeKind,
    Reason,
    Routing,
)
from bots.posting.proposal import Proposal
from bots.storage.ledger import Ledger, now_iso
from bots.storage.proposals import recording
from bots.storage.search import save_text
from bots.storage.states import State
from ocr.model import Reading

log = structlog.get_logger("pipeline")

MAX_ATTEMPTS = 3


def save_extraction(ledger: Ledger, document: Document, reading: Reading,
                    invoice: Invoice) -> None:
    """States "read" and "extracted" in one commit: extraction follows reading within
    milliseconds, so "read" alone would hardly be seen. The read text is kept for the
    desk's search in the same commit."""
    ledger.transition(document.id, State.EXTRACTED, invoice_json=invoice.to_dict(),
                      pay_by=invoice.pay_by(),
                      passing=(State.READ, {"kind": reading.kind, "pages": reading.pages}),
                      also=lambda db: save_text(db, document.id, reading.text))


def save_decision(ledger: Ledger, document: Document, routing: Routing, checks: Checks) -> None:
    """The queue, durably, before the e-file receives anything: a restart files it there."""
    ledger.transition(document.id, State.DECIDED, caseworker=routing.queue,
                      rule_id=routing.rule_id, decision_json=decision_record(routing, checks),
                      detail={"rule_id": routing.rule_id, "queue": routing.queue,
                              "review_required": routing.review_required,
                              "labels": list(routing.decision.labels)})


def decision_record(routing: Routing, checks: Checks) -> dict:
    """The decision as the ledger keeps it (bots.pipeline.recorded reads it back)."""
    return routing.to_dict() | {"checks": checks.to_dict()}


def save_filing(ledger: Ledger, document: Document, invoice: Invoice, routing: Routing,
                location: str, proposal: Proposal) -> None:
    """Filed, with the posting proposal (or why there is none) in the same transaction."""
    ledger.transition(document.id, State.FILED, filed_path=location, filed_at=now_iso(),
                      detail={"queue": routing.queue},
                      also=recording(document.id, proposal.status, proposal.missing,
                                     proposal.values))
    log.info("filed", document_id=document.id, kind=invoice.kind, queue=routing.queue,
             rule_id=routing.rule_id, review_required=routing.review_required,
             proposal=proposal.status, missing=list(proposal.missing))


def save_exception(ledger: Ledger, document: Document, problem: DocumentProblem) -> None:
    columns = {"reason": problem.reason, "reason_detail": problem.detail}
    if problem.invoice is not None:
        columns["invoice_json"] = problem.invoice.to_dict()
        columns["pay_by"] = problem.invoice.pay_by()
    if problem.decision is not None:
        columns["decision_json"] = {"queue": None, "reason": problem.reason,
                                    "detail": problem.detail, "rule_id": None,
                                    "decision": problem.decision.to_dict()}
    if problem.checks is not None:
        columns["detail"] = {"reason": problem.reason, "checks": problem.checks.to_dict()}
    ledger.transition(document.id, State.EXCEPTION, **columns)
    log.info("exception", document_id=document.id, reason=problem.reason)


def save_failed_attempt(ledger: Ledger, document: Document, exc: Exception) -> Outcome:
    """Count a failed attempt (a bug, an I/O failure): retried later, and after MAX_ATTEMPTS
    an exception `failed` with an error id that the log line carries too."""
    error_id = uuid.uuid4().hex[:10]
    attempts = ledger.add_attempt(document.id)
    log.error("processing_failed", document_id=document.id, error_id=error_id,
              error_type=type(exc).__name__, attempt=attempts, where=where_raised(exc))
    if attempts < MAX_ATTEMPTS:
        return Outcome.of(document, OutcomeKind.PENDING, reason=Reason.RETRY)
    save_exception(ledger, document, DocumentProblem(
        Reason.FAILED, f"Fehler-ID {error_id} nach {attempts} Versuchen"))
    return Outcome.of(document, OutcomeKind.EXCEPTION, reason=Reason.FAILED)
