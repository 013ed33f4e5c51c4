"""Learning from a clerk's correction: each field the clerk typed is looked for on the page
(OCR words or text layer); where it is printed, the words that lead to it and its place are
kept for the provider (bots.storage.learned_hints). The desk's correction calls this, and
bench/learning.py calls it the same way."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

import structlog

from bots.learning.providers import provider_keys
from bots.storage.learned_hints import LearnedHints
from ocr.anchors import ANCHORED_FIELDS, NAME_FIELD, learn_anchor
from ocr.extract import lines_of
from ocr.model import Reading

log = structlog.get_logger("learning")
LEARNABLE = (*ANCHORED_FIELDS, NAME_FIELD)


@dataclass(frozen=True)
class Taught:
    provider_id: int | None  # None: nothing learned
    learned: tuple[str, ...]  # fields whose place was found and kept
    not_found: tuple[str, ...]  # fields the clerk typed that are not printed recognisably


def learn_from_correction(hints: LearnedHints, reading: Reading,
                          read: Mapping[str, str | None], corrected: Mapping[str, str | None],
                          changed: Iterable[str], *, document_id: str, actor: str) -> Taught:
    """Keep, for the provider of this invoice, where the `changed` fields (now `corrected`;
    `read` as the bot had them) are printed. E-invoices teach nothing: their XML is read."""
    fields = [f for f in changed if f in LEARNABLE and corrected.get(f)]
    if reading.einvoice is not None or not fields:
        return Taught(None, (), ())
    lines = lines_of(reading)
    anchors, not_found = {}, []
    for field in fields:
        anchor = learn_anchor(lines, field, corrected[field])
        if anchor is None:
            not_found.append(field)
        else:
            anchors[field] = asdict(anchor)
    keys = provider_keys(corrected, lines) + provider_keys(read, lines)
    if not anchors or not keys:
        return Taught(None, (), tuple(fields if not keys else not_found))
    provider_id = hints.learn(keys, corrected.get("seller_name"), anchors,
                              document_id=document_id, actor=actor)
    log.info("hints_learned", document_id=document_id, provider=provider_id,
             fields=sorted(anchors), not_found=sorted(not_found))
    return Taught(provider_id, tuple(sorted(anchors)), tuple(not_found))
