"""OCR of scanned PDFs and images: render, prepare and read every page with Tesseract."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice

from pdf2image import convert_from_bytes
from PIL import Image

from ocr import preprocess
from ocr.images import image_pages, open_image
from ocr.model import ReadError, Reading, Word
from ocr.tesseract import ocr_words, words_text

# Fewer confidently read word characters than this in the whole document: nothing to read.
MIN_CONFIDENT_CHARS = 20
CONFIDENT_WORD = 0.5
RENDER_TIMEOUT_S = 120
MAX_OCR_PAGES = 30  # an invoice; longer scans are attachments, not worth an hour of OCR


@dataclass(frozen=True)
class PageResult:
    page: int
    words: tuple[Word, ...]


def _ocr_page(image: Image.Image, dpi: int, page: int, lang: str) -> PageResult:
    """Prepare one page image (grayscale, resolution, deskew) and OCR it."""
    try:
        gray, effective_dpi, _ = preprocess.prepare(image, dpi)
    except Exception as exc:  # Pillow / OpenCV on exotic pixel formats
        raise ReadError(
            "unreadable", f"page {page} not preparable for OCR ({type(exc).__name__})"
        ) from None
    return PageResult(page, ocr_words(gray, page, lang=lang, dpi=effective_dpi))


def _render_pdf_page(data: bytes, page: int, dpi: int) -> Image.Image:
    try:
        images = convert_from_bytes(
            data, dpi=dpi, first_page=page, last_page=page, grayscale=True, timeout=RENDER_TIMEOUT_S
        )
    except Exception as exc:  # pdf2image raises its own and subprocess errors
        raise ReadError(
            "corrupt", f"PDF page {page} not renderable ({type(exc).__name__})"
        ) from None
    if not images:
        raise ReadError("corrupt", f"PDF page {page} not renderable")
    return images[0]


def _run_pages(tasks: Iterable[Callable[[], PageResult]]) -> list[PageResult]:
    """Run the per-page tasks on a small thread pool (each Tesseract is its own process)."""
    tasks = list(tasks)
    workers = max(1, min(len(tasks), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(task) for task in tasks]
        return [future.result() for future in futures]


def _confident_chars(words: Iterable[Word]) -> int:
    return sum(
        sum(1 for char in word.text if char.isalnum())
        for word in words
        if word.conf >= CONFIDENT_WORD
    )


def _reading(results: list[PageResult]) -> Reading:
    words = tuple(word for result in results for word in result.words)
    if _confident_chars(words) < MIN_CONFIDENT_CHARS:
        raise ReadError("unreadable", "OCR found no readable text")
    text = "\f".join(words_text(result.words) for result in results)
    return Reading(kind="scan", pages=len(results), text=text, words=words)


def _limited(reading: Reading, pages: int) -> Reading:
    """The reading of a document with more pages than were read, saying so."""
    if pages <= reading.pages:
        return reading
    note = f"OCR limited to the first {reading.pages} of {pages} pages"
    return replace(reading, pages=pages, warnings=(*reading.warnings, note))


def read_scanned_pdf(data: bytes, pages: int, *, lang: str, dpi: int) -> Reading:
    """OCR the pages of a PDF rendered at `dpi` (at most MAX_OCR_PAGES, with a warning)."""

    def task(page: int) -> Callable[[], PageResult]:
        return lambda: _ocr_page(_render_pdf_page(data, page, dpi), dpi, page, lang)

    results = _run_pages(task(page) for page in range(1, min(pages, MAX_OCR_PAGES) + 1))
    return _limited(_reading(results), pages)


def read_image(data: bytes, *, lang: str) -> Reading:
    """OCR the frames of a PNG, JPEG or (multi-page) TIFF at their own resolution (at most
    MAX_OCR_PAGES, with a warning)."""
    image = open_image(data)
    frames = list(islice(image_pages(image), MAX_OCR_PAGES))

    def task(page: int, frame: Image.Image, dpi: int) -> Callable[[], PageResult]:
        return lambda: _ocr_page(frame, dpi, page, lang)

    results = _run_pages(task(n, frame, dpi) for n, (frame, dpi) in enumerate(frames, 1))
    return _limited(_reading(results), getattr(image, "n_frames", 1))
