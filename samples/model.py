"""The values the sample invoices are made of: parties, lines, invoices and their totals.

Every identifier is computed with its real check digits (IBAN mod 97, German VAT ID
ISO 7064 mod 11,10, Leitweg-ID mod 97-10), so checksum validators accept them. All
parties and persons are fictitious.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from stdnum.iso7064 import mod_11_10, mod_97_10

CENT = Decimal("0.01")

# UN/ECE Recommendation 20 unit codes used by the samples, with their printed German label.
UNITS: dict[str, str] = {
    "HUR": "Std.",
    "DAY": "Tage",
    "C62": "Stück",
    "KMT": "km",
    "LS": "Pausch.",
}

EXEMPTION_NOTE = "steuerfrei nach § 4 Nr. 16 UStG"
EXEMPTION_CODE = "VATEX-EU-132-1G"  # Art. 132(1)(g) VAT directive: social welfare services


def money(value: Decimal | str | int) -> Decimal:
    """Round half up to cents, as invoices do."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def iban_de(bank_code: str, account: str) -> str:
    """A German IBAN for an 8-digit bank code and an account number (mod-97 check digits)."""
    bban = bank_code + account.zfill(10)
    number = int("".join(str(int(c, 36)) for c in bban + "DE00"))
    return f"DE{98 - number % 97:02d}{bban}"


def vat_id_de(first8: str) -> str:
    """A German USt-IdNr. from its first eight digits (ISO 7064 mod 11,10 check digit)."""
    return "DE" + first8 + mod_11_10.calc_check_digit(first8)


def leitweg_id(coarse: str, fine: str) -> str:
    """A Leitweg-ID 'coarse-fine-check' with its mod 97-10 check digits."""
    return f"{coarse}-{fine}-{mod_97_10.calc_check_digits(coarse + fine)}"


def group_iban(iban: str) -> str:
    """The IBAN as printed: groups of four."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


@dataclass(frozen=True)
class Address:
    street: str
    postcode: str
    city: str
    country: str = "DE"


@dataclass(frozen=True)
class Seller:
    """A care provider (Leistungserbringer) as it appears on its letterhead and footer."""

    key: str  # the vendor id in config/vendors.yaml, e.g. "lebenshilfe-nordstadt"
    name: str  # legal name, BT-27
    tagline: str
    address: Address
    phone: str
    email: str
    web: str
    contact: str  # the person to call, BT-41
    vat_id: str
    tax_number: str
    iban: str
    bic: str
    bank: str
    provider_number: str  # Leistungserbringer-Nr. at the authority ("" if none)
    register: str  # "Amtsgericht ... HRB ..." or "" for sole traders
    management: str  # "Geschäftsführung: ..." or "Inhaberin: ..."


@dataclass(frozen=True)
class Buyer:
    """The authority's unit an invoice is addressed to."""

    name: str
    department: str
    unit: str
    address: Address
    email: str


@dataclass(frozen=True)
class Line:
    text: str
    quantity: Decimal
    unit: str  # key of UNITS
    price: Decimal
    vat_rate: Decimal = Decimal("0")  # 0 means exempt (§ 4 Nr. 16 UStG)
    day: date | None = None  # the day of service, for itemised invoices

    @property
    def net(self) -> Decimal:
        return money(self.quantity * self.price)


@dataclass(frozen=True)
class VatGroup:
    category: str  # "S" standard/reduced rate, "E" exempt
    rate: Decimal
    basis: Decimal
    tax: Decimal


def vat_breakdown(lines: tuple[Line, ...]) -> tuple[VatGroup, ...]:
    """One VAT group per rate of the lines, lowest rate first; tax rounded per group."""
    groups = []
    for rate in sorted({line.vat_rate for line in lines}):
        basis = sum((ln.net for ln in lines if ln.vat_rate == rate), Decimal("0.00"))
        category = "E" if rate == 0 else "S"
        groups.append(VatGroup(category, rate, basis, money(basis * rate / 100)))
    return tuple(groups)


