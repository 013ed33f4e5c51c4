"""A layout family: what one billing program prints and how (vocabulary, placement, fonts,
number, date and amount formats), and the formatting of values in its style."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

MONTHS = {
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
}


@dataclass(frozen=True)
class Family:
    """One layout family. Labels are printed exactly as given (with their own colons)."""

    name: str
    model: str  # the kind of software it is modelled on
    trade: str  # key of samples.layouts.services.SERVICES
    lang: str = "de"
    country: str = "DE"
    page: str = "A4"  # A4 | A5
    font: str = "Helvetica"  # Helvetica | Times | Courier | Vera
    size: float = 9.0
    legal_form: float = 1.0  # share of sellers whose name carries a legal form
    letterhead: str = "left"  # left | right | center | stacked | footer_only
    sender_line: str | None = "{name} · {street} · {postcode} {city}"
    header: str = "kv_right"  # title_line | kv_right | kv_left | grid | section | din
    title: str = "Rechnung"
    title_line: str = "{title}"  # may hold {number} and {date}
    fields: tuple[tuple[str, str], ...] = (("Rechnungsnummer:", "number"), ("Datum:", "date"))
    section_title: str = ""  # header "section": its heading
    date_fmt: str = "dmy"
    amount_fmt: str = "de"
    currency: str = "suffix"  # suffix " €" | eur " EUR" | prefix "EUR " | header | none
    table: str = "classic"  # classic | dated | simple | ruled
    heads: tuple[str, ...] = ("Pos.", "Bezeichnung", "Menge", "Einheit", "Einzelpreis", "Betrag")
    totals: str = "stack"  # stack | vat_grid | row | included | single
    net_label: str = "Summe netto"
    tax_label: str = "zzgl. {rate} % MwSt."
    gross_label: str = "Gesamtbetrag"
    due_label: str | None = None  # printed under the gross (or when something was prepaid)
    prepaid_label: str = "abzüglich Abschlag"
    vat: str = "standard"  # standard | reduced | mixed | exempt | included | fr
    exempt_note: str = "Umsatzsteuerfrei gemäß § 4 Nr. 16 UStG."
    payment: str | None = "Zahlbar bis {due} ohne Abzug."
    footer: str = "columns"  # columns | line | block | none
    iban_fmt: str = "grouped"  # grouped | compact
    iban_label: str = "IBAN"
    bank_lines: tuple[str, ...] = ("{bank}", "{iban_label} {iban}", "BIC {bic}")
    vat_label: str | None = "USt-IdNr.:"
    extras: tuple[str, ...] = ()  # tax_number ik customer file_ref beneficiary period ...
    credit_share: float = 0.0
    credit_title: str = "Gutschrift"
    credit_negative: bool = False  # credit notes print negative amounts
    leitweg_share: float = 0.0  # of invoices that print the Leitweg-ID (if in fields)
    order_share: float = 0.0  # of invoices that print an order reference (if in fields)
    order_style: str = "KZ"
    prepaid_share: float = 0.0
    max_items: int = 5
    number_style: str = "year-seq"

    @property
    def due_printed(self) -> bool:
        """Whether the due date is printed or computable from printed payment terms."""
        terms = self.payment or ""
        return "{due}" in terms or "{days}" in terms or any(k == "due" for _, k in self.fields)

    def prints(self, key: str) -> bool:
        return any(k == key for _, k in self.fields)

    def number_format(self, rng: random.Random, issue: date, credit: bool) -> str:
        return invoice_number(self.number_style, rng, issue, credit)

    def order_format(self, rng: random.Random) -> str:
        return f"{self.order_style}-{rng.randrange(2024, 2027)}-{rng.randrange(100, 99999):05d}"


def invoice_number(style: str, rng: random.Random, issue: date, credit: bool) -> str:
    """An invoice number as a billing program numbers them."""
    seq, yy = rng.randrange(1, 9999), issue.year % 100
    numbers = {
        "year-seq": f"{issue.year}-{seq:04d}",
        "re-year-seq": f"RE-{issue.year}-{seq:05d}",
        "seq/yy": f"{seq:04d}/{yy}",
        "compact": f"R{yy}{issue.month:02d}{seq:04d}",
        "plain": f"{rng.randrange(10000, 999999)}",
        "year/month/seq": f"{issue.year}/{issue.month:02d}/{seq:04d}",
        "inv": f"INV-{issue.year}-{seq:04d}",
        "fr": f"FA{yy}{seq:05d}",
        "short-dash": f"{yy}-{rng.randrange(100, 99999):05d}",
        "letter-seq": f"{rng.choice('ABKLMP')}{rng.randrange(100000, 999999)}",
        "dotted": f"{issue.year}.{seq:04d}",
        "ik-seq": f"{rng.randrange(100, 999)}{issue.month:02d}{yy}{seq:03d}",
    }
    number = numbers[style]
    return ("GS-" if style in ("re-year-seq", "inv") else "G") + number if credit else number


def fmt_date(day: date, style: str) -> str:
    formats = {
        "dmy": f"{day.day:02d}.{day.month:02d}.{day.year}",
        "dmy_short": f"{day.day:02d}.{day.month:02d}.{day.year % 100:02d}",
        "d.m.y": f"{day.day}.{day.month}.{day.year}",
        "long": f"{day.day}. {MONTHS['de'][day.month - 1]} {day.year}",
        "iso": day.isoformat(),
        "slash": f"{day.day:02d}/{day.month:02d}/{day.year}",
        "en_long": f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}",
        "us_long": f"{MONTHS['en'][day.month - 1]} {day.day}, {day.year}",
        "fr_long": f"{day.day} {MONTHS['fr'][day.month - 1]} {day.year}",
    }
    return formats[style]


def fmt_amount(value: Decimal, style: str, currency: str = "none") -> str:
    text = f"{abs(value):,.2f}"  # 1,234.56
    if style in ("de", "de_plain"):
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
        if style == "de_plain":
            text = text.replace(".", "")
    elif style == "fr":
        text = text.replace(",", "\u00a0").replace(".", ",")
    text = ("-" if value < 0 else "") + text
    return {"suffix": f"{text} €", "eur": f"{text} EUR", "prefix": f"EUR {text}",
            "euro_prefix": f"€ {text}"}.get(currency, text)


def fmt_quantity(value: Decimal, style: str) -> str:
    text = format(value.normalize(), "f")
    return text if style == "en" else text.replace(".", ",")


def fmt_rate(rate: Decimal, style: str) -> str:
    return fmt_quantity(rate, style)


def fmt_iban(iban: str, style: str) -> str:
    if style == "compact":
        return iban
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
