"""Batch scans made in the test run: invoice pages, separator sheets (samples/trennblatt.pdf)
and blank pages in one image-only PDF, as a registry scanner makes of a stack."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import img2pdf
from PIL import Image

from tests.ocr_helpers.invoices import InvoiceSpec, degrade, invoice_pdf, render

SEPARATOR_SHEET = Path(__file__).resolve().parents[2] / "samples" / "trennblatt.pdf"
# A provider of config/vendors.yaml and config/rules.yaml (routed to caseworker becker).
KNOWN_PROVIDER = InvoiceSpec(seller="Lebenshilfe Nordstadt gGmbH", vat_id="DE811234565",
                             iban="DE67 4145 0075 0031 0447 11")


def invoice_pages(number: str, pages: int = 1, seed: int = 1) -> list[Image.Image]:
    """A known provider's invoice with this number, scanned (300 dpi, slightly turned)."""
    spec = replace(KNOWN_PROVIDER, number=number)
    return [degrade(page, angle=0.8, noise=6.0, seed=seed + n)
            for n, page in enumerate(render(invoice_pdf(spec, pages=pages)))]


def separator_page() -> Image.Image:
    """The shipped separator sheet, scanned at 300 dpi like the invoices."""
    return degrade(render(SEPARATOR_SHEET.read_bytes())[0], angle=-1.0, noise=6.0, seed=9)


def blank_page(like: Image.Image) -> Image.Image:
    return degrade(Image.new("L", like.size, 255), angle=0.0, noise=6.0, seed=11)


def jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, dpi=(300, 300))
    return out.getvalue()


def scanner_pdf(pages: list[Image.Image]) -> bytes:
    """An image-only PDF of JPEG pages at 300 dpi, as office scanners write them."""
    return img2pdf.convert([jpeg(page) for page in pages],
                           layout_fun=img2pdf.get_fixed_dpi_layout_fun((300, 300)))
