"""ZUGFeRD / Factur-X: does the visible PDF show the totals of its XML?

The embedded XML is the invoice; the picture is what a person reads. When the text layer
does not contain the XML's total (BT-112) or amount due (BT-115) in any usual spelling
(1.234,56 · 1234,56 · 1,234.56 · 1 234,56 ...), the clerk gets a German warning.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

COMPARED_FIELDS: dict[str, str] = {
    "total_gross": "Rechnungsbetrag (BT-112)",
    "amount_due": "Zahlbetrag (BT-115)",
}
# Less text than this is no text layer to compare with (an image-only PDF).
MIN_WORD_CHARS = 40
_THOUSANDS = (".", ",", " ", "\u00a0", "\u202f", "'", "")


def _spellings(value: Decimal) -> set[str]:
    """The usual printed forms of an amount (without sign)."""
    units, cents = f"{abs(value):.2f}".split(".")
    grouped = f"{int(units):,}"
    forms = set()
    for separator in _THOUSANDS:
        for decimal_mark in (",", "."):
            if separator == decimal_mark:
                continue
            forms.add(grouped.replace(",", separator) + decimal_mark + cents)
    return forms


def _pattern(value: Decimal) -> re.Pattern[str]:
    spellings = "|".join(re.escape(form) for form in sorted(_spellings(value), key=len,
                                                             reverse=True))
    return re.compile(rf"(?<![\d.,])(?:{spellings})(?![\d]|[.,]\d)")


def shows_amount(text: str, amount: str) -> bool:
    """True when `text` shows the contract amount `amount` (e.g. '-1234.50') somewhere."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError):
        return True  # nothing to compare
    return _pattern(value).search(text) is not None


def _word_chars(text: str) -> int:
    """Letters and digits of the Latin scripts: what a text layer worth comparing holds."""
    return sum(1 for char in text if char.isalnum() and ord(char) < 0x0250)


def visible_total_warnings(fields: dict[str, str | None], text: str) -> tuple[str, ...]:
    """German warnings for each compared XML total the visible text (the PDF's text layer,
    as plain text) does not show."""
    if _word_chars(text) < MIN_WORD_CHARS:
        return ()
    missing = [label for name, label in COMPARED_FIELDS.items()
               if fields.get(name) and not shows_amount(text, fields[name])]
    if not missing:
        return ()
    return (f"Sichtbares PDF weicht von der XML ab: {' und '.join(missing)} der XML steht "
            "nicht im PDF – maßgeblich ist die XML; bitte Abweichung prüfen.",)
