"""The complete content of an e-invoice (EN 16931 semantic model), whatever its syntax.

Small frozen values: parties, lines, VAT breakdown, payment data, totals. Amounts are
Decimals as written in the XML (None when absent); dates ISO strings. `to_dict()` gives a
JSON-ready form (amounts as strings).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

# UNTDID 1001 codes of documents that credit rather than charge (EN 16931 code list).
CREDIT_NOTE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420",
                               "458", "532"})
# UNTDID 4461 payment means that name the seller's account: credit transfer (30, 58 SEPA),
# bank payment (31, 42), unspecified (1, ZZZ); never a direct debit (49, 59) or a card.
CREDIT_TRANSFER_CODES = frozenset({"1", "30", "31", "42", "58", "ZZZ"})


@dataclass(frozen=True)
class Address:
    lines: tuple[str, ...] = ()  # BT-35..36, BT-162 (street, additional lines)
    city: str | None = None  # BT-37
    post_code: str | None = None  # BT-38
    subdivision: str | None = None  # BT-39
    country: str | None = None  # BT-40 (ISO 3166-1 alpha-2)

    def is_empty(self) -> bool:
        return not (self.lines or self.city or self.post_code or self.country)


@dataclass(frozen=True)
class Contact:
    name: str | None = None  # BT-41 / BT-56 (person or department)
    phone: str | None = None  # BT-42 / BT-57
    email: str | None = None  # BT-43 / BT-58

    def is_empty(self) -> bool:
        return not (self.name or self.phone or self.email)


@dataclass(frozen=True)
class Party:
    name: str | None = None  # BT-27 / BT-44 / BT-59 / BT-62 (legal or registered name)
    trading_name: str | None = None  # BT-28 / BT-45
    ids: tuple[str, ...] = ()  # BT-29 / BT-46 / BT-60 (incl. GLNs)
    legal_id: str | None = None  # BT-30 / BT-47 / BT-61 (register number)
    vat_id: str | None = None  # BT-31 / BT-48 / BT-63
    tax_number: str | None = None  # BT-32 (Steuernummer)
    legal_info: str | None = None  # BT-33 (e.g. register court, share capital)
    endpoint: str | None = None  # BT-34 / BT-49 (electronic address)
    address: Address = field(default_factory=Address)
    contact: Contact = field(default_factory=Contact)

    def is_empty(self) -> bool:
        return not (self.name or self.trading_name or self.ids or self.vat_id)


@dataclass(frozen=True)
class AllowanceCharge:
    """A document-level (BG-20/BG-21) or line-level (BG-27/BG-28) allowance or charge."""

    charge: bool  # False: allowance (Abschlag), True: charge (Zuschlag)
    amount: Decimal | None
    base_amount: Decimal | None = None
    percent: Decimal | None = None
    reason: str | None = None
    reason_code: str | None = None
    vat_category: str | None = None
    vat_rate: Decimal | None = None


@dataclass(frozen=True)
class Line:
    """An invoice line (BG-25)."""

    id: str | None  # BT-126
    name: str | None  # BT-153
    quantity: Decimal | None  # BT-129
    unit: str | None  # BT-130 (UN/ECE Rec 20, e.g. H87, HUR, DAY)
    net_price: Decimal | None  # BT-146
    net_amount: Decimal | None  # BT-131
    vat_category: str | None = None  # BT-151
    vat_rate: Decimal | None = None  # BT-152
    description: str | None = None  # BT-154
    seller_item_id: str | None = None  # BT-155
    price_base_quantity: Decimal | None = None  # BT-149
    gross_price: Decimal | None = None  # BT-148
    note: str | None = None  # BT-127
    period_start: str | None = None  # BT-134
    period_end: str | None = None  # BT-135
    order_line: str | None = None  # BT-132
    allowances_charges: tuple[AllowanceCharge, ...] = ()


@dataclass(frozen=True)
class VatBreakdown:
    """One VAT category and rate of the VAT breakdown (BG-23)."""

    category: str | None  # BT-118 (S, Z, E, AE, K, G, O, L, M)
    rate: Decimal | None  # BT-119
    taxable_amount: Decimal | None  # BT-116
    tax_amount: Decimal | None  # BT-117
    exemption_reason: str | None = None  # BT-120
    exemption_code: str | None = None  # BT-121


@dataclass(frozen=True)
class PaymentMeans:
    """How to pay (BG-16): code, credit transfer account, card or direct debit."""

    code: str | None  # BT-81 (UNTDID 4461: 30, 58 transfer; 48, 54, 55 card; 59 debit)
    text: str | None = None  # BT-82
    iban: str | None = None  # BT-84 (payee account: IBAN or proprietary id)
    account_name: str | None = None  # BT-85
    bic: str | None = None  # BT-86
    card: str | None = None  # BT-87 (last digits of the card)
    mandate: str | None = None  # BT-89 (direct debit mandate reference)
    debited_iban: str | None = None  # BT-91

    @property
    def is_credit_transfer(self) -> bool:
        """Paid into the payee's account (BT-84): a transfer code, or no code at all."""
        return self.code is None or self.code in CREDIT_TRANSFER_CODES


