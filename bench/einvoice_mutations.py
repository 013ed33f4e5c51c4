"""Invalid e-invoices made on purpose: seeded mutations of valid UBL and CII invoices, each
with the official rule ids it must break (the rule families of issue 13: VAT arithmetic and
categories, code lists, missing names, country, negative prices, VAT ID prefix, missing
specification or type, invoice number, payment means, lines, date format, totals, the
XRechnung musts).

A mutation changes one thing of a parsed invoice in place and returns the rule ids it
breaks for sure (the official rules may report more), or None where the invoice has nothing
to change. The full set runs in `main()`: every mutation on every valid corpus invoice with
several seeds, the bot's verdict compared with the oracle's (bench/einvoice_oracle.py),
printed as a confusion matrix.

    .venv/bin/python bench/einvoice_mutations.py [--corpus DIR] [--seeds 3]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import no_corpus, truth_rows  # noqa: E402
from ocr.extract import extract  # noqa: E402
from ocr.model import ReadError  # noqa: E402
from ocr.read import read_document  # noqa: E402

NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
      "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
      "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
      "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
      "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"}
# UNCL 5305 VAT category -> the family of EN 16931 rules for it.
FAMILY = {"S": "S", "Z": "Z", "E": "E", "AE": "AE", "K": "IC", "G": "G", "O": "O", "L": "AF",
          "M": "AG"}
_CII_TX = "rsm:SupplyChainTradeTransaction"
_CII_AGREEMENT = f"{_CII_TX}/ram:ApplicableHeaderTradeAgreement"
_CII_SETTLEMENT = f"{_CII_TX}/ram:ApplicableHeaderTradeSettlement"
_CII_SUM = f"{_CII_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
_CII_LINE = f"{_CII_TX}/ram:IncludedSupplyChainTradeLineItem"
_UBL_LINE = "cac:InvoiceLine | cac:CreditNoteLine"

Mutate = Callable[[etree._Element, random.Random], "set[str] | None"]


def _pick(root, path: str, rng: random.Random) -> etree._Element | None:
    found = root.xpath(path, namespaces=NS)
    return rng.choice(found) if found else None


def _remove(root, path: str, rng: random.Random, breaks: set[str]) -> set[str] | None:
    """Remove every element `path` selects; None if there is none."""
    found = root.xpath(path, namespaces=NS)
    for element in found:
        element.getparent().remove(element)
    return breaks if found else None


def _add(element, delta: Decimal) -> None:
    element.text = str(Decimal(element.text.strip()) + delta)


def _set(root, path: str, rng: random.Random, value: str, breaks: set[str]) -> set[str] | None:
    element = _pick(root, path, rng)
    if element is None:
        return None
    element.text = value
    return breaks


def _shift(root, path: str, rng: random.Random, breaks: set[str]) -> set[str] | None:
    element = _pick(root, path, rng)
    if element is None:
        return None
    _add(element, Decimal(rng.choice(("0.50", "1.00", "10.00", "-3.00"))))
    return breaks


def _vat_amount(root, rng, subtotal: str, category: str, amount: str, number: str):
    """Change the tax amount (number '09') or taxable amount ('08') of one VAT breakdown."""
    entry = _pick(root, subtotal, rng)
    if entry is None or not entry.xpath(amount, namespaces=NS):
        return None
    code = entry.xpath(f"string({category})", namespaces=NS).strip()
    if code not in FAMILY:
        return None
    _add(entry.xpath(amount, namespaces=NS)[0], Decimal(rng.choice(("0.50", "2.00", "10.00"))))
    return {f"BR-{FAMILY[code]}-{number}"} | ({"BR-CO-17"} if number == "09" else set())


def _recategorise(root, rng, categories: str, rates: str, code: str, breaks: set[str]):
    """Every standard-rated VAT category of the invoice to `code`, rates kept."""
    found = [c for c in root.xpath(categories, namespaces=NS) if c.text and c.text.strip() == "S"]
    if not found or not root.xpath(rates, namespaces=NS):
        return None
    for element in found:
        element.text = code
    return breaks


def _vat_id_without_prefix(root, rng, path: str) -> set[str] | None:
    element = _pick(root, path, rng)
    if element is None or not element.text or not element.text.strip()[:2].isalpha():
        return None
    element.text = "".join(element.text.split())[2:]  # 'DE 123456789' -> '123456789'
    return {"BR-CO-09"}


UBL_VAT = "cac:TaxTotal/cac:TaxSubtotal"
UBL_SELLER = "cac:AccountingSupplierParty/cac:Party"
UBL_BUYER = "cac:AccountingCustomerParty/cac:Party"
UBL_TOTAL = "cac:LegalMonetaryTotal"
UBL: dict[str, Mutate] = {
    "vat-tax-amount": lambda r, g: _vat_amount(r, g, UBL_VAT, "cac:TaxCategory/cbc:ID",
                                               "cbc:TaxAmount", "09"),
    "vat-taxable-amount": lambda r, g: _vat_amount(r, g, UBL_VAT, "cac:TaxCategory/cbc:ID",
                                                   "cbc:TaxableAmount", "08"),
    "vat-category-code-breakdown": lambda r, g: _set(r, f"{UBL_VAT}/cac:TaxCategory/cbc:ID",
                                                     g, "X9", {"BR-CL-17"}),
    "vat-category-code-line": lambda r, g: _set(
        r, "(cac:InvoiceLine|cac:CreditNoteLine)/cac:Item/cac:ClassifiedTaxCategory/cbc:ID",
        g, "X9", {"BR-CL-18"}),
    "standard-to-zero-rated": lambda r, g: _recategorise(
        r, g, "//cac:TaxCategory/cbc:ID | //cac:ClassifiedTaxCategory/cbc:ID",
        "//cac:ClassifiedTaxCategory[cbc:Percent > 0]", "Z", {"BR-Z-05"}),
    "standard-to-reverse-charge": lambda r, g: _recategorise(
        r, g, "//cac:TaxCategory/cbc:ID | //cac:ClassifiedTaxCategory/cbc:ID",
        "//cac:ClassifiedTaxCategory[cbc:Percent > 0]", "AE", {"BR-AE-05", "BR-AE-10"}),
    "exempt-without-reason": lambda r, g: _remove(
        r, f"{UBL_VAT}/cac:TaxCategory[cbc:ID='E']/cbc:TaxExemptionReason"
           f" | {UBL_VAT}/cac:TaxCategory[cbc:ID='E']/cbc:TaxExemptionReasonCode", g, {"BR-E-10"}),
    "country-code": lambda r, g: _set(
        r, f"{UBL_SELLER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode", g, "XX",
        {"BR-CL-14"}),
    "seller-name": lambda r, g: _remove(
        r, f"{UBL_SELLER}/cac:PartyLegalEntity/cbc:RegistrationName", g, {"BR-06"}),
    "buyer-name": lambda r, g: _remove(
        r, f"{UBL_BUYER}/cac:PartyLegalEntity/cbc:RegistrationName", g, {"BR-07"}),
    "seller-country": lambda r, g: _remove(
        r, f"{UBL_SELLER}/cac:PostalAddress/cac:Country", g, {"BR-09"}),
    "negative-item-price": lambda r, g: _set(
        r, "(cac:InvoiceLine|cac:CreditNoteLine)/cac:Price/cbc:PriceAmount", g, "-1.00",
        {"BR-27"}),
    "vat-id-without-prefix": lambda r, g: _vat_id_without_prefix(
        r, g, f"{UBL_SELLER}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"),
    "specification-missing": lambda r, g: _remove(r, "cbc:CustomizationID", g, {"BR-01"}),
    "type-code-missing": lambda r, g: _remove(
        r, "cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode", g, {"BR-04"}),
    "line-sum": lambda r, g: _shift(r, f"{UBL_TOTAL}/cbc:LineExtensionAmount", g, {"BR-CO-10"}),
    "gross-total": lambda r, g: _shift(r, f"{UBL_TOTAL}/cbc:TaxInclusiveAmount", g,
                                       {"BR-CO-15"}),
    "amount-due": lambda r, g: _shift(r, f"{UBL_TOTAL}/cbc:PayableAmount", g, {"BR-CO-16"}),
    "leitweg-id-missing": lambda r, g: _remove(r, "cbc:BuyerReference", g, {"BR-DE-15"}),
    "seller-contact-missing": lambda r, g: _remove(r, f"{UBL_SELLER}/cac:Contact", g,
                                                   {"BR-DE-2"}),
    "date-format": lambda r, g: _set(r, "cbc:IssueDate", g, "2.11.2026", {"XSD"}),
}

CII_VAT = f"{_CII_SETTLEMENT}/ram:ApplicableTradeTax"
CII_SELLER = f"{_CII_AGREEMENT}/ram:SellerTradeParty"
CII_BUYER = f"{_CII_AGREEMENT}/ram:BuyerTradeParty"
CII_CATEGORIES = "//ram:ApplicableTradeTax/ram:CategoryCode | //ram:CategoryTradeTax/ram:CategoryCode"
CII_RATES = f"{_CII_LINE}//ram:ApplicableTradeTax[ram:RateApplicablePercent > 0]"
CII: dict[str, Mutate] = {
    "vat-tax-amount": lambda r, g: _vat_amount(r, g, CII_VAT, "ram:CategoryCode",
                                               "ram:CalculatedAmount", "09"),
    "vat-taxable-amount": lambda r, g: _vat_amount(r, g, CII_VAT, "ram:CategoryCode",
                                                   "ram:BasisAmount", "08"),
    "vat-category-code-breakdown": lambda r, g: _set(r, f"{CII_VAT}/ram:CategoryCode", g, "X9",
                                                     {"BR-CL-18"}),
    "vat-category-code-line": lambda r, g: _set(
        r, f"{_CII_LINE}/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode",
        g, "X9", {"BR-CL-18"}),
    "standard-to-zero-rated": lambda r, g: _recategorise(r, g, CII_CATEGORIES, CII_RATES, "Z",
                                                         {"BR-Z-05"}),
    "standard-to-reverse-charge": lambda r, g: _recategorise(
        r, g, CII_CATEGORIES, CII_RATES, "AE", {"BR-AE-05", "BR-AE-10"}),
    "exempt-without-reason": lambda r, g: _remove(
        r, f"{CII_VAT}[ram:CategoryCode='E']/ram:ExemptionReason"
           f" | {CII_VAT}[ram:CategoryCode='E']/ram:ExemptionReasonCode", g, {"BR-E-10"}),
    "country-code": lambda r, g: _set(r, f"{CII_SELLER}/ram:PostalTradeAddress/ram:CountryID",
                                      g, "XX", {"BR-CL-14"}),
    "seller-name": lambda r, g: _remove(r, f"{CII_SELLER}/ram:Name", g, {"BR-06"}),
    "buyer-name": lambda r, g: _remove(r, f"{CII_BUYER}/ram:Name", g, {"BR-07"}),
    "seller-country": lambda r, g: _remove(
        r, f"{CII_SELLER}/ram:PostalTradeAddress/ram:CountryID", g, {"BR-09"}),
    "negative-item-price": lambda r, g: _set(
        r, f"{_CII_LINE}/ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice"
           "/ram:ChargeAmount", g, "-1.00", {"BR-27"}),
    "vat-id-without-prefix": lambda r, g: _vat_id_without_prefix(
        r, g, f"{CII_SELLER}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"),
    "specification-missing": lambda r, g: _remove(
        r, "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter"
           "/ram:ID", g, {"BR-01"}),
    "type-code-missing": lambda r, g: _remove(r, "rsm:ExchangedDocument/ram:TypeCode", g,
                                              {"BR-04"}),
    "invoice-number-missing": lambda r, g: _set(r, "rsm:ExchangedDocument/ram:ID", g, "",
                                                {"BR-02"}),  # without the element: XSD
    "payment-means-code-missing": lambda r, g: _remove(
        r, f"{_CII_SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode", g,
        {"BR-49"}),
    "lines-missing": lambda r, g: _remove(r, _CII_LINE, g, {"BR-16"}),
    "date-format": lambda r, g: _set(
        r, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString[@format='102']", g,
        "2026-11-02", {"CII-DT-097"}),
    "line-sum": lambda r, g: _shift(r, f"{_CII_SUM}/ram:LineTotalAmount", g, {"BR-CO-10"}),
    "gross-total": lambda r, g: _shift(r, f"{_CII_SUM}/ram:GrandTotalAmount", g, {"BR-CO-15"}),
    "amount-due": lambda r, g: _shift(r, f"{_CII_SUM}/ram:DuePayableAmount", g, {"BR-CO-16"}),
    "leitweg-id-missing": lambda r, g: _remove(r, f"{_CII_AGREEMENT}/ram:BuyerReference", g,
                                               {"BR-DE-15"}),
}
XRECHNUNG_ONLY = {"leitweg-id-missing", "seller-contact-missing"}


def mutations(syntax: str, xrechnung: bool) -> dict[str, Mutate]:
    """The mutations for an invoice of `syntax` ('ubl' or 'cii'); the XRechnung musts only
    where the invoice declares XRechnung."""
    table = UBL if syntax == "ubl" else CII
    return {name: mutate for name, mutate in table.items()
            if xrechnung or name not in XRECHNUNG_ONLY}


def mutated(xml: bytes, mutate: Mutate, seed: int) -> tuple[bytes, set[str]] | None:
    """(the mutated XML, the rule ids it breaks) or None where `mutate` does not apply."""
    root = etree.fromstring(xml)
    breaks = mutate(root, random.Random(seed))
    if breaks is None:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), breaks


def zugferd_with(pdf: bytes, xml: bytes) -> bytes:
    """The pages of a PDF with `xml` attached as its Factur-X invoice (factur-x.xml)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer.add_page(page)
    writer.add_attachment("factur-x.xml", xml)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class Case:
    """One document of the comparison: where it comes from, its bytes, and the rule ids the
    mutation that made it must break (empty for a document as published)."""

    name: str
    data: bytes
    embedded_xml: bytes | None = None  # the XML of a ZUGFeRD PDF (what the oracle judges)
    breaks: frozenset[str] = frozenset()


