"""Reading an invoice with what was learned about its provider: the provider found by the
keys of a first extraction, its hints given to the extraction as a further candidate source
(ocr.textfields). A hint competes with the labels and passes the same checks: one whose
value a checksum or the totals' arithmetic refutes is not obeyed, and after a few such
refutations it is dropped from the ledger."""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from stdnum import iban as stdnum_iban

from bots.learning.providers import provider_keys
from bots.storage.learned_hints import LearnedHints
from ocr.anchors import AMOUNT_FIELDS, Anchor, read_anchor
from ocr.extract import extract, lines_of
from ocr.identifiers import vat_valid
from ocr.model import Extraction, Reading

log = structlog.get_logger("learning")
_CHECKSUMS = {"iban": stdnum_iban.is_valid, "seller_vat_id": vat_valid}


@dataclass(frozen=True)
class Learned:
    """The extraction, the provider whose hints took part (None: none known), the fields read
    from a hint and those whose hint was refuted."""

    extraction: Extraction
    provider_id: int | None = None
    used: tuple[str, ...] = ()
    refuted: tuple[str, ...] = ()


def extract_with_learning(hints: LearnedHints, reading: Reading) -> Learned:
    """The reading's fields, with its provider's hints when the bot learned some."""
    first = extract(reading)
    if reading.einvoice is not None:
        return Learned(first)  # an e-invoice's XML is the invoice: nothing to learn
    lines = lines_of(reading)
    provider_id = hints.provider_for(provider_keys(first.fields, lines))
    anchors = [Anchor(**h.anchor) for h in hints.hints(provider_id)] if provider_id else []
    if not anchors:
        return Learned(first, provider_id)
    read = {a.field: read_anchor(lines, a)[:1] for a in anchors}
    result = extract(reading, [lambda _lines: [c for cs in read.values() for c in cs]])
    used, refuted = _judged(read, result)
    dropped = hints.record_use(provider_id, used, refuted)
    log.info("hints_applied", provider=provider_id, used=len(used), refuted=len(refuted),
             dropped=len(dropped))
    return Learned(result, provider_id, tuple(used), tuple(refuted))


def _judged(read: dict, result: Extraction) -> tuple[list[str], list[str]]:
    """Fields the hints decided, and hints a checksum or the arithmetic of the totals
    refuted (an amount the chosen consistent totals do not take)."""
    used, refuted = [], []
    for field, found in read.items():
        if not found:
            continue
        value = found[0].value
        valid = _CHECKSUMS.get(field)
        if valid is not None and not valid(value):
            refuted.append(field)
        elif _unsigned(result.fields.get(field)) == _unsigned(value):
            used.append(field)
        elif field in AMOUNT_FIELDS and result.fields.get(field) is not None:
            refuted.append(field)
    return used, refuted


def _unsigned(value: str | None) -> str | None:
    return value.lstrip("-") if value else value  # a credit note's amounts are stated positive
