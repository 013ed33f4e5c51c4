"""The EN 16931 contract fields of an e-invoice, by XPath (UBL, CII, ZUGFeRD 1.0)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from lxml import etree

from einvoice.parse import einvoice_of
from einvoice.syntax import CII, UBL_CREDIT_NOTE, UBL_INVOICE, ZUGFERD1, parse_invoice_xml
from einvoice.validate import is_valid, validate
from einvoice.visible_totals import visible_total_warnings
from ocr import normalize
from ocr.model import Extraction

_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"

NAMESPACES: dict[str, dict[str, str]] = {
    "ubl": {"inv": UBL_INVOICE, "cn": UBL_CREDIT_NOTE, "cbc": _CBC, "cac": _CAC},
    "cii": {
        "rsm": CII,
        "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
        "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    },
    "zugferd1": {
        "rsm": ZUGFERD1,
        "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12",
        "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
    },
}

# Payment means that name the seller's account: credit transfer (30, 58 SEPA), bank
# payment (31, 42), unspecified (1, ZZZ), or no code at all; never a direct debit (49, 59).
_TRANSFER_CODES = " 1 30 31 42 58 ZZZ "


def _transfer(code: str) -> str:
    """XPath predicate: the payment means' code element `code` is absent or a transfer code."""
    return f"not({code}[not(contains('{_TRANSFER_CODES}', concat(' ', normalize-space(.), ' ')))])"


_UBL_SUPPLIER = "/*/cac:AccountingSupplierParty/cac:Party"
_UBL_TOTAL = "/*/cac:LegalMonetaryTotal"

UBL_PATHS: dict[str, tuple[str, ...]] = {
    "invoice_number": ("/*/cbc:ID",),
    "issue_date": ("/*/cbc:IssueDate",),
    "due_date": ("/*/cbc:DueDate", "/*/cac:PaymentMeans/cbc:PaymentDueDate"),
    "buyer_reference": ("/*/cbc:BuyerReference",),
    # UBL needs OrderReference/ID even when only the seller's order (BT-14) is known; the
    # KoSIT examples put a placeholder there, which is no buyer order reference.
    "order_reference": (
        "/*/cac:OrderReference/cbc:ID[not(../cbc:SalesOrderID and "
        "contains(' NA N/A Dummywert ', concat(' ', normalize-space(.), ' ')))]",
    ),
    "seller_name": (
        f"{_UBL_SUPPLIER}/cac:PartyLegalEntity/cbc:RegistrationName",
        f"{_UBL_SUPPLIER}/cac:PartyName/cbc:Name",
    ),
    "seller_vat_id": (
        f"{_UBL_SUPPLIER}/cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='VAT']/cbc:CompanyID",
    ),
    "iban": (
        f"/*/cac:PaymentMeans[{_transfer('cbc:PaymentMeansCode')}]/cac:PayeeFinancialAccount/cbc:ID",
    ),
    "currency": ("/*/cbc:DocumentCurrencyCode",),
    "total_net": (f"{_UBL_TOTAL}/cbc:TaxExclusiveAmount",),
    "total_tax": (
        "/*/cac:TaxTotal/cbc:TaxAmount[@currencyID=/*/cbc:DocumentCurrencyCode]",
        "/*/cac:TaxTotal/cbc:TaxAmount",
    ),
    "total_gross": (f"{_UBL_TOTAL}/cbc:TaxInclusiveAmount",),
    "amount_due": (f"{_UBL_TOTAL}/cbc:PayableAmount",),
    "document_type_code": ("/*/cbc:InvoiceTypeCode", "/*/cbc:CreditNoteTypeCode"),
}

# CII (D16B) and ZUGFeRD 1.0 share one shape; only some element names differ.
_CII_NAMES = {
    "doc": "rsm:ExchangedDocument",
    "tx": "rsm:SupplyChainTradeTransaction",
    "agr": "ram:ApplicableHeaderTradeAgreement",
    "set": "ram:ApplicableHeaderTradeSettlement",
    "sum": "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
    "order": "ram:IssuerAssignedID",
}
_ZUGFERD1_NAMES = {
    "doc": "rsm:HeaderExchangedDocument",
    "tx": "rsm:SpecifiedSupplyChainTradeTransaction",
    "agr": "ram:ApplicableSupplyChainTradeAgreement",
    "set": "ram:ApplicableSupplyChainTradeSettlement",
    "sum": "ram:SpecifiedTradeSettlementMonetarySummation",
    "order": "ram:ID",
}

