"""One page of a scan or photo, start to finish, in one worker process: the page image made
once, a photo's sheet found and straightened, its quality checked, prepared, read by
Tesseract, and kept as a JPEG for the searchable PDF (a page the gate refuses too: the
filed PDF holds every page).

Everything a worker returns is a small picklable value; failures come back as a ReadError
in the result, never as a crash of the pool.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ocr import quality
from ocr.illumination import flatten
from ocr.keystone import straighten_print
from ocr.model import ReadError, Word
from ocr.pages import image_frame, pdf_page_image, render_pdf_page
from ocr.photo import Sheet, find_sheet, straighten
from ocr.preprocess import DEFAULT_STEPS, prepare, rescale, whiten_borders
from ocr.render import MAX_MEGAPIXELS
from ocr.reread import read_dropped
from ocr.resolution import image_dpi, letter_dpi, photo_dpi, sheet_dpi
from ocr.tesseract import CONFIDENT_WORD, ocr_words

JPEG_QUALITY = 75
STATED_DPI = 150  # a resolution a scanner states; phones state 72 or nothing
_SMALL = (quality.LOW_RESOLUTION, quality.PAGE_TOO_SMALL)
GRAY_BELOW = 150  # pages of fewer dpi are scaled up and read in gray, not black and white
MIN_CONFIDENT_CHARS = 20  # fewer word characters read surely than this: nothing read
_LEGIBLE_SHARE = 0.5  # small print is legible where OCR is sure of this share of its words


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
    max_megapixels: float = MAX_MEGAPIXELS  # the configured limit (limits.max_megapixels)


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


def _page_image(task: PageTask) -> tuple[np.ndarray, int | None, int | None, bool]:
    """The page image, the dpi of its pixels, the dpi it was scanned at, and whether a
    scanner stated that (150 dpi or more; a phone states 72 or nothing). An image file
    gives what it declares, if anything, for both (see _prepared)."""
    path = Path(task.path)
    if not task.is_pdf:
        gray, declared = image_frame(path, task.page - 1, task.max_megapixels)
        return gray, declared, declared, (declared or 0) >= STATED_DPI
    stated = (task.scan_dpi or STATED_DPI) >= STATED_DPI
    if task.direct and task.scan_dpi:
        gray = pdf_page_image(path, task.page)
        if gray is not None:
            return gray, task.scan_dpi, task.scan_dpi, stated
    gray = render_pdf_page(path, task.page, task.render_dpi, task.max_megapixels)
    scanned = min(task.render_dpi, task.scan_dpi or task.render_dpi)
    return gray, task.render_dpi, scanned, stated


def _jpeg(image: np.ndarray, task: PageTask) -> str:
    """The page image saved as a JPEG beside the document's temporary file."""
    path = f"{task.path}.page{task.page}.jpg"
    if not cv2.imwrite(path, image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]):
        raise ReadError("unreadable", "page image not writable")
    return path


def _found(gray: np.ndarray, steps: frozenset[str], stated: bool) -> tuple[np.ndarray, Sheet]:
    """A photo's sheet, straightened when all of it is in the frame; a frame whose sheet
    is not found (an edge in a shadow), straightened by its print where that shows a
    perspective. (A sheet against the edge of a frame whose resolution a scanner `stated`
    is a small page on a scanner's dark lid, laid into the platen's corner: not a photo;
    nor is a page whose resolution a scanner stated seen at a slant.)"""
    sheet = find_sheet(gray) if "sheet" in steps else Sheet()
    if sheet.outside and stated:
        sheet = Sheet()
    if sheet.corners is not None:
        gray = straighten(gray, sheet.corners)
    elif not sheet.outside and not stated and "keystone" in steps:
        gray, _ = straighten_print(gray)
    return gray, sheet


def _evened(gray: np.ndarray, dpi: int, steps: frozenset[str], stated: bool,
            sheet: Sheet) -> np.ndarray:
    """The page with a scanner's dark border painted over and uneven light evened out:
    the page as the gate and OCR should judge it."""
    if stated and not sheet.photo and "borders" in steps:
        gray, _ = whiten_borders(gray)  # a scanner's dark border is no uneven light
    if "flatten" in steps:
        gray, _ = flatten(gray, dpi)
    return gray


