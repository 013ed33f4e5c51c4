"""The document page: the original's pages, the fields with their confidence, the checks,
the rule trace in plain German, the history, and the clerk's actions.

Documents are addressed by their ledger id only (16 hex digits); anything else — an unknown
id, a path, a file name — is 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from io import BytesIO
from pathlib import PurePath

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from bots.desk import access, unread
from bots.desk import actions as review
from bots.desk.deps import context, desk, ledger
from bots.desk.likely_originals import likely_originals
from bots.desk.queue_view import queue_items
from bots.intake.quarantine import quarantined_file
from bots.pipeline.context import Context
from bots.pipeline.recorded import document_of, recorded_invoice
from bots.pipeline.stages import checks_of
from bots.storage.ledger import DocumentRow
from einvoice.report import report_html, report_of, report_pdf
from ocr.einvoice_check import check_einvoice
from ocr.model import FIELD_NAMES, Kind

bp = Blueprint("document", __name__, url_prefix="/dokument")
OTHER = "andere"  # the duplicate form's choice "another document id"
QUARANTINE_NOTE = "quarantaene-hinweis.txt"


def _row(doc_id: str) -> DocumentRow:
    row = ledger().get(doc_id) if review.DOCUMENT_ID.fullmatch(doc_id) else None
    if row is None or not access.may_open(ledger(), row, g.user):
        abort(404)
    return row


@bp.route("/<doc_id>")
def show(doc_id: str):
    return _page(_row(doc_id))


@bp.route("/<doc_id>/seite/<int:page>.png")
def page_image(doc_id: str, page: int):
    row = _row(doc_id)
    png = desk().previews.png(context().store, row, page)
    if png is None:
        abort(404)
    return png, 200, {"Content-Type": "image/png"}


@bp.route("/<doc_id>/original")
def original(doc_id: str):
    """The original as it came in, to open with its own program (a .docx, say); for a
    quarantined file the bot's note about it (the file itself was never read)."""
    row = _row(doc_id)
    data = BytesIO(context().store.read(row.sha256))
    if quarantined_file(ledger(), row.sha256):
        return send_file(data, as_attachment=True, mimetype="text/plain; charset=utf-8",
                         download_name=QUARANTINE_NOTE)
    return send_file(data, as_attachment=True, mimetype="application/octet-stream",
                     download_name=row.original_name)


@bp.route("/<doc_id>/pruefbericht.<kind>")
def validation_report(doc_id: str, kind: str):
    """The German validation report of an e-invoice (PDF or HTML) to send to its sender:
    the stored original checked now, with the rules the bot applies."""
    row = _row(doc_id)
    if kind not in ("pdf", "html") or row.kind not in {k.value for k in Kind if k.is_einvoice}:
        abort(404)
    original = context().store.read(row.sha256)
    invoice, validation = check_einvoice(original)
    report = report_of(row.original_name, original, validation, invoice)
    body = report_pdf(report) if kind == "pdf" else report_html(report).encode("utf-8")
    return send_file(BytesIO(body), as_attachment=True,
                     mimetype="application/pdf" if kind == "pdf" else "text/html",
                     download_name=f"{PurePath(row.original_name).stem}-pruefbericht.{kind}")


@bp.route("/<doc_id>/korrigieren", methods=["POST"])
def correct(doc_id: str):
    values = {name: request.form.get(name, "") for name in FIELD_NAMES if name in request.form}
    return _act(doc_id, "korrigieren", lambda ctx, row, actor, version: review.correct_fields(
        ctx, row.id, values, actor=actor, version=version))


@bp.route("/<doc_id>/erfassen", methods=["POST"])
def enter(doc_id: str):
    values = {name: request.form.get(name, "") for name in FIELD_NAMES if name in request.form}
    return _act(doc_id, "erfassen", lambda ctx, row, actor, version: unread.enter_by_hand(
        ctx, row.id, values, pages=desk().previews.page_count(ctx.store, row), actor=actor,
        version=version))


@bp.route("/<doc_id>/anfordern", methods=["POST"])
def request_anew(doc_id: str):
    return _act(doc_id, "anfordern", lambda ctx, row, actor, version: unread.request_anew(
        ctx, row.id, request.form.get("request_text", ""), actor=actor, version=version))


@bp.route("/<doc_id>/zuweisen", methods=["POST"])
def assign(doc_id: str):
    return _act(doc_id, "zuweisen", lambda ctx, row, actor, version: review.assign(
        ctx, row.id, request.form.get("caseworker", ""), actor=actor,
        note=request.form.get("note", ""), version=version))


