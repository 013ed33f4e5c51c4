"""The one pipeline every document takes: read -> extract -> check -> decide -> file.

Each stage records its result in the ledger before the next begins (reading together with
extraction, which follows it within milliseconds), so a restart resumes from the last state; a decided document is filed with its recorded decision, never decided
anew (so it can never land in two queues).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import structlog

from bots.config import BotConfig
from bots.filing.efile import EINVOICE_XML_KINDS, EfileUnavailable, check_target, file_invoice
from bots.intake.register import exception_at_intake
from bots.logs import where_raised
from bots.pipeline.batch_read import read_part
from bots.pipeline.checks import run_checks
from bots.pipeline.model import Checks, Document, DocumentProblem, Invoice, Outcome, Routing
from bots.pipeline.vendors import vendors_of, with_vendor
from bots.storage.ledger import DocumentRow, Ledger, now_iso
from bots.storage.liveness import owner_id
from bots.storage.metrics import timed_stage
from bots.storage.store import Store
from ocr.extract import extract
from ocr.model import FIELD_NAMES, ReadError, Reading
from rules.custom_fields import extract_custom_fields
from rules.engine import decide, team_counter_key
from rules.loader import RuleSet

log = structlog.get_logger("pipeline")

MAX_ATTEMPTS = 3


@dataclass
class Context:
    config: BotConfig
    ledger: Ledger
    store: Store
    ruleset: RuleSet
    today: Callable[[], date] = date.today
    owner: str = field(default_factory=owner_id)  # this process, for leases in the ledger


def process(ctx: Context, row: DocumentRow) -> Outcome:
    """Take one registered document as far as it goes: filed, exception, or retry later."""
    document = document_of(row)
    try:
        original = ctx.store.read(document.sha256)
        if row.state == "decided":
            return resume_filing(ctx, row, document, original)
        reading = read_stage(ctx, document, original)
        invoice = extract_stage(ctx, document, reading)  # records "read" with "extracted"
        checks = check_stage(ctx, document, invoice)
        routing = decide_stage(ctx, document, invoice, checks)
        return file_stage(ctx, document, original, reading, invoice, checks, routing)
    except DocumentProblem as problem:
        return to_exception(ctx, document, problem)
    except Exception as exc:  # noqa: BLE001 - a bug or an I/O failure must not stop the bot
        return failed_attempt(ctx, document, exc)


@timed_stage("read")
def read_stage(ctx: Context, document: Document, original: bytes) -> Reading:
    preset = exception_at_intake(ctx.ledger, document.sha256)
    if preset is not None:  # e.g. a mail without an invoice: its .eml is never "read"
        raise DocumentProblem(*preset)
    limits = ctx.config.limits
    if len(original) > limits.max_file_mb * 2**20:
        raise DocumentProblem("too_large", f"Datei größer als {limits.max_file_mb:g} MB")
    try:
        reading = read_part(ctx, document, original)
    except ReadError as exc:
        log.info("read_failed", document_id=document.id, reason=exc.code)
        raise DocumentProblem(exc.code, exc.detail) from exc
    if reading.pages > limits.max_pages:
        raise DocumentProblem("too_large", f"Mehr als {limits.max_pages} Seiten")
    return reading


@timed_stage("extract")
def extract_stage(ctx: Context, document: Document, reading: Reading) -> Invoice:
    """The invoice of a reading, recorded with the reading (states "read" and "extracted",
    one commit: extraction takes milliseconds, so "read" alone would hardly be seen)."""
    result = extract(reading)
    custom = extract_custom_fields(ctx.ruleset, reading.text) if reading.text else {}
    invoice = Invoice(kind=reading.kind, pages=reading.pages, fields=dict(result.fields),
                      confidence=dict(result.confidence), evidence=dict(result.evidence),
                      warnings=tuple(reading.warnings) + tuple(result.warnings),
                      extra=dict(result.extra) | custom)
    invoice = with_vendor(invoice, vendors_of(ctx.config.vendors), reading.text)
    ctx.ledger.transition(document.id, "extracted", invoice_json=invoice.to_dict(),
                          pay_by=invoice.pay_by(),
                          passing=("read", {"kind": reading.kind, "pages": reading.pages}))
    return invoice


@timed_stage("check")
def check_stage(ctx: Context, document: Document, invoice: Invoice) -> Checks:
    checks = run_checks(invoice, document.id, ledger=ctx.ledger,
                        required_fields=ctx.config.required_fields,
                        vendors=vendors_of(ctx.config.vendors),
                        min_confidence=ctx.config.min_confidence,
                        routing_fields=ctx.config.routing_fields)
    if checks.problem:
        reason, detail = checks.problem
        raise DocumentProblem(reason, detail, invoice=invoice, checks=checks)
    return checks


@timed_stage("decide")
def decide_stage(ctx: Context, document: Document, invoice: Invoice, checks: Checks) -> Routing:
    decision = decide(ctx.ruleset, invoice.routing_fields(document.source), today=ctx.today(),
                      open_items=_OpenItems(ctx.ledger))
    trace = decision.to_dict()
    queue = decision.caseworker or decision.team
    if decision.outcome != "routed" or not queue:
        raise DocumentProblem(decision.outcome, decision.explanation, invoice=invoice,
                              checks=checks, decision=trace)
    routing = Routing(queue=queue, reason=None, detail=decision.explanation,
                      rule_id=decision.rule_id, decision=trace)
    # review_required (a rule's review_required / review_above) does not stop filing: the
    # caseworker who receives the invoice is the person who checks it before anyone pays it.
    # The mark travels in decision_json and the sidecar's "decision", and in the audit row.
    ctx.ledger.transition(document.id, "decided", caseworker=queue, rule_id=decision.rule_id,
                          decision_json=routing.__dict__ | {"checks": checks.to_dict()},
                          detail={"rule_id": decision.rule_id, "queue": queue,
                                  "review_required": decision.review_required,
                                  "labels": list(decision.labels)})
    return routing  # logged with the filing ("filed"); the audit has the decision


@timed_stage("file")
def file_stage(ctx: Context, document: Document, original: bytes, reading: Reading,
               invoice: Invoice, checks: Checks, routing: Routing) -> Outcome:
    xml = original if invoice.kind in EINVOICE_XML_KINDS else reading.xml
    try:
        path = file_invoice(ctx.config.efile_root, document, original, xml, invoice, checks,
                            routing, searchable=reading.pdf)
    except EfileUnavailable as exc:
        return _filing_postponed(document, routing, exc)
    ctx.ledger.transition(document.id, "filed", filed_path=str(path), filed_at=now_iso(),
                          detail={"queue": routing.queue})
    log.info("filed", document_id=document.id, kind=invoice.kind, queue=routing.queue,
             rule_id=routing.rule_id,
             review_required=bool(routing.decision.get("review_required")))
    return Outcome(document.id, document.source, document.original_name, "filed",
                   caseworker=routing.queue)


def resume_filing(ctx: Context, row: DocumentRow, document: Document,
                  original: bytes) -> Outcome:
    """File a decided document (after a restart, an e-file outage or a clerk's decision) with
    the recorded decision and the invoice as recorded, a clerk's corrections included: it is
    neither checked nor decided again, so it can never land in a second queue."""
    invoice = stored_invoice(row)
    decision = dict(row.decision or {})
    checks = Checks.from_dict(decision.pop("checks", None))
    routing = Routing(**{k: v for k, v in decision.items() if k in Routing.__dataclass_fields__})
    try:  # before reading again: while the target is down, a scan's OCR would be wasted
        check_target(ctx.config.efile_root / routing.queue)
    except EfileUnavailable as exc:
        return _filing_postponed(document, routing, exc)
    reading = reading_for_filing(ctx, document, original, invoice)
    return file_stage(ctx, document, original, reading, invoice, checks, routing)


def _filing_postponed(document: Document, routing: Routing, problem: EfileUnavailable
                      ) -> Outcome:
    log.warning("efile_unavailable", document_id=document.id, queue=routing.queue,
                problem=str(problem))
    return Outcome(document.id, document.source, document.original_name, "pending",
                   reason="efile_unavailable")


def reading_for_filing(ctx: Context, document: Document, original: bytes,
                       invoice: Invoice) -> Reading:
    """What filing needs of a reading: XML e-invoices are filed from the original; other kinds
    are read again (no ledger transitions) for the embedded XML or the scan's text layer."""
    if invoice.kind in EINVOICE_XML_KINDS:
        return Reading(kind=invoice.kind, pages=invoice.pages, xml=original)
    return read_stage(ctx, document, original)


def stored_invoice(row: DocumentRow) -> Invoice:
    """The invoice as recorded in the ledger, or an empty one for a document nothing could be
    read from."""
    data = row.invoice or {}
    return Invoice(kind=data.get("kind") or row.kind or "scan",
                   pages=data.get("pages") or row.pages or 1,
                   fields=dict.fromkeys(FIELD_NAMES) | (data.get("fields") or {}),
                   confidence=dict(data.get("confidence") or {}),
                   evidence=dict(data.get("evidence") or {}),
                   warnings=tuple(data.get("warnings") or ()),
                   extra=dict(data.get("extra") or {}))


class _OpenItems(Mapping):
    """The rules engine's open_items, counted in the ledger only for the keys it asks for:
    filed documents per caseworker (fewest_open) and a team's turns (round_robin)."""

    def __init__(self, ledger: Ledger):
        self._ledger = ledger

    def __bool__(self) -> bool:
        return True

    def __getitem__(self, key: str) -> int:
        team_prefix = team_counter_key("")
        if key.startswith(team_prefix):
            return self._ledger.team_turns(key[len(team_prefix):])
        return self._ledger.filed_count(key)

    def _all(self) -> dict[str, int]:
        turns = {team_counter_key(t): n for t, n in self._ledger.decisions_per_team().items()}
        return self._ledger.open_items_per_caseworker() | turns

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def to_exception(ctx: Context, document: Document, problem: DocumentProblem) -> Outcome:
    columns = {"reason": problem.reason, "reason_detail": problem.detail}
    if problem.invoice is not None:
        columns["invoice_json"] = problem.invoice.to_dict()
        columns["pay_by"] = problem.invoice.pay_by()
    if problem.decision is not None:
        columns["decision_json"] = {"queue": None, "reason": problem.reason,
                                    "detail": problem.detail, "rule_id": None,
                                    "decision": problem.decision}
    if problem.checks is not None:
        columns["detail"] = {"reason": problem.reason, "checks": problem.checks.to_dict()}
    ctx.ledger.transition(document.id, "exception", **columns)
    log.info("exception", document_id=document.id, reason=problem.reason)
    return Outcome(document.id, document.source, document.original_name, "exception",
                   reason=problem.reason)


def failed_attempt(ctx: Context, document: Document, exc: Exception) -> Outcome:
    error_id = uuid.uuid4().hex[:10]
    attempts = ctx.ledger.add_attempt(document.id)
    log.error("processing_failed", document_id=document.id, error_id=error_id,
              error_type=type(exc).__name__, attempt=attempts, where=where_raised(exc))
    if attempts < MAX_ATTEMPTS:
        return Outcome(document.id, document.source, document.original_name, "pending",
                       reason="retry")
    return to_exception(ctx, document, DocumentProblem(
        "failed", f"Fehler-ID {error_id} nach {attempts} Versuchen"))


def document_of(row: DocumentRow) -> Document:
    return Document(row.id, row.sha256, row.source, row.original_name, row.store_path,
                    row.received_at)

