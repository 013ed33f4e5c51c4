"""Click-to-fill: the words of a page image with their boxes (/dokument/<id>/seite/<n>/
woerter.json), so a clerk fills a field by clicking the word(s) on the page (static/
click-fill.js) instead of typing. A text PDF's words come from its text layer; a scan's from
its OCR (the reading bots.pipeline.reread keeps, which the correction's learning uses too),
and only where they lie on the page image shown: not on a page OCR turned or cut out of a
photo. The chosen words reach the backend as the field's text, like typed input: the
correction checks them and the bot learns where they stand (bots.learning)."""

from __future__ import annotations

import io

from flask import Blueprint, abort, g, jsonify
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from bots.desk import access
from bots.desk.actions import DOCUMENT_ID
from bots.desk.deps import context, ledger
from bots.filing.pdf import pdf_of
from bots.pipeline.recorded import recorded_invoice
from bots.pipeline.reread import reading_of
from bots.storage.ledger import DocumentRow
from bots.storage.states import State
from ocr.model import Kind, PageFrame, ReadError, Reading
from ocr.word_boxes import WordBox, word_boxes

bp = Blueprint("words", __name__, url_prefix="/dokument")
SAME_SHAPE = 0.015  # page image and OCR frame differ by less than this in width/height


def readable_row(doc_id: str) -> DocumentRow:
    """The document, when the user may open it and it has words on pages (404 otherwise)."""
    row = ledger().get(doc_id) if DOCUMENT_ID.fullmatch(doc_id) else None
    if row is None or not access.may_open(ledger(), row, g.user):
        abort(404)
    return row


@bp.route("/<doc_id>/seite/<int:page>/woerter.json")
def words(doc_id: str, page: int):
    row = readable_row(doc_id)
    found = []
    if row.state == State.EXCEPTION and row.kind in (Kind.PDF_TEXT, Kind.SCAN):
        found = [vars(word) for word in page_words(row, page)]
    return jsonify({"words": found})


def shown_pdf(row: DocumentRow) -> bytes:
    """The PDF the page images show."""
    return pdf_of(context().store.read(row.sha256), recorded_invoice(row))


def page_words(row: DocumentRow, page: int) -> list[WordBox]:
    """The words on page `page` of the image shown; none where they cannot be placed."""
    try:
        if row.kind == Kind.PDF_TEXT:
            return word_boxes(shown_pdf(row), page)[1]
        reading = reading_of(context(), row)
        frame = frame_on_page(row, reading, page)
    except (ReadError, OSError, ValueError, IndexError, PdfReadError):
        return []  # no words to click: the clerk types
    if frame is None:
        return []
    return [WordBox(w.text, w.left / frame.width, w.top / frame.height, w.width / frame.width,
                    w.height / frame.height) for w in reading.words if w.page == page]


def frame_on_page(row: DocumentRow, reading: Reading | None, page: int) -> PageFrame | None:
    """The OCR frame of a scan's page when its words lie on the page image shown: not turned
    by OCR, of the same shape (a photo's sheet was cut out)."""
    if reading is None or not 1 <= page <= len(reading.frames):
        return None
    frame = reading.frames[page - 1]
    if frame.turn % 360 or frame.width <= 0 or frame.height <= 0:
        return None
    shown = PdfReader(io.BytesIO(shown_pdf(row))).pages[page - 1]
    width, height = float(shown.mediabox.width), float(shown.mediabox.height)
    if shown.rotation % 180:
        width, height = height, width
    return frame if abs(width / height - frame.width / frame.height) < SAME_SHAPE else None
