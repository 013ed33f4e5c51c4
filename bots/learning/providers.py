"""The keys a provider is recognised by on an invoice: its VAT ID, its IBAN (both only when
their checksums hold) and its letterhead (the first printed line of page 1)."""

from __future__ import annotations

from collections.abc import Mapping

from stdnum import iban as stdnum_iban

from ocr.identifiers import vat_valid
from ocr.layout import Line

_LETTERHEAD_CHARS = 40
_MIN_LETTERHEAD = 6


def letterhead(lines: list[Line]) -> str | None:
    """The first non-empty line of page 1, letters and digits only, lower case."""
    for line in lines:
        if line.page == 1 and line.text.strip():
            folded = "".join(c for c in line.text.casefold() if c.isalnum())
            return folded[:_LETTERHEAD_CHARS] if len(folded) >= _MIN_LETTERHEAD else None
    return None


def provider_keys(fields: Mapping[str, str | None], lines: list[Line]) -> list[str]:
    """'vat:…', 'iban:…', 'head:…' — the strongest first."""
    keys = []
    vat, iban = fields.get("seller_vat_id"), fields.get("iban")
    if vat and vat_valid(vat):
        keys.append(f"vat:{vat}")
    if iban and stdnum_iban.is_valid(iban):
        keys.append(f"iban:{iban}")
    head = letterhead(lines)
    if head:
        keys.append(f"head:{head}")
    return keys
