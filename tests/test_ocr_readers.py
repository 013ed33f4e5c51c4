"""Each reader alone: PDF opening, text layer, embedded XML, e-invoice XML, images, OCR."""

import io

import pytest
from PIL import Image

from einvoice.errors import EInvoiceError
from einvoice.syntax import syntax_of
from einvoice.xmlsafe import parse_xml
from einvoice.zugferd import find_invoice_xml
from ocr.images import declared_dpi, image_format, open_image
from ocr.model import ReadError
from ocr.pdf import open_pdf
from ocr.pdftext import pdf_text, read_text_layer
from ocr.read import read_document
from ocr.tesseract import words_text
from tests.ocr_helpers.invoices import cii_xml, invoice_pdf, render, to_bytes, with_attachment


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return invoice_pdf(pages=2)


def test_open_pdf_counts_pages_and_sorts_failures(pdf):
    assert len(open_pdf(pdf).pages) == 2
    with pytest.raises(ReadError) as caught:
        open_pdf(pdf[:-300])
    assert caught.value.code == "corrupt"


def test_pdf_text_pages_and_failure(pdf):
    text = pdf_text(pdf)
    assert text.count("\f") == 1 and "Gesamtbetrag" in text
    assert read_text_layer(pdf, 2).kind == "pdf-text"
    with pytest.raises(ReadError) as caught:
        pdf_text(b"%PDF-1.4\nnot really\n%%EOF")
    assert caught.value.code == "corrupt"


def test_find_invoice_xml(pdf):
    xml = cii_xml()
    assert find_invoice_xml(open_pdf(pdf)) is None
    found = find_invoice_xml(open_pdf(with_attachment(pdf, "Factur-X.XML", xml)))
    assert found == ("Factur-X.XML", xml)
    in_annotation = with_attachment(pdf, "xrechnung.xml", xml, as_annotation=True)
    assert find_invoice_xml(open_pdf(in_annotation)) == ("xrechnung.xml", xml)


def test_read_einvoice_and_syntax():
    reading = read_document(cii_xml())
    assert (reading.kind, reading.pages, reading.text) == ("xrechnung-cii", 0, "")
    assert reading.einvoice.syntax == "cii" and reading.einvoice.xml is reading.xml
    assert syntax_of(parse_xml(cii_xml())) == "cii"
    with pytest.raises(EInvoiceError) as caught:
        syntax_of(parse_xml(b"<Invoice/>"))  # no namespace: not UBL
    assert caught.value.code == "unsupported"


def test_image_format_and_default_resolution():
    image = Image.new("L", (30, 20), 255)
    plain = io.BytesIO()
    image.save(plain, "PNG")  # no resolution recorded
    assert image_format(plain.getvalue()) == "png"
    assert image_format(b"%PDF-1.7") is None
    assert declared_dpi(open_image(plain.getvalue())) is None
    assert image_format(to_bytes([image], "TIFF", dpi=200)) == "tiff"
    assert declared_dpi(open_image(to_bytes([image], "TIFF", dpi=200))) == 200


def test_read_image_ocrs_a_strip(pdf):
    strip = render(pdf)[0].crop((0, 0, 1748, 420))  # letterhead only: a quick OCR run
    reading = read_document(to_bytes([strip], "PNG"), lang="deu")
    assert reading.kind == "scan" and reading.pages == 1
    # "gGmbH" itself is read differently by Tesseract's SIMD paths on different CPUs
    assert "Lebenshilfe Musterstadt" in reading.text and "Werkstattweg 5" in reading.text
    assert words_text(reading.words) == reading.text
    assert all(0.0 <= w.conf <= 1.0 and w.page == 1 for w in reading.words)