@dataclass(frozen=True)
class Totals:
    """Document totals (BG-22)."""

    line_net: Decimal | None = None  # BT-106
    allowances: Decimal | None = None  # BT-107
    charges: Decimal | None = None  # BT-108
    net: Decimal | None = None  # BT-109
    tax: Decimal | None = None  # BT-110 (in the invoice currency)
    tax_in_tax_currency: Decimal | None = None  # BT-111
    gross: Decimal | None = None  # BT-112
    prepaid: Decimal | None = None  # BT-113
    rounding: Decimal | None = None  # BT-114
    due: Decimal | None = None  # BT-115
    third_party_paid: Decimal | None = None  # XRechnung extension BG-DEX-09 (sum)


@dataclass(frozen=True)
class Note:
    text: str  # BT-22
    subject: str | None = None  # BT-21 (UNTDID 4451, e.g. AAI, REG, SUR)


@dataclass(frozen=True)
class EInvoice:
    """An e-invoice, complete enough for validation and a readable rendering."""

    syntax: str  # ubl | cii | zugferd1
    root_name: str  # Invoice | CreditNote | CrossIndustryInvoice | CrossIndustryDocument
    guideline: str | None  # BT-24 specification identifier (profile)
    business_process: str | None  # BT-23
    number: str | None  # BT-1
    issue_date: str | None  # BT-2
    type_code: str | None  # BT-3 (380 invoice, 381 credit note, 384 correction, ...)
    currency: str | None  # BT-5
    tax_currency: str | None = None  # BT-6
    tax_point_date: str | None = None  # BT-7
    due_date: str | None = None  # BT-9
    buyer_reference: str | None = None  # BT-10 (Leitweg-ID)
    project_reference: str | None = None  # BT-11
    contract_reference: str | None = None  # BT-12
    order_reference: str | None = None  # BT-13
    sales_order_reference: str | None = None  # BT-14
    despatch_reference: str | None = None  # BT-16
    accounting_reference: str | None = None  # BT-19
    payment_terms: str | None = None  # BT-20
    notes: tuple[Note, ...] = ()  # BG-1
    preceding_invoices: tuple[tuple[str, str | None], ...] = ()  # BG-3: (BT-25, BT-26)
    seller: Party = field(default_factory=Party)  # BG-4
    buyer: Party = field(default_factory=Party)  # BG-7
    payee: Party | None = None  # BG-10
    tax_representative: Party | None = None  # BG-11
    delivery_name: str | None = None  # BT-70
    delivery_address: Address | None = None  # BG-15
    delivery_date: str | None = None  # BT-72
    period_start: str | None = None  # BT-73
    period_end: str | None = None  # BT-74
    payment_reference: str | None = None  # BT-83 (Verwendungszweck)
    creditor_id: str | None = None  # BT-90 (SEPA creditor identifier)
    payment_means: tuple[PaymentMeans, ...] = ()  # BG-16
    allowances_charges: tuple[AllowanceCharge, ...] = ()  # BG-20, BG-21
    vat_breakdown: tuple[VatBreakdown, ...] = ()  # BG-23
    totals: Totals = field(default_factory=Totals)  # BG-22
    lines: tuple[Line, ...] = ()  # BG-25
    attachments: tuple[str, ...] = ()  # BG-24: ids or file names of supporting documents
    # Where the reader found the business terms of the contract fields: BT id -> the
    # element's XPath; and the BT ids whose element holds no valid date or number.
    sources: dict[str, str] = field(default_factory=dict)
    malformed: tuple[str, ...] = ()

    @property
    def is_credit_note(self) -> bool:
        """A credit note: UBL CreditNote, or a crediting document type code (381, ...)."""
        return self.root_name == "CreditNote" or (self.type_code or "") in CREDIT_NOTE_CODES

    @property
    def profile(self) -> str:
        """The profile a guideline id (BT-24) names, lower case: 'minimum', 'basicwl',
        'basic', 'en16931', 'extended', 'xrechnung', or '' when not recognisable."""
        return profile_of(self.guideline)

    @property
    def is_xrechnung(self) -> bool:
        """Declared as XRechnung (CIUS or extension): the BR-DE rules apply."""
        return "xrechnung" in (self.guideline or "").lower()

    def to_dict(self) -> dict:
        return _jsonable(asdict(self)) | {"is_credit_note": self.is_credit_note}


_PROFILES = (("xrechnung", "xrechnung"), ("minimum", "minimum"), ("basicwl", "basicwl"),
             ("basic-wl", "basicwl"), ("extended", "extended"), ("comfort", "en16931"),
             ("basic", "basic"), ("en16931", "en16931"))


def profile_of(guideline: str | None) -> str:
    text = (guideline or "").lower()
    return next((profile for marker, profile in _PROFILES if marker in text), "")


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value
