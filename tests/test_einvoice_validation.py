"""Validation of e-invoices with the official rules: the XML schema first, then the EN 16931
and XRechnung Schematron (KoSIT's scenarios), each finding with its official rule id, a
German sentence for the clerk, the official text and the XPath; credit notes, hostile XML
refused in milliseconds, and a 500-line invoice."""

from __future__ import annotations

import multiprocessing
import re
import time
from decimal import Decimal

import pytest

from einvoice.parse import parse_invoice
from einvoice.validation import validate
from einvoice.validation.german_rules import RULES
from einvoice.validation.saxon import engine
from ocr.extract import einvoice_extraction
from ocr.model import ReadError
from ocr.read import read_document
from tests.conftest import SAMPLES

UBL = (SAMPLES / "xrechnung-abendrot-2026-0461-ubl.xml").read_bytes()
CII = (SAMPLES / "xrechnung-dolmetscher-albers-2026-117-cii.xml").read_bytes()
XRECHNUNG_3 = b"urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"


def verdict(xml: bytes):
    return validate(parse_invoice(xml))


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


def test_samples_are_valid_xrechnung_under_kosits_scenarios():
    for xml, scenario in ((UBL, "EN16931 XRechnung (UBL Invoice)"),
                          (CII, "EN16931 XRechnung (CII)")):
        result = verdict(xml)
        assert (result.valid, result.errors, result.scenario) == (True, [], scenario)
        assert result.artefacts["XRechnung"] == "2.5.0"


@pytest.mark.parametrize("xml, rule, where", [
    (replaced(UBL, "<cbc:PayableAmount currencyID=\"EUR\">1881.89",
              "<cbc:PayableAmount currencyID=\"EUR\">1881.98"), "BR-CO-16",
     "/Invoice/cac:LegalMonetaryTotal"),
    (replaced(UBL, "<cbc:TaxInclusiveAmount currencyID=\"EUR\">2994.29",
              "<cbc:TaxInclusiveAmount currencyID=\"EUR\">2994.92"), "BR-CO-15", "/Invoice"),
    (replaced(UBL, "<cbc:LineExtensionAmount currencyID=\"EUR\">687.58",
              "<cbc:LineExtensionAmount currencyID=\"EUR\">678.58"), "BR-CO-10",
     "/Invoice/cac:LegalMonetaryTotal"),
    (replaced(CII, "<ram:TaxTotalAmount currencyID=\"EUR\">86.18",
              "<ram:TaxTotalAmount currencyID=\"EUR\">86.81"), "BR-CO-14",
     "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"),
    (replaced(CII, "<ram:TaxBasisTotalAmount>453.56", "<ram:TaxBasisTotalAmount>435.56"),
     "BR-CO-13", "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"),
], ids=["due", "gross", "line-sum", "vat-sum", "net"])
def test_arithmetic_errors_carry_rule_german_sentence_official_text_and_place(xml, rule, where):
    result = verdict(xml)
    assert not result.valid and rule in result.errors
    finding = next(f for f in result.findings if f.rule == rule)
    assert (finding.severity, finding.message, finding.artefact) == ("error", RULES[rule],
                                                                     "EN16931")
    assert finding.official.startswith(("Sum of", "Invoice total", "Amount due"))
    assert finding.location.startswith(where)


def test_document_allowance_without_its_total_breaks_br_co_11():
    xml = replaced(UBL, "  <cac:TaxTotal>", """  <cac:AllowanceCharge>
    <cbc:ChargeIndicator>false</cbc:ChargeIndicator>
    <cbc:AllowanceChargeReason>Rabatt</cbc:AllowanceChargeReason>
    <cbc:Amount currencyID="EUR">10.00</cbc:Amount>
    <cac:TaxCategory><cbc:ID>E</cbc:ID><cbc:Percent>0</cbc:Percent>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
  </cac:AllowanceCharge>
  <cac:TaxTotal>""")
    assert verdict(xml).errors == ["BR-E-08", "BR-CO-11"]


@pytest.mark.parametrize("xml", [
    replaced(UBL, "<cbc:BuyerReference>05999-7210-19</cbc:BuyerReference>", ""),
    replaced(CII, "<ram:BuyerReference>05999-7120-95</ram:BuyerReference>", ""),
], ids=["ubl", "cii"])
def test_missing_leitweg_id_breaks_br_de_15_in_the_official_german(xml):
    result = verdict(xml)
    assert result.errors == ["BR-DE-15"]
    finding = next(f for f in result.findings if f.rule == "BR-DE-15")
    assert finding.message == finding.official == (
        'Das Element "Buyer reference" (BT-10) muss übermittelt werden.')
    assert finding.artefact == "XRechnung"
    extraction = einvoice_extraction(parse_invoice(xml))
    assert extraction.extra["einvoice_valid"] is False
    assert extraction.extra["einvoice_validation"]["errors"] == ["BR-DE-15"]
    assert extraction.fields["buyer_reference"] is None


