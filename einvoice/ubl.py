"""Read a UBL 2.1 Invoice or CreditNote (XRechnung, Peppol, EN 16931) into an EInvoice."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from einvoice.model import (
    CREDIT_TRANSFER_CODES,
    Address,
    AllowanceCharge,
    Contact,
    EInvoice,
    Line,
    Note,
    Party,
    PaymentMeans,
    Totals,
    VatBreakdown,
)
from einvoice.values import Finder, compact


def _address(f: Finder, node: etree._Element | None) -> Address:
    if node is None:
        return Address()
    lines = (f.texts(node, "cbc:StreetName") + f.texts(node, "cbc:AdditionalStreetName")
             + f.texts(node, "cac:AddressLine/cbc:Line"))
    return Address(lines=lines, city=f.text(node, "cbc:CityName"),
                   post_code=f.text(node, "cbc:PostalZone"),
                   subdivision=f.text(node, "cbc:CountrySubentity"),
                   country=f.text(node, "cac:Country/cbc:IdentificationCode"))


def _party(f: Finder, node: etree._Element | None, seller: bool = False) -> Party:
    """A party; the seller's name and VAT ID note where they were found (BT-27, BT-31)."""
    if node is None:
        return Party()
    vat = tax_number = None
    for scheme in f.nodes(node, "cac:PartyTaxScheme"):
        company_id = f.text(scheme, "cbc:CompanyID")
        if (f.text(scheme, "cac:TaxScheme/cbc:ID") or "").upper() == "VAT":
            if not vat and company_id and seller:
                f.found("BT-31", f.node(scheme, "cbc:CompanyID"))
            vat = vat or compact(company_id)
        else:
            tax_number = tax_number or company_id
    name_bt = "BT-27" if seller else None
    return Party(
        name=(f.text(node, "cac:PartyLegalEntity/cbc:RegistrationName", name_bt)
              or f.text(node, "cac:PartyName/cbc:Name", name_bt)),
        trading_name=f.text(node, "cac:PartyName/cbc:Name"),
        ids=f.texts(node, "cac:PartyIdentification/cbc:ID"),
        legal_id=f.text(node, "cac:PartyLegalEntity/cbc:CompanyID"),
        vat_id=vat,
        tax_number=tax_number,
        legal_info=f.text(node, "cac:PartyLegalEntity/cbc:CompanyLegalForm"),
        endpoint=f.text(node, "cbc:EndpointID"),
        address=_address(f, f.node(node, "cac:PostalAddress")),
        contact=Contact(name=f.text(node, "cac:Contact/cbc:Name"),
                        phone=f.text(node, "cac:Contact/cbc:Telephone"),
                        email=f.text(node, "cac:Contact/cbc:ElectronicMail")),
    )


def _allowance_charge(f: Finder, node: etree._Element) -> AllowanceCharge:
    return AllowanceCharge(
        charge=(f.text(node, "cbc:ChargeIndicator") or "").lower() == "true",
        amount=f.decimal(node, "cbc:Amount"),
        base_amount=f.decimal(node, "cbc:BaseAmount"),
        percent=f.decimal(node, "cbc:MultiplierFactorNumeric"),
        reason=f.text(node, "cbc:AllowanceChargeReason"),
        reason_code=f.text(node, "cbc:AllowanceChargeReasonCode"),
        vat_category=f.text(node, "cac:TaxCategory/cbc:ID"),
        vat_rate=f.decimal(node, "cac:TaxCategory/cbc:Percent"),
    )


