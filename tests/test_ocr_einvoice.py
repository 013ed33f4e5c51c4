"""E-invoices: XRechnung UBL / CII XML and ZUGFeRD PDFs from the shared corpus are read
from their XML and every contract field matches the corpus truth."""

from pathlib import Path

import pytest

from bench.corpus import truth_rows
from einvoice.errors import EInvoiceError
from einvoice.parse import parse_invoice
from ocr.extract import extract
from ocr.model import FIELD_NAMES, ReadError
from ocr.read import read_document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
KIND = {
    "zugferd-pdf": "zugferd",
    "xrechnung-ubl": "xrechnung-ubl",
    "xrechnung-cii": "xrechnung-cii",
}


def _rows() -> list:
    rows = truth_rows(CORPUS)
    if rows is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"))]
    return [pytest.param(row, id=Path(row["file"]).name) for row in rows]


@pytest.mark.parametrize("row", _rows())
def test_corpus_file_reads_as_its_truth(row):
    reading = read_document((CORPUS / row["file"]).read_bytes())
    assert reading.kind == KIND[row["kind"]]
    extraction = extract(reading)
    assert dict(extraction.fields) == {name: row["fields"].get(name) for name in FIELD_NAMES}
    assert extraction.extra["document_type_code"] == row["type_code"]
    assert all(extraction.confidence[name] == 1.0 for name in row["fields"])
    assert set(extraction.evidence) == set(row["fields"])
    if row["kind"] == "zugferd-pdf":
        assert reading.xml_name == row["xml_attachment"]
        assert reading.pages >= 1 and len(reading.text) > 100  # the text layer comes along


UBL = b"""<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID> GS-2026-7 </cbc:ID>
  <cbc:IssueDate>2026-03-01</cbc:IssueDate>
  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>04011000-12345-03</cbc:BuyerReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyTaxScheme><cbc:CompanyID>de 136 695 976</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Lebenshilfe
      Musterstadt gGmbH</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>59</cbc:PaymentMeansCode>
    <cac:PaymentMandate><cac:PayerFinancialAccount><cbc:ID>DE75512108001245126199</cbc:ID>
    </cac:PayerFinancialAccount></cac:PaymentMandate></cac:PaymentMeans>
  <cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
    <cbc:PaymentDueDate>2026-03-31</cbc:PaymentDueDate>
    <cac:PayeeFinancialAccount><cbc:ID>DE02 1203 0000 0000 2020 51</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount currencyID="USD">21.5</cbc:TaxAmount></cac:TaxTotal>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">19</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:TaxExclusiveAmount currencyID="EUR">100</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">119.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">119.004</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
</CreditNote>"""


def test_ubl_credit_note_normalised():
    extraction = extract(read_document(UBL))
    assert dict(extraction.fields) == {
        "invoice_number": "GS-2026-7",
        "issue_date": "2026-03-01",
        "due_date": "2026-03-31",  # CreditNote: PaymentMeans/PaymentDueDate
        "buyer_reference": "04011000-12345-03",
        "order_reference": None,
        "seller_name": "Lebenshilfe Musterstadt gGmbH",
        "seller_vat_id": "DE136695976",
        "iban": "DE02120300000000202051",  # the credit transfer, not the direct debit mandate
        "currency": "EUR",
        "total_net": "100.00",
        "total_tax": "19.00",  # the tax total in the document currency
        "total_gross": "119.00",
        "amount_due": "119.00",
    }
    assert extraction.extra["document_type_code"] == "381"
    assert "PayeeFinancialAccount" in extraction.evidence["iban"]


def test_parse_refuses_with_its_own_error_and_read_maps_it():
    with pytest.raises(EInvoiceError) as caught:
        parse_invoice(b"<Invoice>")
    assert caught.value.code == "corrupt"
    with pytest.raises(ReadError) as caught:
        read_document(b"<Invoice>")
    assert (caught.value.code, caught.value.message) == ("corrupt", "malformed XML (line 1)")
