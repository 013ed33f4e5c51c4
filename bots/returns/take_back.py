"""A filed invoice back into the exception queue: one ledger transition, only while it is
filed, with the audit row (the queue and rule it had) and its posting proposal withdrawn
unless it was exported already (then the audit says so)."""

from __future__ import annotations

from bots.pipeline.context import Context
from bots.pipeline.reasons import Reason
from bots.storage.ledger import DocumentRow
from bots.storage.proposals import withdrawing
from bots.storage.states import State


def take_back(ctx: Context, row: DocumentRow, *, reason: Reason, detail: str, actor: str,
              event: str, audit: dict) -> bool:
    """False when the document was not filed any more (someone else took it back first)."""
    return ctx.ledger.transition_from(
        row.id, State.FILED, State.EXCEPTION, actor=actor, event=event,
        detail={"queue": row.caseworker, "rule_id": row.rule_id} | audit,
        also=withdrawing(row.id), reason=reason, reason_detail=detail, caseworker=None,
        rule_id=None, filed_path=None)
