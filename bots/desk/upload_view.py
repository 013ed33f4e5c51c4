"""Upload: registry staff and clerks hand in PDFs, images and e-invoices; each file enters
the same intake and pipeline as a scanned one, with source `upload`, and the page shows where
each went."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath

import structlog
from flask import Blueprint, g, render_template, request

from bots.desk.actions import queue_name
from bots.desk.deps import context, desk
from bots.intake.register import Incoming, take
from bots.pipeline.model import Outcome, OutcomeKind
from bots.pipeline.reasons import Reason
from bots.pipeline.work import process_leased

log = structlog.get_logger("review_desk")

SOURCE = "upload"
ACCEPT = ".pdf,.xml,.png,.jpg,.jpeg,.tif,.tiff"

bp = Blueprint("upload", __name__)


@dataclass(frozen=True)
class Uploaded:
    name: str
    outcome: Outcome | None  # None: the file was empty and not taken
    queue_name: str | None = None  # who received it, when filed


@bp.route("/hochladen", methods=["GET", "POST"])
def upload():
    if request.method == "GET":
        return render_template("upload.html", accept=ACCEPT)
    files = [f for f in request.files.getlist("files") if f.filename]
    limit = desk().settings.max_upload_files
    error = None
    if not files:
        error = "Bitte mindestens eine Datei auswählen."
    elif len(files) > limit:
        error = f"Bitte höchstens {limit} Dateien auf einmal hochladen."
    if error:
        return render_template("upload.html", accept=ACCEPT, error=error), 422
    results = [_take_and_process(f.filename, f.read()) for f in files]
    return render_template("upload.html", accept=ACCEPT, results=results)


def _take_and_process(filename: str, data: bytes) -> Uploaded:
    name = PurePath(filename.replace("\\", "/")).name[:200] or "upload"  # a label, never a path
    if not data:
        return Uploaded(name, None)
    ctx = context()
    receipt = take(Incoming(data, SOURCE, name, f"upload:{uuid.uuid4().hex}",
                            meta={"uploaded_by": g.user["name"]}), ctx.ledger, ctx.store)
    log.info("file_uploaded", document_id=receipt.document_id, duplicate=receipt.duplicate)
    if receipt.duplicate:
        return Uploaded(name, Outcome(receipt.document_id, SOURCE, name, OutcomeKind.DUPLICATE,
                                      reason=Reason.DUPLICATE))
    outcome = process_leased(ctx, receipt.document_id) or Outcome(
        receipt.document_id, SOURCE, name, OutcomeKind.PENDING)  # a bot has it in hand
    filed = outcome.outcome == OutcomeKind.FILED
    filed_to = queue_name(ctx.ruleset, outcome.caseworker) if filed else None
    return Uploaded(name, outcome, filed_to)
