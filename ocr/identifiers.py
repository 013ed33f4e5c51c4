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


# Up to 34 characters in groups of any size separated by single blanks.
_IBAN = re.compile(r"(?<![A-Z0-9])[A-Z]{2}[0-9OIl]{2}(?: ?[A-Z0-9OIl]){11,32}", re.IGNORECASE)
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_NUMERIC_BBAN = {"DE", "AT", "BE", "PL", "HU", "SK", "CZ", "ES", "PT", "FI", "DK", "EE", "LT", "SI"}


def _iban_prefixes(text: str, start: int, end: int):
    """(end position, compact text) of every prefix of the match, longest first."""
    chars = [(i, c) for i, c in enumerate(text[start:end], start) if c != " "]
    for n in range(len(chars), 14, -1):
        yield chars[n - 1][0] + 1, "".join(c for _, c in chars[:n]).upper()


# How IBANs are printed: compact, or in groups of four with a shorter last group.
_IBAN_PRINTED = re.compile(
    r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{10,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Z0-9])"
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


def _valid_ibans(text: str) -> list[Identifier]:
    found = []
    for match in _IBAN.finditer(text):
        for end, candidate in _iban_prefixes(text, match.start(), match.end()):
            checked = _checked_iban(candidate)
            if checked:
                found.append(Identifier(match.start(), end, checked[0], True, checked[1]))
                break
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


def vat_valid(value: str) -> bool:
    """True when stdnum verifies the VAT ID's check digits (EU member states)."""
    return value[:2] not in ("GB", "CH", "NO") and stdnum_vat.is_valid(value)


def _vat_value(raw: str) -> tuple[str, bool] | None:
    value = re.sub(r"[\s.]", "", raw).upper()
    if not _VAT_SHAPE.fullmatch(value) or not any(c.isdigit() for c in value[2:]):
        return None
    return value, vat_valid(value)


def find_vat_ids(text: str, avoid: list[Identifier] = ()) -> list[Identifier]:
    """VAT identification numbers (country prefix + digits), checksum-verified where stdnum can."""
    found = []
    for match in _VAT.finditer(text):
        if any(i.start < match.end() and match.start() < i.end for i in avoid):
            continue
        checked = _vat_value(match.group())
        if checked:
            found.append(Identifier(match.start(), match.end(), checked[0], checked[1]))
    return found


def leitweg_valid(value: str) -> bool:
    """A Leitweg-ID: coarse (2-12 digits), optional fine address, check digits (ISO 7064 97-10)."""
    if not re.fullmatch(r"\d{2,12}(?:-[A-Z0-9]{1,30})?-\d{2}", value.upper()):
        return False
    return mod_97_10.is_valid(value.replace("-", "").upper())
