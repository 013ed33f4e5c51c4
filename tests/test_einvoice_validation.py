"""Validation of e-invoices: XML schema, EN 16931 arithmetic (BR-CO-10..16), XRechnung rules
(BR-DE-*), credit notes, hostile XML refused in milliseconds, and a 500-line invoice."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest

from einvoice.parse import parse_invoice
from einvoice.validate import validate_xml
from ocr.extract import einvoice_extraction
from ocr.model import ReadError
from ocr.read import read_document
from tests.conftest import SAMPLES

UBL = (SAMPLES / "xrechnung-abendrot-2026-0461-ubl.xml").read_bytes()
CII = (SAMPLES / "xrechnung-dolmetscher-albers-2026-117-cii.xml").read_bytes()


def rules_of(findings, severity: str = "error") -> set[str]:
    return {f.rule for f in findings if f.severity == severity}


def replaced(xml: bytes, old: str, new: str) -> bytes:
    assert old.encode() in xml, old
    return xml.replace(old.encode(), new.encode(), 1)


def ubl_with_lines(count: int) -> bytes:
    """The UBL sample with `count` lines of 1 day at 10.00 EUR, totals that add up."""
    text = UBL.decode()
    line = re.search(r"  <cac:InvoiceLine>.*?</cac:InvoiceLine>\n", text, re.S).group(0)
    template = (re.sub(r"<cbc:ID>1</cbc:ID>", "<cbc:ID>{n}</cbc:ID>", line)
                .replace('unitCode="DAY">31<', 'unitCode="DAY">1<')
                .replace(">1279.37<", ">10.00<").replace(">41.27<", ">10.00<")
                .replace("(Pflegegrad 3)", "(Tag {n})"))
    lines = "".join(template.replace("{n}", str(n)) for n in range(1, count + 1))
    head = text[:text.index("  <cac:InvoiceLine>")]
    total = f"{Decimal(count) * 10:.2f}"
    head = (head.replace(">2994.29<", f">{total}<")
            .replace(">1881.89<", f">{Decimal(total) - Decimal('1112.40'):.2f}<"))
    return (head + lines + "</Invoice>\n").encode()


def test_samples_are_valid():
    assert rules_of(validate_xml(UBL)) == set()
    assert rules_of(validate_xml(CII)) == set()


@pytest.mark.parametrize("xml, rule", [
    (replaced(UBL, "<cbc:PayableAmount currencyID=\"EUR\">1881.89",
              "<cbc:PayableAmount currencyID=\"EUR\">1881.98"), "BR-CO-16"),
    (replaced(UBL, "<cbc:TaxInclusiveAmount currencyID=\"EUR\">2994.29",
              "<cbc:TaxInclusiveAmount currencyID=\"EUR\">2994.92"), "BR-CO-15"),
    (replaced(UBL, "<cbc:LineExtensionAmount currencyID=\"EUR\">687.58",
              "<cbc:LineExtensionAmount currencyID=\"EUR\">678.58"), "BR-CO-10"),
    (replaced(CII, "<ram:TaxTotalAmount currencyID=\"EUR\">86.18",
              "<ram:TaxTotalAmount currencyID=\"EUR\">86.81"), "BR-CO-14"),
    (replaced(CII, "<ram:TaxBasisTotalAmount>453.56", "<ram:TaxBasisTotalAmount>435.56"),
     "BR-CO-13"),
], ids=["due", "gross", "line-sum", "vat-sum", "net"])
def test_arithmetic_errors_are_found_with_their_rule(xml, rule):
    findings = validate_xml(xml)
    assert rule in rules_of(findings)
    message = next(f.message for f in findings if f.rule == rule)
    assert "ergibt aber" in message  # German, with the stated and the computed amount


def test_document_allowance_without_its_total_breaks_br_co_11():
    xml = replaced(UBL, "  <cac:TaxTotal>", """  <cac:AllowanceCharge>
    <cbc:ChargeIndicator>false</cbc:ChargeIndicator>
    <cbc:AllowanceChargeReason>Rabatt</cbc:AllowanceChargeReason>
    <cbc:Amount currencyID="EUR">10.00</cbc:Amount>
    <cac:TaxCategory><cbc:ID>E</cbc:ID><cbc:Percent>0</cbc:Percent>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
  </cac:AllowanceCharge>
  <cac:TaxTotal>""")
    assert rules_of(validate_xml(xml)) == {"BR-CO-11"}


@pytest.mark.parametrize("xml", [
    replaced(UBL, "<cbc:BuyerReference>05999-7210-19</cbc:BuyerReference>", ""),
    replaced(CII, "<ram:BuyerReference>05999-7120-95</ram:BuyerReference>", ""),
], ids=["ubl", "cii"])
def test_missing_leitweg_id_breaks_br_de_15(xml):
    findings = validate_xml(xml)
    assert rules_of(findings) == {"BR-DE-15"}
    assert "Leitweg-ID" in next(f.message for f in findings if f.rule == "BR-DE-15")
    extraction = einvoice_extraction(parse_invoice(xml))
    assert extraction.extra["einvoice_valid"] is False
    assert extraction.fields["buyer_reference"] is None


def test_xrechnung_musts_seller_contact_and_payment_instructions():
    no_contact = re.sub(rb"<cac:Contact>\s*<cbc:Name>Sabine.*?</cac:Contact>", b"", UBL,
                        count=1, flags=re.S)
    assert {"BR-DE-2", "BR-DE-5", "BR-DE-6", "BR-DE-7"} <= rules_of(validate_xml(no_contact))
    no_payment = re.sub(rb"<cac:PaymentMeans>.*?</cac:PaymentMeans>", b"", UBL, flags=re.S)
    assert "BR-DE-1" in rules_of(validate_xml(no_payment))
    bad_skonto = replaced(UBL, "Zahlbar bis 02.12.2026 ohne Abzug.", "#SKONTO#TAGE=14#PROZENT=2#")
    assert rules_of(validate_xml(bad_skonto)) == {"BR-DE-18"}
    good_skonto = replaced(UBL, "Zahlbar bis 02.12.2026 ohne Abzug.",
                           "#SKONTO#TAGE=14#PROZENT=2.00#\n")
    assert rules_of(validate_xml(good_skonto)) == set()


def test_rules_de_apply_to_xrechnung_only():
    plain = replaced(UBL, "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
                     "urn:cen.eu:en16931:2017")
    assert rules_of(validate_xml(replaced(plain, "<cbc:BuyerReference>05999-7210-19"
                                                 "</cbc:BuyerReference>", ""))) == set()


def test_schema_violation_is_an_xsd_finding():
    xml = replaced(UBL, "<cbc:IssueDate>2026-11-02</cbc:IssueDate>",
                   "<cbc:IssueDate>2.11.2026</cbc:IssueDate>")
    findings = validate_xml(xml)
    assert "XSD" in rules_of(findings)
    assert "XML-Schema UBL 2.1 Invoice" in next(f.message for f in findings if f.rule == "XSD")
    not_a_number = replaced(CII, "<ram:GrandTotalAmount>539.74", "<ram:GrandTotalAmount>539,74")
    assert "XSD" in rules_of(validate_xml(not_a_number))


def test_well_formedness_is_the_first_finding():
    findings = validate_xml(UBL[:-40])
    assert [(f.rule, f.severity) for f in findings] == [("XML", "error")]


UBL_CREDIT_NOTE = b"""<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>
  <cbc:ID>GS-2026-7</cbc:ID>
  <cbc:IssueDate>2026-03-01</cbc:IssueDate>
  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>05999-7210-19</cbc:BuyerReference>
  <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>HA-2026-10-0461</cbc:ID>
    <cbc:IssueDate>2026-11-02</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PostalAddress><cbc:CityName>Ahlenfeld</cbc:CityName><cbc:PostalZone>59227</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>DE305128747</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Haus Abendrot gGmbH</cbc:RegistrationName></cac:PartyLegalEntity>
    <cac:Contact><cbc:Name>S. Ostermann</cbc:Name><cbc:Telephone>02382 77 30-0</cbc:Telephone>
      <cbc:ElectronicMail>rechnung@haus-abendrot.example</cbc:ElectronicMail></cac:Contact>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PostalAddress><cbc:CityName>Musterstadt</cbc:CityName><cbc:PostalZone>59901</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyLegalEntity><cbc:RegistrationName>Landschaftsverband Musterland</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
    <cac:PayeeFinancialAccount><cbc:ID>DE58412500350200457811</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">0.00</cbc:TaxAmount>
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">41.27</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">0.00</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>E</cbc:ID><cbc:Percent>0</cbc:Percent>
        <cbc:TaxExemptionReason>steuerfrei nach 4 Nr. 16 UStG</cbc:TaxExemptionReason>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">41.27</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">41.27</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">41.27</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">41.27</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:CreditNoteLine><cbc:ID>1</cbc:ID>
    <cbc:CreditedQuantity unitCode="DAY">1</cbc:CreditedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">41.27</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Pflegetag 31.10. doppelt berechnet</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>E</cbc:ID><cbc:Percent>0</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">41.27</cbc:PriceAmount></cac:Price>
  </cac:CreditNoteLine>