def cases_of(name: str, data: bytes, seeds: range) -> Iterator[Case]:
    """Every applicable mutation of a valid invoice (XML, or a ZUGFeRD PDF's XML) per seed.
    The XML of a MINIMUM, BASIC WL or EXTENDED PDF is not judged by the EN 16931 rules but
    by its profile's own: its mutations claim no rule they must break."""
    pdf = data if data.startswith(b"%PDF") else None
    reading = read_document(data)
    xml = reading.xml if pdf else data
    en16931 = reading.einvoice.invoice.profile not in ("minimum", "basicwl", "extended")
    root = etree.fromstring(xml)
    syntax = "ubl" if "oasis" in (etree.QName(root).namespace or "") else "cii"
    for mutation, mutate in mutations(syntax, b"xrechnung" in xml).items():
        for seed in seeds:
            made = mutated(xml, mutate, seed)
            if made is None:
                break
            new_xml, breaks = made
            yield Case(f"{name} {mutation} #{seed}", zugferd_with(pdf, new_xml) if pdf else new_xml,
                       new_xml if pdf else None, frozenset(breaks if en16931 else ()))


def judge(case: Case, oracle) -> tuple[bool, set[str], bool, set[str]]:
    """(bot's verdict, its fatal rule ids, the oracle's verdict, its fatal rule ids)."""
    try:
        extra = extract(read_document(case.data)).extra
        bot_valid, bot_errors = extra["einvoice_valid"], set(extra["einvoice_validation"]["errors"])
    except ReadError as exc:
        bot_valid, bot_errors = False, {exc.code}
    verdict = oracle.verdict(case.embedded_xml or case.data, embedded=case.embedded_xml is not None)
    return bot_valid, bot_errors, verdict.valid, set(verdict.errors)


