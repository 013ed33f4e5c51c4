"""The resolution of an image file's page: what its pixels are worth on paper.

An image file declares one, but smartphone photos and some scanners declare 72 dpi
whatever they hold. Where the file says nothing useful, the size of the letters tells: the
median letter of an invoice is about 23 pixels high at 300 dpi (measured on the corpus
pages, 19 to 27). (A PDF page's image has the resolution its placement gives: ocr.pages.)
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr import orientation
from ocr.quality import LETTER_PX_AT_300

_MIN_LETTERS = 30
_MIN_CONTRAST = 40  # gray levels between paper and ink below which nothing is measured
_TRUSTED_DPI = 150  # declared resolutions below this are defaults (72, 96), not facts
_MAX_SIDE = 1600  # letters are measured on a copy this size at most (speed)
A4_INCHES = 297 / 25.4  # the longer side of an A4 sheet (German invoices are A4)
_A4_ASPECT = (1.3, 1.55)  # a straightened sheet this much longer than wide is taken for A4


def _print(small: np.ndarray) -> np.ndarray | None:
    """The print (1) of a page copy, cut half way between paper and ink: where a blurred
    edge was before the blur. None for a page without contrast."""
    paper, ink = np.percentile(small[::3, ::3], (90, 0.5))
    if paper - ink < _MIN_CONTRAST:
        return None
    return (small < (paper + ink) / 2).astype(np.uint8)


def letter_dpi(gray: np.ndarray) -> int | None:
    """The resolution the letters' size suggests, None with too few letters to tell. The
    letters are measured upright: on a page lying on its side their heights are widths."""
    scale = min(1.0, _MAX_SIDE / max(gray.shape))
    small = gray if scale == 1.0 else cv2.resize(
        gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    binary = _print(small)
    if binary is None:
        return None
    _, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    widths, heights = stats[1:, 2], stats[1:, 3]
    if orientation.sideways(binary):
        widths, heights = heights, widths
    longest = max(small.shape) / 20
    letters = heights[(heights >= 3) & (widths <= 3 * heights) & (heights <= longest)]
    if len(letters) < _MIN_LETTERS:
        return None
    return round(300 * float(np.median(letters)) / scale / LETTER_PX_AT_300)


def sheet_dpi(gray: np.ndarray) -> int | None:
    """The resolution of a straightened photo of a whole sheet shaped like A4: its longer
    side over A4's. None for other shapes (a receipt, a half sheet)."""
    longer, shorter = max(gray.shape), min(gray.shape)
    if not _A4_ASPECT[0] <= longer / max(shorter, 1) <= _A4_ASPECT[1]:
        return None
    return round(longer / A4_INCHES)


def photo_dpi(gray: np.ndarray, whole_sheet: bool) -> int | None:
    """The resolution of a photo's sheet: the larger of what its letters suggest and, for a
    whole A4 sheet, what its size says. Small print makes the letters suggest too little
    (a 7-point page photographed at 220 dpi looks like 120), which made sharp photos look
    blurred; larger print than usual suggests more, and the letters are believed then."""
    letters = letter_dpi(gray)
    size = sheet_dpi(gray) if whole_sheet else None
    return max(letters or 0, size or 0) or None


def image_dpi(gray: np.ndarray, declared: int | None) -> int:
    """The resolution of an image file's pixels: what it declares, unless that is missing
    or below _TRUSTED_DPI: then the letters decide (a photo declared 72 dpi may hold 400)."""
    if declared is not None and declared >= _TRUSTED_DPI:
        return declared
    return letter_dpi(gray) or declared or 300
