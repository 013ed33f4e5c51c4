"""Page images for OCR (OpenCV): grayscale, resolution, dark scanner borders, orientation,
deskew, and the optional clean-ups. Each step is named in STEPS; bench/ocr.py measures what
each one is worth and DEFAULT_STEPS holds the ones that pay (see the README, "Scans")."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ocr import orientation
from ocr.profiles import skew_of, turned

TARGET_DPI = 300
MAX_UPSCALE = 3.0
MAX_PIXELS = 12_000_000  # an A4 page at 350 dpi
_UPSCALE_BELOW = 240
_DOWNSCALE_ABOVE = 400
_SKEW_WIDTH = 800  # pixels of the thumbnail the skew is measured on
_BORDER_DARK = 0.45  # a border pixel is darker than this share of the paper level
_BORDER_SPAN = 0.25  # ... in a region reaching along at least this share of an edge
_BORDER_SCALE = 0.125  # borders are looked for on a copy this much smaller

STEPS = ("sheet", "keystone", "flatten", "borders", "orientation", "deskew", "denoise", "binarise")
# Chosen on bench/ocr.py (German invoices: invoice number / total right, README "Scans"):
# all four 100 % / 97 %; without binarising 91 / 95 (Tesseract's LSTM reads the grain in
# gray lines); without deskew 93 / 82, borders 88 / 82, orientation 89 / 89 (the bench
# turns and frames some scans); adding a denoising blur gains nothing and loses elsewhere.
# "sheet" (a photo's sheet found and its perspective corrected, ocr.photo), "keystone" (the
# perspective corrected by the print where no sheet is found in a photo, ocr.keystone) and
# "flatten" (uneven light evened out, ocr.illumination) come first, before the quality gate
# (ocr.page); they act on photos and unevenly lit pages and leave scans alone:
# bench/photos.py measures them.
DEFAULT_STEPS: frozenset[str] = frozenset(
    {"sheet", "keystone", "flatten", "borders", "orientation", "deskew", "binarise"})


@dataclass(frozen=True)
class Prepared:
    """The page upright and straight at `dpi` (`image`, what the searchable PDF shows), what
    Tesseract reads (`ocr`: the same, cleaned up as the steps say), what was done."""

    image: np.ndarray
    ocr: np.ndarray
    dpi: int
    turn: int = 0  # clockwise quarter turns applied, in degrees
    skew: float = 0.0  # degrees turned counter-clockwise to straighten the lines
    borders: bool = False  # dark scanner borders were painted over


def to_gray(image: Image.Image) -> np.ndarray:
    """An 8-bit grayscale array of any PIL image (alpha composed onto white)."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    return np.asarray(image.convert("L"), dtype=np.uint8)


def paper_level(gray: np.ndarray) -> int:
    """The gray level of the paper: the bright end of a sample of the page."""
    sample = gray[::7, ::7]
    return int(np.percentile(sample, 90))


def rescale(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, int]:
    """Low resolutions scaled up towards TARGET_DPI (at most MAX_UPSCALE times, and to at
    most MAX_PIXELS), very high ones down to it (faster OCR, same result); returns (image,
    dpi it now has)."""
    if _UPSCALE_BELOW <= dpi <= _DOWNSCALE_ABOVE:
        return gray, dpi
    factor = min(TARGET_DPI / dpi, MAX_UPSCALE)
    if factor > 1:  # never past MAX_PIXELS: a photo with small print has pixels enough
        factor = max(1.0, min(factor, (MAX_PIXELS / gray.size) ** 0.5))
    if factor == 1:
        return gray, dpi
    size = (round(gray.shape[1] * factor), round(gray.shape[0] * factor))
    interpolation = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    return cv2.resize(gray, size, interpolation=interpolation), round(dpi * factor)