@bp.route("/<doc_id>/zurueckweisen", methods=["POST"])
def reject(doc_id: str):
    return _act(doc_id, "zurueckweisen", lambda ctx, row, actor, version: review.reject(
        ctx, row.id, request.form.get("reason_text", ""), actor=actor, version=version))


@bp.route("/<doc_id>/erneut", methods=["POST"])
def retry(doc_id: str):
    return _act(doc_id, "erneut", lambda ctx, row, actor, version: review.retry(
        ctx, row.id, actor=actor, version=version))


@bp.route("/<doc_id>/dublette", methods=["POST"])
def duplicate(doc_id: str):
    return _act(doc_id, "dublette", lambda ctx, row, actor, version: review.mark_duplicate(
        ctx, row.id, _original_id(ctx, row), actor=actor, version=version))


def _original_id(ctx: Context, row: DocumentRow) -> str:
    """The original the clerk chose from the list (one they may open), else typed, else the
    filed document with the same invoice number."""
    chosen = request.form.get("original_choice", "")
    if chosen and chosen != OTHER:
        return chosen if access.may_open_id(ctx.ledger, chosen, g.user) else ""
    return request.form.get("original_id", "").strip() or _earlier(ctx, row) or ""


def _earlier(ctx: Context, row: DocumentRow) -> str | None:
    """The filed document with the same invoice number, when the duplicate check found one."""
    key = recorded_invoice(row).invoice_key()
    return ctx.ledger.find_filed_invoice(key, row.id) if key else None


Action = Callable[[Context, DocumentRow, str, int], review.ReviewResult]


def _act(doc_id: str, form: str, action: Action):
    """Run one action; field errors re-render the page (422) with the clerk's input, a
    conflict or success returns to the page with a message."""
    row = _row(doc_id)
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        abort(400)
    try:
        result = action(context(), row, g.user["name"], version)
    except review.Conflict as exc:
        flash(exc.message, "error")
        return redirect(url_for(".show", doc_id=row.id), code=303)
    except review.ReviewError as exc:
        return _page(row, form=form, message=exc.message, errors=exc.field_errors,
                     values=request.form), 422
    flash(result.message, "success")
    if result.state == review.OPEN:
        return redirect(url_for(".show", doc_id=row.id), code=303)
    following = next_exception()
    return redirect(url_for(".show", doc_id=following) if following else url_for("queue.index"),
                    code=303)


def next_exception() -> str | None:
    """The most urgent open exception, where a clerk goes on after finishing one."""
    items = queue_items(ledger().by_state(review.OPEN), date.today())
    return items[0].row.id if items else None


def _page(row: DocumentRow, *, form: str | None = None, message: str | None = None,
          errors: dict | None = None, values=None):
    ctx = context()
    today = date.today()
    invoice = recorded_invoice(row)
    checks = _visible(checks_of(ctx, document_of(row), invoice)) if row.invoice else None
    decision = (row.decision or {}).get("decision") or {}
    earlier = _earlier(ctx, row)
    pages = desk().previews.page_count(ctx.store, row)
    unread_row = unread.is_unread(row)
    if row.reason_detail:
        row = replace(row, reason_detail=access.without_hidden_ids(row.reason_detail, ledger(),
                                                                   g.user))
    return render_template(
        "document.html", row=row, invoice=invoice, checks=checks, decision=decision,
        field_names=FIELD_NAMES, pages=pages, unread=unread_row,
        quarantined=quarantined_file(ctx.ledger, row.sha256), quarantine_note=QUARANTINE_NOTE,
        request_anew=unread.request_of(ctx, row) if unread_row else None,
        audit=ctx.ledger.audit_rows(row.id), version=ctx.ledger.version(row.id),
        choices=review.caseworker_choices(ctx.ruleset, today),
        queue_name=review.queue_name(ctx.ruleset, row.caseworker) if row.caseworker else None,
        suggested_original=earlier if access.may_open_id(ctx.ledger, earlier, g.user) else None,
        originals=likely_originals(ctx.ledger, row, g.user) if row.state == review.OPEN else [],
        actionable=row.state == review.OPEN, fileable=row.invoice is not None,
        form=form, message=message, errors=errors or {}, values=values or {},
    )


def _visible(checks):
    """The checks with the ids of documents the user may not open left out."""
    items = tuple(replace(item, detail=access.without_hidden_ids(item.detail, ledger(), g.user))
                  for item in checks.items)
    return replace(checks, items=items)