</CreditNote>
"""


def test_credit_note_is_recognisable_and_refers_to_its_invoice():
    inv = parse_invoice(UBL_CREDIT_NOTE).invoice
    assert inv.is_credit_note and inv.root_name == "CreditNote"
    assert inv.preceding_invoices == (("HA-2026-10-0461", "2026-11-02"),)
    assert inv.lines[0].quantity == Decimal("1")
    extraction = einvoice_extraction(parse_invoice(UBL_CREDIT_NOTE))
    assert extraction.extra["document_type_code"] == "381"
    assert extraction.extra["credit_note"] is True
    assert extraction.extra["einvoice_valid"], extraction.extra["einvoice_findings"]


def test_cii_type_381_is_a_credit_note():
    xml = replaced(CII, "<ram:TypeCode>380</ram:TypeCode>", "<ram:TypeCode>381</ram:TypeCode>")
    assert einvoice_extraction(parse_invoice(xml)).extra["credit_note"] is True


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&xxe;</ID></Invoice>"""
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;")
                                                 * 10) for i in range(1, 10))
          + b"]>\n<lolz>&lol9;</lolz>")


@pytest.mark.parametrize("data", [XXE, LAUGHS, XXE + b"<!--" + b"x" * 5_000_000 + b"-->"],
                         ids=["xxe", "billion-laughs", "xxe-5mb"])
