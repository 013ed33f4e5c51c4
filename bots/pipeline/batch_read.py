"""Reading the parts of a batch scan together, so a stack of one-page invoices keeps every
core busy: the first part to be read takes its waiting siblings (same parent_id, not yet
read) along into one OCR pool (ocr.read.read_documents); their readings wait in this process
until the pipeline reaches them. Lost on a restart, they are simply read again.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from bots.pipeline.model import Document
from ocr.model import ReadError, Reading
from ocr.read import read_documents

if TYPE_CHECKING:
    from bots.pipeline.context import Context

AHEAD = 7  # siblings read along with a part (memory: their pages wait as JPEGs in a PDF)
_KEPT = 32  # readings kept at most (siblings another bot process took are forgotten)
_ahead: OrderedDict[str, Reading | ReadError] = OrderedDict()


def _siblings(ctx: Context, document: Document) -> list:
    """The other parts of the document's batch that wait to be read, a few at most."""
    row = ctx.ledger.get(document.id)
    if row is None or row.parent_id is None:
        return []
    limit = ctx.config.limits.max_file_mb * 2**20
    return [r for r in ctx.ledger.pending()
            if r.parent_id == row.parent_id and r.id != document.id and r.state == "received"
            and r.sha256 not in _ahead and r.size <= limit][:AHEAD]


def read_part(ctx: Context, document: Document, original: bytes) -> Reading:
    """The document's reading (ReadError if it cannot be read), with its batch siblings read
    in the same pass and kept for later."""
    result = _ahead.pop(document.sha256, None)
    if result is None:
        siblings = _siblings(ctx, document)
        results = read_documents(
            [original, *(ctx.store.read(s.sha256) for s in siblings)],
            lang=ctx.config.ocr_lang, dpi=ctx.config.ocr_dpi, jobs=ctx.config.ocr_jobs or None,
            max_megapixels=ctx.config.limits.max_megapixels)
        for sibling, kept in zip(siblings, results[1:], strict=True):
            _ahead[sibling.sha256] = kept
        while len(_ahead) > _KEPT:
            _ahead.popitem(last=False)
        result = results[0]
    if isinstance(result, ReadError):
        raise result
    return result
