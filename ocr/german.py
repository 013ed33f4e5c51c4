"""German (and English) numbers and dates as printed on invoices.

Amounts: 1.234,56 · 1 234,56 · 1234,56 · 1234.56 · 1,234.56 · -7,67 · 7,67- ; always two
decimal places (totals on invoices have cents), so 1.000 or 9,9000 are no amounts.
Dates: 01.03.2026 · 1.3.26 · 1. März 2026 · 1 March 2026 · March 1, 2026 · 2026-03-01 ·
01/03/2026 (day first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ocr.normalize import iso_date

_GROUP_SEPARATORS = ".,\u00a0\u202f\u2009' "
_AMOUNT = re.compile(
    r"(?<![\w.,])"
    r"(?P<sign>[-\u2212\u2013]\s?)?"
    r"(?P<int>\d{1,3}(?:(?P<sep>[.,\u00a0\u202f\u2009' ])\d{3})(?:(?P=sep)\d{3})*|\d+)"
    r"(?P<dec>[.,])(?P<cents>\d{2})"
    r"(?P<trail>-(?![\w]))?"
    r"(?![\d]|[.,]\d)"
)


@dataclass(frozen=True)
class Found:
    """A value found in a text: its span and the normalised value."""

    start: int
    end: int
    value: str


def _amount_value(match: re.Match) -> Decimal | None:
    sep, dec = match["sep"], match["dec"]
    if sep is not None and sep == dec:
        return None  # 1.234.56 or 1,234,56: not a number
    digits = match["int"]
    for char in _GROUP_SEPARATORS:
        digits = digits.replace(char, "")
    value = Decimal(f"{digits}.{match['cents']}")
    return -value if match["sign"] or match["trail"] else value


def find_amounts(text: str) -> list[Found]:
    """Every amount in `text`, value as a two-place decimal string ('-7.67')."""
    found = []
    for match in _AMOUNT.finditer(text):
        value = _amount_value(match)
        if value is not None:
            found.append(Found(match.start(), match.end(), f"{value:.2f}"))
    return found


def parse_amount(text: str) -> str | None:
    """The single amount `text` consists of, e.g. '1.234,56 €' -> '1234.56'."""
    found = find_amounts(text)
    return found[0].value if len(found) == 1 else None


_MONTHS = {
    "jan": 1,
    "januar": 1,
    "january": 1,
    "jänner": 1,
    "janvier": 1,
    "feb": 2,
    "februar": 2,
    "february": 2,
    "février": 2,
    "fevrier": 2,
    "mär": 3,
    "mrz": 3,
    "mar": 3,
    "märz": 3,
    "maerz": 3,
    "march": 3,
    "mars": 3,
    "apr": 4,
    "april": 4,
    "avril": 4,
    "mai": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "juin": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "juillet": 7,
    "aug": 8,
    "august": 8,
    "août": 8,
    "aout": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "septembre": 9,
    "okt": 10,
    "oct": 10,
    "oktober": 10,
    "october": 10,
    "octobre": 10,
    "nov": 11,
    "november": 11,
    "novembre": 11,
    "dez": 12,
    "dec": 12,
    "dezember": 12,
    "december": 12,
    "décembre": 12,
    "decembre": 12,
}
_MONTH_NAME = r"(?P<month_name>[A-Za-zÄÖÜäöüéû]{3,9})\.?"
_DATE_PATTERNS = (
    re.compile(r"(?<![\d.])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)"),
    re.compile(
        r"(?<![\d.,/])(?P<day>\d{1,2})(?P<sep>[./])\s?(?P<month>\d{1,2})(?P=sep)\s?"
        r"(?P<year>\d{4}|\d{2})(?![\d]|[.,]\d)"
    ),
    # blanks doubled now and then by OCR: "8  July 2025"
    re.compile(r"(?<!\d)(?P<day>\d{1,2})\.?\s{1,2}" + _MONTH_NAME
               + r"\s{1,2}(?P<year>\d{4})(?!\d)"),
    re.compile(r"(?<![\w])" + _MONTH_NAME
               + r"\s{1,2}(?P<day>\d{1,2}),?\s{1,2}(?P<year>\d{4})(?!\d)"),
    # OCR reads a dot as a comma now and then: 16.09,2013
    re.compile(
        r"(?<![\d.,/])(?P<day>\d{1,2})(?:\.\s?(?P<month>\d{1,2}),|,\s?(?P<month2>\d{1,2})\.)"
        r"\s?(?P<year>\d{4})(?![\d]|[.,]\d)"
    ),
)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _date_value(match: re.Match, day_first: bool) -> str | None:
    groups = match.groupdict()
    day = int(groups["day"])
    if groups.get("month_name"):
        month = _MONTHS.get(groups["month_name"].lower())
        if month is None:
            return None
    else:
        month = int(groups["month"] or groups["month2"])
        if groups.get("sep") == "/" and not day_first:
            day, month = month, day
    return iso_date(_year(groups["year"]), month, day)


def find_dates(text: str, *, day_first: bool = True) -> list[Found]:
    """Every date in `text`, in text order, value ISO 'YYYY-MM-DD'. Dates with slashes are
    read day first (01/03/2026 = 1 March) unless `day_first` is False (US style)."""
    found: dict[int, Found] = {}
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = _date_value(match, day_first)
            overlaps = any(f.start < match.end() and match.start() < f.end for f in found.values())
            if value and not overlaps:
                found[match.start()] = Found(match.start(), match.end(), value)
    return [found[start] for start in sorted(found)]


_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})(?![\d/])")


def slash_dates_day_first(text: str) -> bool:
    """Whether a document writes slashed dates day first: False only when some slashed date
    can be read month first alone (11/17/2017) and none day first alone (17/11/2017)."""
    firsts_over_12 = seconds_over_12 = False
    for match in _SLASH_DATE.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        firsts_over_12 |= first > 12 >= second
        seconds_over_12 |= second > 12 >= first
    return not (seconds_over_12 and not firsts_over_12)


def parse_date(text: str, *, day_first: bool = True) -> str | None:
    """The single date `text` consists of, ISO, e.g. '1. März 2026' -> '2026-03-01'."""
    found = find_dates(text, day_first=day_first)
    return found[0].value if len(found) == 1 else None
