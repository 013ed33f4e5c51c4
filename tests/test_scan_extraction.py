"""Extraction on the layout of OCR words: a value right of its label (also a little lower)
or below it, found by the words' boxes; OCR slips repaired only where a checksum or
net + tax = gross confirms them."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from ocr.amounts import ocr_slip
from ocr.extract import extract
from ocr.identifiers import find_ibans, find_vat_ids
from ocr.layout import lines_from_text
from ocr.model import Reading, Word
from ocr.read import read_document
from ocr.textfields import extract_from_lines
from tests.ocr_helpers.invoices import degrade, image_pdf, render


def _word(text: str, left: int, top: int, *, height: int = 30, conf: float = 0.96) -> Word:
    return Word(text, conf, left, top, int(len(text) * height * 0.55), height, page=1)


def _fields(words: list[Word]) -> dict:
    return dict(extract(Reading(kind="scan", pages=1, words=tuple(words))).fields)


def test_a_value_right_of_its_label_and_lower_in_its_cell():
    """A table cell: the label small at the top, the number large below and to the right
    (OCR puts the two on different rows)."""
    words = [_word("Rechnungsnummer", 100, 400, height=24),
             _word("471102", 700, 430, height=44),
             _word("Rechnungsdatum", 100, 520, height=24),
             _word("05.03.2026", 650, 550, height=44)]
    fields = _fields(words)
    assert (fields["invoice_number"], fields["issue_date"]) == ("471102", "2026-03-05")


def test_values_below_their_labels_in_a_header_row():
    """Labels side by side in one row, each value under its own label."""
    words = [_word("Kundennummer", 100, 400), _word("Rechnungsnummer", 600, 400),
             _word("Datum", 1200, 400),
             _word("K-7781", 110, 450), _word("RE-2026-55", 610, 450),
             _word("12.03.2026", 1190, 450)]
    fields = _fields(words)
    assert (fields["invoice_number"], fields["issue_date"]) == ("RE-2026-55", "2026-03-12")


def test_a_value_far_from_its_label_is_not_taken():
    words = [_word("Rechnungsnummer", 100, 400), _word("471102", 300, 1400)]
    assert _fields(words)["invoice_number"] is None


@pytest.fixture(scope="module")
def form_scan() -> bytes:
    """A scanned A5 form: labels in one row, values under them; totals right of labels."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    top = A5[1] - 30 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(15 * mm, top, "Pflegedienst Sonnenschein GmbH")
    pdf.setFont("Helvetica", 8)
    for x, label, value in ((15, "Rechnungsnummer", "PS-2026-118"),
                            (60, "Rechnungsdatum", "14.02.2026"),
                            (100, "Kundennummer", "K-5521")):
        pdf.drawString(x * mm, top - 15 * mm, label)
        pdf.setFont("Helvetica", 11)
        pdf.drawString(x * mm, top - 21 * mm, value)
        pdf.setFont("Helvetica", 8)
    pdf.setFont("Helvetica", 9)
    for n, (label, value) in enumerate((("Summe netto", "800,00 EUR"),
                                        ("USt 19 %", "152,00 EUR"),
                                        ("Gesamtbetrag", "952,00 EUR"))):
        pdf.drawString(60 * mm, top - (45 + 6 * n) * mm, label)
        pdf.drawRightString(133 * mm, top - (45 + 6 * n) * mm, value)
    pdf.showPage()
    pdf.save()
    return image_pdf([degrade(render(buffer.getvalue())[0], angle=0.7, noise=6.0)])


def test_a_scanned_form_is_read_by_label_proximity(form_scan):
    extraction = extract(read_document(form_scan))
    fields = extraction.fields
    assert (fields["invoice_number"], fields["issue_date"], fields["total_gross"]) == (
        "PS-2026-118", "2026-02-14", "952.00")
    assert "below" in extraction.evidence["invoice_number"]


def test_an_ocr_slip_in_a_total_is_repaired_when_the_sum_confirms_it():
    text = ("Rechnung Nr. 4711\n\nSumme netto      100,00 EUR\nUSt 19 %          19,00 EUR\n"
            "Gesamtbetrag     149,00 EUR\n\n"  # 119,00 with a 1 read as 4
            "Bitte überweisen Sie 119,00 EUR bis zum 31.03.2026.\n")
    extraction = extract_from_lines(lines_from_text(text))
    assert extraction.fields["total_gross"] == "119.00"
    assert "slip repaired" in extraction.evidence["total_gross"]
    assert extraction.confidence["total_gross"] < 0.9


def test_an_ambiguous_slip_is_not_repaired():
    """119 read as 149: or 49 read as 19, or 130 as 100? Nothing else on the page tells."""
    text = "Summe netto      100,00 EUR\nUSt 19 %          19,00 EUR\nGesamtbetrag     149,00 EUR\n"
    fields = extract_from_lines(lines_from_text(text)).fields
    assert (fields["total_net"], fields["total_tax"], fields["total_gross"]) == (
        "100.00", "19.00", "149.00")


def test_what_counts_as_an_ocr_slip():
    assert ocr_slip("8.19", "8.79") == "digit"
    assert ocr_slip("8.79", "-8.79") == "sign"
    assert ocr_slip("18.79", "8.79") is None
    assert ocr_slip("8.19", "8.71") is None


def test_look_alikes_are_repaired_only_where_a_checksum_confirms():
    [iban] = find_ibans("IBAN: DE02 12O3 OOOO OOOO 2O2O 5l")
    assert (iban.value, iban.valid, iban.repaired) == ("DE02120300000000202051", True, True)
    assert find_ibans("IBAN: DE02 12O3 OOOO OOOO 2O2O 59") == []  # no valid reading
    [vat] = find_vat_ids("USt-IdNr. DEI36695976")
    assert (vat.value, vat.valid, vat.repaired) == ("DE136695976", True, True)
