"""OCR of scanned PDFs and images: the page tasks of a document (each page made once and
read in a worker process, ocr.page), and one Reading with a searchable PDF of their results.

A page the quality gate refuses is not read: better a rescan than wrong fields. It makes the
document unreadable (its German reason as the ReadError's detail) only when no page of the
document reads well; otherwise the pages that do are read and the refused one is named in a
German warning for the clerk. Blank pages (backs of duplex scans) are kept in the PDF and
not read; a document of blank pages is unreadable.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ocr.images import open_image
from ocr.model import PageFrame, ReadError, Reading
from ocr.page import MIN_CONFIDENT_CHARS, PageResult, PageTask, confident_chars
from ocr.pages import PageGeometry, plan_pdf_pages
from ocr.preprocess import DEFAULT_STEPS
from ocr.quality import BLANK_REASON, NO_TEXT_REASON
from ocr.render import MAX_MEGAPIXELS
from ocr.searchable import PageImage, searchable_pdf
from ocr.tesseract import words_text

MAX_OCR_PAGES = 30  # an invoice; longer scans are attachments, not worth an hour of OCR


def _problem_error(result: PageResult, pages: int) -> ReadError:
    return ReadError("unreadable", f"page {result.page} refused by the quality gate "
                     f"({result.problem.code})", result.problem.on_page(result.page, pages))


def _refusal(results: list[PageResult], pages: int) -> ReadError | None:
    """The first page error; or, when no page reads well, the first quality problem."""
    for result in results:
        if result.error is not None:
            return result.error
    if any(result.problem is None and not result.blank for result in results):
        return None
    for result in results:
        if result.problem is not None:
            return _problem_error(result, pages)
    return ReadError("unreadable", "blank pages only", BLANK_REASON)


def _weak_pages(results: list[PageResult]) -> tuple[str, ...]:
    """For the clerk: the pages the gate refused while others were read."""
    return tuple(f"Seite {result.page} nicht gelesen: {result.problem.reason}"
                 for result in results if result.problem is not None)


def _pdf(results: list[PageResult]) -> bytes:
    return searchable_pdf(
        PageImage(r.jpeg, r.size[0], r.size[1], r.dpi, r.words) for r in results
    )


def assemble(results: list[PageResult], pages: int) -> Reading:
    """One Reading of the page results (in page order) of a document with `pages` pages."""
    refusal = _refusal(results, pages)
    if refusal is not None:
        raise refusal
    words = tuple(word for result in results for word in result.words)
    if confident_chars(words) < MIN_CONFIDENT_CHARS:
        weak = [result for result in results if result.problem is not None]
        raise (_problem_error(weak[0], pages) if weak else
               ReadError("unreadable", "OCR found no readable text", NO_TEXT_REASON))
    text = "\f".join(words_text(result.words) for result in results)
    reading = Reading(kind="scan", pages=len(results), text=text, words=words,
                      warnings=_weak_pages(results),
                      pdf=_pdf(results) if pages == len(results) else None,
                      frames=tuple(PageFrame(*r.size, r.turn) for r in results))
    return _limited(reading, pages)


def _limited(reading: Reading, pages: int) -> Reading:
    """The reading of a document with more pages than were read, saying so."""
    if pages <= reading.pages:
        return reading
    note = f"OCR limited to the first {reading.pages} of {pages} pages"
    return replace(reading, pages=pages, warnings=(*reading.warnings, note))


def pdf_tasks(path: Path, geometry: list[PageGeometry], *, lang: str, dpi: int,
              steps: frozenset[str] = DEFAULT_STEPS,
              max_megapixels: float = MAX_MEGAPIXELS) -> list[PageTask]:
    """The page tasks of a scanned PDF file (at most MAX_OCR_PAGES); pages that are not one
    picture are rendered at `dpi`. `geometry`: the pages' sizes and turns, in order."""
    plans = plan_pdf_pages(path, geometry[:MAX_OCR_PAGES])
    return [PageTask(str(path), n, True, dpi, plan.scan_dpi, lang, steps, direct=plan.direct,
                     max_megapixels=max_megapixels)
            for n, plan in enumerate(plans, start=1)]


def image_tasks(path: Path, frames: int, *, lang: str, steps: frozenset[str] = DEFAULT_STEPS,
                max_megapixels: float = MAX_MEGAPIXELS) -> list[PageTask]:
    """The page tasks of a PNG, JPEG or (multi-page) TIFF file at its own resolution."""
    return [PageTask(str(path), n, False, 0, None, lang, steps, max_megapixels=max_megapixels)
            for n in range(1, min(frames, MAX_OCR_PAGES) + 1)]


def frame_count(data: bytes) -> int:
    """The frames of an image file (ReadError when it does not open)."""
    return getattr(open_image(data), "n_frames", 1)
