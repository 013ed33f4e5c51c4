"""Complete reading of e-invoices into the EInvoice model: UBL Invoice and CreditNote, CII
(XRechnung 3.0, ZUGFeRD 2.x, Factur-X profiles) and ZUGFeRD 1.0 - the shipped samples always,
every version of the shared corpus when it is there."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bench.corpus import truth_rows
from einvoice.parse import parse_invoice
from ocr.extract import extract
from ocr.read import read_document
from tests.conftest import CORPUS, SAMPLES

UBL_SAMPLE = SAMPLES / "xrechnung-abendrot-2026-0461-ubl.xml"
CII_SAMPLE = SAMPLES / "xrechnung-dolmetscher-albers-2026-117-cii.xml"
ZUGFERD_SAMPLE = SAMPLES / "zugferd-sanitaetshaus-vogt-2026-3402.pdf"


def test_xrechnung_ubl_is_read_completely():
    inv = parse_invoice(UBL_SAMPLE.read_bytes()).invoice
    assert (inv.syntax, inv.root_name, inv.type_code, inv.is_xrechnung) == (
        "ubl", "Invoice", "380", True)
    assert (inv.number, inv.issue_date, inv.due_date) == ("HA-2026-10-0461", "2026-11-02",
                                                          "2026-12-02")
    assert (inv.period_start, inv.period_end) == ("2026-10-01", "2026-10-31")
    assert inv.seller.name == "Seniorenzentrum Haus Abendrot gGmbH"
    assert (inv.seller.vat_id, inv.seller.tax_number) == ("DE305128747", "304/5718/2245")
    assert (inv.seller.address.city, inv.seller.address.post_code) == ("Ahlenfeld", "59227")
    assert inv.seller.contact.phone == "02382 77 30-0"
    assert inv.buyer.name == "Landschaftsverband Musterland"
    assert inv.buyer_reference == "05999-7210-19"
    assert [line.id for line in inv.lines] == ["1", "2", "3", "4", "5"]
    first = inv.lines[0]
    assert (first.quantity, first.unit, first.net_price, first.net_amount) == (
        Decimal("31"), "DAY", Decimal("41.27"), Decimal("1279.37"))
    assert (first.vat_category, first.vat_rate) == ("E", Decimal("0"))
    vat = inv.vat_breakdown[0]
    assert (vat.category, vat.taxable_amount, vat.exemption_code) == (
        "E", Decimal("2994.29"), "VATEX-EU-132-1G")
    assert (inv.totals.gross, inv.totals.prepaid, inv.totals.due) == (
        Decimal("2994.29"), Decimal("1112.40"), Decimal("1881.89"))
    means = inv.payment_means[0]
    assert (means.code, means.iban, means.bic) == ("58", "DE58412500350200457811",
                                                   "WELADED1AHF")
    assert inv.payment_reference == "HA-2026-10-0461"
    assert inv.payment_terms == "Zahlbar bis 02.12.2026 ohne Abzug."
    assert inv.notes[0].text.startswith("Ihr Aktenzeichen")
    assert not inv.is_credit_note


def test_xrechnung_cii_is_read_completely():
    inv = parse_invoice(CII_SAMPLE.read_bytes()).invoice
    assert (inv.syntax, inv.is_xrechnung, inv.number) == ("cii", True, "GD-2026-117")
    assert (inv.period_start, inv.period_end) == ("2026-10-14", "2026-10-21")
    assert inv.order_reference == "KZ-2026-09302"
    assert inv.seller.contact.name == "Kerstin Albers"
    assert inv.seller.contact.email == "buero@albers-gsd.example"
    assert (inv.seller.vat_id, inv.seller.tax_number) == ("DE268453192", "342/5027/4419")
    assert inv.buyer.endpoint == "05999-7120-95"
    assert len(inv.lines) == 4 and inv.lines[3].quantity == Decimal("68")
    assert inv.lines[3].unit == "KMT" and inv.lines[3].net_price == Decimal("0.42")
    assert (inv.vat_breakdown[0].rate, inv.vat_breakdown[0].tax_amount) == (
        Decimal("19"), Decimal("86.18"))
    assert (inv.totals.net, inv.totals.tax, inv.totals.due) == (
        Decimal("453.56"), Decimal("86.18"), Decimal("539.74"))
    assert inv.payment_means[0].bic == "WELADED1NST"
    assert inv.due_date == "2026-12-07"


def test_zugferd_sample_pdf_xml_is_read_and_valid_under_the_factur_x_profile():
    reading = read_document(ZUGFERD_SAMPLE.read_bytes())
    inv = reading.einvoice.invoice
    assert inv.syntax == "cii" and inv.lines and inv.vat_breakdown
    extraction = extract(reading)
    assert extraction.extra["einvoice_valid"] is True
    assert extraction.extra["einvoice_scenario"] == "Factur-X/ZUGFeRD EN 16931"
    assert extraction.extra["credit_note"] is False
    assert not [w for w in extraction.warnings if "Sichtbares PDF" in w]  # picture = XML


def _corpus_rows() -> list:
    rows = truth_rows(CORPUS)
    if rows is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"))]
    return [pytest.param(row, id=Path(row["file"]).name) for row in rows]


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


@pytest.mark.parametrize("row", _corpus_rows())
def test_corpus_invoice_model_matches_truth(row):
    """Every version and profile: the model agrees with the truth (its verdict is
    test_einvoice_official.py's)."""
    reading = read_document((CORPUS / row["file"]).read_bytes())
    inv = reading.einvoice.invoice
    fields = row["fields"]
    assert inv.syntax == row["syntax"] and inv.guideline == row["profile"]
    assert inv.type_code == row["type_code"]
    assert inv.number == fields["invoice_number"] and inv.issue_date == fields["issue_date"]
    assert inv.seller.address.country == row["seller_country"]
    assert _amount(inv.totals.gross) == fields.get("total_gross")
    assert _amount(inv.totals.net) == fields.get("total_net")
    assert _amount(inv.totals.due) == fields.get("amount_due")
    if inv.profile not in ("minimum", "basicwl"):  # these profiles carry no lines
        assert inv.lines and all(line.net_amount is not None or line.note
                                 for line in inv.lines)
    extraction = extract(reading)
    assert extraction.extra["credit_note"] == (row["type_code"] == "381"
                                               or row.get("ubl_root") == "CreditNote")
