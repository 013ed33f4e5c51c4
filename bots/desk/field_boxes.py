"""Where each field was read, drawn on the page image (/dokument/<id>/seite/<n>/angaben.json,
static/field-boxes.js): for every field whose evidence names this page and line, the box
of the words of its value there (ocr.value_boxes) — on a scan from the OCR words of the
reading bots.pipeline.reread keeps, on a text PDF from its text layer's word positions.
E-invoices (their evidence is an XPath), fields typed by hand and values not found on
their line get no box: better none than a wrong one."""

from __future__ import annotations

from flask import Blueprint, jsonify

from bots.desk.deps import context
from bots.desk.evidence import evidence_place
from bots.desk.page_words import frame_on_page, readable_row, shown_pdf
from bots.pipeline.fieldnames import label
from bots.pipeline.recorded import recorded_invoice
from bots.pipeline.reread import reading_of
from bots.storage.ledger import DocumentRow
from ocr.extract import lines_of
from ocr.model import FIELD_NAMES, Kind, ReadError
from ocr.value_boxes import scan_box, text_box, value_span
from ocr.word_boxes import word_boxes

bp = Blueprint("field_boxes", __name__, url_prefix="/dokument")


@bp.route("/<doc_id>/seite/<int:page>/angaben.json")
def field_boxes(doc_id: str, page: int):
    row = readable_row(doc_id)
    found = []
    if row.invoice and row.kind in (Kind.SCAN, Kind.PDF_TEXT):
        try:
            found = boxes_on_page(row, page)
        except (ReadError, OSError, ValueError, IndexError):
            found = []
    return jsonify({"boxes": found})


def boxes_on_page(row: DocumentRow, page: int) -> list[dict]:
    invoice = recorded_invoice(row)
    wanted = {}
    for name in FIELD_NAMES:
        place = evidence_place(invoice.evidence.get(name))
        if invoice.fields.get(name) and place and place[0] == page:
            wanted[name] = place[1]
    reading = reading_of(context(), row) if wanted else None
    if reading is None:
        return []
    lines = lines_of(reading)
    locate = _locator(row, reading, page, lines)
    found = []
    for name, line_no in wanted.items():
        line = next((each for each in lines if each.page == page and each.index == line_no - 1),
                    None)
        span = value_span(lines, line, name, invoice.fields[name]) if line else None
        box = locate(line, span) if span else None
        if box is not None:
            found.append({"field": name, "label": label(name), "x": box.x, "y": box.y,
                          "w": box.w, "h": box.h})
    return found


def _locator(row: DocumentRow, reading, page: int, lines):
    """How a (line, span) of this page becomes a box on the page image."""
    if row.kind == Kind.PDF_TEXT:
        words = word_boxes(shown_pdf(row), page)[1]
        page_lines = [each for each in lines if each.page == page]
        return lambda line, span: text_box(page_lines, line, span, words)
    frame = frame_on_page(row, reading, page)
    return lambda line, span: scan_box(line, span, frame) if frame else None
