"""The reading of a stored original made again after the pipeline is done with it — for the
desk (click-to-fill, the boxes of the fields on the page image) and for learning from a
clerk's correction — kept per document id and file hash, so a scan a clerk works on is
OCR'd once for all of them. Kept without the searchable PDF (its page images are large);
the pipeline itself never takes readings from here."""

from __future__ import annotations

from dataclasses import replace

import structlog

from bots.memo import Memo
from bots.pipeline.context import Context
from bots.pipeline.model import DocumentProblem
from bots.pipeline.recorded import document_of
from bots.pipeline.stages import read_original
from bots.storage.ledger import DocumentRow
from ocr.model import Reading

log = structlog.get_logger("reread")
KEPT = 16
_readings = Memo(KEPT)


def reading_of(ctx: Context, row: DocumentRow) -> Reading | None:
    """The original's reading; None when it cannot be read (remembered too)."""
    return _readings.get((row.id, row.sha256), lambda: _read(ctx, row))


def _read(ctx: Context, row: DocumentRow) -> Reading | None:
    try:
        reading = read_original(ctx, document_of(row), ctx.store.read(row.sha256))
    except (DocumentProblem, OSError) as exc:
        log.warning("reread_failed", document_id=row.id, problem=type(exc).__name__)
        return None
    return replace(reading, pdf=None)
