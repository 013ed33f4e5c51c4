"""The quality gate before OCR: a page that cannot be read reliably is refused with the
German reason the registry needs, instead of producing wrong fields.

Each measure is taken on the page at (about) 300 dpi after its resolution was normalised.
The limits are set so that none of bench/ocr.py's degraded scans is refused while a page a
person would call blurred, dark, faint, cut off or blank is (tests/test_scan_quality.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MIN_DPI = 150
LETTER_PX_AT_300 = 23.0  # the median letter of an invoice (corpus pages: 19 to 27)
_SAMPLE = 6  # every 6th pixel (both ways) for the level statistics
_BLANK_CONTRAST = 40  # darkest ink not this far below the paper: nothing printed
_BLANK_INK = 0.0005  # share of ink pixels (after removing specks) below which a page is empty
_DARK_PAPER = 90  # paper darker than this: a dark scan
_FAINT_CONTRAST = 70  # ink less than this below the paper: too light
_BLUR_SPREAD = 6.5  # edge spread (pixels at 300 dpi) above which print is blurred (a
# Gaussian blur of sigma 3 pixels spreads it over 6.9: where Tesseract starts to lose words;
# sigma 2.5 over 6.0; the benchmark's scans over 3.3 to 4.9)
_CUT_LINES = 4  # text lines running off the left or right edge that make a page cut off
_CUT_LETTERS = 4  # letters cut in half by the top or bottom edge that do
_TRUNCATED = 0.7  # a letter under this share of the typical height is cut


@dataclass(frozen=True)
class Problem:
    code: str  # low_resolution | too_dark | too_light | blurred | cut_off
    reason: str  # German, for the registry

    def on_page(self, page: int, pages: int) -> str:
        return self.reason if pages == 1 else f"{self.reason} (Seite {page})"


LOW_RESOLUTION = Problem("low_resolution", "Auflösung zu gering (unter 150 dpi)")
TOO_DARK = Problem("too_dark", "Scan zu dunkel – bitte heller neu scannen")
TOO_LIGHT = Problem("too_light", "Scan zu hell oder zu blass – bitte kräftiger neu scannen")
BLURRED = Problem("blurred", "Scan unscharf – bitte neu scannen")
CUT_OFF = Problem("cut_off", "Seite abgeschnitten")
BLANK_REASON = "Leere Seite – kein Inhalt erkennbar"


@dataclass(frozen=True)
class Levels:
    paper: float  # gray level of the paper
    ink: float  # gray level of the darkest print
    ink_share: float  # share of the page that is ink (specks removed)


def levels(gray: np.ndarray) -> Levels:
    sample = gray[::_SAMPLE, ::_SAMPLE]
    paper = float(np.percentile(sample, 90))
    ink = float(np.percentile(sample, 0.2))
    threshold = paper - max(_BLANK_CONTRAST, (paper - ink) / 2)
    mask = (cv2.medianBlur(sample, 3) < threshold).astype(np.uint8)
    return Levels(paper, ink, float(mask.mean()))


def is_blank(found: Levels) -> bool:
    """Nothing printed: no ink darker than the paper's noise, or only a few specks."""
    return found.paper - found.ink < _BLANK_CONTRAST or found.ink_share < _BLANK_INK


def edge_spread(gray: np.ndarray, paper: float, ink: float) -> float:
    """How many pixels (at the page's resolution) an edge of the print is spread over: the
    contrast divided by the steepest gradients (the 99.5th percentile of the gradient
    magnitude). Measured on a half-size copy, whose averaging also takes out pixel noise;
    sharp print at 300 dpi spreads over 3.5 to 5 pixels, print blurred by sigma 3 over 7."""
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    # |gx| / 8 + |gy| / 8 in 8 bits (saturating): a gray-level step per pixel
    magnitude = cv2.add(
        cv2.convertScaleAbs(cv2.Sobel(half, cv2.CV_16S, 1, 0, ksize=3), alpha=1 / 8),
        cv2.convertScaleAbs(cv2.Sobel(half, cv2.CV_16S, 0, 1, ksize=3), alpha=1 / 8),
    )
    counts = cv2.calcHist([magnitude], [0], None, [256], [0, 256]).ravel()
    steep = float(np.searchsorted(np.cumsum(counts), 0.995 * counts.sum()))
    return 2 * (paper - ink) / max(steep, 1.0)


def _letter_boxes(binary: np.ndarray) -> np.ndarray:
    """Boxes (left, top, width, height) of letter-sized ink components."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    boxes = stats[1:, :4]
    return boxes[(boxes[:, 3] >= 3) & (boxes[:, 3] <= 150) & (boxes[:, 2] <= 150)]


def _lines(tops: np.ndarray, height: float) -> int:
    """How many text lines boxes with these tops stand on (tops a letter height apart)."""
    lines, last = 0, None
    for top in np.sort(tops):
        if last is None or top - last > 0.8 * height:
            lines += 1
        last = top
    return lines


def _cut_side(strip: np.ndarray, side: str, typical: float) -> bool:
    """Whether print runs off the outer edge of a strip along one side of the page."""
    left, top, width, height = _letter_boxes(strip).T
    if side in ("left", "right"):
        touching = left <= 0 if side == "left" else left + width >= strip.shape[1]
        return _lines(top[touching], typical) >= _CUT_LINES
    touching = top <= 0 if side == "top" else top + height >= strip.shape[0]
    halved = touching & (height < _TRUNCATED * typical) & (height >= 0.2 * typical)
    return int(np.count_nonzero(halved)) >= _CUT_LETTERS


def cut_off(gray: np.ndarray, paper: float, ink: float, dpi: int = 300) -> bool:
    """Print runs off an edge of the image: text lines cut by the left or right edge, or
    letters cut in half by the top or bottom edge. (A header line that merely touches
    the top edge, as browser printouts have, is not a cut.) Only strips along the edges
    are looked at."""
    typical = LETTER_PX_AT_300 * dpi / 300
    reach = int(4 * typical)
    threshold = (paper + ink) / 2
    strips = {"left": gray[:, :reach], "right": gray[:, -reach:],
              "top": gray[:reach, :], "bottom": gray[-reach:, :]}
    return any(_cut_side((strip < threshold).astype(np.uint8), side, typical)
               for side, strip in strips.items())


def check(gray: np.ndarray, dpi: int, found: Levels | None = None) -> Problem | None:
    """The first reason this page (at `dpi`, about 300) cannot be read reliably, or None.
    Its resolution is checked before it is scaled (LOW_RESOLUTION, by the caller);
    `found`: its levels if measured already."""
    found = found or levels(gray)
    if found.paper < _DARK_PAPER:
        return TOO_DARK
    if found.paper - found.ink < _FAINT_CONTRAST:
        return TOO_LIGHT
    if edge_spread(gray, found.paper, found.ink) * 300 / dpi > _BLUR_SPREAD:
        return BLURRED
    if cut_off(gray, found.paper, found.ink, dpi):
        return CUT_OFF
    return None
