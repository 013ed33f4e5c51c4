"""A stack of invoices scanned into one file, cut into its invoices: at separator sheets
(ocr.separator), and where wanted at blank pages. Each part keeps its pages as they were
scanned (PDF pages copied as they are, TIFF frames saved again losslessly); the separator
sheets and blank pages themselves are left out.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

from ocr.images import image_format, open_image
from ocr.model import ReadError
from ocr.pages import PageGeometry, page_geometry, plan_pdf_pages
from ocr.pdf import is_pdf, open_pdf
from ocr.pdftext import has_usable_text, pdf_text
from ocr.pool import run_parallel
from ocr.separator import LookTask, page_kind

MAX_BATCH_PAGES = 500


@dataclass(frozen=True)
class Part:
    pages: tuple[int, ...]  # 1-based pages of the batch
    data: bytes  # a file of the same format holding just these pages
    suffix: str  # ".pdf" or ".tif"


def _scan_pages(data: bytes) -> tuple[list[PageGeometry], str] | None:
    """(geometry of each page, format) of a multi-page scan: an image-only PDF or a
    multi-frame TIFF (whose pages have no geometry to speak of)."""
    try:
        if is_pdf(data):
            reader = open_pdf(data)
            pages = len(reader.pages)
            if pages < 2 or pages > MAX_BATCH_PAGES or has_usable_text(pdf_text(data), pages):
                return None  # born digital: never split by looking at pictures
            return [page_geometry(page) for page in reader.pages], "pdf"
        if image_format(data) == "tiff":
            frames = getattr(open_image(data), "n_frames", 1)
            return ([PageGeometry(0, 0, 0)] * frames, "tiff") if 2 <= frames <= MAX_BATCH_PAGES \
                else None
    except ReadError:
        return None  # the pipeline reads it and reports why it cannot
    return None


def _look_tasks(path: Path, geometry: list[PageGeometry], fmt: str,
                separator_text: str) -> list[LookTask]:
    if fmt != "pdf":
        return [LookTask(str(path), n, False, separator_text) for n in range(1, len(geometry) + 1)]
    plans = plan_pdf_pages(path, geometry)
    return [LookTask(str(path), n, True, separator_text, plan.scan_dpi, plan.direct)
            for n, plan in enumerate(plans, start=1)]


def _groups(kinds: list[str], at_blank_pages: bool) -> list[tuple[int, ...]]:
    """Runs of content pages between cuts (separator sheets, blank pages if wanted)."""
    groups: list[list[int]] = [[]]
    for number, kind in enumerate(kinds, start=1):
        if kind == "separator" or (kind == "blank" and at_blank_pages):
            groups.append([])
        elif kind == "content" or kind == "blank":
            groups[-1].append(number)
    return [tuple(group) for group in groups if group]


def _pdf_part(data: bytes, pages: tuple[int, ...]) -> bytes:
    reader = PdfReader(io.BytesIO(data), strict=False)
    writer = PdfWriter()
    for page in pages:
        writer.add_page(reader.pages[page - 1])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _tiff_part(data: bytes, pages: tuple[int, ...]) -> bytes:
    frames, dpi = [], None
    with Image.open(io.BytesIO(data)) as image:
        for page in pages:
            image.seek(page - 1)
            dpi = dpi or image.info.get("dpi")
            frames.append(image.copy())
    compression = "group4" if all(f.mode == "1" for f in frames) else "tiff_adobe_deflate"
    out = io.BytesIO()
    extra = {"dpi": dpi} if dpi else {}
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:],
                   compression=compression, **extra)
    return out.getvalue()


def split_batch(data: bytes, *, separator_text: str, at_blank_pages: bool = False,
                jobs: int | None = None) -> list[Part] | None:
    """The invoices of a batch scan, or None when the file is no multi-page scan or nothing
    divides it (no separator sheet; no blank page, or blank pages are not cuts)."""
    scan = _scan_pages(data)
    if scan is None:
        return None
    geometry, fmt = scan
    with tempfile.TemporaryDirectory(prefix="rbot-batch-") as folder:
        path = Path(folder) / f"batch.{fmt}"
        path.write_bytes(data)
        tasks = _look_tasks(path, geometry, fmt, separator_text)
        kinds = run_parallel(page_kind, tasks, jobs)
    if "separator" not in kinds and not (at_blank_pages and "blank" in kinds):
        return None
    groups = _groups(kinds, at_blank_pages)
    if not groups:
        return None
    make, suffix = (_pdf_part, ".pdf") if fmt == "pdf" else (_tiff_part, ".tif")
    return [Part(group, make(data, group), suffix) for group in groups]