def test_hostile_xml_is_refused_as_corrupt_within_milliseconds(data):
    start = time.perf_counter()
    with pytest.raises(ReadError) as caught:
        read_document(data)
    elapsed = time.perf_counter() - start
    assert caught.value.code == "corrupt"
    assert elapsed < 0.05, f"took {elapsed * 1000:.1f} ms"
    assert [f.rule for f in validate_xml(data)] == ["XML"]


def test_invoice_with_500_lines_is_read_validated_quickly_and_correctly():
    xml = ubl_with_lines(500)
    start = time.process_time()
    extraction = einvoice_extraction(parse_invoice(xml))
    inv = parse_invoice(xml).invoice
    elapsed = time.process_time() - start
    assert extraction.extra["einvoice_valid"], extraction.extra["einvoice_findings"]
    assert len(inv.lines) == 500 and inv.lines[-1].name.endswith("(Tag 500)")
    assert inv.totals.line_net == Decimal("5000.00") == sum(x.net_amount for x in inv.lines)
    assert extraction.fields["amount_due"] == "3887.60"
    assert elapsed < 1.0, f"took {elapsed:.2f} s of CPU"
    broken = replaced(xml, "<cbc:LineExtensionAmount currencyID=\"EUR\">10.00",
                      "<cbc:LineExtensionAmount currencyID=\"EUR\">10.01")
    assert "BR-CO-10" in rules_of(validate_xml(broken))
