"""What an invoice says about paying it, beyond the contract fields, for the posting proposal:
the VAT breakdown and a cash discount (Skonto). Read at extraction and kept with the invoice
(its `payment` part), so a proposal needs nothing but the ledger.

An e-invoice states both: its VAT breakdown (BG-23), and a discount in the payment terms
(BT-20) in the XRechnung convention "#SKONTO#TAGE=14#PROZENT=2.00#". Of a scan or a text
PDF what is known: one VAT rate when net and tax fit a German rate, and a discount printed
as "2 % Skonto bei Zahlung innerhalb von 10 Tagen" (or the other way round).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from einvoice.model import EInvoice

_XRECHNUNG_DISCOUNT = re.compile(r"#SKONTO#TAGE=(?P<days>\d{1,3})#PROZENT=(?P<percent>\d{1,2}"
                                 r"(?:\.\d{1,2})?)#(?:BASISBETRAG=(?P<base>-?\d+(?:\.\d{1,2})?)#)?")
_PERCENT = r"(?P<percent>\d{1,2}(?:[,.]\d{1,2})?)\s*%"
_DAYS = r"(?P<days>\d{1,3})\s*(?:Kalender)?tage?n?"
_TEXT_DISCOUNTS = (  # days first: in "10 Tagen 2 % Skonto, 30 Tage netto" 30 is no discount
    re.compile(r"\b" + _DAYS + r"\b[^\n%]{0,40}?" + _PERCENT + r"\s*Skonto", re.I),
    re.compile(_PERCENT + r"\s*Skonto\b[^\n%]{0,60}?\b" + _DAYS, re.I),
)
GERMAN_RATES = (Decimal("19"), Decimal("7"), Decimal("0"))


def payment_facts(fields: dict, einvoice: EInvoice | None, text: str) -> dict:
    """{"vat_breakdown": [...], "discount": {...} | None} as JSON-ready strings."""
    if einvoice is not None:
        return {"vat_breakdown": [_vat_row(row.category, row.rate, row.taxable_amount,
                                           row.tax_amount) for row in einvoice.vat_breakdown],
                "discount": xrechnung_discount(einvoice.payment_terms or "")}
    return {"vat_breakdown": _one_rate(fields), "discount": text_discount(text)}


def xrechnung_discount(terms: str) -> dict | None:
    """The first discount with a rate above 0 in XRechnung's payment-terms convention."""
    for found in _XRECHNUNG_DISCOUNT.finditer(terms):
        if Decimal(found["percent"]) > 0:
            return {"percent": _rate(Decimal(found["percent"])), "days": int(found["days"]),
                    "base": found["base"]}
    return None


def text_discount(text: str) -> dict | None:
    for pattern in _TEXT_DISCOUNTS:
        found = pattern.search(text or "")
        if found:
            percent = Decimal(found["percent"].replace(",", "."))
            if 0 < percent < 100:
                return {"percent": _rate(percent), "days": int(found["days"]), "base": None}
    return None


def _one_rate(fields: dict) -> list[dict]:
    """The breakdown of an invoice read from its text: one row when net and tax fit one
    German rate (to the cent), else nothing known."""
    try:
        net, tax = Decimal(fields.get("total_net") or ""), Decimal(fields.get("total_tax") or "")
    except InvalidOperation:
        return []
    for rate in GERMAN_RATES:
        if net > 0 and abs(net * rate / 100 - tax) <= Decimal("0.01"):
            return [_vat_row(None, rate, net, tax)]
    return []


def _vat_row(category, rate, taxable, tax) -> dict:
    return {"category": category, "rate": _rate(rate),
            "taxable_amount": None if taxable is None else f"{taxable:.2f}",
            "tax_amount": None if tax is None else f"{tax:.2f}"}


def _rate(value: Decimal | None) -> str | None:
    """A percentage as written without needless zeros: 19.00 -> '19', 2.50 -> '2.5'."""
    if value is None:
        return None
    return format(value.normalize(), "f") if value != value.to_integral() else str(int(value))
