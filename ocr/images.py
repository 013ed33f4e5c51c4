"""Raster inputs: recognise PNG, JPEG and TIFF by content and yield their pages."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

from PIL import Image, ImageOps, ImageSequence

from ocr.model import ReadError

DEFAULT_DPI = 300
_MIN_DPI, _MAX_DPI = 50, 1200

IMAGE_MAGIC: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}


def image_format(data: bytes) -> str | None:
    """'png', 'jpeg' or 'tiff' when `data` starts like one, else None."""
    for magic, name in IMAGE_MAGIC.items():
        if data.startswith(magic):
            return name
    return None


def _dpi(image: Image.Image) -> int:
    """The horizontal resolution the file declares, DEFAULT_DPI if none or implausible."""
    value = image.info.get("dpi", (DEFAULT_DPI,))[0]
    try:
        dpi = round(float(value))
    except (TypeError, ValueError):
        return DEFAULT_DPI
    return dpi if _MIN_DPI <= dpi <= _MAX_DPI else DEFAULT_DPI


def open_image(data: bytes) -> Image.Image:
    """The opened image, ReadError for truncated, garbled or oversized files."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ReadError("unsupported", "image too large") from None
    except Exception as exc:  # Pillow raises many types on broken files
        raise ReadError("corrupt", f"image not decodable ({type(exc).__name__})") from None
    return image


def image_pages(image: Image.Image) -> Iterator[tuple[Image.Image, int]]:
    """(page image upright per EXIF, dpi) for every frame (multi-page TIFF)."""
    try:
        for frame in ImageSequence.Iterator(image):
            page = ImageOps.exif_transpose(frame.copy())
            yield page, _dpi(frame)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError("corrupt", f"image frame not decodable ({type(exc).__name__})") from None
