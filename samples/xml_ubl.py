"""A sample invoice as an XRechnung 3.0 UBL 2.1 Invoice (EN 16931 with the German CIUS)."""

from __future__ import annotations

from lxml import etree

from samples.model import (
    EXEMPTION_CODE,
    EXEMPTION_NOTE,
    PEPPOL_BILLING,
    XRECHNUNG_3,
    Invoice,
    invoice_note,
    xml_amount,
    xml_decimal,
)

INV = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NSMAP = {None: INV, "cac": CAC, "cbc": CBC}


def _cac(parent, tag: str):
    return etree.SubElement(parent, f"{{{CAC}}}{tag}")


def _cbc(parent, tag: str, text: str, **attrs):
    element = etree.SubElement(parent, f"{{{CBC}}}{tag}", **attrs)
    element.text = text
    return element


def _money(parent, tag: str, value) -> None:
    _cbc(parent, tag, xml_amount(value), currencyID="EUR")


def ubl_invoice(invoice: Invoice) -> bytes:
    """The UBL XML bytes of an XRechnung 3.0 invoice."""
    root = etree.Element(f"{{{INV}}}Invoice", nsmap=NSMAP)
    _cbc(root, "CustomizationID", XRECHNUNG_3)
    _cbc(root, "ProfileID", PEPPOL_BILLING)
    _cbc(root, "ID", invoice.number)
    _cbc(root, "IssueDate", invoice.issue_date.isoformat())
    _cbc(root, "DueDate", invoice.due_date.isoformat())
    _cbc(root, "InvoiceTypeCode", "380")
    _cbc(root, "Note", invoice_note(invoice))
    _cbc(root, "DocumentCurrencyCode", "EUR")
    _cbc(root, "BuyerReference", invoice.buyer_reference)
    period = _cac(root, "InvoicePeriod")
    _cbc(period, "StartDate", invoice.period[0].isoformat())
    _cbc(period, "EndDate", invoice.period[1].isoformat())
    if invoice.order_reference:
        _cbc(_cac(root, "OrderReference"), "ID", invoice.order_reference)
    _seller(_cac(_cac(root, "AccountingSupplierParty"), "Party"), invoice)
    _buyer(_cac(_cac(root, "AccountingCustomerParty"), "Party"), invoice)
    _payment(root, invoice)
    _taxes(root, invoice)
    _totals(root, invoice)
    for position, line in enumerate(invoice.lines, start=1):
        _line(root, position, line)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _address(party, street: str, postcode: str, city: str, country: str) -> None:
    address = _cac(party, "PostalAddress")
    _cbc(address, "StreetName", street)
    _cbc(address, "CityName", city)
    _cbc(address, "PostalZone", postcode)
    _cbc(_cac(address, "Country"), "IdentificationCode", country)


def _seller(party, invoice: Invoice) -> None:
    seller = invoice.seller
    _cbc(party, "EndpointID", seller.email, schemeID="EM")  # BT-34
    _cbc(_cac(party, "PartyIdentification"), "ID", seller.provider_number)  # BT-29
    _cbc(_cac(party, "PartyName"), "Name", seller.name)
    a = seller.address
    _address(party, a.street, a.postcode, a.city, a.country)
    for company_id, scheme in ((seller.vat_id, "VAT"), (seller.tax_number, "FC")):
        tax = _cac(party, "PartyTaxScheme")  # BT-31 VAT ID, BT-32 Steuernummer
        _cbc(tax, "CompanyID", company_id)
        _cbc(_cac(tax, "TaxScheme"), "ID", scheme)
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", seller.name)  # BT-27
    if seller.register:
        _cbc(legal, "CompanyLegalForm", seller.register)
    contact = _cac(party, "Contact")  # BT-41..43
    _cbc(contact, "Name", seller.contact)
    _cbc(contact, "Telephone", seller.phone)
    _cbc(contact, "ElectronicMail", seller.email)


def _buyer(party, invoice: Invoice) -> None:
    buyer = invoice.buyer
    _cbc(party, "EndpointID", invoice.buyer_reference, schemeID="0204")  # BT-49: Leitweg-ID
    a = buyer.address
    _address(party, a.street, a.postcode, a.city, a.country)
    _cbc(_cac(party, "PartyLegalEntity"), "RegistrationName", buyer.name)  # BT-44
    contact = _cac(party, "Contact")
    _cbc(contact, "Name", f"{buyer.department}, {buyer.unit}")
    _cbc(contact, "ElectronicMail", buyer.email)


def _payment(root, invoice: Invoice) -> None:
    seller = invoice.seller
    means = _cac(root, "PaymentMeans")
    _cbc(means, "PaymentMeansCode", "58")  # SEPA credit transfer
    _cbc(means, "PaymentID", invoice.number)  # BT-83 remittance information
    account = _cac(means, "PayeeFinancialAccount")
    _cbc(account, "ID", seller.iban)  # BT-84
    _cbc(account, "Name", seller.name)
    _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", seller.bic)
    terms = _cac(root, "PaymentTerms")
    _cbc(terms, "Note", f"Zahlbar bis {invoice.due_date:%d.%m.%Y} ohne Abzug.")


def _tax_category(parent, tag: str, category: str, rate, with_reason: bool) -> None:
    element = _cac(parent, tag)
    _cbc(element, "ID", category)
    _cbc(element, "Percent", xml_decimal(rate))
    if with_reason and category == "E":
        _cbc(element, "TaxExemptionReasonCode", EXEMPTION_CODE)
        _cbc(element, "TaxExemptionReason", EXEMPTION_NOTE)
    _cbc(_cac(element, "TaxScheme"), "ID", "VAT")


def _taxes(root, invoice: Invoice) -> None:
    total = _cac(root, "TaxTotal")
    _money(total, "TaxAmount", invoice.total_tax)
    for group in invoice.vat_groups():
        sub = _cac(total, "TaxSubtotal")
        _money(sub, "TaxableAmount", group.basis)
        _money(sub, "TaxAmount", group.tax)
        _tax_category(sub, "TaxCategory", group.category, group.rate, with_reason=True)


def _totals(root, invoice: Invoice) -> None:
    totals = _cac(root, "LegalMonetaryTotal")
    _money(totals, "LineExtensionAmount", invoice.total_net)
    _money(totals, "TaxExclusiveAmount", invoice.total_net)
    _money(totals, "TaxInclusiveAmount", invoice.total_gross)
    if invoice.prepaid:
        _money(totals, "PrepaidAmount", invoice.prepaid)
    _money(totals, "PayableAmount", invoice.amount_due)


def _line(root, position: int, line) -> None:
    element = _cac(root, "InvoiceLine")
    _cbc(element, "ID", str(position))
    _cbc(element, "InvoicedQuantity", xml_decimal(line.quantity), unitCode=line.unit)
    _money(element, "LineExtensionAmount", line.net)
    item = _cac(element, "Item")
    _cbc(item, "Name", line.text)
    category = "E" if line.vat_rate == 0 else "S"
    _tax_category(item, "ClassifiedTaxCategory", category, line.vat_rate, with_reason=False)
    _money(_cac(element, "Price"), "PriceAmount", line.price)
