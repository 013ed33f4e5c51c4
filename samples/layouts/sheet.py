"""A page to draw an invoice on: millimetres from the top left, the family's fonts.

reportlab's base-14 fonts (Helvetica, Times, Courier) and the Bitstream Vera fonts shipped
with reportlab, with invariant=1: the same seed gives the same bytes on every machine.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))

FONTS = {
    "Helvetica": ("Helvetica", "Helvetica-Bold"),
    "Times": ("Times-Roman", "Times-Bold"),
    "Courier": ("Courier", "Courier-Bold"),
    "Vera": ("Vera", "VeraBd"),
}
SIZES = {"A4": A4, "A5": A5}


class Sheet:
    """Drawing in millimetres, y from the top; one canvas for all pages of a document."""

    def __init__(self, page: str, font: str, size: float):
        self.buffer = io.BytesIO()
        self.width_pt, self.height_pt = SIZES[page]
        self.canvas = canvas.Canvas(self.buffer, pagesize=SIZES[page], invariant=1)
        self.regular, self.bold = FONTS[font]
        self.size = size
        self.width = self.width_pt / mm
        self.height = self.height_pt / mm
        self.left = 20.0 if page == "A4" else 12.0
        self.right = self.width - (18.0 if page == "A4" else 10.0)

    def text(self, x: float, y: float, text: str, *, size: float | None = None,
             bold: bool = False, align: str = "left") -> None:
        """Draw `text` with its baseline at y mm from the top; align left, right or centre."""
        pdf = self.canvas
        pdf.setFont(self.bold if bold else self.regular, size or self.size)
        x_pt, y_pt = x * mm, self.height_pt - y * mm
        if align == "right":
            pdf.drawRightString(x_pt, y_pt, text)
        elif align == "center":
            pdf.drawCentredString(x_pt, y_pt, text)
        else:
            pdf.drawString(x_pt, y_pt, text)

    def width_of(self, text: str, *, size: float | None = None, bold: bool = False) -> float:
        """The printed width of `text` in mm."""
        font = self.bold if bold else self.regular
        return pdfmetrics.stringWidth(text, font, size or self.size) / mm

    def rule(self, x1: float, y: float, x2: float, *, width: float = 0.5) -> None:
        self.canvas.setLineWidth(width)
        self.canvas.line(x1 * mm, self.height_pt - y * mm, x2 * mm, self.height_pt - y * mm)

    def box(self, x: float, y: float, w: float, h: float) -> None:
        """A rectangle with its top left corner at (x, y) mm."""
        self.canvas.setLineWidth(0.5)
        self.canvas.rect(x * mm, self.height_pt - (y + h) * mm, w * mm, h * mm)

    def next_page(self) -> None:
        self.canvas.showPage()

    def pdf(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()
