"""Return folders: <returns folder>/<caseworker id>/. A caseworker who received an invoice that
is not theirs puts it there — the filed <document>.pdf, and/or a <document>.txt with a note
— and the bot sends it back: the e-file copy is withdrawn (or marked, in a DMS), the invoice
re-enters the exception queue as `returned` with the note, and the audit keeps the filing
and the return. Files the bot cannot match are set aside into 'nicht-zugeordnet/' with a
German note why.

Order, for crashes: withdraw first (repeating it changes nothing more), then the ledger,
then the dropped files are removed; a restart finds them and completes the return once.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import structlog

from bots.faults import fault_point
from bots.filing.target import EfileUnavailable, Withdrawal
from bots.filing.targets import targets_for
from bots.pipeline.context import Context
from bots.pipeline.reasons import Reason
from bots.pipeline.recorded import document_of, recorded_decision
from bots.pipeline.stages import filed_of
from bots.returns.drop_folder import each_group, note_of, remove, set_aside
from bots.returns.take_back import take_back
from bots.storage.ledger import DocumentRow, now_iso
from bots.storage.states import State

log = structlog.get_logger("returns")

UNMATCHED = "nicht-zugeordnet"
NO_NOTE = "ohne Begründung"


def collect_returns(ctx: Context) -> list[str]:
    """Take every settled return in every caseworker's folder; the documents sent back."""
    root, settle = ctx.config.returns.folder, ctx.config.returns.settle_seconds
    returned = []
    for caseworker in ctx.ruleset.caseworkers:
        folder = root / caseworker
        try:
            folder.mkdir(parents=True, exist_ok=True)  # each caseworker finds theirs
        except OSError as exc:
            log.warning("return_folder_unreachable", caseworker=caseworker, problem=exc.strerror)
            continue
        returned += each_group(folder, settle, partial(_take, ctx, folder, caseworker))
    return returned


def _take(ctx: Context, folder: Path, caseworker: str, document_id: str | None,
          files: list[Path]) -> bool:
    row = ctx.ledger.get(document_id) if document_id else None
    why = _mismatch(ctx, row, caseworker, document_id)
    if why is None:
        return send_back(ctx, row, caseworker, note_of(files) or NO_NOTE, files)
    if why:
        log.warning("return_unmatched", caseworker=caseworker, document_id=document_id)
        set_aside(folder, files, why, UNMATCHED)
    else:  # returned before a crash, its files not yet removed
        remove(files)
    return False


def _mismatch(ctx: Context, row: DocumentRow | None, caseworker: str,
              document_id: str | None) -> str | None:
    """None when the caseworker may send the document back; '' when they already did;
    else why not (German, for the caseworker)."""
    if document_id is None:
        return ("Der Dateiname beginnt nicht mit einer Dokument-ID (16 Zeichen, wie die Datei "
                "in der E-Akte heißt).")
    if row is None:
        return f"Ein Dokument {document_id} gibt es nicht."
    if row.state == State.FILED and row.caseworker == caseworker:
        return None
    if row.state == State.FILED:
        return (f"Das Dokument {document_id} liegt nicht bei Ihnen, sondern bei "
                f"{ctx.ruleset.queue_name(row.caseworker)}.")
    if row.state == State.EXCEPTION and row.reason == Reason.RETURNED:
        return ""
    return f"Das Dokument {document_id} ist nicht (mehr) in der E-Akte abgelegt."


def send_back(ctx: Context, row: DocumentRow, caseworker: str, note: str,
              files: list[Path] | None = None) -> bool:
    """Withdraw the filed copy, then the invoice into the exception queue as `returned`;
    False when the target cannot be reached now (tried again next time)."""
    invoice, checks, routing = recorded_decision(row)
    filed = filed_of(ctx, document_of(row), invoice, checks, routing)
    number = ctx.ledger.count_events(row.id, "returned") + 1
    target = targets_for(ctx.config).for_queue(row.caseworker)
    try:
        target.withdraw(Withdrawal(filed, by=caseworker, note=note, number=number,
                                   at=now_iso()))
    except EfileUnavailable as exc:
        log.warning("return_postponed", document_id=row.id, problem=str(exc))
        return False
    fault_point("return_withdrawn")
    name = ctx.ruleset.queue_name(caseworker)
    taken = take_back(ctx, row, reason=Reason.RETURNED, detail=f"Zurückgegeben von {name}: "
                      f"{note}", actor=f"sachbearbeitung:{caseworker}", event="returned",
                      audit={"returned_by": caseworker, "note": note, "number": number})
    remove(files or [])
    if taken:
        log.info("returned", document_id=row.id, queue=row.caseworker, rule_id=row.rule_id)
    return taken
