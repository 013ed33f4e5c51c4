"""The printable separator sheet (Trennblatt) for batch scans: an A4 page with a large QR code
holding the separator text the bot looks for (bot.yaml, ocr.separator_text), and a few
lines for the registry on how to use it. Reproducible bytes (reportlab invariant mode)."""

from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

SEPARATOR_TEXT = "RBOT-TRENNBLATT"  # the default of bot.yaml's ocr.separator_text
QR_SIZE = 70 * mm

INSTRUCTIONS = (
    "Vor jede Rechnung eines Stapels ein Trennblatt legen und den Stapel als eine Datei",
    "scannen. Der Rechnungseingangs-Bot teilt die Datei an jedem Trennblatt in einzelne",
    "Rechnungen auf; das Trennblatt selbst wird nicht abgelegt.",
    "Bitte nicht knicken, nicht beschriften und den Code nicht verdecken.",
)


def _qr_code(text: str, size: float) -> Drawing:
    widget = QrCodeWidget(text, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0,
                                              size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def separator_pdf(text: str = SEPARATOR_TEXT) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=1)
    width, height = A4
    page.setTitle("Trennblatt für Stapelscans")
    page.setFont("Helvetica-Bold", 48)
    page.drawCentredString(width / 2, height - 60 * mm, "TRENNBLATT")
    renderPDF.draw(_qr_code(text, QR_SIZE), page, (width - QR_SIZE) / 2, height / 2 - 40 * mm)
    page.setFont("Helvetica", 11)
    for number, line in enumerate(INSTRUCTIONS):
        page.drawCentredString(width / 2, 70 * mm - number * 6 * mm, line)
    page.setFont("Helvetica", 9)
    page.drawCentredString(width / 2, 30 * mm, f"Code: {text}")
    page.showPage()
    page.save()
    return out.getvalue()
