"""Page orientation (0, 90, 180, 270 degrees) from the ink alone, in a few milliseconds.

Tesseract's own orientation detection (OSD) costs about a third of a page's OCR time; this
costs a few percent and is right on every page of the corpus:

- sideways or not: text lines make the row profile of a page sharp and its column profile
  flat; turned by 90 degrees it is the other way round (each profile taken at its best
  angle within the skew range, so a skewed page is no puzzle);
- upright or upside down: Latin text has far more ascenders and capitals (b d f h k l t,
  A-Z) above its x-height band than descenders (g j p q y) below it. Per text line, the ink
  above and below the band is compared, in vertical strips so columns do not blur lines.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr.profiles import Profile

_WIDTH = 1240  # pixels of the working copy (about 150 dpi for A4)
_PROFILE_WIDTH = 600  # ... and of the copy the profiles are compared on
_STRIPS = 6
_MIN_LINE, _MAX_LINE = 6, 60  # text line heights in working-copy pixels
_CORE = 0.5  # rows with at least this share of a line's peak ink form its x-height band
_SIDEWAYS = 1.0  # row sharpness / column sharpness below this: text runs vertically
_UPSIDE_DOWN = -0.1  # up/down balance below this: the page is upside down

_ROTATIONS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def ink(gray: np.ndarray, width: int = _WIDTH) -> np.ndarray:
    """A small binary copy, ink 1 on paper 0 (Otsu)."""
    scale = min(1.0, width / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, binary = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary


def sideways(binary: np.ndarray) -> bool:
    """True when the text lines run from top to bottom (the page lies on its side)."""
    small = _shrunk(binary, _PROFILE_WIDTH)
    _, rows = Profile(small).coarse_skew(step=1.0)
    _, columns = Profile(small.T).coarse_skew(step=1.0)
    return rows < _SIDEWAYS * columns


def _shrunk(binary: np.ndarray, width: int) -> np.ndarray:
    if binary.shape[1] <= width:
        return binary
    scale = width / binary.shape[1]
    return cv2.resize(binary, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)


def _without_rules(binary: np.ndarray) -> np.ndarray:
    """Ruling lines and frames removed: they join text lines into one band."""
    length = max(15, binary.shape[1] // 30)
    horizontal = cv2.morphologyEx(
        binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))
    )
    vertical = cv2.morphologyEx(
        binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))
    )
    return binary & ~(horizontal | vertical)


def _above_below(rows: np.ndarray) -> tuple[float, float]:
    """Ink above and below the x-height band, summed over the text lines of a row profile."""
    steps = np.diff(np.concatenate(([0], (rows > 0).astype(np.int8), [0])))
    above = below = 0.0
    for start, end in zip(np.flatnonzero(steps == 1), np.flatnonzero(steps == -1), strict=True):
        if _MIN_LINE <= end - start <= _MAX_LINE:
            band = rows[start:end]
            core = np.flatnonzero(band >= _CORE * band.max())
            above += float(band[: core[0]].sum())
            below += float(band[core[-1] + 1 :].sum())
    return above, below


def up_down_balance(binary: np.ndarray) -> float:
    """(ink above - ink below the x-height bands) / both: positive when upright, negative
    when upside down, 0 without lower-case text."""
    clean = _without_rules(binary)
    width = clean.shape[1]
    above = below = 0.0
    for strip in range(_STRIPS):
        part = clean[:, strip * width // _STRIPS : (strip + 1) * width // _STRIPS]
        a, b = _above_below(part.sum(axis=1, dtype=np.float64))
        above, below = above + a, below + b
    total = above + below
    return 0.0 if total == 0 else (above - below) / total


def rotate(gray: np.ndarray, degrees: int) -> np.ndarray:
    """The image turned clockwise by 0, 90, 180 or 270 degrees."""
    return gray if degrees % 360 == 0 else cv2.rotate(gray, _ROTATIONS[degrees % 360])


def upside_down(binary: np.ndarray) -> bool:
    """True when the (straight, not sideways) page stands on its head."""
    return up_down_balance(binary) < _UPSIDE_DOWN


def orientation(gray: np.ndarray) -> int:
    """The clockwise turn (0, 90, 180, 270) that makes a straight page upright."""
    binary = ink(gray)
    turn = 0
    if sideways(binary):
        turn = 90
        binary = np.ascontiguousarray(np.rot90(binary, -1))
    return (turn + 180) % 360 if upside_down(binary) else turn
