"""Page images for OCR: grayscale, bilevel smoothing, resolution, deskew (OpenCV)."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

TARGET_DPI = 300
MAX_UPSCALE = 3.0
MAX_SKEW_DEG = 5.0
_SKEW_WIDTH = 800  # pixels of the thumbnail the skew is measured on
_MIN_INK = 0.002  # share of dark pixels below which a page counts as blank


def to_gray(image: Image.Image) -> np.ndarray:
    """An 8-bit grayscale array of any PIL image (alpha composed onto white)."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    return np.asarray(image.convert("L"), dtype=np.uint8)


def upscale(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, int]:
    """Scale a low-resolution image towards TARGET_DPI; returns (image, effective dpi)."""
    if dpi >= TARGET_DPI * 0.8:
        return gray, dpi
    factor = min(TARGET_DPI / dpi, MAX_UPSCALE)
    size = (round(gray.shape[1] * factor), round(gray.shape[0] * factor))
    return cv2.resize(gray, size, interpolation=cv2.INTER_CUBIC), round(dpi * factor)


def _ink_thumbnail(gray: np.ndarray) -> np.ndarray:
    """A small binary image, text white (255) on black, for measuring the skew."""
    scale = min(1.0, _SKEW_WIDTH / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, binary = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary


def _rotate(image: np.ndarray, angle: float, border: int, interpolation: int) -> np.ndarray:
    """Rotate counter-clockwise by `angle` degrees about the centre, same size."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(
        image,
        matrix,
        (width, height),
        flags=interpolation,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=border,
    )


def _profile_score(binary: np.ndarray, angle: float) -> float:
    """How sharply text lines stand out in the row profile after rotating by `angle`."""
    rows = _rotate(binary, angle, 0, cv2.INTER_NEAREST).sum(axis=1, dtype=np.float64)
    return float(np.sum(np.diff(rows) ** 2))


def _best_angle(binary: np.ndarray, angles: np.ndarray) -> float:
    scores = [_profile_score(binary, float(angle)) for angle in angles]
    return float(angles[int(np.argmax(scores))])


def estimate_skew(gray: np.ndarray, max_angle: float = MAX_SKEW_DEG) -> float:
    """The rotation (degrees, counter-clockwise) that straightens the text lines.

    Projection profiles: the angle at which the row sums of the inked pixels change most
    sharply, searched coarsely (0.5 degrees) then finely (0.1 degrees). Blank pages give 0.
    """
    binary = _ink_thumbnail(gray)
    if np.count_nonzero(binary) < _MIN_INK * binary.size:
        return 0.0
    coarse = _best_angle(binary, np.arange(-max_angle, max_angle + 1e-9, 0.5))
    fine = _best_angle(binary, np.arange(coarse - 0.5, coarse + 0.5 + 1e-9, 0.1))
    return round(fine, 1)


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The straightened image and the angle applied (0.0 when already straight)."""
    angle = estimate_skew(gray)
    if abs(angle) < 0.1:
        return gray, 0.0
    return _rotate(gray, angle, 255, cv2.INTER_CUBIC), angle


def is_bilevel(gray: np.ndarray) -> bool:
    """Only black and white pixels (a fax, a bilevel office scan)."""
    return bool(np.isin(gray, (0, 255)).all())


def smooth_bilevel(gray: np.ndarray) -> np.ndarray:
    """A 3x3 median on bilevel images: removes dithering dots and specks, keeps strokes."""
    return cv2.medianBlur(gray, 3) if is_bilevel(gray) else gray


def prepare(image: Image.Image, dpi: int) -> tuple[np.ndarray, int, float]:
    """Grayscale, smoothed if bilevel, upscaled and deskewed page:
    (array, effective dpi, skew angle)."""
    gray, effective_dpi = upscale(smooth_bilevel(to_gray(image)), dpi)
    straight, angle = deskew(gray)
    return straight, effective_dpi, angle
