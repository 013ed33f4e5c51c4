"""Table rules and box sides taken out of a page image: thin straight lines, solid or dashed,
that run on longer than any letter. Text that touches a box's side or the rule under it
(bold values in a boxed header, blurred a little by a phone camera) is merged with the
line into one shape that Tesseract does not take for text; without the line the letters
stand alone again. Where a letter's stroke crosses a line, the stroke is kept: only the
pixels where the line is thin are taken out.
"""

from __future__ import annotations

import cv2
import numpy as np

_THICK = 6  # a rule is at most this many pixels thick at 300 dpi (a 1-point rule: 4) ...
_LONG = 100  # ... and at least this many long (a letter is about 23 high)
_DASH_GAP = 4  # gaps of a dashed rule up to this wide are bridged
INK = 128  # gray levels below this are print


def _px(pixels: int, dpi: int) -> int:
    return max(1, round(pixels * dpi / 300))


def _rules_along(ink: np.ndarray, dpi: int, horizontal: bool) -> np.ndarray:
    """The pixels (1) of the thin long lines running one way."""
    across, gap, long = _px(_THICK, dpi) + 1, 2 * _px(_DASH_GAP, dpi) + 1, _px(_LONG, dpi)
    shape = (lambda n: (1, n)) if horizontal else (lambda n: (n, 1))
    thick = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones(shape(across)[::-1], np.uint8))
    thin = ink & ~thick
    joined = cv2.morphologyEx(thin, cv2.MORPH_CLOSE, np.ones(shape(gap), np.uint8))
    return cv2.morphologyEx(joined, cv2.MORPH_OPEN, np.ones(shape(long), np.uint8)) & thin


def without_rules(image: np.ndarray, dpi: int) -> np.ndarray:
    """A copy of the page image (gray or black and white, at `dpi`) with its rules painted
    white."""
    ink = (image < INK).astype(np.uint8)
    rules = _rules_along(ink, dpi, True) | _rules_along(ink, dpi, False)
    cleaned = image.copy()
    cleaned[rules.astype(bool)] = 255
    return cleaned
