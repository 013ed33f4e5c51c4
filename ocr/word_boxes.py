"""The words of one PDF page with their boxes, relative to the page (0..1), from poppler's
`pdftotext -bbox` (run with limits by ocr.render): what a clerk can click on a page image.
For a scan, the searchable PDF the OCR made (Reading.pdf) holds the OCR words."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ocr.model import ReadError
from ocr.render import run_limited

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"([^<]*)</word>")


@dataclass(frozen=True)
class WordBox:
    text: str
    x: float  # left edge, share of the page's width
    y: float  # top edge, share of the page's height
    w: float
    h: float


def word_boxes(pdf: bytes, page: int) -> tuple[tuple[float, float], list[WordBox]]:
    """((page width, height) in points, the page's words); ReadError when poppler fails."""
    done = run_limited(["pdftotext", "-bbox", "-enc", "UTF-8", "-q", "-f", str(page),
                        "-l", str(page), "-", "-"], stdin=pdf)
    if done.returncode != 0:
        raise ReadError("corrupt", f"pdftotext -bbox failed (exit {done.returncode})")
    text = done.stdout.decode("utf-8", errors="replace")
    size = _PAGE.search(text)
    if size is None:
        return (0.0, 0.0), []
    width, height = float(size.group(1)), float(size.group(2))
    words = [WordBox(html.unescape(m.group(5)), float(m.group(1)) / width,
                     float(m.group(2)) / height, (float(m.group(3)) - float(m.group(1))) / width,
                     (float(m.group(4)) - float(m.group(2))) / height)
             for m in _WORD.finditer(text[size.end():]) if m.group(5).strip()]
    return (width, height), words
