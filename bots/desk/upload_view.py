"""Upload: registry staff and clerks hand in PDFs, images and e-invoices. The request only
takes each file (a durable copy in the store, a receipt in the ledger, with source `upload`);
the bot reads, decides and files it like a scanned one, outside the desk's request threads.
The page lists the user's uploads of the last day with how far each has come, and refreshes
itself while the bot is still at work."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import PurePath

import structlog
from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from bots.desk import access
from bots.desk.actions import queue_name
from bots.desk.deps import context, desk, ledger
from bots.intake.register import Incoming, take

log = structlog.get_logger("review_desk")

SOURCE = "upload"
ACCEPT = ".pdf,.xml,.png,.jpg,.jpeg,.tif,.tiff"
SHOWN_FOR = timedelta(days=1)
_AT_WORK = ("received", "read", "extracted", "decided")

bp = Blueprint("upload", __name__)


@bp.route("/hochladen", methods=["GET", "POST"])
def upload():
    if request.method == "GET":
        uploads = _recent_uploads()
        return render_template("upload.html", accept=ACCEPT, results=uploads,
                               at_work=any(u["state"] in _AT_WORK for u in uploads))
    files = [f for f in request.files.getlist("files") if f.filename]
    limit = desk().settings.max_upload_files
    error = None
    if not files:
        error = "Bitte mindestens eine Datei auswählen."
    elif len(files) > limit:
        error = f"Bitte höchstens {limit} Dateien auf einmal hochladen."
    if error:
        return render_template("upload.html", accept=ACCEPT, error=error), 422
    taken = [_take(f.filename, f.read()) for f in files]
    empty = [name for name, took in taken if not took]
    if len(empty) < len(taken):
        flash(f"{_files(len(taken) - len(empty))} übernommen; der Bot verarbeitet sie.",
              "success")
    for name in empty:
        flash(f"{name}: nicht übernommen, die Datei ist leer.", "error")
    return redirect(url_for(".upload"), code=303)


def _take(filename: str, data: bytes) -> tuple[str, bool]:
    name = PurePath(filename.replace("\\", "/")).name[:200] or "upload"  # a label, never a path
    if not data:
        return name, False
    ctx = context()
    receipt = take(Incoming(data, SOURCE, name, f"upload:{uuid.uuid4().hex}",
                            meta={"uploaded_by": g.user["name"]}), ctx.ledger, ctx.store)
    log.info("file_uploaded", document_id=receipt.document_id, duplicate=receipt.duplicate)
    return name, True


def _files(count: int) -> str:
    return "Eine Datei" if count == 1 else f"{count} Dateien"


def _recent_uploads() -> list[dict]:
    """The user's uploads of the last day, newest first, with their documents' state."""
    since = (datetime.now(UTC) - SHOWN_FOR).isoformat(timespec="seconds")
    rows = ledger().query(
        "SELECT r.original_name AS name, r.duplicate, d.id, d.state, d.reason, d.caseworker"
        " FROM receipts r JOIN documents d ON d.sha256 = r.sha256 WHERE r.source = ?"
        " AND json_extract(r.meta_json, '$.uploaded_by') = ? AND r.received_at >= ?"
        " ORDER BY r.id DESC LIMIT 100", (SOURCE, g.user["name"], since))
    uploads = [dict(row) for row in rows]
    for upload in uploads:
        filed = upload["state"] == "filed"
        upload["queue_name"] = queue_name(context().ruleset, upload["caseworker"]) \
            if filed else None
        upload["link"] = access.may_open_id(ledger(), upload["id"], g.user)
    return uploads
