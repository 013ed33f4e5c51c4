"""Separator sheets and blank pages in a stack of scanned invoices.

A separator sheet carries a QR code with an agreed text (samples/trennblatt.pdf prints
"RBOT-TRENNBLATT", 7 cm wide); OpenCV's QR code detector reads it. Pages are looked at
small (100 dpi is plenty for such a code) and never OCR'd here; a scanner's page image is
taken out of the PDF as it is, not rendered (ocr.pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ocr import quality
from ocr.pages import image_frame, pdf_page_image, render_pdf_page

LOOK_DPI = 100


@dataclass(frozen=True)
class LookTask:
    path: str
    page: int  # 1-based
    is_pdf: bool
    separator_text: str
    scan_dpi: int | None = None  # a PDF page's image resolution, if it is one image
    direct: bool = False  # ... that can be taken out as it is


def qr_texts(gray: np.ndarray) -> list[str]:
    """The texts of the QR codes OpenCV finds on a page."""
    detector = cv2.QRCodeDetector()
    try:
        found, texts, _, _ = detector.detectAndDecodeMulti(gray)
    except cv2.error:
        return []
    return [t for t in texts if t] if found else []


def is_separator(gray: np.ndarray, text: str) -> bool:
    return text in qr_texts(gray)


def page_kind(task: LookTask) -> str:
    """'separator', 'blank' or 'content' (a page that cannot be made counts as content: the
    document's own reading reports it)."""
    try:
        gray = _small_page(task)
    except Exception:  # noqa: BLE001 - broken pages are the reader's business, not ours
        return "content"
    if is_separator(gray, task.separator_text):
        return "separator"
    return "blank" if quality.is_blank(quality.levels(gray)) else "content"


def _small_page(task: LookTask) -> np.ndarray:
    path = Path(task.path)
    gray, dpi = None, task.scan_dpi
    if task.is_pdf and task.direct and dpi:
        gray = pdf_page_image(path, task.page)
    if gray is None and task.is_pdf:
        return render_pdf_page(path, task.page, LOOK_DPI)
    if gray is None:
        gray, dpi = image_frame(path, task.page - 1)
    scale = min(1.0, LOOK_DPI / (dpi or 300))
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