def test_xrechnung_musts_seller_contact_payment_instructions_skonto():
    no_contact = re.sub(rb"<cac:Contact>\s*<cbc:Name>Sabine.*?</cac:Contact>", b"", UBL,
                        count=1, flags=re.S)
    assert "BR-DE-2" in verdict(no_contact).errors
    no_payment = re.sub(rb"<cac:PaymentMeans>.*?</cac:PaymentMeans>", b"", UBL, flags=re.S)
    assert "BR-DE-1" in verdict(no_payment).errors
    bad_skonto = replaced(UBL, "Zahlbar bis 02.12.2026 ohne Abzug.", "#SKONTO#TAGE=14#PROZENT=2#")
    assert verdict(bad_skonto).errors == ["BR-DE-18"]
    good_skonto = replaced(UBL, "Zahlbar bis 02.12.2026 ohne Abzug.",
                           "#SKONTO#TAGE=14#PROZENT=2.00#\n")
    assert verdict(good_skonto).valid


def test_xrechnung_rules_apply_to_xrechnung_only():
    plain = UBL.replace(XRECHNUNG_3, b"urn:cen.eu:en16931:2017")
    result = verdict(replaced(plain, "<cbc:BuyerReference>05999-7210-19</cbc:BuyerReference>",
                              ""))
    assert (result.scenario, result.valid) == ("EN16931 (UBL Invoice)", True)
    assert "XRechnung" not in result.artefacts


def test_kosits_custom_level_makes_br_co_16_information_in_the_extension():
    extension = UBL.replace(XRECHNUNG_3, XRECHNUNG_3 + b"#conformant#urn:xeinkauf.de:kosit:"
                            b"extension:xrechnung_3.0")
    result = verdict(replaced(extension, "<cbc:PayableAmount currencyID=\"EUR\">1881.89",
                              "<cbc:PayableAmount currencyID=\"EUR\">1881.98"))
    assert result.scenario == "EN16931 XRechnung Extension (UBL Invoice)"
    assert "BR-CO-16" in result.warnings and "BR-CO-16" not in result.errors
    assert "BR-DEX-09" in result.errors  # the extension's own sum still catches it


def test_other_cius_is_checked_against_en16931_and_an_old_xrechnung_is_refused():
    peppol = verdict(UBL.replace(XRECHNUNG_3, b"urn:cen.eu:en16931:2017#compliant#"
                                 b"urn:fdc:peppol.eu:2017:poacc:billing:3.0"))
    assert (peppol.valid, peppol.warnings, peppol.artefacts["EN16931"]) == (
        True, ["KEIN-SZENARIO"], "1.3.15")
    old = verdict(UBL.replace(XRECHNUNG_3, XRECHNUNG_3.replace(b"_3.0", b"_2.3")))
    assert old.errors == ["XRECHNUNG-VERSION"]


def test_schema_violation_is_found_first_and_stops_the_schematron():
    xml = replaced(UBL, "<cbc:IssueDate>2026-11-02</cbc:IssueDate>",
                   "<cbc:IssueDate>2.11.2026</cbc:IssueDate>")
    result = verdict(xml)
    assert [(f.rule, f.location) for f in result.findings] == [("XSD", "/*/cbc:IssueDate")]
    assert "nicht dem XML-Schema (XML Schema for UBL 2.1 Invoice)" in result.findings[0].message
    assert "'2.11.2026' is not a valid value" in result.findings[0].official
    not_a_number = replaced(CII, "<ram:GrandTotalAmount>539.74", "<ram:GrandTotalAmount>539,74")
    assert verdict(not_a_number).errors == ["XSD"]


def test_malformed_xml_is_refused_before_validation():
    with pytest.raises(ReadError) as caught:
        read_document(UBL[:-40])
    assert caught.value.code == "corrupt"


UBL_CREDIT_NOTE = b"""<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>GS-2026-7</cbc:ID>
  <cbc:IssueDate>2026-03-01</cbc:IssueDate>
  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>05999-7210-19</cbc:BuyerReference>
  <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>HA-2026-10-0461</cbc:ID>
    <cbc:IssueDate>2026-11-02</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="EM">rechnung@haus-abendrot.example</cbc:EndpointID>
    <cac:PostalAddress><cbc:CityName>Ahlenfeld</cbc:CityName><cbc:PostalZone>59227</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>DE305128747</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Haus Abendrot gGmbH</cbc:RegistrationName></cac:PartyLegalEntity>
    <cac:Contact><cbc:Name>S. Ostermann</cbc:Name><cbc:Telephone>02382 77 30-0</cbc:Telephone>
      <cbc:ElectronicMail>rechnung@haus-abendrot.example</cbc:ElectronicMail></cac:Contact>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cbc:EndpointID schemeID="0204">05999-7210-19</cbc:EndpointID>
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
    assert extraction.extra["einvoice_scenario"] == "EN16931 XRechnung (UBL CreditNote)"


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
    assert "BR-CO-10" in verdict(broken).errors


def test_an_invoice_in_utf_16_is_validated_like_its_utf_8_original():
    utf16 = UBL.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    result = verdict(utf16)
    assert (result.valid, result.scenario) == (True, "EN16931 XRechnung (UBL Invoice)")
    broken = replaced(UBL, "<cbc:BuyerReference>05999-7210-19</cbc:BuyerReference>", "")
    assert verdict(broken.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
                   .encode("utf-16")).errors == ["BR-DE-15"]


def _start_saxon() -> str:
    try:
        engine()
    except RuntimeError as exc:
        return str(exc)
    return "started"


def test_a_process_forked_after_saxon_ran_gets_a_clear_error_not_a_hang():
    assert verdict(UBL).valid  # Saxon has run in this process
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert "start worker processes with a forkserver" in pool.apply(_start_saxon)
    with multiprocessing.get_context("forkserver").Pool(1) as pool:
        assert pool.apply(_start_saxon) == "started"
