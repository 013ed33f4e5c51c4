"""The resolution of an image file's page: what its pixels are worth on paper.

An image file declares one, but smartphone photos and some scanners declare 72 dpi
whatever they hold. Where the file says nothing useful, the size of the letters tells: the
median letter of an invoice is about 23 pixels high at 300 dpi (measured on the corpus
pages, 19 to 27). (A PDF page's image has the resolution its placement gives: ocr.pages.)
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr.quality import LETTER_PX_AT_300, MIN_DPI

_MIN_LETTERS = 30
_MAX_SIDE = 1600  # letters are measured on a copy this size at most (speed)


def letter_dpi(gray: np.ndarray) -> int | None:
    """The resolution the letters' size suggests, None with too few letters to tell."""
    scale = min(1.0, _MAX_SIDE / max(gray.shape))
    small = gray if scale == 1.0 else cv2.resize(
        gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, binary = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    heights = stats[1:, 3]
    widths = stats[1:, 2]
    letters = heights[(heights >= 3) & (widths <= 3 * heights) & (heights <= small.shape[0] / 20)]
    if len(letters) < _MIN_LETTERS:
        return None
    return round(300 * float(np.median(letters)) / scale / LETTER_PX_AT_300)


def image_dpi(gray: np.ndarray, declared: int | None) -> int:
    """The resolution of an image file's pixels: what it declares, unless that is missing
    or below MIN_DPI: then the letters decide (a photo declared 72 dpi may hold 400)."""
    if declared is not None and declared >= MIN_DPI:
        return declared
    return letter_dpi(gray) or declared or 300