def _line(f: Finder, node: etree._Element) -> Line:
    quantity = f.node(node, "cbc:InvoicedQuantity")
    if quantity is None:
        quantity = f.node(node, "cbc:CreditedQuantity")
    return Line(
        id=f.text(node, "cbc:ID"),
        name=f.text(node, "cac:Item/cbc:Name"),
        quantity=f.decimal(quantity, "."),
        unit=quantity.get("unitCode") if quantity is not None else None,
        net_price=f.decimal(node, "cac:Price/cbc:PriceAmount"),
        net_amount=f.decimal(node, "cbc:LineExtensionAmount"),
        vat_category=f.text(node, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID"),
        vat_rate=f.decimal(node, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
        description=f.text(node, "cac:Item/cbc:Description"),
        seller_item_id=f.text(node, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
        price_base_quantity=f.decimal(node, "cac:Price/cbc:BaseQuantity"),
        gross_price=f.decimal(node, "cac:Price/cac:AllowanceCharge/cbc:BaseAmount"),
        note=f.text(node, "cbc:Note"),
        period_start=f.date(node, "cac:InvoicePeriod/cbc:StartDate"),
        period_end=f.date(node, "cac:InvoicePeriod/cbc:EndDate"),
        order_line=f.text(node, "cac:OrderLineReference/cbc:LineID"),
        allowances_charges=tuple(_allowance_charge(f, n) for n in f.nodes(node, "cac:AllowanceCharge")),
    )


def _payment_means(f: Finder, node: etree._Element) -> PaymentMeans:
    code = f.text(node, "cbc:PaymentMeansCode")
    transfer = code is None or code in CREDIT_TRANSFER_CODES
    return PaymentMeans(
        code=code,
        text=f.attr(node, "cbc:PaymentMeansCode", "name"),
        iban=compact(f.text(node, "cac:PayeeFinancialAccount/cbc:ID",
                            "BT-84" if transfer else None)),
        account_name=f.text(node, "cac:PayeeFinancialAccount/cbc:Name"),
        bic=compact(f.text(node, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")),
        card=f.text(node, "cac:CardAccount/cbc:PrimaryAccountNumberID"),
        mandate=f.text(node, "cac:PaymentMandate/cbc:ID"),
        debited_iban=compact(f.text(node, "cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID")),
    )


def _vat(f: Finder, node: etree._Element) -> VatBreakdown:
    return VatBreakdown(
        category=f.text(node, "cac:TaxCategory/cbc:ID"),
        rate=f.decimal(node, "cac:TaxCategory/cbc:Percent"),
        taxable_amount=f.decimal(node, "cbc:TaxableAmount"),
        tax_amount=f.decimal(node, "cbc:TaxAmount"),
        exemption_reason=f.text(node, "cac:TaxCategory/cbc:TaxExemptionReason"),
        exemption_code=f.text(node, "cac:TaxCategory/cbc:TaxExemptionReasonCode"),
    )


def _tax_totals(f: Finder, root: etree._Element, currency: str | None, tax_currency: str | None):
    """(BT-110, BT-111) from the TaxTotal elements by currency;
    BT-110 is the first tax amount in the invoice currency, else the first of any."""
    nodes = f.nodes(root, "cac:TaxTotal/cbc:TaxAmount")
    in_currency = [node for node in nodes if node.get("currencyID") == currency]
    in_tax_currency = [node for node in nodes if tax_currency
                       and node.get("currencyID") == tax_currency != currency]
    tax = next((value for node in in_currency or nodes
                if (value := f.decimal(node, ".", "BT-110")) is not None), None)
    other = f.decimal(in_tax_currency[-1], ".") if in_tax_currency else None
    return tax, other


def _totals(f: Finder, root: etree._Element, tax, in_tax_currency) -> Totals:
    total = f.node(root, "cac:LegalMonetaryTotal")
    return Totals(
        line_net=f.decimal(total, "cbc:LineExtensionAmount"),
        allowances=f.decimal(total, "cbc:AllowanceTotalAmount"),
        charges=f.decimal(total, "cbc:ChargeTotalAmount"),
        net=f.decimal(total, "cbc:TaxExclusiveAmount", "BT-109"),
        tax=tax,
        tax_in_tax_currency=in_tax_currency,
        gross=f.decimal(total, "cbc:TaxInclusiveAmount", "BT-112"),
        prepaid=f.decimal(total, "cbc:PrepaidAmount"),
        rounding=f.decimal(total, "cbc:PayableRoundingAmount"),
        due=f.decimal(total, "cbc:PayableAmount", "BT-115"),
        third_party_paid=_third_party(f, root),
    )


def _third_party(f: Finder, root: etree._Element) -> Decimal | None:
    """XRechnung extension BG-DEX-09: payments by third parties (PrepaidPayment)."""
    paid = [value for node in f.nodes(root, "cac:PrepaidPayment")
            if (value := f.decimal(node, "cbc:PaidAmount")) is not None]
    return sum(paid, Decimal(0)) if paid else None


def _optional_party(f: Finder, node: etree._Element | None) -> Party | None:
    party = _party(f, node) if node is not None else None
    return party if party is not None and not party.is_empty() else None


def _creditor_id(f: Finder, root: etree._Element) -> str | None:
    for path in ("cac:AccountingSupplierParty/cac:Party", "cac:PayeeParty"):
        for node in f.nodes(root, f"{path}/cac:PartyIdentification/cbc:ID"):
            if (node.get("schemeID") or "").upper() == "SEPA" and node.text:
                return node.text.strip()
    return None


_ORDER_PLACEHOLDERS = frozenset({"NA", "N/A", "Dummywert"})


def _order_reference(f: Finder, root: etree._Element) -> str | None:
    """BT-13. UBL needs OrderReference/ID even when only the seller's order (BT-14) is known;
    the KoSIT examples put a placeholder there, which is no buyer order reference."""
    order = f.node(root, "cac:OrderReference")
    if (f.text(order, "cbc:ID") in _ORDER_PLACEHOLDERS
            and f.node(order, "cbc:SalesOrderID") is not None):
        return None
    return f.text(order, "cbc:ID", "BT-13")


def _header(f: Finder, root: etree._Element) -> dict:
    """The document's own terms: specification, number, type, dates, references, notes."""
    return dict(
        guideline=f.text(root, "cbc:CustomizationID"),
        business_process=f.text(root, "cbc:ProfileID"),
        number=f.text(root, "cbc:ID", "BT-1"),
        issue_date=f.date(root, "cbc:IssueDate", "BT-2"),
        type_code=(f.text(root, "cbc:InvoiceTypeCode", "BT-3")
                   or f.text(root, "cbc:CreditNoteTypeCode", "BT-3")),
        tax_point_date=f.date(root, "cbc:TaxPointDate"),
        due_date=(f.date(root, "cbc:DueDate", "BT-9")
                  or f.date(root, "cac:PaymentMeans/cbc:PaymentDueDate", "BT-9")),
        buyer_reference=f.text(root, "cbc:BuyerReference", "BT-10"),
        project_reference=f.text(root, "cac:ProjectReference/cbc:ID"),
        contract_reference=f.text(root, "cac:ContractDocumentReference/cbc:ID"),
        order_reference=_order_reference(f, root),
        sales_order_reference=f.text(root, "cac:OrderReference/cbc:SalesOrderID"),
        despatch_reference=f.text(root, "cac:DespatchDocumentReference/cbc:ID"),
        accounting_reference=f.text(root, "cbc:AccountingCost"),
        payment_terms=" ".join(f.texts(root, "cac:PaymentTerms/cbc:Note")) or None,
        notes=tuple(Note(text) for text in f.texts(root, "cbc:Note")),
        preceding_invoices=tuple(
            (f.text(ref, "cbc:ID"), f.date(ref, "cbc:IssueDate"))
            for ref in f.nodes(root, "cac:BillingReference/cac:InvoiceDocumentReference")
            if f.text(ref, "cbc:ID")),
    )


def read_ubl(root: etree._Element) -> EInvoice:
    """The EInvoice of a parsed UBL Invoice or CreditNote root element."""
    f = Finder(root)
    root_name = etree.QName(root).localname
    currency = f.text(root, "cbc:DocumentCurrencyCode", "BT-5")
    tax_currency = f.text(root, "cbc:TaxCurrencyCode")
    tax, in_tax_currency = _tax_totals(f, root, currency, tax_currency)
    delivery = f.node(root, "cac:Delivery")
    delivery_address = _address(f, f.node(delivery, "cac:DeliveryLocation/cac:Address"))
    line_path = "cac:CreditNoteLine" if root_name == "CreditNote" else "cac:InvoiceLine"
    return EInvoice(
        syntax="ubl",
        root_name=root_name,
        **_header(f, root),
        currency=currency,
        tax_currency=tax_currency,
        seller=_party(f, f.node(root, "cac:AccountingSupplierParty/cac:Party"), seller=True),
        buyer=_party(f, f.node(root, "cac:AccountingCustomerParty/cac:Party")),
        payee=_optional_party(f, f.node(root, "cac:PayeeParty")),
        tax_representative=_optional_party(f, f.node(root, "cac:TaxRepresentativeParty")),
        delivery_name=f.text(delivery, "cac:DeliveryParty/cac:PartyName/cbc:Name"),
        delivery_address=None if delivery_address.is_empty() else delivery_address,
        delivery_date=f.date(delivery, "cbc:ActualDeliveryDate"),
        period_start=f.date(root, "cac:InvoicePeriod/cbc:StartDate"),
        period_end=f.date(root, "cac:InvoicePeriod/cbc:EndDate"),
        payment_reference=f.text(root, "cac:PaymentMeans/cbc:PaymentID"),
        creditor_id=_creditor_id(f, root),
        payment_means=tuple(_payment_means(f, n) for n in f.nodes(root, "cac:PaymentMeans")),
        allowances_charges=tuple(_allowance_charge(f, n) for n in f.nodes(root, "cac:AllowanceCharge")),
        vat_breakdown=tuple(_vat(f, n) for n in f.nodes(root, "cac:TaxTotal/cac:TaxSubtotal")
                            if _currency_of(f, n, currency)),
        totals=_totals(f, root, tax, in_tax_currency),
        lines=tuple(_line(f, n) for n in f.nodes(root, line_path)),
        attachments=tuple(
            f.attr(ref, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject", "filename")
            or f.text(ref, "cbc:ID") or ""
            for ref in f.nodes(root, "cac:AdditionalDocumentReference")),
        sources=f.sources,
        malformed=tuple(f.malformed),
    )


def _currency_of(f: Finder, subtotal: etree._Element, currency: str | None) -> bool:
    """A VAT breakdown entry in the invoice currency (the one BR-CO-14 sums)."""
    code = f.attr(subtotal, "cbc:TaxAmount", "currencyID")
    return code is None or currency is None or code == currency
