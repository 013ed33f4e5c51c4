"""The one pipeline every document takes: read -> extract -> check -> decide -> file.

process() shows each stage and each ledger write in the order they happen. The stages
(bots.pipeline.stages) return values and never write the ledger; what is saved, and when,
is the calls to bots.pipeline.records below. A document starts where the ledger says it
stands, so a restart, an e-file outage or a clerk's action resumes it through this same
function: a decided document is filed with its recorded decision, never decided anew (so it
can never land in two queues); one whose fields are recorded (a clerk's correction, a
retry) is checked and decided on them; any other is read first. A filed invoice's posting
proposal (or why it has none) is saved with the filing, in one transaction.
"""

from __future__ import annotations

from bots.pipeline.context import Context
from bots.pipeline.model import DocumentProblem, FilingPostponed, Outcome, OutcomeKind, Reason
from bots.pipeline.recorded import document_of, recorded_decision, recorded_invoice
from bots.pipeline.records import (
    save_decision,
    save_exception,
    save_extraction,
    save_failed_attempt,
    save_filing,
)
from bots.pipeline.stages import (
    check_invoice,
    decide_queue,
    extract_invoice,
    file_into_efile,
    propose_posting,
    read_original,
)
from bots.storage.database import LedgerUnavailable
from bots.storage.ledger import DocumentRow
from bots.storage.ledger_leases import LeaseLost
from bots.storage.states import State

__all__ = ["Context", "process"]


def process(ctx: Context, row: DocumentRow) -> Outcome:
    """Take one registered document as far as it goes: filed, exception, or retry later."""
    document, reading = document_of(row), None
    try:
        original = ctx.store.read(document.sha256)
        if row.state == State.DECIDED:
            invoice, checks, routing = recorded_decision(row)
        else:
            if row.state == State.EXTRACTED:
                invoice = recorded_invoice(row)
            else:
                reading = read_original(ctx, document, original)
                invoice = extract_invoice(ctx, reading)
                save_extraction(ctx.ledger, document, reading, invoice)  # read, extracted
            checks = check_invoice(ctx, document, invoice)
            routing = decide_queue(ctx, document, invoice, checks)
            save_decision(ctx.ledger, document, routing, checks)  # decided (durable)
        location = file_into_efile(ctx, document, original, invoice, checks, routing, reading)
        proposal = propose_posting(ctx, document, invoice, checks, routing)
        save_filing(ctx.ledger, document, invoice, routing, location, proposal)  # filed
        return Outcome.of(document, OutcomeKind.FILED, caseworker=routing.queue)
    except DocumentProblem as problem:
        save_exception(ctx.ledger, document, problem)  # exception (durable)
        return Outcome.of(document, OutcomeKind.EXCEPTION, reason=problem.reason)
    except FilingPostponed:  # stays decided; not the document's fault: no attempt counted
        return Outcome.of(document, OutcomeKind.PENDING, reason=Reason.EFILE_UNAVAILABLE)
    except (LedgerUnavailable, LeaseLost):  # not the document's fault: no attempt counted
        raise
    except Exception as exc:  # noqa: BLE001 - a bug or an I/O failure must not stop the bot
        return save_failed_attempt(ctx.ledger, document, exc)  # attempts + 1; failed at 3