@dataclass(frozen=True)
class ScanStyle:
    """How a scan of the invoice is made: file format and degradation."""

    fmt: str  # "png" | "jpeg" | "tiff" | "pdf"
    rotation: float  # degrees, counter-clockwise
    seed: int


@dataclass(frozen=True)
class Invoice:
    file: str
    kind: str  # scan | pdf-text | zugferd | xrechnung-ubl | xrechnung-cii
    seller: Seller
    buyer: Buyer
    number: str
    issue_date: date
    due_date: date
    period: tuple[date, date]
    customer_number: str  # the authority's number at the provider ("" if none)
    file_reference: str  # Aktenzeichen of the authority
    beneficiary: str  # Leistungsberechtigte/r, fictitious
    subject: str  # what was provided, one line
    lines: tuple[Line, ...]
    buyer_reference: str | None = None  # Leitweg-ID, BT-10
    order_reference: str | None = None  # BT-13
    prepaid: Decimal = Decimal("0.00")  # BT-113
    prepaid_label: str = ""
    caseworker: str | None = None  # expected routing; None: no rule matches
    scan: ScanStyle | None = None
    attendance_sheet: bool = False  # a second page listing the days of presence
    expected_pages: int = 1

    def vat_groups(self) -> tuple[VatGroup, ...]:
        return vat_breakdown(self.lines)

    @property
    def exempt(self) -> bool:
        return all(group.category == "E" for group in self.vat_groups())

    @property
    def total_net(self) -> Decimal:
        return sum((line.net for line in self.lines), Decimal("0.00"))

    @property
    def total_tax(self) -> Decimal:
        return sum((group.tax for group in self.vat_groups()), Decimal("0.00"))

    @property
    def total_gross(self) -> Decimal:
        return self.total_net + self.total_tax

    @property
    def amount_due(self) -> Decimal:
        return self.total_gross - self.prepaid

    def fields(self) -> dict[str, str]:
        """The contract fields this invoice carries, normalised as the extract contract says."""
        values = {
            "invoice_number": self.number,
            "issue_date": self.issue_date.isoformat(),
            "due_date": self.due_date.isoformat(),
            "buyer_reference": self.buyer_reference,
            "order_reference": self.order_reference,
            "seller_name": self.seller.name,
            "seller_vat_id": self.seller.vat_id,
            "iban": self.seller.iban,
            "currency": "EUR",
            "total_net": f"{self.total_net:.2f}",
            "total_tax": f"{self.total_tax:.2f}",
            "total_gross": f"{self.total_gross:.2f}",
            "amount_due": f"{self.amount_due:.2f}",
        }
        return {name: value for name, value in values.items() if value is not None}


def german_amount(value: Decimal) -> str:
    """1234.5 -> '1.234,50' (negative with a leading minus)."""
    text = f"{abs(value):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return ("-" if value < 0 else "") + text


def german_number(value: Decimal) -> str:
    """A quantity as printed: no trailing zeros after the comma ('2,5', '31')."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def german_date(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def xml_amount(value: Decimal) -> str:
    """An amount in an e-invoice: two decimals, a dot."""
    return f"{value:.2f}"


def xml_decimal(value: Decimal) -> str:
    """A quantity or percentage in an e-invoice: as few decimals as needed."""
    return format(value.normalize(), "f")


def invoice_note(invoice: Invoice) -> str:
    """The free-text note an e-invoice carries (BT-22): case, beneficiary and service."""
    return (
        f"Ihr Aktenzeichen: {invoice.file_reference}; "
        f"Leistungsberechtigte/r: {invoice.beneficiary}; Leistung: {invoice.subject}"
    )


XRECHNUNG_3 = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL_BILLING = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
EN16931 = "urn:cen.eu:en16931:2017"
