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

SMALL_SHEET = 0.2  # a photo's sheet covering less of the frame than this is too far away
MIN_DPI = 60  # letters smaller than at 60 dpi (a 23-pixel letter at 300 dpi: 4.6 pixels)
# are not legible, upscaled or not; above it a low-resolution page is upscaled and read
LETTER_PX_AT_300 = 23.0  # the median letter of an invoice (corpus pages: 19 to 27)
_SAMPLE = 6  # every 6th pixel (both ways) of an A4 page at 300 dpi for the level statistics
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
_INK_SHARE = 0.002  # the darkest share of a page taken for its ink level ...
_EDGE_SHARE = 0.005  # ... and the steepest share for its edges: of a page whose text lines
_FULL_TEXT = 0.1  # cover this share of it or more; of its text lines on a sparser page
_LINE_KERNEL = np.ones((3, 9), np.uint8)  # marks widened along their text lines (sample)
_LINE_WIDTH = 0.1  # a text line reaches across at least this share of the page
_SHARP_PIXELS = 2.4  # the spread of sharp print in pixels of a coarse page (under 110 dpi)
_MOTION = 1.6  # spread across edges in one direction / in the sharpest one: a shaken camera


@dataclass(frozen=True)
class Problem:
    code: str  # low_resolution | too_dark | too_light | blurred | motion_blur | cut_off |
    # page_incomplete | page_too_small
    reason: str  # German, for the registry

    def on_page(self, page: int, pages: int) -> str:
        return self.reason if pages == 1 else f"{self.reason} (Seite {page})"


LOW_RESOLUTION = Problem("low_resolution",
                         "Auflösung zu gering, Schrift nicht lesbar – bitte mit 300 dpi neu scannen")
TOO_DARK = Problem("too_dark", "Scan zu dunkel – bitte heller neu scannen")
TOO_LIGHT = Problem("too_light", "Scan zu hell oder zu blass – bitte kräftiger neu scannen")
BLURRED = Problem("blurred", "Scan unscharf – bitte neu scannen")
CUT_OFF = Problem("cut_off", "Seite abgeschnitten")
# phone photos
PAGE_INCOMPLETE = Problem("page_incomplete", "Foto: Seite nicht vollständig im Bild – bitte flach "
                          "und von oben fotografieren")
PAGE_TOO_SMALL = Problem("page_too_small", "Foto: Seite zu klein im Bild – bitte näher heran und "
                         "formatfüllend fotografieren")
MOTION_BLUR = Problem("motion_blur", "Foto verwackelt – bitte ruhig halten und neu fotografieren")
PHOTO_BLURRED = Problem("blurred", "Foto unscharf – bitte scharf stellen und neu fotografieren")
BLANK_REASON = "Leere Seite – kein Inhalt erkennbar"
NO_TEXT_REASON = "Kein lesbarer Text erkannt – bitte deutlicher scannen oder fotografieren"


@dataclass(frozen=True)
class Levels:
    paper: float  # gray level of the paper
    ink: float  # gray level of the darkest print
    ink_share: float  # share of the page that is ink (specks removed)
    text_share: float = 1.0  # share of the page within its text lines
    text_lines: int = 0  # lines of text on it


def _darkest(sample: np.ndarray, share: float) -> float:
    """The gray level below which `share` of the sample lies."""
    return float(np.percentile(sample, 100 * share))


def _text_lines(gray: np.ndarray, step: int, paper: float) -> tuple[float, int]:
    """The share of the page within its text lines, and how many lines there are: marks
    clearly darker than the paper on a copy `step` times smaller (averaged, so thin strokes
    stay), widened along the line they stand on; a line is a run of them at least
    _LINE_WIDTH of the page wide (specks and dust make none)."""
    small = cv2.resize(gray, None, fx=1 / step, fy=1 / step, interpolation=cv2.INTER_AREA)
    marks = (cv2.medianBlur(small, 3) < paper - _BLANK_CONTRAST).astype(np.uint8)
    lines = cv2.dilate(marks, _LINE_KERNEL)
    _, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    wide = stats[1:, 2] >= _LINE_WIDTH * small.shape[1]
    return float(lines.mean()), int(np.count_nonzero(wide))