_CII_TEMPLATE: dict[str, tuple[str, ...]] = {
    "invoice_number": ("/*/{doc}/ram:ID",),
    "issue_date": ("/*/{doc}/ram:IssueDateTime/udt:DateTimeString",),
    "due_date": (
        "/*/{tx}/{set}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString",
    ),
    "buyer_reference": ("/*/{tx}/{agr}/ram:BuyerReference",),
    "order_reference": ("/*/{tx}/{agr}/ram:BuyerOrderReferencedDocument/{order}",),
    "seller_name": ("/*/{tx}/{agr}/ram:SellerTradeParty/ram:Name",),
    "seller_vat_id": (
        "/*/{tx}/{agr}/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[normalize-space(@schemeID)='VA']",
    ),
    "iban": (
        "/*/{tx}/{set}/ram:SpecifiedTradeSettlementPaymentMeans[" + _transfer("ram:TypeCode") + "]"
        "/ram:PayeePartyCreditorFinancialAccount/*[self::ram:IBANID or self::ram:ProprietaryID]",
    ),
    "currency": ("/*/{tx}/{set}/ram:InvoiceCurrencyCode",),
    "total_net": ("/*/{tx}/{set}/{sum}/ram:TaxBasisTotalAmount",),
    "total_tax": (
        "/*/{tx}/{set}/{sum}/ram:TaxTotalAmount[@currencyID=/*/{tx}/{set}/ram:InvoiceCurrencyCode]",
        "/*/{tx}/{set}/{sum}/ram:TaxTotalAmount[not(@currencyID)]",
        "/*/{tx}/{set}/{sum}/ram:TaxTotalAmount",
    ),
    "total_gross": ("/*/{tx}/{set}/{sum}/ram:GrandTotalAmount",),
    "amount_due": ("/*/{tx}/{set}/{sum}/ram:DuePayableAmount",),
    "document_type_code": ("/*/{doc}/ram:TypeCode",),
}


def _fill(
    template: dict[str, tuple[str, ...]], names: dict[str, str]
) -> dict[str, tuple[str, ...]]:
    return {key: tuple(path.format(**names) for path in paths) for key, paths in template.items()}


PATHS: dict[str, dict[str, tuple[str, ...]]] = {
    "ubl": UBL_PATHS,
    "cii": _fill(_CII_TEMPLATE, _CII_NAMES),
    "zugferd1": _fill(_CII_TEMPLATE, _ZUGFERD1_NAMES),
}


def _date(text: str | None) -> str | None:
    """UBL 'YYYY-MM-DD' or CII format 102 'YYYYMMDD' to ISO."""
    digits = (text or "").strip().replace("-", "")
    if len(digits) != 8 or not digits.isdigit():
        return None
    return normalize.iso_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


NORMALISERS: dict[str, Callable[[str | None], str | None]] = {
    "issue_date": _date,
    "due_date": _date,
    "seller_vat_id": normalize.compact_id,
    "iban": normalize.compact_id,
    "currency": lambda text: (normalize.compact_id(text) or "")[:3] or None,
    "total_net": normalize.amount,
    "total_tax": normalize.amount,
    "total_gross": normalize.amount,
    "amount_due": normalize.amount,
}


@lru_cache(maxsize=256)
def _compiled(path: str, syntax: str) -> etree.XPath:
    return etree.XPath(path, namespaces=NAMESPACES[syntax])


def _first(
    root: etree._Element, paths: tuple[str, ...], syntax: str
) -> tuple[str, str] | None:
    """(text, xpath) of the first non-empty node any of `paths` selects."""
    for path in paths:
        for node in _compiled(path, syntax)(root):
            text = normalize.collapse(node.text if isinstance(node, etree._Element) else str(node))
            if text:
                return text, path
    return None


def contract_fields(
    root: etree._Element, syntax: str
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(fields, evidence XPaths, warnings) of a parsed invoice; document_type_code included."""
    paths = PATHS[syntax]
    fields: dict[str, str] = {}
    evidence: dict[str, str] = {}
    warnings: list[str] = []
    for name, field_paths in paths.items():
        hit = _first(root, field_paths, syntax)
        if hit is None:
            continue
        raw, path = hit
        value = NORMALISERS.get(name, normalize.collapse)(raw)
        if value is None:
            warnings.append(f"{name}: value not in the expected format")
            continue
        fields[name] = value
        evidence[name] = path
    return fields, evidence, warnings


def extract_einvoice(xml: bytes, *, visible_text: str | None = None) -> Extraction:
    """All contract fields of an e-invoice XML, confidence 1.0, the XPath as evidence; the
    invoice validated (extra: einvoice_valid, einvoice_findings), credit notes flagged
    (extra: credit_note). `visible_text` is a ZUGFeRD PDF's text layer: totals of the XML
    it does not show become a warning."""
    root, syntax = parse_invoice_xml(xml)
    fields, evidence, warnings = contract_fields(root, syntax)
    type_code = fields.pop("document_type_code", None)
    evidence.pop("document_type_code", None)
    invoice = einvoice_of(root, syntax)
    findings = validate(root, invoice)
    warnings += [f"{f.rule}: {f.message}" for f in findings if f.severity == "warning"]
    if visible_text is not None:
        warnings += visible_total_warnings(fields, visible_text)
    return Extraction(
        fields=fields,
        confidence={name: 1.0 for name in fields},
        evidence=evidence,
        warnings=tuple(warnings),
        extra={
            "document_type_code": type_code,
            "syntax": syntax,
            "credit_note": invoice.is_credit_note,
            "einvoice_profile": invoice.guideline,
            "einvoice_valid": is_valid(findings),
            "einvoice_findings": [f.to_dict() for f in findings],
        },
    )
