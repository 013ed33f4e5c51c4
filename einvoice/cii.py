"""Read a UN/CEFACT CII invoice (D16B: XRechnung CII, ZUGFeRD 2.x, Factur-X; and the older
ZUGFeRD 1.0 CrossIndustryDocument) into an EInvoice.

Both share one shape; ZUGFeRD 1.0 names some elements differently (NAMES below).
"""

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
from einvoice.values import Finder, collapse, compact

NAMES = {
    "cii": {
        "context": "rsm:ExchangedDocumentContext",
        "doc": "rsm:ExchangedDocument",
        "tx": "rsm:SupplyChainTradeTransaction",
        "agr": "ram:ApplicableHeaderTradeAgreement",
        "dlv": "ram:ApplicableHeaderTradeDelivery",
        "set": "ram:ApplicableHeaderTradeSettlement",
        "sum": "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
        "line_agr": "ram:SpecifiedLineTradeAgreement",
        "line_dlv": "ram:SpecifiedLineTradeDelivery",
        "line_set": "ram:SpecifiedLineTradeSettlement",
        "line_sum": "ram:SpecifiedTradeSettlementLineMonetarySummation",
        "rate": "ram:RateApplicablePercent",
        "ref_id": "ram:IssuerAssignedID",
        "despatch": "ram:DespatchAdviceReferencedDocument",
    },
    "zugferd1": {
        "context": "rsm:SpecifiedExchangedDocumentContext",
        "doc": "rsm:HeaderExchangedDocument",
        "tx": "rsm:SpecifiedSupplyChainTradeTransaction",
        "agr": "ram:ApplicableSupplyChainTradeAgreement",
        "dlv": "ram:ApplicableSupplyChainTradeDelivery",
        "set": "ram:ApplicableSupplyChainTradeSettlement",
        "sum": "ram:SpecifiedTradeSettlementMonetarySummation",
        "line_agr": "ram:SpecifiedSupplyChainTradeAgreement",
        "line_dlv": "ram:SpecifiedSupplyChainTradeDelivery",
        "line_set": "ram:SpecifiedSupplyChainTradeSettlement",
        "line_sum": "ram:SpecifiedTradeSettlementMonetarySummation",
        "rate": "ram:ApplicablePercent",
        "ref_id": "ram:ID",
        "despatch": "ram:DeliveryNoteReferencedDocument",
    },
}

_DATE = "udt:DateTimeString"


