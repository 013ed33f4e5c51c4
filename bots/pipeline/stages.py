"""The pipeline's stages. Each takes values and returns a value (or raises DocumentProblem
when the document cannot go on, FilingPostponed when the e-file cannot take it now); none
writes the ledger: process() records what they return, in order (bots.pipeline.records)."""

from __future__ import annotations

import structlog

from bots.faults import fault_point
from bots.filing.pdf import pdf_of
from bots.filing.target import EfileUnavailable, Filed, Filing
from bots.filing.targets import targets_for
from bots.intake.register import exception_at_intake
from bots.learning.apply import extract_with_learning
from bots.pipeline.batch_read import read_part
from bots.pipeline.checks import run_checks
from bots.pipeline.context import Context
from bots.pipeline.model import (
    DOCUMENT_FACTS,
    Checks,
    Document,
    DocumentProblem,
    FilingPostponed,
    Invoice,
    Reason,
    Routing,
)
from bots.pipeline.open_items import OpenItems
from bots.pipeline.vendors import creditor_number, vendors_of, with_vendor
from bots.posting.proposal import Proposal, build_proposal
from bots.posting.terms import payment_facts
from bots.storage.learned_hints import LearnedHints
from bots.storage.ledger import now_iso
from bots.storage.metrics import timed_stage
from ocr.model import Kind, ReadError, Reading
from rules.custom_fields import extract_custom_fields
from rules.engine import decide
from rules.model import ROUTED

log = structlog.get_logger("pipeline")


@timed_stage("read")
def read_original(ctx: Context, document: Document, original: bytes) -> Reading:
    preset = exception_at_intake(ctx.ledger, document.sha256)
    if preset is not None:  # e.g. a mail without an invoice: its .eml is never "read"
        raise DocumentProblem(*preset)
    limits = ctx.config.limits
    if not original:
        raise DocumentProblem(Reason.UNREADABLE, "Die Datei ist leer (0 Byte).")
    if len(original) > limits.max_file_mb * 2**20:
        raise DocumentProblem(Reason.TOO_LARGE, f"Datei größer als {limits.max_file_mb:g} MB")
    try:
        reading = read_part(ctx, document, original)
    except ReadError as exc:
        log.info("read_failed", document_id=document.id, reason=exc.code)
        raise DocumentProblem(exc.code, exc.detail) from exc
    if reading.pages > limits.max_pages:
        raise DocumentProblem(Reason.TOO_LARGE, f"Mehr als {limits.max_pages} Seiten")
    return reading


@timed_stage("extract")
def extract_invoice(ctx: Context, reading: Reading) -> Invoice:
    """The invoice of a reading: its contract fields, what the reader knows about the
    document and the e-invoice, the rules' custom fields (from the text, or an e-invoice's
    notes), how it is to be paid, and the vendor it comes from."""
    result = extract_with_learning(LearnedHints(ctx.ledger), reading).extraction
    extra = dict(result.extra)
    document = {k: extra.pop(k) for k in DOCUMENT_FACTS if k in extra}
    parsed = reading.einvoice.invoice if reading.einvoice is not None else None
    notes = "\n".join(note.text for note in parsed.notes) if parsed is not None else ""
    text = reading.text or notes
    custom = extract_custom_fields(ctx.ruleset, text) if text else {}
    invoice = Invoice(kind=reading.kind, pages=reading.pages, fields=dict(result.fields),
                      confidence=dict(result.confidence), evidence=dict(result.evidence),
                      warnings=tuple(reading.warnings) + tuple(result.warnings),
                      document=document, einvoice=extra, custom=custom,
                      payment=payment_facts(dict(result.fields), parsed, reading.text))
    return with_vendor(invoice, vendors_of(ctx.config.vendors), reading.text)


@timed_stage("check")
def check_invoice(ctx: Context, document: Document, invoice: Invoice) -> Checks:
    checks = checks_of(ctx, document, invoice)
    if checks.problem:
        reason, detail = checks.problem
        raise DocumentProblem(reason, detail, invoice=invoice, checks=checks)
    return checks


