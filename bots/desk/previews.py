"""Page images of an original, rendered on the server by the limited renderer (ocr.render:
time, memory and pixel limits, a few at a time) — the PDF as the caseworker will receive it:
the original PDF, a scan's images as PDF, or the readable rendering of an XML e-invoice. The
browser never sees the original file itself.

Every answer is remembered, a failure too, and a page asked for by several clerks at once is
rendered once: a hostile PDF costs one bounded render, not one per click."""

from __future__ import annotations

import tempfile
from pathlib import Path

import structlog

from bots.filing.pdf import pdf_of
from bots.memo import Memo
from bots.pipeline.recorded import recorded_invoice
from bots.storage.ledger import DocumentRow
from bots.storage.store import Store
from ocr.model import ReadError
from ocr.render import Limits, fitting_dpi, page_count, page_size, render_page

log = structlog.get_logger("review_desk")

_NO_PREVIEW = (b"", 0)
MIN_DPI = 20  # a page that only fits the pixel limit below this shows no image
PREVIEW_LIMITS = Limits(max_megapixels=25.0, timeout=20.0, memory_bytes=768 * 2**20)


class Previews:
    """Renders and remembers (in memory, bounded) the pages of the originals."""

    def __init__(self, dpi: int = 110, max_entries: int = 64, limits: Limits = PREVIEW_LIMITS):
        self.dpi = dpi
        self.limits = limits
        self._memo = Memo(max_entries)

    def page_count(self, store: Store, row: DocumentRow) -> int:
        """How many pages can be shown (0: no preview, e.g. encrypted or not a document)."""
        return self._pdf(store, row)[1]

    def png(self, store: Store, row: DocumentRow, page: int) -> bytes | None:
        pdf, pages = self._pdf(store, row)
        if not 1 <= page <= pages:
            return None
        return self._memo.get(("png", row.sha256, page), lambda: self._render(pdf, page, row.id))

    def _pdf(self, store: Store, row: DocumentRow) -> tuple[bytes, int]:
        return self._memo.get(("pdf", row.sha256, row.kind),
                             lambda: self._readable_pdf(store, row))

    def _render(self, pdf: bytes, page: int, doc_id: str) -> bytes | None:
        with tempfile.TemporaryDirectory(prefix="rbot-preview-") as folder:
            path = Path(folder) / "page.pdf"
            path.write_bytes(pdf)
            try:
                dpi = fitting_dpi(page_size(path, page, self.limits), self.dpi, self.limits)
                if dpi < MIN_DPI:
                    raise ReadError("too_large", f"page {page} too large for a preview")
                return render_page(path, page, dpi, fmt="png", limits=self.limits)
            except ReadError as exc:
                log.warning("preview_refused", document_id=doc_id, page=page, reason=exc.code)
                return None

    def _readable_pdf(self, store: Store, row: DocumentRow) -> tuple[bytes, int]:
        try:
            pdf = pdf_of(store.read(row.sha256), recorded_invoice(row))
            with tempfile.TemporaryDirectory(prefix="rbot-preview-") as folder:
                path = Path(folder) / "doc.pdf"
                path.write_bytes(pdf)
                return pdf, page_count(path, self.limits)
        except Exception:  # noqa: BLE001 - poppler, Pillow or img2pdf on a broken original: no preview
            return _NO_PREVIEW
