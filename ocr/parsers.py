"""Value parsers for text after a label: each looks in text[start:end] and returns
(start, end, normalised value) or None."""

from __future__ import annotations

import re

from ocr.german import find_amounts, find_dates
from ocr.identifiers import find_ibans, find_vat_ids

Result = tuple[int, int, str] | None

# Separators between a label and its value, with what OCR makes of a colon now and then.
SEPARATOR_CHARS = r"[\s:;.,#=|>»«~©®'\"-]"
_SEPARATORS = re.compile(
    rf"{SEPARATOR_CHARS}*(?:\([^()]{{0,60}}\){SEPARATOR_CHARS}*)?"
    r"(?:(?:nr|no|nummer|number|n°)\.?[\s:#]*)?",
    re.IGNORECASE,
)
_DATE_LEAD = re.compile(
    rf"{SEPARATOR_CHARS}*(?:(?:vom|am|den|bis|zum|le|du|on|by|of)\s+)?", re.IGNORECASE
)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_\\-]*")
_CELL = re.compile(r"\S+(?: \S+)*")
_WORD = re.compile(r"[A-Za-zÄÖÜäöüßéèàç]{3,}")
_CURRENCY_WORDS = {"eur", "euro", "usd", "chf", "gbp", "ttc", "brutto", "netto"}
_GROSS_NET = {"brutto", "netto"}  # passed over before the amount ("Summe netto 100,00") only
CURRENCY_CODES = ("EUR", "USD", "GBP", "CHF", "PLN", "CZK", "DKK", "SEK", "NOK", "HUF", "JPY")
_CURRENCY = re.compile(rf"(?<![A-Za-z])(?:{'|'.join(CURRENCY_CODES)})(?![A-Za-z])|€")


def _skip(pattern: re.Pattern, text: str, start: int, end: int) -> int:
    match = pattern.match(text, start, end)
    return match.end() if match else start


def _is_date_or_amount(value: str) -> bool:
    return any(
        f.start == 0 and f.end == len(value) for f in find_dates(value) + find_amounts(value)
    )


def identifier(text: str, start: int, end: int) -> Result:
    """An invoice or order number: one token with at least one digit, right after the label."""
    token = _TOKEN.match(text, _skip(_SEPARATORS, text, start, end), end)
    if token is None:
        return None
    value = token.group().rstrip("./-_\\")
    if (
        not 1 <= len(value) <= 40
        or not any(c.isdigit() for c in value)
        or _is_date_or_amount(value)
    ):
        return None
    return token.start(), token.start() + len(value), value


def reference(text: str, start: int, end: int) -> Result:
    """A reference such as a Leitweg-ID or a name: the rest of the cell after the label,
    blanks kept single ('05 158 004 - 11023 - 45')."""
    cell = _CELL.match(text, _skip(_SEPARATORS, text, start, end), end)
    if cell is None:
        return None
    value = " ".join(cell.group().split()).rstrip(".,;:")
    if not 2 <= len(value) <= 50 or ":" in value or _is_date_or_amount(value):
        return None
    return cell.start(), cell.start() + len(value), value


def date_parser(*, day_first: bool = True):
    """A parser for a date standing right after its label (after ':', 'vom', 'bis' ...)."""

    def date(text: str, start: int, end: int) -> Result:
        pos = _skip(_DATE_LEAD, text, start, end)
        for found in find_dates(text[pos:end], day_first=day_first):
            if found.start == 0:
                return pos, pos + found.end, found.value
        return None

    return date


def _without_brackets(text: str) -> str:
    return re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)


def amount(text: str, start: int, end: int) -> Result:
    """The last amount after the label, before the next word (another label) begins;
    bracketed remarks and percentages ('19 %', '7,00%') are passed over."""
    segment = _without_brackets(text[start:end])
    for word in _WORD.finditer(segment):
        lower = word.group().lower()
        if lower not in _CURRENCY_WORDS or (
                lower in _GROSS_NET and find_amounts(segment[: word.start()])):
            segment = segment[: word.start()]  # "MwSt 19,00  Brutto 119,00": a new label
            break
    amounts = [
        f for f in find_amounts(segment) if not re.match(r"\s?%", segment[f.end : f.end + 2])
    ]
    if not amounts:
        return None
    last = amounts[-1]
    return start + last.start, start + last.end, last.value


def vat_id(text: str, start: int, end: int) -> Result:
    segment = text[start:end]
    found = find_vat_ids(segment, find_ibans(segment))
    return (start + found[0].start, start + found[0].end, found[0].value) if found else None


def iban(text: str, start: int, end: int) -> Result:
    """An IBAN as printed after its label, even with a wrong checksum (the caller scores
    that down); OCR-repaired ones are left to the shape search."""
    found = [f for f in find_ibans(text[start:end], checked=False) if not f.repaired]
    return (start + found[0].start, start + found[0].end, found[0].value) if found else None


def currency(text: str, start: int, end: int) -> Result:
    match = _CURRENCY.search(text, _skip(_SEPARATORS, text, start, end), end)
    if match is None:
        return None
    return match.start(), match.end(), "EUR" if match.group() == "€" else match.group()


def currency_marks(text: str) -> list[str]:
    """Every currency code or euro sign in `text`, as ISO codes."""
    return ["EUR" if m.group() == "€" else m.group() for m in _CURRENCY.finditer(text)]
