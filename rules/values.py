"""Parse amounts and dates, both from the YAML files and from invoice field values."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

_AMOUNT = re.compile(r"-?\d+(?:\.\d{1,2})?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

AMOUNT_HINT = ("Beträge mit Punkt vor den Cent und ohne Tausenderpunkt schreiben, z. B. 5000 "
               "oder 1234.50")
DATE_HINT = "Daten als JJJJ-MM-TT schreiben, z. B. 2026-12-21"


def config_amount(value: object) -> Decimal | None:
    """An amount written in YAML (5000, 1234.5, "1234.50"), or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):  # a YAML number keeps its spelling in .text ("1_000" is refused)
        text = getattr(value, "text", str(value))
        return Decimal(text) if _AMOUNT.fullmatch(text) else None
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str) and _AMOUNT.fullmatch(value.strip()):
        return Decimal(value.strip())
    return None


def config_date(value: object) -> date | None:
    """A date written in YAML (2026-12-21, quoted or not), or None if it is not one."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return field_date(value.strip())
    return None


def field_amount(text: str) -> Decimal | None:
    """An invoice amount as the contract delivers it ("1234.50"), or None if malformed."""
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def field_date(text: str) -> date | None:
    """An ISO date ("2026-03-01"), or None if malformed."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
