"""The text layer of a PDF, via poppler's `pdftotext -layout` (run with limits by
ocr.render), and whether it is usable."""

from __future__ import annotations

from ocr.model import Reading
from ocr.render import pdf_text as text_layer

# A page "has text" with at least this many real word characters (letters and digits of
# the Latin scripts); fewer is a scan, a stamp or a broken font encoding.
MIN_WORD_CHARS_PER_PAGE = 40


def pdf_text(data: bytes) -> str:
    """The layout-preserving text of all pages, pages separated by form feeds."""
    return text_layer(data).decode("utf-8", errors="replace").rstrip("\f")


def word_chars(text: str) -> int:
    """How many letters and digits of the Latin scripts `text` holds."""
    return sum(1 for char in text if char.isalnum() and ord(char) < 0x0250)


def has_usable_text(text: str, pages: int) -> bool:
    """True when page 1 and at least half of all pages carry real text."""
    page_texts = text.split("\f")
    textual = [word_chars(page) >= MIN_WORD_CHARS_PER_PAGE for page in page_texts]
    return bool(textual) and textual[0] and 2 * sum(textual) >= max(pages, len(page_texts))


def read_text_layer(data: bytes, pages: int) -> Reading:
    """A pdf-text Reading of `data` whatever its text layer holds (benchmarks use this)."""
    return Reading(kind="pdf-text", pages=pages, text=pdf_text(data))