def _unusable(gray: np.ndarray, scanned_dpi: int, sheet: Sheet) -> quality.Problem | None:
    """A photo whose sheet runs out of the frame; letters too small to read even when
    scaled up: by their own size where the page says less than 150 dpi (a messenger's
    copy, a coarse scan), else by that resolution."""
    if sheet.outside:
        return quality.PAGE_INCOMPLETE
    letters = letter_dpi(gray) if scanned_dpi < 150 else None
    if (letters or scanned_dpi) >= quality.MIN_DPI:
        return None
    return quality.PAGE_TOO_SMALL if sheet.share < quality.SMALL_SHEET else quality.LOW_RESOLUTION


def _small_print(problem: quality.Problem | None, scanned_dpi: int, sheet: Sheet) -> bool:
    """Letters too small to be sure of on a whole sheet that has the resolution to show
    them (a messenger's copy of an invoice in small print): whether they can be read is
    left to what OCR finds, not to their size."""
    return problem in _SMALL and sheet.corners is not None and scanned_dpi >= quality.MIN_DPI


def confident_chars(words: Iterable[Word]) -> int:
    """The letters and digits of the words OCR is sure of."""
    return sum(sum(map(str.isalnum, word.text)) for word in words if word.conf >= CONFIDENT_WORD)


def _legible(words: tuple[Word, ...]) -> bool:
    """OCR found words it is sure of, most of them."""
    sure = sum(1 for word in words if word.conf >= CONFIDENT_WORD)
    return confident_chars(words) >= MIN_CONFIDENT_CHARS and sure >= _LEGIBLE_SHARE * len(words)


def _kept(task: PageTask, image: np.ndarray, dpi: int, **result) -> PageResult:
    """A page that is not read (blank, or refused by the gate), kept for the PDF."""
    return PageResult(task.page, jpeg=_jpeg(image, task), size=(image.shape[1], image.shape[0]),
                      dpi=dpi, **result)


def _prepared(task: PageTask) -> tuple[np.ndarray, int, int, Sheet]:
    """The page found, straightened and evened out, its dpi and the dpi it was scanned at.
    An image file's resolution is what it states, if a scanner stated it, else what the
    size of the sheet or its letters says (ocr.resolution), measured on the sheet once
    it is found and straightened (not on the whole frame)."""
    gray, dpi, scanned_dpi, stated = _page_image(task)
    gray, sheet = _found(gray, task.steps, stated)
    if not task.is_pdf:  # measured on the sheet, not on the desk around it
        dpi = scanned_dpi = (sheet.corners is not None and sheet_dpi(gray)) or image_dpi(gray, dpi)
    gray = _evened(gray, dpi, task.steps, stated, sheet)
    if sheet.photo:  # what a photo declares says nothing about the sheet in it
        dpi = scanned_dpi = photo_dpi(gray, sheet.corners is not None) or dpi
    return gray, dpi, scanned_dpi, sheet


def _read(task: PageTask) -> PageResult:
    gray, dpi, scanned_dpi, sheet = _prepared(task)
    found = quality.levels(gray)
    if quality.is_blank(found):
        return _kept(task, gray, dpi, blank=True)
    problem = _unusable(gray, scanned_dpi, sheet) if task.gate else None
    native = dpi
    gray, dpi = rescale(gray, dpi)
    unsure = problem if _small_print(problem, scanned_dpi, sheet) else None
    if unsure is not None:
        problem = quality.check(gray, dpi, found, native=native, photo=True)
    elif problem is None and task.gate:
        problem = quality.check(gray, dpi, found, native=native, photo=sheet.photo)
    elif problem in _SMALL and sheet.photo and quality.shaken(gray, dpi, native, found):
        problem = quality.MOTION_BLUR
    if problem is not None:
        return _kept(task, gray, dpi, problem=problem)
    steps = task.steps - {"binarise"} if native < GRAY_BELOW else task.steps
    prepared = prepare(gray, dpi, steps)
    image = prepared.image
    words = ocr_words(prepared.ocr, task.page, lang=task.lang, dpi=prepared.dpi,
                      binary="binarise" in steps)
    if sheet.photo:
        words = read_dropped(prepared.ocr, words, task.page, lang=task.lang, dpi=prepared.dpi,
                             binary="binarise" in steps)
    if unsure is not None and not _legible(words):
        return _kept(task, image, prepared.dpi, problem=unsure)
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
