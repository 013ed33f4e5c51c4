"""Lines Tesseract's page layout leaves out of a phone photo, read again (real Tesseract):
table rules and box sides taken out without taking the letters, and a boxed header whose
bold values touch the box read where a first pass read nothing."""

import io

import cv2
import numpy as np
import pytest
from pdf2image import convert_from_bytes
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from ocr.model import Word
from ocr.reread import dropped_lines, read_dropped
from ocr.table_rules import without_rules
from ocr.tesseract import ocr_words

DPI = 245  # a camera photo's sheet at its own resolution
HEADER = (("Rechnungsnummer", "471102"), ("Rechnungsdatum", "05.03.2013"),
          ("Kundennummer", "GE2020211"))


def _boxed_header() -> bytes:
    """A header box with dashed sides and rules, bold values against its right side."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setDash(2, 1.5)
    right, top, row = 190 * mm, 270 * mm, 9 * mm
    pdf.rect(110 * mm, top - len(HEADER) * row, right - 110 * mm, len(HEADER) * row)
    for number, (label, value) in enumerate(HEADER):
        y = top - (number + 1) * row
        pdf.line(110 * mm, y, right, y)
        pdf.setFont("Helvetica", 7)
        pdf.drawString(111 * mm, y + 5.5 * mm, label)
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawRightString(right - 0.3 * mm, y + 0.6 * mm, value)
    pdf.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def header() -> np.ndarray:
    """The header as a slightly blurred photo sees it, black and white."""
    gray = np.asarray(convert_from_bytes(_boxed_header(), dpi=DPI)[0].convert("L"))
    blurred = cv2.GaussianBlur(gray, (0, 0), 1.2)
    return cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]


def _texts(words) -> set[str]:
    return {word.text.strip(".,:;|") for word in words}


def test_rules_go_and_the_letters_stay(header):
    cleaned = without_rules(header, DPI)
    ink = header < 128
    left_ink = cleaned < 128
    # the box's long dashed rules are gone: no row of the box keeps a long run of ink
    rows = np.flatnonzero(ink.sum(axis=1) > 0.3 * ink.shape[1] * 0.35)
    assert rows.size and not np.any(left_ink[rows].sum(axis=1) > 0.3 * ink.shape[1] * 0.35)
    # the print of the letters is kept: most of the ink that was not a rule is still there
    assert left_ink.sum() > 0.5 * ink.sum()
    read = _texts(ocr_words(cleaned, 1, lang="deu+eng", dpi=DPI, binary=True))
    assert {"471102", "05.03.2013", "GE2020211"} <= read


def test_lines_left_out_are_found_and_read_at_their_place(header):
    assert len(dropped_lines(without_rules(header, DPI), (), DPI)) >= len(HEADER)
    words = read_dropped(header, (), 1, lang="deu+eng", dpi=DPI, binary=True)
    by_text = {word.text.strip(".,:;|"): word for word in words}
    assert {"471102", "05.03.2013", "Rechnungsnummer"} <= set(by_text)
    number, label = by_text["471102"], by_text["Rechnungsnummer"]
    # back at its place on the page: right of its label, on the same row of the box
    assert number.left > label.left + label.width
    row = 9 * DPI / 25.4
    assert abs(number.top + number.height / 2 - (label.top + label.height / 2)) < row / 2
    assert abs(number.left + number.width - 190 * DPI / 25.4) < 0.02 * DPI  # set right


def test_a_page_read_surely_is_left_as_it_was(header):
    sure = (Word("Rechnung", 0.96, 0, 0, header.shape[1], header.shape[0], 1),)
    assert read_dropped(header, sure, 1, lang="deu+eng", dpi=DPI, binary=True) == sure
