"""One page of a scan, start to finish, in one worker process: the page image made once,
its quality checked, prepared, read by Tesseract, and kept as a JPEG for the searchable PDF.

Everything a worker returns is a small picklable value; failures come back as a ReadError
in the result, never as a crash of the pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ocr import quality
from ocr.model import ReadError, Word
from ocr.pages import image_frame, pdf_page_image, render_pdf_page
from ocr.preprocess import DEFAULT_STEPS, prepare, rescale
from ocr.resolution import image_dpi
from ocr.tesseract import ocr_words

JPEG_QUALITY = 75


@dataclass(frozen=True)
class PageTask:
    path: str  # the document, written once to a temporary file
    page: int  # 1-based
    is_pdf: bool
    render_dpi: int  # PDF pages that are rendered are rendered at this resolution
    scan_dpi: int | None  # what a PDF page's image was scanned at, if it has one
    lang: str
    steps: frozenset[str] = DEFAULT_STEPS
    gate: bool = True
    direct: bool = False  # a PDF page that is one image: taken out, not rendered


@dataclass(frozen=True)
class PageResult:
    page: int
    words: tuple[Word, ...] = ()
    blank: bool = False
    problem: quality.Problem | None = None
    jpeg: str = ""  # path of a JPEG of the page as OCR read it, beside the document
    size: tuple[int, int] = (0, 0)  # pixels (width, height) of that image
    dpi: int = 300
    turn: int = 0
    skew: float = 0.0
    error: ReadError | None = None


def _page_image(task: PageTask) -> tuple[np.ndarray, int, int]:
    """The page image, the dpi of its pixels and the dpi it was scanned at."""
    path = Path(task.path)
    if not task.is_pdf:
        gray, declared = image_frame(path, task.page - 1)
        dpi = image_dpi(gray, declared)
        return gray, dpi, dpi
    if task.direct and task.scan_dpi:
        gray = pdf_page_image(path, task.page)
        if gray is not None:
            return gray, task.scan_dpi, task.scan_dpi
    gray = render_pdf_page(path, task.page, task.render_dpi)
    scanned = min(task.render_dpi, task.scan_dpi or task.render_dpi)
    return gray, task.render_dpi, scanned


def _jpeg(image: np.ndarray, task: PageTask) -> str:
    """The page image saved as a JPEG beside the document's temporary file."""
    path = f"{task.path}.page{task.page}.jpg"
    if not cv2.imwrite(path, image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]):
        raise ReadError("unreadable", "page image not writable")
    return path


def _read(task: PageTask) -> PageResult:
    gray, dpi, scanned_dpi = _page_image(task)
    found = quality.levels(gray)
    if quality.is_blank(found):
        return PageResult(task.page, blank=True, jpeg=_jpeg(gray, task),
                          size=(gray.shape[1], gray.shape[0]), dpi=dpi)
    if task.gate and scanned_dpi < quality.MIN_DPI:
        return PageResult(task.page, problem=quality.LOW_RESOLUTION, dpi=scanned_dpi)
    gray, dpi = rescale(gray, dpi)
    problem = quality.check(gray, dpi, found) if task.gate else None
    if problem is not None:
        return PageResult(task.page, problem=problem, dpi=dpi)
    prepared = prepare(gray, dpi, task.steps)
    image = prepared.image
    words = ocr_words(prepared.ocr, task.page, lang=task.lang, dpi=prepared.dpi,
                      binary="binarise" in task.steps)
    return PageResult(task.page, words=words, jpeg=_jpeg(image, task),
                      size=(image.shape[1], image.shape[0]), dpi=prepared.dpi,
                      turn=prepared.turn, skew=prepared.skew)


def read_page(task: PageTask) -> PageResult:
    """Make, check, prepare and OCR one page; a ReadError comes back inside the result."""
    try:
        return _read(task)
    except ReadError as exc:
        return PageResult(task.page, error=exc)
    except (cv2.error, ValueError, MemoryError) as exc:  # exotic pixel formats, huge pages
        error = ReadError("unreadable", f"page {task.page} not preparable ({type(exc).__name__})")
        return PageResult(task.page, error=error)
