"""IBANs, VAT IDs and Leitweg-IDs in printed text, checked with python-stdnum."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import iban as stdnum_iban
from stdnum.eu import vat as stdnum_vat
from stdnum.iso7064 import mod_97_10


@dataclass(frozen=True)
class Identifier:
    start: int
    end: int
    value: str  # compact, upper case
    valid: bool  # checksum (and country format) verified
    repaired: bool = False  # OCR look-alikes (O for 0 ...) were replaced


# Letters OCR reads for digits (O for 0, l for 1, S for 5, B for 8 ...): replaced only where
# a checksum then confirms the whole number.
_DIGIT_LOOKALIKES = {
    "O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "i": "1", "|": "1", "L": "1",
    "Z": "2", "z": "2", "S": "5", "s": "5", "G": "6", "b": "6", "T": "7", "B": "8",
}
_LOOKALIKES = str.maketrans(_DIGIT_LOOKALIKES)
# Up to 34 characters in groups of any size separated by blanks (OCR may double them, or
# part the country from the check digits: "DE 28 5206 ..."); the check digits may be any of
# the look-alikes.
_IBAN = re.compile(
    r"(?<![A-Z0-9])(?:(?-i:[A-Z]{2}) |[A-Z]{2})[0-9" + re.escape("".join(_DIGIT_LOOKALIKES))
    + r"]{2}"
    r"(?: {0,2}[A-Z0-9|]){11,32}", re.IGNORECASE
)
_NUMERIC_BBAN = {"DE", "AT", "BE", "PL", "HU", "SK", "CZ", "ES", "PT", "FI", "DK", "EE", "LT", "SI"}


def _iban_prefixes(text: str, start: int, end: int):
    """(end position, compact text) of every prefix of the match, longest first."""
    chars = [(i, "1" if c == "|" else c) for i, c in enumerate(text[start:end], start) if c != " "]
    for n in range(len(chars), 14, -1):
        yield chars[n - 1][0] + 1, "".join(c for _, c in chars[:n]).upper()


# How IBANs are printed: compact, or in groups of four with a shorter last group (blanks
# between groups doubled by OCR now and then).
_IBAN_PRINTED = re.compile(
    r"(?<![A-Z0-9])[A-Z]{2} ?\d{2}"
    r"(?:[A-Z0-9]{10,30}|(?: {1,2}[A-Z0-9]{4}){2,7}(?: {1,2}[A-Z0-9]{1,3})?)(?![A-Z0-9])"
)


def _checked_iban(candidate: str) -> tuple[str, bool] | None:
    """(IBAN, repaired) if `candidate`, or its OCR look-alikes repaired, is a valid IBAN."""
    if stdnum_iban.is_valid(candidate):
        return candidate, False
    if candidate[:2] in _NUMERIC_BBAN:
        repaired = candidate[:2] + candidate[2:].translate(_LOOKALIKES)
        if repaired != candidate and stdnum_iban.is_valid(repaired):
            return repaired, True
    return None


def _first_valid(text: str, match: re.Match) -> Identifier | None:
    for end, candidate in _iban_prefixes(text, match.start(), match.end()):
        checked = _checked_iban(candidate)
        if checked:
            return Identifier(match.start(), end, checked[0], True, checked[1])
    return None


def _valid_ibans(text: str) -> list[Identifier]:
    """Valid IBANs; a shape that is none ("bitte auf Konto DE47..." read as one, 't' being a
    look-alike of 7) is searched again from its next character."""
    found, position = [], 0
    while match := _IBAN.search(text, position):
        identifier = _first_valid(text, match)
        if identifier is None:
            position = match.start() + 1
            continue
        found.append(identifier)
        position = identifier.end
    return found


def find_ibans(text: str, *, checked: bool = True) -> list[Identifier]:
    """IBANs in `text`: the longest reading of each match that is valid (country format and
    mod-97 checksum). checked=False adds IBAN-shaped strings that fail the check."""
    found = _valid_ibans(text)
    if not checked:
        for match in _IBAN_PRINTED.finditer(text):
            if not any(f.start < match.end() and match.start() < f.end for f in found):
                found.append(
                    Identifier(match.start(), match.end(), match.group().replace(" ", ""), False)
                )
    return sorted(found, key=lambda f: f.start)


_VAT_COUNTRIES = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "EL",
    "ES",
    "FI",
    "FR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
    "XI",
    "GB",
    "CH",
    "NO",
]
_VAT = re.compile(
    rf"(?<![A-Z0-9])(?:{'|'.join(_VAT_COUNTRIES)})(?: ?[0-9A-Z]{{2,12}})(?:[ .][0-9]{{2,4}}){{0,4}}(?![0-9A-Z])"
)
_VAT_SHAPE = re.compile(r"[A-Z]{2}[0-9A-Z]{8,13}")
# Countries whose VAT ID bodies are digits only (after the prefix 'U' for Austria).
_ALL_DIGITS = {"DE": re.compile(r"\d{9}"), "AT": re.compile(r"U\d{8}")}
_NO_MATCH = re.compile(r"(?!)")


def vat_valid(value: str) -> bool:
    """True when stdnum verifies the VAT ID's check digits (EU member states)."""
    return value[:2] not in ("GB", "CH", "NO") and stdnum_vat.is_valid(value)


def _vat_value(raw: str) -> tuple[str, bool, bool] | None:
    """(VAT ID, checksum valid, OCR look-alikes repaired) of a VAT-ID-shaped string."""
    value = re.sub(r"[\s.]", "", raw).upper()
    if not _VAT_SHAPE.fullmatch(value) or not any(c.isdigit() for c in value[2:]):
        return None
    if vat_valid(value):
        return value, True, False
    repaired = value[:2] + value[2:].translate(_LOOKALIKES)
    if repaired != value and vat_valid(repaired):
        return repaired, True, True
    if repaired != value and _ALL_DIGITS.get(value[:2], _NO_MATCH).fullmatch(repaired[2:]):
        return repaired, False, True  # a letter where only digits can stand; unverified
    return value, False, False


def find_vat_ids(text: str, avoid: list[Identifier] = ()) -> list[Identifier]:
    """VAT identification numbers (country prefix + digits), checksum-verified where stdnum
    can; OCR look-alikes (Z for 2, L for 1 ...) repaired where the checksum confirms it."""
    found = []
    for match in _VAT.finditer(text):
        if any(i.start < match.end() and match.start() < i.end for i in avoid):
            continue
        checked = _vat_value(match.group())
        if checked:
            found.append(Identifier(match.start(), match.end(), *checked))
    return found


def leitweg_valid(value: str) -> bool:
    """A Leitweg-ID: coarse (2-12 digits), optional fine address, check digits (ISO 7064 97-10)."""
    if not re.fullmatch(r"\d{2,12}(?:-[A-Z0-9]{1,30})?-\d{2}", value.upper()):
        return False
    return mod_97_10.is_valid(value.replace("-", "").upper())