def _border_labels(dark: np.ndarray) -> np.ndarray:
    """Which connected dark regions are borders: touching an edge along a quarter of it."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    height, width = dark.shape
    left, top, w, h = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    on_side = ((left == 0) | (left + w == width)) & (h >= _BORDER_SPAN * height)
    on_end = ((top == 0) | (top + h == height)) & (w >= _BORDER_SPAN * width)
    border = on_side | on_end
    border[0] = False  # the background
    return border[labels]


def whiten_borders(gray: np.ndarray) -> tuple[np.ndarray, bool]:
    """Dark scanner borders (the lid, the platen beyond the paper) painted in the paper's
    gray: dark regions touching an edge along a quarter of it or more. Text is never that
    wide and dark at once; a cut-off page keeps its cut text. Found on a copy an eighth
    the size, painted a little generously on the page."""
    paper = paper_level(gray)
    small = cv2.resize(gray, None, fx=_BORDER_SCALE, fy=_BORDER_SCALE,
                       interpolation=cv2.INTER_AREA)
    mask = _border_labels((small < _BORDER_DARK * paper).astype(np.uint8))
    if not mask.any():
        return gray, False
    mask = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8))
    mask = cv2.resize(mask, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    cleaned = gray.copy()
    cleaned[mask.astype(bool)] = paper
    return cleaned, True


def estimate_skew(gray: np.ndarray) -> float:
    """The rotation (degrees, counter-clockwise) that straightens the text lines."""
    return skew_of(orientation.ink(gray, _SKEW_WIDTH))


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The straightened image and the angle applied (0.0 when already straight)."""
    angle = estimate_skew(gray)
    if abs(angle) < 0.1:
        return gray, 0.0
    return turned(gray, angle, paper_level(gray), cv2.INTER_CUBIC), angle


def _only_black_and_white(pixels: np.ndarray) -> bool:
    return bool(((pixels == 0) | (pixels == 255)).all())


def is_bilevel(gray: np.ndarray) -> bool:
    """Only black and white pixels (a fax, a bilevel office scan); a sample decides most
    pages at once."""
    return _only_black_and_white(gray[::7, ::7]) and _only_black_and_white(gray)


def smooth_bilevel(gray: np.ndarray) -> np.ndarray:
    """A 3x3 median on bilevel images: removes dithering dots and specks, keeps strokes."""
    return cv2.medianBlur(gray, 3) if is_bilevel(gray) else gray


def denoise(gray: np.ndarray, dpi: int) -> np.ndarray:
    """A light Gaussian blur (sigma 1 pixel at 300 dpi): scanner grain averages out, strokes
    stay. (A median filter eats thin strokes such as Courier's.)"""
    return cv2.GaussianBlur(gray, (0, 0), dpi / 300)


def binarise(gray: np.ndarray) -> np.ndarray:
    """Black print on white by Otsu's threshold over the page. Tesseract's LSTM reads the
    gray values of a line; grain in them costs words that a clean black-and-white line
    does not."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return binary


def _shrunk(binary: np.ndarray, width: int) -> np.ndarray:
    if binary.shape[1] <= width:
        return binary
    scale = width / binary.shape[1]
    return cv2.resize(binary, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)


def _straighten(gray: np.ndarray, steps: frozenset[str]) -> tuple[np.ndarray, int, float]:
    """Quarter turn and skew measured on a small binary copy; the half turn on a fresh copy
    of the straightened page (a turned binary copy is too jagged to tell up from down)."""
    binary = orientation.ink(gray)
    turn = 0
    if "orientation" in steps and orientation.sideways(binary):
        turn, gray = 90, orientation.rotate(gray, 90)
        binary = np.ascontiguousarray(np.rot90(binary, -1))
    skew = skew_of(_shrunk(binary, _SKEW_WIDTH)) if "deskew" in steps else 0.0
    if abs(skew) >= 0.1:
        gray = turned(gray, skew, paper_level(gray), cv2.INTER_LINEAR)
        binary = None
    else:
        skew = 0.0
    if "orientation" in steps:
        upright = orientation.ink(gray) if binary is None else binary
        if orientation.upside_down(upright):
            turn, gray = turn + 180, orientation.rotate(gray, 180)
    return gray, turn % 360, skew


def prepare(gray: np.ndarray, dpi: int, steps: frozenset[str] = DEFAULT_STEPS) -> Prepared:
    """The page as OCR should read it, by the given STEPS (resolution always)."""
    gray, dpi = rescale(smooth_bilevel(gray), dpi)
    borders = False
    if "borders" in steps:
        gray, borders = whiten_borders(gray)
    gray, turn, skew = _straighten(gray, steps)
    clean = denoise(gray, dpi) if "denoise" in steps else gray
    clean = binarise(clean) if "binarise" in steps else clean
    return Prepared(gray, clean, dpi, turn, skew, borders)
