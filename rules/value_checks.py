"""A rule's value for a field with a check of its own — a VAT ID's, an IBAN's or a
Leitweg-ID's check digits (python-stdnum) — is checked as the invoice's value would be: a
rule that waits for a number no correct invoice can carry is a typing mistake. The message
is German, for the administrator. (Dates and amounts are checked by their kind.)"""

from __future__ import annotations

import re

from stdnum import iban
from stdnum.eu import vat
from stdnum.iso7064 import mod_97_10

_LEITWEG = re.compile(r"\d{2,12}(?:-[A-Z0-9]{1,30})?-\d{2}")
_NO_EU_CHECK = ("GB", "CH", "NO")  # VAT numbers stdnum's EU check does not know


def _vat_ok(value: str) -> bool:
    return value[:2] in _NO_EU_CHECK or vat.is_valid(value)


def _leitweg_ok(value: str) -> bool:
    return bool(_LEITWEG.fullmatch(value)) and mod_97_10.is_valid(value.replace("-", ""))


_CHECKS = {
    "seller_vat_id": (_vat_ok, "USt-IdNr."),
    "iban": (iban.is_valid, "IBAN"),
    "buyer_reference": (_leitweg_ok, "Leitweg-ID"),
}


def value_problem(field: str, value: str) -> str | None:
    """What is wrong with `value` (as the bots deliver it: compact, upper case) for `field`,
    in German; None when it passes the field's own check or the field has none."""
    check = _CHECKS.get(field)
    if check is None or check[0](value.upper()):
        return None
    return (f"„{value}“ ist keine gültige {check[1]} (die Prüfziffer stimmt nicht oder die "
            "Form passt nicht) – vertippt? Tragen die Rechnungen wirklich diese Nummer, "
            f"schreiben Sie sie als Muster: regex: \"^{value}$\"")