def levels(gray: np.ndarray) -> Levels:
    """Paper and ink levels; the ink is the darkest 0.2 % of the page, or of its text lines
    where they cover less than a tenth of it (a nearly empty page is judged on what it has)."""
    step = int(np.clip(min(gray.shape) // 400, 1, _SAMPLE))  # a coarse page: every pixel
    sample = gray[::step, ::step]
    paper = float(np.percentile(sample, 90))
    text, lines = _text_lines(gray, step, paper)
    ink = _darkest(sample, _INK_SHARE * min(1.0, max(text, 1e-4) / _FULL_TEXT))
    threshold = paper - max(_BLANK_CONTRAST, (paper - ink) / 2)
    mask = (cv2.medianBlur(sample, 3) < threshold).astype(np.uint8)
    return Levels(paper, ink, float(mask.mean()), text, lines)


def is_blank(found: Levels) -> bool:
    """Nothing printed: no ink darker than the paper's noise, or only a few specks (little
    ink, and no line of text: two lines of payment details are a page)."""
    return found.paper - found.ink < _BLANK_CONTRAST or (
        found.ink_share < _BLANK_INK and found.text_lines == 0)


def _steepest(values: np.ndarray, share: float) -> float:
    """The value (8-bit) that `share` of the pixels reach or exceed."""
    counts = cv2.calcHist([values], [0], None, [256], [0, 256]).ravel()
    return float(np.searchsorted(np.cumsum(counts), (1 - share) * counts.sum()))


def _gradients(gray: np.ndarray) -> tuple[np.ndarray, ...]:
    """|gradient| / 8 in 8 bits (a gray-level step per pixel) on a half-size copy: the
    magnitude (|gx| + |gy|, as the blur limit was measured) and across edges at 0, 45, 90
    and 135 degrees. Kept in 8 and 16 bits: a page may have 12 megapixels."""
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(half, cv2.CV_16S, 1, 0, ksize=3)
    gy = cv2.Sobel(half, cv2.CV_16S, 0, 1, ksize=3)
    x, y = cv2.convertScaleAbs(gx, alpha=1 / 8), cv2.convertScaleAbs(gy, alpha=1 / 8)
    diagonal = 1 / (8 * np.sqrt(2))
    rising = cv2.convertScaleAbs(cv2.add(gx, gy, dtype=cv2.CV_32S), alpha=diagonal)
    falling = cv2.convertScaleAbs(cv2.subtract(gx, gy, dtype=cv2.CV_32S), alpha=diagonal)
    return cv2.add(x, y), x, rising, y, falling


def edge_spreads(gray: np.ndarray, found: Levels) -> tuple[float, tuple[float, ...]]:
    """How many pixels (at the page's resolution) an edge of the print is spread over: the
    contrast divided by the steepest gradients (those of the top 0.5 % of the page, or of
    its text lines on a nearly empty page). Measured on a half-size copy, whose averaging
    also takes out pixel noise; sharp print at 300 dpi spreads over 3.5 to 5 pixels, print
    blurred by sigma 3 over 7. Returns the spread of the gradient's magnitude and the
    spreads across edges in four directions (0, 45, 90, 135 degrees): a shaken camera
    smears the edges across its motion only."""
    share = _EDGE_SHARE * min(1.0, max(found.text_share, 1e-4) / _FULL_TEXT)
    contrast = 2 * (found.paper - found.ink)
    magnitude, *directions = _gradients(gray)
    spreads = [contrast / max(_steepest(g, share), 1.0) for g in (magnitude, *directions)]
    return spreads[0], tuple(spreads[1:])


def edge_spread(gray: np.ndarray, paper: float, ink: float) -> float:
    """The spread of the print's edges over the whole page (see edge_spreads)."""
    return edge_spreads(gray, Levels(paper, ink, 1.0))[0]


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


def _blur(gray: np.ndarray, dpi: int, native: int, found: Levels,
          photo: bool) -> Problem | None:
    """Blurred print, judged at the page's resolution; a page scaled up from `native` dpi
    is judged in its own pixels, where even sharp print spreads over _SHARP_PIXELS."""
    spread, directions = edge_spreads(gray, found)
    limit = max(_BLUR_SPREAD * dpi / 300, _SHARP_PIXELS * dpi / max(native, 1))
    worst = max(directions)
    if spread <= limit and worst <= _MOTION * limit:
        return None
    if photo and worst >= _MOTION * min(directions):
        return MOTION_BLUR
    return PHOTO_BLURRED if photo else BLURRED


def shaken(gray: np.ndarray, dpi: int, native: int, found: Levels) -> bool:
    """A photo smeared in one direction by a shaken camera. Its letters, smeared into each
    other, look too small to read; the sender needs to hear it was shaken, not that the
    resolution is too low."""
    return _blur(gray, dpi, native, found, True) is MOTION_BLUR


def check(gray: np.ndarray, dpi: int, found: Levels | None = None, *,
          native: int | None = None, photo: bool = False) -> Problem | None:
    """The first reason this page (at `dpi`, about 300) cannot be read reliably, or None.
    Its resolution is checked before it is scaled (LOW_RESOLUTION, by the caller);
    `found`: its levels if measured already; `native`: the dpi it had before it was
    scaled; `photo`: a phone photo (its reasons say so)."""
    found = found or levels(gray)
    if found.paper < _DARK_PAPER:
        return TOO_DARK
    if found.paper - found.ink < _FAINT_CONTRAST:
        return TOO_LIGHT
    blurred = _blur(gray, dpi, native or dpi, found, photo)
    if blurred is not None:
        return blurred
    if cut_off(gray, found.paper, found.ink, dpi):
        return PAGE_INCOMPLETE if photo else CUT_OFF
    return None
