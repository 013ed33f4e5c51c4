"""Click-to-fill: the words of a page image with their boxes (/dokument/<id>/seite/<n>/
woerter.json), so a clerk fills a field by clicking the word(s) on the page (static/
click-fill.js) instead of typing. A text PDF's words come from its text layer; a scan's from
its OCR.
The chosen words reach the backend as the field's text, like typed input: the correction
checks them and the bot learns where they stand (bots.learning)."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict

from flask import Blueprint, abort, g, jsonify
from pypdf import PdfReader

from bots.desk import access
from bots.desk.actions import DOCUMENT_ID
from bots.desk.deps import context, ledger
from bots.filing.pdf import pdf_of
from bots.pipeline.model import DocumentProblem
from bots.pipeline.recorded import document_of, recorded_invoice
from bots.pipeline.stages import read_original
from bots.storage.states import State
from ocr.model import Kind, ReadError
from ocr.word_boxes import word_boxes

bp = Blueprint("words", __name__, url_prefix="/dokument")
_KEPT = 16
_cache: OrderedDict[tuple[str, int], list[dict]] = OrderedDict()
_lock = threading.Lock()


@bp.route("/<doc_id>/seite/<int:page>/woerter.json")
def words(doc_id: str, page: int):
    row = ledger().get(doc_id) if DOCUMENT_ID.fullmatch(doc_id) else None
    if row is None or not access.may_open(ledger(), row, g.user):
        abort(404)
    found = []
    if row.state == State.EXCEPTION and row.kind in (Kind.PDF_TEXT, Kind.SCAN):
        with _lock:
            cached = _cache.get((row.sha256, page))
        found = cached if cached is not None else _remember(row, page)
    return jsonify({"words": found})


def _remember(row, page: int) -> list[dict]:
    try:
        found = _words(row, page)
    except (DocumentProblem, ReadError, OSError, ValueError):
        found = []  # no words to click: the clerk types
    with _lock:
        _cache[(row.sha256, page)] = found
        while len(_cache) > _KEPT:
            _cache.popitem(last=False)
    return found


def _words(row, page: int) -> list[dict]:
    ctx = context()
    original = ctx.store.read(row.sha256)
    shown = pdf_of(original, recorded_invoice(row))  # what the page image shows
    if row.kind == Kind.PDF_TEXT:
        return [vars(w) for w in word_boxes(shown, page)[1]]
    reading = read_original(ctx, document_of(row), original)
    if reading.pdf is None:
        return []
    (width, height), boxes = word_boxes(reading.pdf, page)
    box = PdfReader(io.BytesIO(shown)).pages[page - 1].mediabox
    if (width > height) != (float(box.width) > float(box.height)):
        return []  # the OCR turned the page: its words would not lie on the image
    return [vars(w) for w in boxes]
