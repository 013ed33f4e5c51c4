"""One document's work under its lease: the one wrapper the runner and the review desk share.

A lease keeps two processes (two bots, a bot and the desk) from working on one document at
once; a pending outcome is retried later with a backoff (an e-file outage every minute,
without counting it against the document)."""

from __future__ import annotations

import time

import structlog

from bots.pipeline.context import Context
from bots.pipeline.model import Outcome, OutcomeKind, Reason
from bots.pipeline.recipe import process
from bots.storage.ledger_leases import LeaseLost

log = structlog.get_logger("work")

EFILE_RETRY_SECONDS = 60.0
LEASE_SECONDS = 900.0  # longer than any document may take (see the time limit per document)


def retry_delay(attempts: int) -> float:
    """Backoff after a failed attempt: 10 s, 20 s, 40 s ... at most 10 minutes."""
    return min(600.0, 10.0 * 2 ** max(0, attempts - 1))


def process_leased(ctx: Context, doc_id: str) -> Outcome | None:
    """Process a document under its lease (taken here, or already held by this process, as
    the desk's actions take it with their own transition); None when another live process
    holds it or it is finished."""
    if not ctx.ledger.claim(doc_id, ctx.owner, LEASE_SECONDS):
        return None
    return process_claimed(ctx, doc_id)


def process_claimed(ctx: Context, doc_id: str) -> Outcome | None:
    """Process a document whose lease this process holds; the lease ends with it. None when
    the lease was taken over meanwhile (this process was cut off longer than the stale
    time): the other worker's work stands, nothing of this one's is recorded after that."""
    retry_at, finished = None, False
    try:
        with ctx.ledger.fenced(doc_id, ctx.owner):
            outcome = process(ctx, ctx.ledger.get(doc_id))
        finished = outcome.finished  # its last transition ended the lease
        if outcome.reason == Reason.EFILE_UNAVAILABLE:
            retry_at = time.time() + EFILE_RETRY_SECONDS
        elif outcome.outcome == OutcomeKind.PENDING:
            retry_at = time.time() + retry_delay(ctx.ledger.get(doc_id).attempts)
        return outcome
    except LeaseLost:
        log.warning("lease_lost", document_id=doc_id)
        return None
    finally:
        if not finished:  # only while still this process's lease (WHERE lease_owner=...)
            ctx.ledger.release(doc_id, ctx.owner, retry_at)
