"""A readable PDF of a mail (headers, text, list of attachments), made with reportlab.

It is what a clerk opens when a mail brought no invoice: the .eml stays the original."""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mailbox.model import ParsedMail

MAX_BODY_CHARS = 100_000
_FONT_CANDIDATES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "Vera.ttf")
_STATUS_DE = {"usable": "Rechnungsdokument", "rejected": "abgewiesen",
              "ignored": "kein Rechnungsformat"}


def _font() -> str:
    if "MailText" not in pdfmetrics.getRegisteredFontNames():
        for candidate in _FONT_CANDIDATES:
            if candidate == "Vera.ttf" or Path(candidate).exists():
                pdfmetrics.registerFont(TTFont("MailText", candidate))
                break
    return "MailText"


def render_mail_pdf(mail: ParsedMail) -> bytes:
    """The PDF bytes; the same mail gives the same bytes (reportlab's invariant mode)."""
    font = _font()
    text = ParagraphStyle("text", fontName=font, fontSize=10, leading=13)
    title = ParagraphStyle("title", fontName=font, fontSize=14, leading=18, spaceAfter=6)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, invariant=1, title="E-Mail",
                            leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm)
    story = [Paragraph("E-Mail (Lesefassung)", title), _header_table(mail, text),
             Spacer(1, 6 * mm)]
    if mail.attachments:
        story.append(Paragraph("Anhänge:", text))
        story += [Paragraph(_para(f"• {a.name} – {_STATUS_DE[a.status]}"
                                  + (f": {a.problem}" if a.problem else "")), text)
                  for a in mail.attachments]
        story.append(Spacer(1, 6 * mm))
    body = mail.body_text[:MAX_BODY_CHARS] or "(kein Text)"
    story += [Paragraph(_para(block), text) for block in body.split("\n\n")]
    doc.build(story)
    return out.getvalue()


def _header_table(mail: ParsedMail, style: ParagraphStyle) -> Table:
    rows = [("Von", mail.sender), ("An", mail.to), ("Datum", mail.date),
            ("Betreff", mail.subject), ("Message-ID", mail.message_id)]
    table = Table([[Paragraph(label, style), Paragraph(_para(value or "–"), style)]
                   for label, value in rows], colWidths=(28 * mm, None))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, -1), (-1, -1), 0.5, "grey")]))
    return table


def _para(value: str) -> str:
    printable = "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in value)
    return escape(printable).replace("\n", "<br/>")