def confusion(cases: list[Case], oracle) -> dict:
    counts = Counter()
    differing = []
    for case in cases:
        bot_valid, bot_errors, valid, errors = judge(case, oracle)
        counts[("valid" if valid else "invalid", "accepted" if bot_valid else "flagged")] += 1
        counts["same rule ids"] += bot_errors == errors
        counts["with intended rules"] += bool(case.breaks)
        counts["breaks the intended rules"] += bool(case.breaks) and case.breaks <= errors
        if bot_errors != errors or not case.breaks <= errors:
            differing.append(f"{case.name}: bot {sorted(bot_errors)} official {sorted(errors)}"
                             f" intended {sorted(case.breaks)}")
    return {"counts": counts, "differing": differing, "total": len(cases)}


def _print(title: str, result: dict) -> None:
    c = result["counts"]
    print(f"\n{title}: {result['total']} documents")
    print(f"  officially invalid: caught {c[('invalid', 'flagged')]}, "
          f"missed {c[('invalid', 'accepted')]}")
    print(f"  officially valid:   accepted {c[('valid', 'accepted')]}, "
          f"flagged {c[('valid', 'flagged')]}")
    print(f"  fatal rule ids equal to the official ones: {c['same rule ids']} of "
          f"{result['total']}")
    if c["with intended rules"]:
        print(f"  the rules a mutation is made to break, broken: "
              f"{c['breaks the intended rules']} of {c['with intended rules']}")
    for line in result["differing"][:20]:
        print("  differs: " + line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args(argv)
    rows = truth_rows(args.corpus)
    if rows is None:
        return no_corpus(args.corpus)
    from bench.einvoice_oracle import Oracle

    oracle = Oracle()
    published = [Case(row["file"], (args.corpus / row["file"]).read_bytes()) for row in rows
                 if row.get("syntax") != "zugferd1"]
    published = [replace(case, embedded_xml=read_document(case.data).xml)
                 if case.data.startswith(b"%PDF") else case for case in published]
    started = time.perf_counter()
    corpus = confusion(published, oracle)
    _print("(1) the corpus as published", corpus)
    valid = [case for case in published if oracle.verdict(
        case.embedded_xml or case.data, embedded=case.embedded_xml is not None).valid]
    mutants = [m for case in valid for m in cases_of(case.name, case.data, range(args.seeds))]
    _print(f"(2) mutations of the {len(valid)} valid corpus invoices", confusion(mutants, oracle))
    print(f"\n{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
