"""The PDF a caseworker opens for a filed invoice, whatever came in."""

from __future__ import annotations

import io

import img2pdf
from PIL import Image

from bots.pipeline.model import Invoice
from einvoice.parse import ParsedInvoice, parse_invoice
from einvoice.readable_pdf import render_einvoice_pdf
from ocr.model import Kind


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def pdf_of(original: bytes, invoice: Invoice, searchable: bytes | None = None,
           einvoice: ParsedInvoice | None = None) -> bytes:
    """The PDF a caseworker opens: a scan's searchable PDF (its pages upright and straight
    with the OCR text layer) when there is one, the original PDF, a scan's images as PDF,
    or a rendering of an XML e-invoice (`einvoice`: the XML as read, else parsed here)."""
    if searchable is not None:
        return searchable
    if is_pdf(original):
        return original
    if Kind(invoice.kind).is_einvoice_xml:
        return render_einvoice_pdf(einvoice or parse_invoice(original))
    return image_to_pdf(original)


def image_to_pdf(data: bytes) -> bytes:
    """Lossless where img2pdf can; otherwise (alpha channels, odd modes) via Pillow."""
    try:
        return img2pdf.convert(data, rotation=img2pdf.Rotation.ifvalid)
    except (img2pdf.ImageOpenError, img2pdf.AlphaChannelError, ValueError, TypeError):
        pass
    with Image.open(io.BytesIO(data)) as image:
        frames = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frames.append(image.convert("RGB"))
    out = io.BytesIO()
    frames[0].save(out, format="PDF", save_all=True, append_images=frames[1:], resolution=300)
    return out.getvalue()
