"""PDFs: the text layer (pdftotext -layout), embedded e-invoice XML (ZUGFeRD / Factur-X /
XRechnung, as named file or attachment annotation), and the decision text layer vs. OCR."""

import pytest

from ocr.extract import extract
from ocr.pdftext import has_usable_text, word_chars
from ocr.read import read_document
from tests.ocr_helpers.invoices import (
    ENGLISH,
    InvoiceSpec,
    cii_xml,
    invoice_pdf,
    with_attachment,
)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return invoice_pdf(pages=2)


def test_text_pdf_is_read_through_its_text_layer(pdf):
    reading = read_document(pdf)
    assert (reading.kind, reading.pages, reading.xml, reading.words) == ("pdf-text", 2, None, ())
    first, second = reading.text.split("\f")
    assert "Rechnungsnummer:" in first and "Seite 2" in second
    # -layout keeps columns: the label and its value stay on one line, apart
    assert any(
        line.startswith("Rechnungsnummer:") and line.endswith("RE-2026-0417")
        for line in first.splitlines()
    )


def test_text_pdf_fields(pdf):
    extraction = extract(read_document(pdf))
    assert dict(extraction.fields) == InvoiceSpec().expected()
    assert all(0.5 <= extraction.confidence[name] <= 0.99 for name in extraction.fields)
    assert extraction.evidence["invoice_number"].startswith("label 'Rechnungsnummer'")


def test_english_text_pdf_fields():
    spec = InvoiceSpec(labels=ENGLISH, number="INV-8841", reference="991-33344-55")
    extraction = extract(read_document(invoice_pdf(spec)))
    assert dict(extraction.fields) == spec.expected()


@pytest.mark.parametrize(
    ("name", "as_annotation"),
    [
        ("factur-x.xml", False),
        ("ZUGFeRD-invoice.xml", False),
        ("XRECHNUNG.XML", False),
        ("zugferd-invoice.xml", True),
    ],
)
def test_embedded_invoice_xml_makes_a_zugferd_reading(pdf, name, as_annotation):
    spec = InvoiceSpec(number="ZF-77", gross="1.234,55")
    xml = cii_xml(spec, type_code="381")
    reading = read_document(with_attachment(pdf, name, xml, as_annotation=as_annotation))
    assert (reading.kind, reading.xml, reading.xml_name, reading.pages) == ("zugferd", xml, name, 2)
    assert "RE-2026-0417" in reading.text  # the visible text layer comes along
    extraction = extract(reading)
    assert extraction.fields["invoice_number"] == "ZF-77"  # the XML is the invoice
    assert extraction.extra["document_type_code"] == "381"
    assert dict(extraction.fields) == spec.expected()


def test_other_attachments_are_not_invoices(pdf):
    reading = read_document(with_attachment(pdf, "lieferschein.xml", cii_xml()))
    assert reading.kind == "pdf-text"


def test_hostile_embedded_xml_falls_back_to_the_text_layer(pdf):
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    )
    reading = read_document(with_attachment(pdf, "factur-x.xml", hostile))
    assert reading.kind == "pdf-text" and reading.xml is None
    assert reading.warnings == ("embedded invoice XML refused (corrupt)",)


def test_usable_text_threshold():
    invoice_page = "Rechnungsnummer RE-2026-0417 Gesamtbetrag 1.234,55 EUR" * 2
    assert word_chars("Größe 12 (cid:3)\u2022\ue000") == 11
    assert has_usable_text(invoice_page, 1)
    assert not has_usable_text("Seite 1", 1)  # a scan with a page-number stamp
    assert not has_usable_text("\ue001\ue002 " * 50, 1)  # a broken font encoding
    assert has_usable_text(f"{invoice_page}\f{invoice_page}\f", 3)  # a blank last page
    assert not has_usable_text(f"Seite 1\f{invoice_page}", 2)  # page 1 carries the invoice
