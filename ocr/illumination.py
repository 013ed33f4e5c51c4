"""Uneven light evened out before binarisation: a lamp's gradient, a hand's shadow, the
darker edges of a phone photo. One threshold over such a page turns the shaded part into a
black block; dividing the page by its own paper brightness first makes the paper white
everywhere and leaves the print dark.

The paper brightness (background) is estimated on a copy an eighth the size: the print is
taken out by a maximum filter wider than a stroke, the rest smoothed. Pages with even light
(scans) are left as they are.
"""

from __future__ import annotations

import cv2
import numpy as np

_SCALE = 0.125
_PRINT_INCH = 0.15  # print narrower than this is taken out of the background estimate
_UNEVEN = 24  # gray levels between bright and dark paper from which a page is flattened
_PAPER_SHARE = 0.35  # background darker than this share of the brightest is no paper
# (scanner borders, dark boxes): it does not count as uneven light


def background(gray: np.ndarray, dpi: int) -> np.ndarray:
    """The paper's brightness across the page, on a copy an eighth the size."""
    small = cv2.resize(gray, None, fx=_SCALE, fy=_SCALE, interpolation=cv2.INTER_AREA)
    size = max(3, round(_PRINT_INCH * dpi * _SCALE)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    paper = cv2.dilate(small, kernel)
    paper = cv2.medianBlur(paper, min(2 * size + 1, 255) | 1)
    return cv2.GaussianBlur(paper, (0, 0), size / 2)


def uneven(paper: np.ndarray) -> bool:
    """The paper's brightness varies enough to mislead one threshold over the page."""
    bright = float(np.percentile(paper, 98))
    lit = paper[paper >= _PAPER_SHARE * bright]
    return lit.size > 0 and bright - float(np.percentile(lit, 2)) >= _UNEVEN


def flatten(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, bool]:
    """The page divided by its paper brightness (paper white, print dark) when the light
    is uneven; else the page as it is. Returns (image, whether it was flattened)."""
    paper = background(gray, dpi)
    if not uneven(paper):
        return gray, False
    full = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(full, 1), scale=255), True
