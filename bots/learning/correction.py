"""The desk's correction teaches: the original's reading (a scan's OCR words, a PDF's text
layer; the one bots.pipeline.reread keeps for the desk) is searched for the typed fields,
which are learned (bots.learning.teach). Learning never stops a correction: what cannot be
read teaches nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import structlog

from bots.learning.teach import LEARNABLE, Taught, learn_from_correction
from bots.pipeline.context import Context
from bots.pipeline.fieldnames import label
from bots.pipeline.reread import reading_of
from bots.storage.learned_hints import LearnedHints
from bots.storage.ledger import DocumentRow
from ocr.model import Kind

log = structlog.get_logger("learning")


def learn_from_desk(ctx: Context, row: DocumentRow, read: Mapping[str, str | None],
                    corrected: Mapping[str, str | None], changed: Iterable[str], *,
                    actor: str) -> Taught:
    fields = [f for f in changed if f in LEARNABLE and corrected.get(f)]
    if not fields or row.kind is None or Kind(row.kind).is_einvoice:
        return Taught(None, (), ())
    reading = reading_of(ctx, row)
    if reading is None:
        log.warning("learning_unreadable", document_id=row.id)
        return Taught(None, (), tuple(fields))
    return learn_from_correction(LearnedHints(ctx.ledger), reading, read, corrected, fields,
                                 document_id=row.id, actor=actor)


def learned_note(taught: Taught) -> str:
    """What the clerk is told about what the bot learned (German)."""
    parts = []
    if taught.learned:
        parts.append("Gelernt für diesen Rechnungssteller: "
                     f"{', '.join(label(f) for f in taught.learned)}.")
    if taught.not_found:
        parts.append("Nicht auf der Seite gefunden (nichts gelernt): "
                     f"{', '.join(label(f) for f in taught.not_found)}.")
    return " ".join(parts)
