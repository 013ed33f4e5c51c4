"""Deciding several exceptions again after a rule or directory change: first a preview of
where each would go with the rules as they are now — the same replay as `rules plan`
(bots.rule_admin.plan.replayed_queue) after the same checks as the bot's — then, once the
clerk confirms, each one through the desk's "Erneut entscheiden" (bots.desk.actions.retry:
claimed and audited, then the runner's own resume path files it or keeps it an exception)."""

from __future__ import annotations

from dataclasses import dataclass

from bots.desk import actions as review
from bots.pipeline.context import Context
from bots.pipeline.reasons import Reason
from bots.pipeline.recorded import document_of, recorded_invoice
from bots.pipeline.stages import checks_of
from bots.rule_admin.plan import replayed_queue, routing_fields_of
from bots.rule_admin.queues import OUTCOMES, TEAM_PREFIX
from bots.storage.ledger import DocumentRow

MAX_DOCUMENTS = 100  # one go; each is decided (and filed) while the clerk waits

# What the preview expects (Preview.kind).
ROUTED, EXCEPTION, UNCHANGED, READ_AGAIN, NOT_OPEN = (
    "zustaendig", "ausnahme", "unveraendert", "neu_lesen", "nicht_offen")


@dataclass(frozen=True)
class Preview:
    row: DocumentRow
    version: int
    kind: str  # one of the constants above
    target: str  # German: the caseworker or team, or the exception's short reason
    rule_id: str | None = None

    @property
    def label(self) -> str:
        """The expectation in words, as the clerk saw it (and the audit keeps it)."""
        return _LABELS[self.kind].format(self.target)


_LABELS = {ROUTED: "Zuständig: {}", EXCEPTION: "Ausnahme: {}", UNCHANGED: "unverändert ({})",
           READ_AGAIN: "wird neu gelesen und entschieden",
           NOT_OPEN: "wird übergangen: keine offene Ausnahme mehr"}


@dataclass(frozen=True)
class Done:
    row: DocumentRow
    previewed: str  # what the preview said (Preview.label)
    result: str  # German, where the document is now (or why it was left alone)
    state: str | None  # the document's state afterwards, None when it was left alone


def preview(ctx: Context, doc_ids: list[str]) -> list[Preview]:
    """Where each of these documents would go now, in the order given (unknown ids left out)."""
    rows = [ctx.ledger.get(doc_id) for doc_id in dict.fromkeys(doc_ids)]
    return [_expected(ctx, row) for row in rows if row is not None]


def _expected(ctx: Context, row: DocumentRow) -> Preview:
    version = ctx.ledger.version(row.id)
    if row.state != review.OPEN:
        return Preview(row, version, NOT_OPEN, "keine offene Ausnahme mehr")
    if row.invoice is None:
        return Preview(row, version, READ_AGAIN, "wird neu gelesen")
    checks = checks_of(ctx, document_of(row), recorded_invoice(row))
    if checks.problem:
        return _exception(row, version, checks.problem[0])
    queue, rule_id = replayed_queue(ctx.ruleset, routing_fields_of(row.invoice, row.source),
                                    ctx.today())
    if queue in OUTCOMES:
        return _exception(row, version, Reason(queue))
    return Preview(row, version, ROUTED, ctx.ruleset.queue_name(queue.removeprefix(TEAM_PREFIX)),
                   rule_id)


def _exception(row: DocumentRow, version: int, reason: Reason) -> Preview:
    kind = UNCHANGED if reason == row.reason else EXCEPTION
    return Preview(row, version, kind, reason.short)


def redecide(ctx: Context, chosen: list[tuple[str, int, str]], *, actor: str) -> list[Done]:
    """Decide each (id, version shown, preview label) again; one that changed since the
    preview, or is no open exception any more, is left alone and said so."""
    done = []
    for doc_id, version, label in chosen[:MAX_DOCUMENTS]:
        row = ctx.ledger.get(doc_id)
        if row is None:
            continue
        try:
            result = review.retry(ctx, doc_id, actor=actor, version=version,
                                  detail={"together_with": len(chosen) - 1, "previewed": label})
        except review.ReviewError as exc:
            done.append(Done(row, label, f"Nicht erneut entschieden: {exc.message}", None))
            continue
        done.append(Done(ctx.ledger.get(doc_id), label, result.message, result.state))
    return done
