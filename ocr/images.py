"""Raster inputs: recognise PNG, JPEG and TIFF by content, open them safely, and the
resolution they declare (ocr.pages takes their frames one by one)."""

from __future__ import annotations

import io
import warnings

from PIL import Image

from ocr.model import ReadError

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


def declared_dpi(image: Image.Image) -> int | None:
    """The horizontal resolution the file declares, None if none or implausible."""
    value = image.info.get("dpi", (None,))[0]
    try:
        dpi = round(float(value))
    except (TypeError, ValueError):
        return None
    return dpi if _MIN_DPI <= dpi <= _MAX_DPI else None


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
