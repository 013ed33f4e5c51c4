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


def _bar(length: int, horizontal: bool) -> np.ndarray:
    """A one-pixel-wide structuring element `length` pixels long."""
    return np.ones((1, length) if horizontal else (length, 1), np.uint8)


def _rules_along(ink: np.ndarray, dpi: int, horizontal: bool) -> np.ndarray:
    """The pixels (1) of the thin long lines running one way: ink that is thin across the
    direction, its dashes bridged, in runs at least _LONG long."""
    thick = cv2.morphologyEx(ink, cv2.MORPH_OPEN, _bar(_px(_THICK, dpi) + 1, not horizontal))
    thin = ink & ~thick
    joined = cv2.morphologyEx(thin, cv2.MORPH_CLOSE, _bar(2 * _px(_DASH_GAP, dpi) + 1, horizontal))
    return cv2.morphologyEx(joined, cv2.MORPH_OPEN, _bar(_px(_LONG, dpi), horizontal)) & thin


def without_rules(image: np.ndarray, dpi: int) -> np.ndarray:
    """A copy of the page image (gray or black and white, at `dpi`) with its rules painted
    white."""
    ink = (image < INK).astype(np.uint8)
    rules = _rules_along(ink, dpi, True) | _rules_along(ink, dpi, False)
    cleaned = image.copy()
    cleaned[rules.astype(bool)] = 255
    return cleaned