class _Reader:
    """Reads one CII document; `n` holds the element names of its version."""

    def __init__(self, syntax: str, root: etree._Element):
        self.f = Finder(root)
        self.n = NAMES[syntax]
        self.syntax = syntax

    def address(self, node: etree._Element | None) -> Address:
        f = self.f
        if node is None:
            return Address()
        lines = tuple(t for p in ("ram:LineOne", "ram:LineTwo", "ram:LineThree")
                      for t in f.texts(node, p))
        return Address(lines=lines, city=f.text(node, "ram:CityName"),
                       post_code=f.text(node, "ram:PostcodeCode"),
                       subdivision=f.text(node, "ram:CountrySubDivisionName"),
                       country=f.text(node, "ram:CountryID"))

    def party(self, node: etree._Element | None, seller: bool = False) -> Party:
        """A party; the seller's name and VAT ID note where they were found (BT-27, BT-31)."""
        f = self.f
        if node is None:
            return Party()
        registrations: dict[str, str] = {}
        for found in f.nodes(node, "ram:SpecifiedTaxRegistration/ram:ID"):
            scheme, value = (found.get("schemeID") or "").strip().upper(), collapse(found.text)
            if value and scheme not in registrations:
                registrations[scheme] = value
                if seller and scheme == "VA":
                    f.found("BT-31", found)
        contact = f.node(node, "ram:DefinedTradeContact")
        return Party(
            name=f.text(node, "ram:Name", "BT-27" if seller else None),
            trading_name=f.text(node, "ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
            ids=f.texts(node, "ram:ID") + f.texts(node, "ram:GlobalID"),
            legal_id=f.text(node, "ram:SpecifiedLegalOrganization/ram:ID"),
            vat_id=compact(registrations.get("VA")),
            tax_number=registrations.get("FC"),
            legal_info=f.text(node, "ram:Description"),
            endpoint=f.text(node, "ram:URIUniversalCommunication/ram:URIID"),
            address=self.address(f.node(node, "ram:PostalTradeAddress")),
            contact=Contact(
                name=f.text(contact, "ram:PersonName") or f.text(contact, "ram:DepartmentName"),
                phone=f.text(contact, "ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
                email=f.text(contact, "ram:EmailURIUniversalCommunication/ram:URIID")),
        )

    def optional_party(self, node: etree._Element | None) -> Party | None:
        party = self.party(node) if node is not None else None
        return party if party is not None and not party.is_empty() else None

    def allowance_charge(self, node: etree._Element) -> AllowanceCharge:
        f = self.f
        return AllowanceCharge(
            charge=(f.text(node, "ram:ChargeIndicator/udt:Indicator") or "").lower() == "true",
            amount=f.decimal(node, "ram:ActualAmount"),
            base_amount=f.decimal(node, "ram:BasisAmount"),
            percent=f.decimal(node, "ram:CalculationPercent"),
            reason=f.text(node, "ram:Reason"),
            reason_code=f.text(node, "ram:ReasonCode"),
            vat_category=f.text(node, "ram:CategoryTradeTax/ram:CategoryCode"),
            vat_rate=f.decimal(node, f"ram:CategoryTradeTax/{self.n['rate']}"),
        )

    def logistics_charge(self, node: etree._Element) -> AllowanceCharge:
        """An EXTENDED-profile logistics charge (freight): part of ChargeTotalAmount."""
        f = self.f
        return AllowanceCharge(
            charge=True,
            amount=f.decimal(node, "ram:AppliedAmount"),
            reason=f.text(node, "ram:Description"),
            vat_category=f.text(node, "ram:AppliedTradeTax/ram:CategoryCode"),
            vat_rate=f.decimal(node, f"ram:AppliedTradeTax/{self.n['rate']}"),
        )

    def line(self, node: etree._Element) -> Line:
        f, n = self.f, self.n
        agreement = f.node(node, n["line_agr"])
        settlement = f.node(node, n["line_set"])
        quantity = f.node(node, f"{n['line_dlv']}/ram:BilledQuantity")
        return Line(
            id=f.text(node, "ram:AssociatedDocumentLineDocument/ram:LineID"),
            name=f.text(node, "ram:SpecifiedTradeProduct/ram:Name"),
            quantity=f.decimal(quantity, "."),
            unit=quantity.get("unitCode") if quantity is not None else None,
            net_price=f.decimal(agreement, "ram:NetPriceProductTradePrice/ram:ChargeAmount"),
            net_amount=f.decimal(settlement, f"{n['line_sum']}/ram:LineTotalAmount"),
            vat_category=f.text(settlement, "ram:ApplicableTradeTax/ram:CategoryCode"),
            vat_rate=f.decimal(settlement, f"ram:ApplicableTradeTax/{n['rate']}"),
            description=f.text(node, "ram:SpecifiedTradeProduct/ram:Description"),
            seller_item_id=f.text(node, "ram:SpecifiedTradeProduct/ram:SellerAssignedID"),
            price_base_quantity=f.decimal(agreement,
                                          "ram:NetPriceProductTradePrice/ram:BasisQuantity"),
            gross_price=f.decimal(agreement, "ram:GrossPriceProductTradePrice/ram:ChargeAmount"),
            note=f.text(node, "ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:Content"),
            period_start=f.date(settlement, f"ram:BillingSpecifiedPeriod/ram:StartDateTime/{_DATE}"),
            period_end=f.date(settlement, f"ram:BillingSpecifiedPeriod/ram:EndDateTime/{_DATE}"),
            order_line=f.text(agreement, "ram:BuyerOrderReferencedDocument/ram:LineID"),
            allowances_charges=tuple(self.allowance_charge(a) for a in
                                     f.nodes(settlement, "ram:SpecifiedTradeAllowanceCharge")),
        )

    def payment_means(self, node: etree._Element, mandate: str | None) -> PaymentMeans:
        f = self.f
        code = f.text(node, "ram:TypeCode")
        account = f.node(node, "ram:PayeePartyCreditorFinancialAccount")
        bt = "BT-84" if code is None or code in CREDIT_TRANSFER_CODES else None
        return PaymentMeans(
            code=code,
            text=f.text(node, "ram:Information"),
            iban=compact(f.text(account, "ram:IBANID", bt) or f.text(account, "ram:ProprietaryID", bt)),
            account_name=f.text(account, "ram:AccountName"),
            bic=compact(f.text(node, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID")),
            card=f.text(node, "ram:ApplicableTradeSettlementFinancialCard/ram:ID"),
            mandate=mandate if code in ("49", "59") else None,
            debited_iban=compact(f.text(node, "ram:PayerPartyDebtorFinancialAccount/ram:IBANID")),
        )

    def vat(self, node: etree._Element) -> VatBreakdown:
        f = self.f
        return VatBreakdown(
            category=f.text(node, "ram:CategoryCode"),
            rate=f.decimal(node, self.n["rate"]),
            taxable_amount=f.decimal(node, "ram:BasisAmount"),
            tax_amount=f.decimal(node, "ram:CalculatedAmount"),
            exemption_reason=f.text(node, "ram:ExemptionReason"),
            exemption_code=f.text(node, "ram:ExemptionReasonCode"),
        )

    def tax_totals(self, summary, currency: str | None, tax_currency: str | None):
        """(BT-110, BT-111) from TaxTotalAmount by its currencyID:
        BT-110 in the invoice currency, else without a currency, else in any."""
        f = self.f
        nodes = f.nodes(summary, "ram:TaxTotalAmount")
        in_currency = [node for node in nodes if node.get("currencyID") == currency]
        without = [node for node in nodes if node.get("currencyID") is None]
        in_tax_currency = [node for node in nodes if tax_currency
                           and node.get("currencyID") == tax_currency != currency]
        tax = next((value for node in in_currency or without or nodes
                    if (value := f.decimal(node, ".", "BT-110")) is not None), None)
        other = f.decimal(in_tax_currency[-1], ".") if in_tax_currency else None
        return tax, other

    def totals(self, summary, tax, in_tax_currency, third_party) -> Totals:
        f = self.f
        return Totals(
            line_net=f.decimal(summary, "ram:LineTotalAmount"),
            allowances=f.decimal(summary, "ram:AllowanceTotalAmount"),
            charges=f.decimal(summary, "ram:ChargeTotalAmount"),
            net=f.decimal(summary, "ram:TaxBasisTotalAmount", "BT-109"),
            tax=tax,
            tax_in_tax_currency=in_tax_currency,
            gross=f.decimal(summary, "ram:GrandTotalAmount", "BT-112"),
            prepaid=f.decimal(summary, "ram:TotalPrepaidAmount"),
            rounding=f.decimal(summary, "ram:RoundingAmount"),
            due=f.decimal(summary, "ram:DuePayableAmount", "BT-115"),
            third_party_paid=third_party,
        )

    def third_party(self, settlement) -> Decimal | None:
        """XRechnung extension BG-DEX-09: payments by third parties (AdvancePayment)."""
        paid = [value for node in self.f.nodes(settlement, "ram:SpecifiedAdvancePayment")
                if (value := self.f.decimal(node, "ram:PaidAmount")) is not None]
        return sum(paid, Decimal(0)) if paid else None

    def preceding(self, settlement, agreement) -> tuple[tuple[str, str | None], ...]:
        f = self.f
        found = [(f.text(ref, "ram:IssuerAssignedID"),
                  f.date(ref, "ram:FormattedIssueDateTime/qdt:DateTimeString"))
                 for ref in f.nodes(settlement, "ram:InvoiceReferencedDocument")]
        if self.syntax == "zugferd1":  # UNCL 1153 'OI': previous invoice number
            found += [(f.text(ref, "ram:ID"), None)
                      for ref in f.nodes(agreement, "ram:AdditionalReferencedDocument")
                      if f.text(ref, "ram:TypeCode") == "OI"]
        return tuple((number, day) for number, day in found if number)

    def notes(self, document) -> tuple[Note, ...]:
        f = self.f
        notes = []
        for node in f.nodes(document, "ram:IncludedNote"):
            text = " ".join(f.texts(node, "ram:Content"))
            if text:
                notes.append(Note(text, f.text(node, "ram:SubjectCode")))
        return tuple(notes)

    def attachments(self, agreement) -> tuple[str, ...]:
        f = self.f
        return tuple(
            f.attr(ref, "ram:AttachmentBinaryObject", "filename") or f.text(ref, self.n["ref_id"])
            or "" for ref in f.nodes(agreement, "ram:AdditionalReferencedDocument")
            if f.text(ref, "ram:TypeCode") == "916")

    def header(self, root, document, agreement, delivery, settlement) -> dict:
        """The document's own terms: specification, number, type, dates, references, notes."""
        f, n = self.f, self.n
        terms = f.nodes(settlement, "ram:SpecifiedTradePaymentTerms")
        return dict(
            guideline=f.text(root, f"{n['context']}/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"),
            business_process=f.text(
                root, f"{n['context']}/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"),
            number=f.text(document, "ram:ID", "BT-1"),
            issue_date=f.date(document, f"ram:IssueDateTime/{_DATE}", "BT-2"),
            type_code=f.text(document, "ram:TypeCode", "BT-3"),
            tax_point_date=f.date(settlement, "ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString"),
            due_date=next((d for t in terms
                           if (d := f.date(t, f"ram:DueDateDateTime/{_DATE}", "BT-9"))), None),
            buyer_reference=f.text(agreement, "ram:BuyerReference", "BT-10"),
            project_reference=f.text(agreement, "ram:SpecifiedProcuringProject/ram:ID"),
            contract_reference=f.text(agreement, f"ram:ContractReferencedDocument/{n['ref_id']}"),
            order_reference=f.text(agreement, f"ram:BuyerOrderReferencedDocument/{n['ref_id']}",
                                   "BT-13"),
            sales_order_reference=f.text(agreement, f"ram:SellerOrderReferencedDocument/{n['ref_id']}"),
            despatch_reference=f.text(delivery, f"{n['despatch']}/{n['ref_id']}"),
            accounting_reference=f.text(settlement,
                                        "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"),
            payment_terms=" ".join(t for term in terms for t in f.texts(term, "ram:Description"))
            or None,
            notes=self.notes(document),
            preceding_invoices=self.preceding(settlement, agreement),
        )

    def read(self, root: etree._Element) -> EInvoice:
        f, n = self.f, self.n
        tx = f.node(root, n["tx"])
        agreement, delivery, settlement = (f.node(tx, n[key]) for key in ("agr", "dlv", "set"))
        summary = f.node(settlement, n["sum"])
        currency = f.text(settlement, "ram:InvoiceCurrencyCode", "BT-5")
        tax_currency = f.text(settlement, "ram:TaxCurrencyCode")
        tax, in_tax_currency = self.tax_totals(summary, currency, tax_currency)
        terms = f.nodes(settlement, "ram:SpecifiedTradePaymentTerms")
        mandate = next((m for t in terms for m in f.texts(t, "ram:DirectDebitMandateID")), None)
        ship_to = f.node(delivery, "ram:ShipToTradeParty")
        ship_address = self.address(f.node(ship_to, "ram:PostalTradeAddress"))
        return EInvoice(
            syntax=self.syntax,
            root_name=etree.QName(root).localname,
            **self.header(root, f.node(root, n["doc"]), agreement, delivery, settlement),
            currency=currency,
            tax_currency=tax_currency,
            seller=self.party(f.node(agreement, "ram:SellerTradeParty"), seller=True),
            buyer=self.party(f.node(agreement, "ram:BuyerTradeParty")),
            payee=self.optional_party(f.node(settlement, "ram:PayeeTradeParty")),
            tax_representative=self.optional_party(
                f.node(agreement, "ram:SellerTaxRepresentativeTradeParty")),
            delivery_name=f.text(ship_to, "ram:Name"),
            delivery_address=None if ship_address.is_empty() else ship_address,
            delivery_date=f.date(delivery, f"ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/{_DATE}"),
            period_start=f.date(settlement, f"ram:BillingSpecifiedPeriod/ram:StartDateTime/{_DATE}"),
            period_end=f.date(settlement, f"ram:BillingSpecifiedPeriod/ram:EndDateTime/{_DATE}"),
            payment_reference=f.text(settlement, "ram:PaymentReference"),
            creditor_id=f.text(settlement, "ram:CreditorReferenceID"),
            payment_means=tuple(self.payment_means(m, mandate) for m in
                                f.nodes(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")),
            allowances_charges=tuple(self.allowance_charge(a) for a in
                                     f.nodes(settlement, "ram:SpecifiedTradeAllowanceCharge"))
            + tuple(self.logistics_charge(c) for c in
                    f.nodes(settlement, "ram:SpecifiedLogisticsServiceCharge")),
            vat_breakdown=tuple(self.vat(v) for v in f.nodes(settlement, "ram:ApplicableTradeTax")),
            totals=self.totals(summary, tax, in_tax_currency, self.third_party(settlement)),
            lines=tuple(self.line(item) for item in
                        f.nodes(tx, "ram:IncludedSupplyChainTradeLineItem")),
            attachments=self.attachments(agreement),
            sources=f.sources,
            malformed=tuple(f.malformed),
        )


def read_cii(root: etree._Element, syntax: str) -> EInvoice:
    """The EInvoice of a parsed CII root; `syntax` is 'cii' (D16B) or 'zugferd1'."""
    return _Reader(syntax, root).read(root)
