"""The searchable PDF of a scan: the page as OCR read it, with the words of the same OCR
pass as invisible text where their pictures are."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from ocr.read import read_document
from tests.ocr_helpers.invoices import degrade, invoice_pdf, render, to_bytes


@pytest.fixture(scope="module")
def reading():
    pages = [degrade(page, angle=-1.0, noise=6.0) for page in render(invoice_pdf(pages=2))]
    return read_document(to_bytes(pages, "TIFF"))


def _pdftotext(pdf: bytes, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def test_the_scan_pdf_has_every_page_and_its_text(reading):
    pdf = PdfReader(io.BytesIO(reading.pdf))
    assert len(pdf.pages) == 2
    text = _pdftotext(reading.pdf)
    assert "RE-2026-0417" in text and "Gesamtbetrag" in text and "Seite 2" in text


def test_the_words_sit_where_ocr_found_them(reading):
    [word] = [w for w in reading.words if w.text == "Gesamtbetrag"]
    boxes = _pdftotext(reading.pdf, "-bbox", "-f", "1", "-l", "1")
    found = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>Gesamtbetrag<', boxes)
    left, top = float(found.group(1)), float(found.group(2))
    assert left == pytest.approx(word.left * 72 / 300, abs=2)
    assert top == pytest.approx(word.top * 72 / 300, abs=4)
