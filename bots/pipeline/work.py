"""One document's work under its lease: the one wrapper the runner and the review desk share.

A lease keeps two processes (two bots, a bot and the desk) from working on one document at
once; a pending outcome is retried later with a backoff (an e-file outage every minute,
without counting it against the document)."""

from __future__ import annotations

import time

from bots.pipeline.context import Context
from bots.pipeline.model import Outcome, OutcomeKind, Reason
from bots.pipeline.recipe import process

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


def process_claimed(ctx: Context, doc_id: str) -> Outcome:
    """Process a document whose lease this process holds; the lease ends with it."""
    retry_at, finished = None, False
    try:
        outcome = process(ctx, ctx.ledger.get(doc_id))
        finished = outcome.finished  # its last transition ended the lease
        if outcome.reason == Reason.EFILE_UNAVAILABLE:
            retry_at = time.time() + EFILE_RETRY_SECONDS
        elif outcome.outcome == OutcomeKind.PENDING:
            retry_at = time.time() + retry_delay(ctx.ledger.get(doc_id).attempts)
        return outcome
    finally:
        if not finished:
            ctx.ledger.release(doc_id, ctx.owner, retry_at)
