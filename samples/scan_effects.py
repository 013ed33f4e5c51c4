"""Turn a rendered invoice into what a registry scanner delivers: 300 dpi grayscale pages,
slightly rotated, on gray paper with grain and dust, saved as PNG, JPEG, TIFF or image PDF.

Deterministic: the noise comes from a seeded numpy generator. Lossless formats are
posterised to 16 gray levels so a page stays around half a megabyte.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import cv2
import img2pdf
import numpy as np
from pdf2image import convert_from_bytes
from PIL import Image

from samples.model import ScanStyle

DPI = 300
PAPER = 232.0  # gray level of the scanned paper
INK = 30.0  # gray level of full black print
LEVELS = 16  # gray levels kept in lossless formats
GRAIN = {"jpeg": 0.6}  # grain strength per format; JPEG pays dearly for noise. Default 1.8
SCANNED_AT = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)  # image PDF date: reproducible bytes


def rasterise(pdf: bytes) -> list[Image.Image]:
    """The pages of a PDF as 8-bit grayscale images at 300 dpi."""
    return convert_from_bytes(pdf, dpi=DPI, grayscale=True)


def degrade(page: Image.Image, angle: float, seed: int, *, grain: float,
            posterise: bool) -> Image.Image:
    """A scanned look: rotation, gray paper, grainy noise, dust specks."""
    rng = np.random.default_rng(seed)
    rotated = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(rotated, dtype=np.float32)
    pixels = PAPER - (255.0 - pixels) * (PAPER - INK) / 255.0
    noise = rng.normal(0.0, 6.0, pixels.shape).astype(np.float32)
    pixels += cv2.GaussianBlur(noise, (0, 0), 1.2) * grain
    dust = rng.random(pixels.shape) < 0.0005
    pixels[dust] -= rng.uniform(40.0, 120.0, int(dust.sum())).astype(np.float32)
    pixels = np.clip(pixels, 0.0, 255.0)
    if posterise:
        step = 256.0 / LEVELS
        pixels = np.floor(pixels / step) * step + step / 2
    return Image.fromarray(pixels.astype(np.uint8), "L")


def scan_pages(pdf: bytes, style: ScanStyle) -> list[Image.Image]:
    """Every page rasterised and degraded; later pages lie a little straighter."""
    pages = rasterise(pdf)
    lossless = style.fmt != "jpeg"
    grain = GRAIN.get(style.fmt, 1.8)
    return [
        degrade(page, style.rotation * (1 - 0.25 * index), style.seed + index, grain=grain,
                posterise=lossless)
        for index, page in enumerate(pages)
    ]


def encode(pages: list[Image.Image], fmt: str) -> bytes:
    """The scanned pages as one file of the given format."""
    out = io.BytesIO()
    dpi = (DPI, DPI)
    if fmt == "png":
        _single(pages, fmt).save(out, "PNG", dpi=dpi, optimize=True)
    elif fmt == "jpeg":
        _single(pages, fmt).save(out, "JPEG", dpi=dpi, quality=80)
    elif fmt == "tiff":
        pages[0].save(out, "TIFF", dpi=dpi, compression="tiff_adobe_deflate", save_all=True,
                      append_images=pages[1:])
    elif fmt == "pdf":
        pngs = []
        for page in pages:
            buffer = io.BytesIO()
            page.save(buffer, "PNG", dpi=dpi, optimize=True)
            pngs.append(buffer.getvalue())
        # the internal engine: img2pdf's pikepdf path stamps a random /ID
        out.write(img2pdf.convert(pngs, creationdate=SCANNED_AT, moddate=SCANNED_AT,
                                  producer="Registratur-Scanner",
                                  engine=img2pdf.Engine.internal))
    else:
        raise ValueError(f"unknown scan format {fmt!r}")
    return out.getvalue()


def _single(pages: list[Image.Image], fmt: str) -> Image.Image:
    if len(pages) != 1:
        raise ValueError(f"a {fmt} scan holds one page, got {len(pages)}")
    return pages[0]