def checks_of(ctx: Context, document: Document, invoice: Invoice) -> Checks:
    """Every check with the configuration's settings, as the bot runs them (the desk shows
    the same)."""
    return run_checks(invoice, document.id, ledger=ctx.ledger,
                      required_fields=ctx.config.required_fields,
                      vendors=vendors_of(ctx.config.vendors),
                      min_confidence=ctx.config.min_confidence,
                      routing_fields=ctx.config.routing_fields)


@timed_stage("decide")
def decide_queue(ctx: Context, document: Document, invoice: Invoice, checks: Checks) -> Routing:
    """The queue the rules choose. review_required (a rule's review_required / review_above)
    does not stop filing: the caseworker who receives the invoice checks it before anyone
    pays it; the mark travels with the decision into the sidecar and the audit."""
    decision = decide(ctx.ruleset, invoice.routing_fields(document.source), today=ctx.today(),
                      open_items=OpenItems(ctx.ledger))
    queue = decision.caseworker or decision.team
    if decision.outcome != ROUTED or not queue:
        raise DocumentProblem(decision.outcome, decision.explanation, invoice=invoice,
                              checks=checks, decision=decision)
    return Routing(queue=queue, rule_id=decision.rule_id, detail=decision.explanation,
                   decision=decision)


@timed_stage("file")
def file_into_efile(ctx: Context, document: Document, original: bytes, invoice: Invoice,
                    checks: Checks, routing: Routing, reading: Reading | None) -> str:
    """File the decided invoice with its queue's target (bot.yaml `filing`); its location. A
    document resumed from the ledger (reading None) is read again for what filing needs,
    once the target takes files."""
    target = targets_for(ctx.config).for_queue(routing.queue)
    try:
        if reading is None:  # while the target is down, a scan's OCR would be wasted
            target.check(routing.queue)
            reading = reading_for_filing(ctx, document, original, invoice)
        xml = original if Kind(invoice.kind).is_einvoice_xml else reading.xml
        filing = Filing(filed_of(ctx, document, invoice, checks, routing),
                        pdf_of(original, invoice, reading.pdf, reading.einvoice), xml,
                        number=ctx.ledger.count_events(document.id, "filed") + 1, at=now_iso())
        ctx.ledger.check_lease(document.id)  # not into the e-file once taken over
        location = target.file(filing)
        fault_point("efile_written")  # crash tests: filed, not yet recorded
        return location
    except EfileUnavailable as exc:
        log.warning("efile_unavailable", document_id=document.id, queue=routing.queue,
                    problem=str(exc))
        raise FilingPostponed(str(exc)) from None


@timed_stage("propose")
def propose_posting(ctx: Context, document: Document, invoice: Invoice, checks: Checks,
                    routing: Routing) -> Proposal:
    """The posting proposal of the filed invoice, or why it gets none (bots.posting)."""
    return build_proposal(document, invoice, checks, routing,
                          creditor_number=creditor_number(invoice, vendors_of(ctx.config.vendors)),
                          settings=ctx.config.posting)


def filed_of(ctx: Context, document: Document, invoice: Invoice, checks: Checks,
             routing: Routing) -> Filed:
    """What a filing target is told of a decided invoice."""
    return Filed(document, invoice, checks, routing, ctx.ruleset.queue_name(routing.queue),
                 creditor_number(invoice, vendors_of(ctx.config.vendors)))


def reading_for_filing(ctx: Context, document: Document, original: bytes,
                       invoice: Invoice) -> Reading:
    """What filing needs of a reading: XML e-invoices are filed from the original; other kinds
    are read again (no ledger transitions) for the embedded XML or the scan's text layer;
    an original whose fields a clerk entered by hand is filed as it is."""
    if invoice.entered_by_hand:
        return Reading(kind=invoice.kind, pages=invoice.pages)
    if Kind(invoice.kind).is_einvoice_xml:
        return Reading(kind=invoice.kind, pages=invoice.pages, xml=original)
    return read_original(ctx, document, original)
