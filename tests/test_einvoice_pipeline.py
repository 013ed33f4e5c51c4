"""E-invoices through the bots: an invalid one becomes the exception `invalid_einvoice` with
its findings, the original kept byte for byte; a valid XRechnung is filed with a readable
PDF (checked with pdftotext) next to the XML; hostile XML is `corrupt`; a ZUGFeRD whose
picture shows other totals than its XML carries a warning."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal

import facturx
import pytest

from bots.intake.register import Incoming, take
from bots.pipeline.reasons import explain
from bots.pipeline.work import process_leased
from bots.wiring import open_config, open_context
from einvoice.parse import parse_invoice
from einvoice.pdf_page_writer import fonts_for
from einvoice.readable_pdf import render_einvoice_pdf
from einvoice.units import unit_name
from ocr.extract import extract
from ocr.read import read_document
from tests.conftest import SAMPLES, expected_samples, write_bot_config
from tests.test_einvoice_validation import (
    LAUGHS,
    UBL,
    UBL_CREDIT_NOTE,
    XXE,
    replaced,
    ubl_with_lines,
)


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True, timeout=60)
    return done.stdout.decode()


def _run(tmp_path, data: bytes, name: str):
    ctx = open_context(open_config(write_bot_config(tmp_path)))
    receipt = take(Incoming(data, "test", name, f"key-{name}"), ctx.ledger, ctx.store)
    outcome = process_leased(ctx, receipt.document_id)
    return ctx, ctx.ledger.get(receipt.document_id), outcome


def test_invalid_einvoice_is_an_exception_with_its_findings_and_the_original_kept(tmp_path):
    broken = replaced(replaced(UBL, "<cbc:BuyerReference>05999-7210-19</cbc:BuyerReference>", ""),
                      '<cbc:PayableAmount currencyID="EUR">1881.89',
                      '<cbc:PayableAmount currencyID="EUR">1881.98')
    ctx, row, outcome = _run(tmp_path, broken, "xrechnung-kaputt.xml")
    assert (outcome.outcome, outcome.reason) == ("exception", "invalid_einvoice")
    assert row.state == "exception" and row.reason == "invalid_einvoice"
    assert "BR-CO-16" in row.reason_detail and "BR-DE-15" in row.reason_detail
    assert "E-Rechnung" in explain("invalid_einvoice")
    rules = {f["rule"] for f in row.invoice["einvoice"]["einvoice_findings"]}
    assert {"BR-CO-16", "BR-DE-15"} <= rules
    assert ctx.store.read(row.sha256) == broken  # byte for byte
    audit = ctx.ledger.audit_rows(row.id)[-1]
    assert audit["detail"]["checks"]["items"][0]["name"] == "einvoice_valid"


def test_a_rule_that_fires_often_is_named_once_in_the_exception(tmp_path):
    negative = UBL.replace(b'<cbc:PriceAmount currencyID="EUR">',
                           b'<cbc:PriceAmount currencyID="EUR">-')
    lines = UBL.count(b"<cac:InvoiceLine>")
    assert lines >= 2
    _, row, outcome = _run(tmp_path, negative, "negative-preise.xml")
    assert outcome.reason == "invalid_einvoice"
    assert row.reason_detail.count("BR-27") == 1
    assert f"BR-27 ({lines}×): Der Nettopreis eines Artikels (BT-146) ist negativ" in (
        row.reason_detail)


def test_valid_xrechnung_is_filed_with_a_readable_pdf_beside_the_xml(tmp_path):
    sample = next(s for s in expected_samples() if s.get("kind") == "xrechnung-ubl")
    original = (SAMPLES / sample["file"]).read_bytes()
    ctx, row, outcome = _run(tmp_path, original, sample["file"])
    assert (outcome.outcome, outcome.caseworker) == ("filed", sample["caseworker"])
    folder = ctx.config.efile_root / sample["caseworker"]
    assert (folder / f"{row.id}.xml").read_bytes() == original
    text = pdf_text((folder / f"{row.id}.pdf").read_bytes())
    for expected in ("Seniorenzentrum Haus Abendrot gGmbH", "Landschaftsverband Musterland",
                     "HA-2026-10-0461", "Zahlbetrag (BT-115)", "1.881,89 EUR", "2.994,29 EUR",
                     "DE58412500350200457811", "05999-7210-19", "Entgelt für Verpflegung",
                     "01.10.2026 – 31.10.2026", "Ihr Aktenzeichen"):
        assert expected in text, expected


def test_cii_rendering_shows_parties_lines_vat_and_totals():
    xml = (SAMPLES / "xrechnung-dolmetscher-albers-2026-117-cii.xml").read_bytes()
    text = pdf_text(render_einvoice_pdf(parse_invoice(xml)))
    for expected in ("Verkäufer", "Kerstin Albers Gebärdensprachdolmetschen", "Käufer",
                     "Landschaftsverband Musterland", "Positionen (4)", "Fahrtkosten",
                     "19 %", "453,56 EUR", "86,18 EUR", "539,74 EUR", "WELADED1NST",
                     "Zahlbar bis 07.12.2026"):
        assert expected in text, expected


def test_the_rendering_names_units_as_german_readers_write_them():
    """UN/ECE Rec 20 codes in words: HUR -> Std., KMT -> km, DAY -> Tage (BT-130)."""
    albers = pdf_text(render_einvoice_pdf(parse_invoice(
        (SAMPLES / "xrechnung-dolmetscher-albers-2026-117-cii.xml").read_bytes())))
    abendrot = pdf_text(render_einvoice_pdf(parse_invoice(
        (SAMPLES / "xrechnung-abendrot-2026-0461-ubl.xml").read_bytes())))
    assert re.search(r"\bStd\.", albers) and re.search(r"\bkm\b", albers)
    assert re.search(r"\bTage\b", abendrot)
    for code in ("HUR", "KMT", "DAY"):
        assert not re.search(rf"\b{code}\b", albers + abendrot), code
    assert unit_name("H87", Decimal(1)) == "Stk." and unit_name("XYZ") == "XYZ"


def test_the_rendering_keeps_reading_order_for_screen_readers_and_copying():
    xml = (SAMPLES / "xrechnung-dolmetscher-albers-2026-117-cii.xml").read_bytes()
    done = subprocess.run(["pdftotext", "-raw", "-", "-"], input=render_einvoice_pdf(parse_invoice(xml)),
                          capture_output=True, check=True, timeout=60)
    text = done.stdout.decode()  # -raw: in the order the page draws its text
    order = ["Verkäufer", "Name", "Kerstin Albers Gebärdensprachdolmetschen", "Anschrift",
             "Käufer", "Landschaftsverband Musterland", "Rechnungsnummer (BT-1)", "GD-2026-117",
             "Positionen (4)", "Fahrtkosten", "Zahlbetrag (BT-115)", "539,74 EUR"]
    at = 0
    for part in order:  # each one after the one before
        at = text.find(part, at)
        assert at >= 0, f"{part!r} out of order"


def test_credit_note_and_500_lines_render():
    credit = pdf_text(render_einvoice_pdf(parse_invoice(UBL_CREDIT_NOTE)))
    assert "Gutschrift GS-2026-7" in credit and "HA-2026-10-0461 vom 02.11.2026" in credit
    long_text = pdf_text(render_einvoice_pdf(parse_invoice(ubl_with_lines(500))))
    assert "(Tag 500)" in long_text and "Positionen (500)" in long_text
    assert "5.000,00 EUR" in long_text and long_text.count("\f") >= 8


def test_unicode_names_are_rendered_in_a_unicode_font():
    xml = replaced(UBL, "<cbc:RegistrationName>Landschaftsverband Musterland",
                   "<cbc:RegistrationName>Zażółć Gęślą Jaźń")
    assert "Zażółć Gęślą Jaźń" in pdf_text(render_einvoice_pdf(parse_invoice(xml)))


def test_base_fonts_serve_windows_1252_text_and_a_unicode_font_the_rest():
    german = replaced(UBL, "<cbc:RegistrationName>Landschaftsverband Musterland",
                      "<cbc:RegistrationName>Größe & Söhne – 5 €")
    polish = replaced(UBL, "<cbc:RegistrationName>Landschaftsverband Musterland",
                      "<cbc:RegistrationName>Zażółć")
    assert fonts_for(german) == ("Helvetica", "Helvetica-Bold")
    assert fonts_for(polish) == ("EInvSans", "EInvSans-Bold")  # DejaVu: set up by setup.sh


def test_hostile_xml_through_the_pipeline_is_corrupt(tmp_path):
    for name, data in (("xxe.xml", XXE), ("lol.xml", LAUGHS)):
        _, row, outcome = _run(tmp_path / name, data, name)
        assert (outcome.outcome, outcome.reason, row.reason) == ("exception", "corrupt",
                                                                 "corrupt")


def test_zugferd_whose_picture_shows_other_totals_gets_a_warning():
    picture = (SAMPLES / "rechnung-regenbogen-2026-031.pdf").read_bytes()
    xml = (SAMPLES / "xrechnung-dolmetscher-albers-2026-117-cii.xml").read_bytes()
    hybrid = facturx.generate_from_binary(picture, xml, check_xsd=False)
    reading = read_document(hybrid)
    assert reading.kind == "zugferd"
    extraction = extract(reading)
    assert extraction.fields["total_gross"] == "539.74"  # the XML is the invoice
    warning = [w for w in extraction.warnings if w.startswith("Sichtbares PDF weicht")]
    assert warning and "Rechnungsbetrag (BT-112)" in warning[0]


@pytest.mark.parametrize(("due", "note"), [
    ("2020-01-15", "Bei Eingang bereits überfällig: zu zahlen bis 15.01.2020, eingegangen am "),
    ("2099-01-15", None),
])
def test_an_invoice_overdue_on_arrival_is_filed_with_a_mark(tmp_path, due, note):
    xml = (SAMPLES / "xrechnung-abendrot-2026-0461-ubl.xml").read_bytes().replace(
        b"<cbc:DueDate>2026-12-02</cbc:DueDate>", f"<cbc:DueDate>{due}</cbc:DueDate>".encode())
    ctx, row, outcome = _run(tmp_path, xml, "abendrot.xml")
    assert outcome.outcome == "filed"
    sidecar = json.loads((ctx.config.efile_root / outcome.caseworker / f"{row.id}.json")
                         .read_text(encoding="utf-8"))
    marked = sidecar["overdue_on_arrival"]
    assert (marked is None) if note is None else marked.startswith(note)
