"""Page images of an original, rendered on the server with poppler (pdf2image): the PDF as
the caseworker will receive it — the original PDF, a scan's images as PDF, or the readable
rendering of an XML e-invoice. The browser never sees the original file itself."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict

from pdf2image import convert_from_bytes, pdfinfo_from_bytes

from bots.filing.pdf import pdf_of
from bots.pipeline.recorded import recorded_invoice
from bots.storage.ledger import DocumentRow
from bots.storage.store import Store

_NO_PREVIEW = (b"", 0)


class Previews:
    """Renders and remembers (in memory, bounded) the pages of the originals."""

    def __init__(self, dpi: int = 110, max_entries: int = 64):
        self.dpi = dpi
        self.max_entries = max_entries
        self._cache: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def page_count(self, store: Store, row: DocumentRow) -> int:
        """How many pages can be shown (0: no preview, e.g. encrypted or not a document)."""
        return self._pdf(store, row)[1]

    def png(self, store: Store, row: DocumentRow, page: int) -> bytes | None:
        pdf, pages = self._pdf(store, row)
        if not 1 <= page <= pages:
            return None
        return self._cached(("png", row.sha256, page), lambda: self._render(pdf, page))

    def _pdf(self, store: Store, row: DocumentRow) -> tuple[bytes, int]:
        return self._cached(("pdf", row.sha256, row.kind), lambda: _readable_pdf(store, row))

    def _render(self, pdf: bytes, page: int) -> bytes:
        image = convert_from_bytes(pdf, dpi=self.dpi, first_page=page, last_page=page)[0]
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG", optimize=True)
        return out.getvalue()

    def _cached(self, key: tuple, make):
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = make()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self.max_entries:
                self._cache.popitem(last=False)
        return value


def _readable_pdf(store: Store, row: DocumentRow) -> tuple[bytes, int]:
    try:
        pdf = pdf_of(store.read(row.sha256), recorded_invoice(row))
        pages = int(pdfinfo_from_bytes(pdf)["Pages"])
    except Exception:  # noqa: BLE001 - poppler, Pillow or img2pdf on a broken original: no preview
        return _NO_PREVIEW
    return pdf, pages
