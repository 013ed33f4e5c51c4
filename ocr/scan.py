"""OCR of scanned PDFs and images: render, prepare and read every page with Tesseract."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

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


@dataclass(frozen=True)
class PageResult:
    page: int
    words: tuple[Word, ...]
    skew: float


def _ocr_page(image: Image.Image, dpi: int, page: int, lang: str) -> PageResult:
    gray, effective_dpi, skew = preprocess.prepare(image, dpi)
    return PageResult(page, ocr_words(gray, page, lang=lang, dpi=effective_dpi), skew)


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
    warnings = tuple(
        f"page {result.page} deskewed by {result.skew:+.1f} degrees"
        for result in results
        if result.skew
    )
    return Reading(kind="scan", pages=len(results), text=text, words=words, warnings=warnings)


def read_scanned_pdf(data: bytes, pages: int, *, lang: str, dpi: int) -> Reading:
    """OCR every page of a PDF rendered at `dpi`."""

    def task(page: int) -> Callable[[], PageResult]:
        return lambda: _ocr_page(_render_pdf_page(data, page, dpi), dpi, page, lang)

    return _reading(_run_pages(task(page) for page in range(1, pages + 1)))


def read_image(data: bytes, *, lang: str) -> Reading:
    """OCR every frame of a PNG, JPEG or (multi-page) TIFF at its own resolution."""
    frames = list(image_pages(open_image(data)))

    def task(page: int, image: Image.Image, dpi: int) -> Callable[[], PageResult]:
        return lambda: _ocr_page(image, dpi, page, lang)

    return _reading(_run_pages(task(n, image, dpi) for n, (image, dpi) in enumerate(frames, 1)))
