"""German formatting of amounts and dates for texts that clerks read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def format_amount(amount: Decimal, currency: str | None = None) -> str:
    """6200 -> '6.200,00 €'; another currency keeps its code: '6.200,00 USD'."""
    text = f"{amount:,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    sign = "€" if currency in (None, "EUR") else currency
    return f"{text} {sign}"


def format_date(day: date) -> str:
    """2027-01-03 -> '03.01.2027'."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"
