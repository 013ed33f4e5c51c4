"""Normalise raw values to the contract forms: ISO dates, two-place amounts, compact ids."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_CENT = Decimal("0.01")


def collapse(text: str | None) -> str | None:
    """Whitespace runs to one blank, trimmed; None for empty."""
    if text is None:
        return None
    value = " ".join(text.split())
    return value or None


def compact_id(text: str | None) -> str | None:
    """IBAN / VAT ID form: upper case without blanks."""
    if text is None:
        return None
    value = re.sub(r"\s+", "", text).upper()
    return value or None


def amount(value: Decimal | str | None) -> str | None:
    """Two-place decimal string with a dot, e.g. '-7.67'; None if not a number."""
    if value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return str(number.quantize(_CENT, rounding=ROUND_HALF_UP))


def iso_date(year: int, month: int, day: int) -> str | None:
    """'YYYY-MM-DD' for a real calendar date, else None."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
