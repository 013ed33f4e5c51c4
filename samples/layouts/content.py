"""What one invoice of the layout corpus says, drawn from a seeded generator, and the contract
fields it yields (its ground truth). How it is printed is the family's business
(samples.layouts.render)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from stdnum import luhn
from stdnum.at import uid as at_uid

from samples.layouts import names
from samples.layouts.services import SERVICES
from samples.model import Line, VatGroup, iban_de, leitweg_id, money, vat_breakdown, vat_id_de

_FIRST_DAY = date(2025, 1, 6)


@dataclass(frozen=True)
class Seller:
    name: str  # BT-27, as the letterhead prints it
    street: str
    postcode: str
    city: str
    phone: str
    email: str
    web: str
    owner: str  # "Inhaber: ..." / "Geschäftsführer: ..."
    vat_id: str | None
    tax_number: str
    ik: str  # Institutionskennzeichen (care and therapy providers)
    iban: str
    bic: str
    bank: str
    register: str  # "Amtsgericht ... HRB ..." or ""


@dataclass(frozen=True)
class Content:
    seller: Seller
    buyer: tuple[str, ...]  # the address block's lines
    beneficiary: str  # the person the service was for
    number: str
    issue: date
    due: date | None  # printed or computable from printed terms
    terms_days: int
    period: tuple[date, date]
    customer_number: str
    file_reference: str
    leitweg: str | None
    order: str | None
    items: tuple[Line, ...]
    credit_note: bool
    prepaid: Decimal
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax

    @property
    def amount_due(self) -> Decimal:
        return self.gross - self.prepaid

    def vat_groups(self) -> tuple[VatGroup, ...]:
        return vat_breakdown(self.items)

    def truth(self) -> dict[str, str | None]:
        """The 13 contract fields, normalised as `extract --json` prints them."""
        return {
            "invoice_number": self.number,
            "issue_date": self.issue.isoformat(),
            "due_date": self.due.isoformat() if self.due else None,
            "buyer_reference": self.leitweg,
            "order_reference": self.order,
            "seller_name": self.seller.name,
            "seller_vat_id": self.seller.vat_id,
            "iban": self.seller.iban,
            "currency": "EUR",
            "total_net": f"{self.net:.2f}",
            "total_tax": f"{self.tax:.2f}",
            "total_gross": f"{self.gross:.2f}",
            "amount_due": f"{self.amount_due:.2f}",
        }


def _iban_fr(rng: random.Random) -> str:
    bban = f"{rng.randrange(10000, 99999)}{rng.randrange(10000, 99999)}"
    bban += f"{rng.randrange(10**10, 10**11)}{rng.randrange(10, 97)}"
    number = int("".join(str(int(c, 36)) for c in bban + "FR00"))
    return f"FR{98 - number % 97:02d}{bban}"


def _vat_id(country: str, rng: random.Random) -> str:
    if country == "FR":
        siren = str(rng.randrange(10**7, 10**8))
        siren += luhn.calc_check_digit(siren)
        return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
    if country == "AT":
        body = str(rng.randrange(10**6, 10**7))
        return "ATU" + body + at_uid.calc_check_digit(body)
    return vat_id_de(str(rng.randrange(10**7, 10**8)))


def make_seller(trade: str, country: str, with_form: bool, vat: bool,
                rng: random.Random) -> Seller:
    city, postcode = rng.choice(names.CITIES)
    bank, bank_code, bic = rng.choice(names.BANKS)
    name = names.seller_name(trade, with_form, city, rng)
    slug = "".join(c for c in max(name.split(), key=len).lower() if c.isalpha())
    iban = _iban_fr(rng) if country == "FR" else iban_de(bank_code, str(rng.randrange(10**9)))
    return Seller(
        name=name, street=f"{rng.choice(names.STREETS)} {rng.randrange(1, 120)}",
        postcode=postcode, city=city,
        phone=f"0{rng.randrange(2000, 9999)} {rng.randrange(100, 999)} {rng.randrange(10, 99)}",
        email=f"rechnung@{slug or 'info'}.example", web=f"www.{slug or 'info'}.example",
        owner=names.person(rng), vat_id=_vat_id(country, rng) if vat else None,
        tax_number=f"{rng.randrange(100, 400)}/{rng.randrange(1000, 9999)}/"
                   f"{rng.randrange(1000, 9999)}",
        ik=f"{rng.choice((26, 46, 51, 54))}{rng.randrange(10**6, 10**7)}",
        iban=iban, bic=bic, bank=bank.format(city=city),
        register=(f"Amtsgericht {city} HRB {rng.randrange(1000, 29999)}" if with_form else ""),
    )


BUYERS = (
    ("Landschaftsverband Musterland", "Dezernat Soziales", "Postfach 10 07 71",
     "59901 Musterstadt"),
    ("Stadt Ahlenfeld", "Sozialamt – Hilfe zur Pflege", "Rathausplatz 1", "59227 Ahlenfeld"),
    ("Kreis Lindenberg", "Fachdienst Eingliederungshilfe", "Kreishaus, Bahnhofstr. 2",
     "59755 Lindenberg"),
    ("Landschaftsverband Musterland", "LVR-Fachbereich 72", "z. Hd. Frau Kaiser",
     "59901 Musterstadt"),
)


def _items(trade: str, rate: str, count: int, period: tuple[date, date],
           rng: random.Random) -> tuple[Line, ...]:
    rates = {"standard": ("19",), "reduced": ("7",), "mixed": ("7", "19"), "exempt": ("0",),
             "included": ("7",), "fr": ("20",)}[rate]
    chosen = rng.sample(SERVICES[trade], min(count, len(SERVICES[trade])))
    items = []
    for number, (text, unit, low, high) in enumerate(chosen):
        quantity = Decimal(rng.choice((1, 1, 2, 3, 4, 6, 8, 12, 20, 31)))
        if unit in ("Std.", "km", "h"):
            quantity = Decimal(rng.randrange(2, 80)) / 2
        price = money(Decimal(rng.randrange(int(low * 100), int(high * 100))) / 100)
        day = period[0] + timedelta(days=rng.randrange((period[1] - period[0]).days + 1))
        item_rate = Decimal(rates[number % len(rates)])
        items.append(Line(text, quantity, unit, price, item_rate, day))
    return tuple(items)


def make_content(family, rng: random.Random, credit_note: bool,
                 seller: Seller | None = None) -> Content:
    """One invoice of `family` (samples.layouts.families.Family); `seller` given: another
    invoice of that provider."""
    issue = _FIRST_DAY + timedelta(days=rng.randrange(0, 700))
    start = (issue.replace(day=1) - timedelta(days=1)).replace(day=1)
    period = (start, issue.replace(day=1) - timedelta(days=1))
    terms = rng.choice((14, 14, 21, 30, 30))
    own = make_seller(family.trade, family.country, rng.random() < family.legal_form,
                      family.vat_label is not None, rng)
    seller = seller or own
    items = _items(family.trade, family.vat, rng.randrange(1, family.max_items + 1), period,
                   rng)
    prepaid = (money(sum(i.net for i in items) * Decimal("0.3"))
               if rng.random() < family.prepaid_share and not credit_note else Decimal("0.00"))
    return Content(
        seller=seller, buyer=rng.choice(BUYERS), beneficiary=names.person(rng),
        number=family.number_format(rng, issue, credit_note),
        issue=issue, due=issue + timedelta(days=terms) if family.due_printed else None,
        terms_days=terms, period=period,
        customer_number=f"{rng.randrange(10000, 99999)}",
        file_reference=f"{rng.choice(('50', '71', '72'))}.{rng.randrange(10, 99)}-"
                       f"{rng.randrange(100000, 999999)}",
        leitweg=(leitweg_id("05999", str(rng.randrange(1000, 9999)))
                 if family.prints("leitweg") and rng.random() < family.leitweg_share else None),
        order=(family.order_format(rng) if family.prints("order") and rng.random() < family.order_share
               else None),
        items=items, credit_note=credit_note, prepaid=prepaid,
        net=sum((item.net for item in items), Decimal("0.00")),
        tax=sum((group.tax for group in vat_breakdown(items)), Decimal("0.00")),
    )
