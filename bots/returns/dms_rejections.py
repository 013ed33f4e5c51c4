"""What the DMS could not import comes back: the importer moves a document's files into its
error folder, often with a message file (<document>.err, .log or .txt). A filed invoice whose
files appear there re-enters the exception queue as `dms_rejected` with the DMS's message;
the files are then set aside into 'uebernommen/' of the error folder, never deleted.

A document still recorded as decided (handed over, the ledger not yet told) is left for the
next round; the refused mark of a return (<document>-rueckgabe-<n>.*) is only set aside."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import structlog

from bots.filing.targets import targets_for
from bots.pipeline.context import Context
from bots.pipeline.reasons import Reason
from bots.returns.drop_folder import each_group, note_of, set_aside
from bots.returns.take_back import take_back
from bots.storage.states import State

log = structlog.get_logger("returns")

TAKEN = "uebernommen"
NO_MESSAGE = "Das DMS hat keine Meldung beigelegt."


def collect_dms_rejections(ctx: Context) -> list[str]:
    """The documents taken back from the DMS's error folder this time."""
    dms = targets_for(ctx.config).dms
    if dms is None:
        return []
    folder = dms.config.error_folder
    return each_group(folder, ctx.config.returns.settle_seconds, partial(_take, ctx, folder))


def _take(ctx: Context, folder: Path, document_id: str | None, files: list[Path]) -> bool:
    row = ctx.ledger.get(document_id) if document_id else None
    if row is not None and row.state == State.DECIDED:
        return False  # handed over before a crash: its filing is recorded first
    marks_only = all("-rueckgabe-" in p.name for p in files)
    taken = False
    if row is not None and row.state == State.FILED and not marks_only:
        message = note_of(files) or NO_MESSAGE
        taken = take_back(ctx, row, reason=Reason.DMS_REJECTED,
                          detail=f"Meldung des DMS: {message}", actor="dms",
                          event="dms_rejected", audit={"message": message})
        log.warning("dms_rejected", document_id=row.id, queue=row.caseworker)
    else:
        log.warning("dms_error_file_set_aside", document_id=document_id,
                    state=row.state if row else None, return_mark=marks_only)
    set_aside(folder, files, "", TAKEN)
    return taken
