"""Render a sample invoice as a German business letter (DIN 5008 style) to PDF bytes.

reportlab with invariant=1 and the embedded Bitstream Vera fonts shipped with reportlab,
so the bytes are reproducible and the page looks the same on every machine.
"""

from __future__ import annotations

import io
from datetime import timedelta
from functools import partial

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from samples.model import (
    EXEMPTION_NOTE,
    UNITS,
    Invoice,
    german_amount,
    german_date,
    german_number,
    group_iban,
)

FONT, BOLD = "Vera", "VeraBd"
pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))

ACCENT = colors.HexColor("#1f4e79")
PAGE_W, PAGE_H = A4
LEFT, RIGHT = 22 * mm, 18 * mm
TEXT_W = PAGE_W - LEFT - RIGHT

BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8.5, leading=11)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11.5)
TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=4)
HEAD = ParagraphStyle("head", fontName=BOLD, fontSize=11, leading=14, spaceAfter=4)

SALUTATION = (
    "Sehr geehrte Damen und Herren,<br/>für die im Leistungszeitraum erbrachten Leistungen "
    "berechnen wir Ihnen gemäß der geltenden Vereinbarung:"
)


class _NumberedCanvas(pdfcanvas.Canvas):
    """Defers page output so every page can say 'Seite n von N'."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._states = []

    def showPage(self):
        self._states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._states)
        for state in self._states:
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.drawRightString(PAGE_W - RIGHT, 33 * mm, f"Seite {self._pageNumber} von {total}")
            super().showPage()
        super().save()


def render_invoice(invoice: Invoice) -> bytes:
    """The invoice as a PDF with a text layer."""
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=A4, invariant=1, title=f"Rechnung {invoice.number}",
        author=invoice.seller.name, subject="Rechnung", creator="samples/generate.py",
        leftMargin=LEFT, rightMargin=RIGHT, topMargin=20 * mm, bottomMargin=38 * mm,
    )
    flush = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    first = Frame(LEFT, 38 * mm, TEXT_W, PAGE_H - 106 * mm - 38 * mm, id="first", **flush)
    later = Frame(LEFT, 38 * mm, TEXT_W, PAGE_H - 28 * mm - 38 * mm, id="later", **flush)
    doc.addPageTemplates([
        PageTemplate("first", [first], onPage=partial(_first_page, invoice=invoice)),
        PageTemplate("later", [later], onPage=partial(_later_page, invoice=invoice)),
    ])
    doc.build(_story(invoice), canvasmaker=_NumberedCanvas)
    return out.getvalue()


def _story(invoice: Invoice) -> list:
    story = [NextPageTemplate("later"), Paragraph("Rechnung", TITLE)]
    story += [Paragraph(text, BODY) for text in _subject_lines(invoice)]
    story += [Spacer(1, 4 * mm), Paragraph(SALUTATION, BODY), Spacer(1, 3 * mm)]
    story.append(_items_table(invoice))
    story.append(Spacer(1, 3 * mm))
    story.append(KeepTogether([_totals_table(invoice), Spacer(1, 4 * mm), *_closing(invoice)]))
    if invoice.attendance_sheet:
        story += [PageBreak(), *_attendance(invoice)]
    return story


def _subject_lines(invoice: Invoice) -> list[str]:
    start, end = invoice.period
    return [
        f"<b>Leistungsberechtigte/r:</b> {invoice.beneficiary}",
        f"<b>Leistungszeitraum:</b> {german_date(start)} – {german_date(end)}",
        f"<b>Leistung:</b> {invoice.subject}",
    ]


def _items_table(invoice: Invoice) -> Table:
    dated = any(line.day for line in invoice.lines)
    taxed = not invoice.exempt
    header = ["Pos.", *(["Datum"] if dated else []), "Leistung", "Menge", "Einheit",
              "Einzelpreis €", *(["USt %"] if taxed else []), "Betrag €"]
    rows = [header]
    for pos, line in enumerate(invoice.lines, start=1):
        rows.append([
            str(pos),
            *([german_date(line.day) if line.day else ""] if dated else []),
            Paragraph(line.text, CELL),
            german_number(line.quantity),
            UNITS[line.unit],
            german_amount(line.price),
            *([german_number(line.vat_rate)] if taxed else []),
            german_amount(line.net),
        ])
    fixed = [10 * mm, *([20 * mm] if dated else []), None, 14 * mm, 16 * mm, 23 * mm,
             *([13 * mm] if taxed else []), 23 * mm]
    text_w = TEXT_W - sum(w for w in fixed if w)
    widths = [text_w if w is None else w for w in fixed]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), BOLD, 8.5),
        ("FONT", (0, 1), (-1, -1), FONT, 9),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("ALIGN", (-(5 if taxed else 4), 0), (-1, -1), "RIGHT"),  # Menge .. Betrag
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#9a9a9a")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _totals_table(invoice: Invoice) -> Table:
    rows = [["Nettobetrag", f"{german_amount(invoice.total_net)} €"]]
    for group in invoice.vat_groups():
        if group.category == "E":
            rows.append([f"Umsatzsteuer ({EXEMPTION_NOTE})", f"{german_amount(group.tax)} €"])
        else:
            rows.append([
                f"zzgl. USt {german_number(group.rate)} % auf {german_amount(group.basis)} €",
                f"{german_amount(group.tax)} €",
            ])
    rows.append(["Gesamtbetrag", f"{german_amount(invoice.total_gross)} €"])
    strong = [len(rows) - 1]
    if invoice.prepaid:
        rows.append([invoice.prepaid_label, f"-{german_amount(invoice.prepaid)} €"])
        rows.append(["Zahlbetrag", f"{german_amount(invoice.amount_due)} €"])
        strong.append(len(rows) - 1)
    table = Table(rows, colWidths=[95 * mm, 32 * mm], hAlign="RIGHT")
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 9.5),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for row in strong:
        style += [("FONT", (0, row), (-1, row), BOLD, 10.5),
                  ("LINEABOVE", (0, row), (-1, row), 0.8, colors.black)]
    table.setStyle(TableStyle(style))
    return table


def _closing(invoice: Invoice) -> list:
    seller = invoice.seller
    parts = []
    if invoice.exempt:
        parts.append(Paragraph(
            "Die abgerechneten Leistungen sind nach § 4 Nr. 16 UStG von der Umsatzsteuer befreit.",
            BODY))
    parts.append(Paragraph(
        f"Der Rechnungsbetrag ist zahlbar bis {german_date(invoice.due_date)} ohne Abzug. "
        f"Bitte überweisen Sie unter Angabe der Rechnungsnummer auf unser Konto bei der "
        f"{seller.bank}, IBAN {group_iban(seller.iban)}, BIC {seller.bic}.", BODY))
    parts += [Spacer(1, 4 * mm), Paragraph("Mit freundlichen Grüßen", BODY),
              Paragraph(f"{seller.contact}<br/>{seller.name}", BODY)]
    return parts


def _attendance(invoice: Invoice) -> list:
    start, end = invoice.period
    head = Paragraph(f"Anlage zur Rechnung {invoice.number}: Anwesenheitsnachweis "
                     f"{german_date(start)} – {german_date(end)}", HEAD)
    intro = Paragraph(f"Bewohner/in: {invoice.beneficiary}", BODY)
    rows = [["Datum", "Anwesend", "Berechnungstag", "Bemerkung"]]
    day = start
    while day <= end:
        rows.append([german_date(day), "ja", "ja", ""])
        day += timedelta(days=1)
    table = Table(rows, colWidths=[30 * mm, 25 * mm, 32 * mm, TEXT_W - 87 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), BOLD, 8.5),
        ("FONT", (0, 1), (-1, -1), FONT, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9a9a9a")),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
    ]))
    sign = Paragraph(f"Bestätigt: {invoice.seller.contact}, Pflegedienstleitung", SMALL)
    return [head, intro, Spacer(1, 3 * mm), table, Spacer(1, 3 * mm), sign]


def _fitting(text: str, font: str, size: float, width: float) -> str:
    """The text, after making sure it fits its box (sample data must not run off the page)."""
    if pdfmetrics.stringWidth(text, font, size) > width:
        raise ValueError(f"sample text too wide for its box: {text!r}")
    return text


def _first_page(canvas, doc, invoice: Invoice) -> None:
    _letterhead(canvas, invoice)
    _address_window(canvas, invoice)
    _info_block(canvas, invoice)
    _footer(canvas, invoice)


def _later_page(canvas, doc, invoice: Invoice) -> None:
    canvas.saveState()
    canvas.setFont(BOLD, 9)
    canvas.drawString(LEFT, PAGE_H - 18 * mm, invoice.seller.name)
    canvas.setFont(FONT, 9)
    canvas.drawRightString(PAGE_W - RIGHT, PAGE_H - 18 * mm,
                           f"Rechnung {invoice.number} vom {german_date(invoice.issue_date)}")
    canvas.setStrokeColor(ACCENT)
    canvas.line(LEFT, PAGE_H - 21 * mm, PAGE_W - RIGHT, PAGE_H - 21 * mm)
    canvas.restoreState()
    _footer(canvas, invoice)


def _letterhead(canvas, invoice: Invoice) -> None:
    seller = invoice.seller
    canvas.saveState()
    canvas.setFillColor(ACCENT)
    canvas.circle(PAGE_W - RIGHT - 11 * mm, PAGE_H - 22 * mm, 9 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(BOLD, 14)
    initials = "".join(word[0] for word in seller.name.split()[:2]).upper()
    canvas.drawCentredString(PAGE_W - RIGHT - 11 * mm, PAGE_H - 24.5 * mm, initials)
    canvas.setFillColor(ACCENT)
    size = 17.0  # shrink long names so they end before the logo
    while pdfmetrics.stringWidth(seller.name, BOLD, size) > TEXT_W - 26 * mm:
        size -= 0.5
    canvas.setFont(BOLD, size)
    canvas.drawString(LEFT, PAGE_H - 20 * mm, seller.name)
    canvas.setFillColor(colors.black)
    canvas.setFont(FONT, 9)
    canvas.drawString(LEFT, PAGE_H - 26 * mm, seller.tagline)
    canvas.restoreState()


def _address_window(canvas, invoice: Invoice) -> None:
    seller, buyer = invoice.seller, invoice.buyer
    canvas.saveState()
    canvas.setFont(FONT, 7)
    a = seller.address
    canvas.drawString(LEFT, PAGE_H - 48 * mm, f"{seller.name} · {a.street} · {a.postcode} {a.city}")
    canvas.setFont(FONT, 10)
    lines = [buyer.name, buyer.department, buyer.unit, buyer.address.street,
             f"{buyer.address.postcode} {buyer.address.city}"]
    for i, text in enumerate(lines):
        canvas.drawString(LEFT, PAGE_H - (55 + 5 * i) * mm, text)
    canvas.restoreState()


def _info_block(canvas, invoice: Invoice) -> None:
    seller = invoice.seller
    rows = [
        ("Rechnungsnummer", invoice.number),
        ("Rechnungsdatum", german_date(invoice.issue_date)),
        ("Kundennummer", invoice.customer_number),
        ("Leistungserbringer-Nr.", seller.provider_number),
        ("Ihr Aktenzeichen", invoice.file_reference),
        ("Leitweg-ID", invoice.buyer_reference),
        ("Kostenzusage-Nr.", invoice.order_reference),
        ("Ansprechpartner/in", seller.contact),
        ("Telefon", seller.phone),
        ("E-Mail", seller.email),
    ]
    rows = [(label, value) for label, value in rows if value]
    canvas.saveState()
    x_label = 98 * mm
    x_value = x_label + max(pdfmetrics.stringWidth(label, FONT, 8.5) for label, _ in rows) + 3 * mm
    for i, (label, value) in enumerate(rows):
        y = PAGE_H - (55 + 5 * i) * mm  # on the address lines' baselines: OCR reads them well
        canvas.setFont(FONT, 8.5)
        canvas.drawString(x_label, y, label)
        font = BOLD if i < 2 else FONT
        canvas.setFont(font, 8.5)
        canvas.drawString(x_value, y, _fitting(value, font, 8.5, PAGE_W - RIGHT - x_value))
    canvas.restoreState()


def _footer(canvas, invoice: Invoice) -> None:
    seller = invoice.seller
    a = seller.address
    columns = [
        [seller.name, a.street, f"{a.postcode} {a.city}", f"Tel. {seller.phone}", seller.web],
        ["Bankverbindung", seller.bank, f"IBAN {group_iban(seller.iban)}", f"BIC {seller.bic}"],
        [seller.management, *([seller.register] if seller.register else []),
         f"Steuernummer {seller.tax_number}", f"USt-IdNr. {seller.vat_id}"],
    ]
    canvas.saveState()
    canvas.setStrokeColor(ACCENT)
    canvas.line(LEFT, 30 * mm, PAGE_W - RIGHT, 30 * mm)
    canvas.setFont(FONT, 8)
    boxes = [(LEFT, 60 * mm), (LEFT + 62 * mm, 54 * mm), (LEFT + 118 * mm, 52 * mm)]
    for (x, width), column in zip(boxes, columns, strict=True):
        lines = [part for text in column for part in simpleSplit(text, FONT, 8, width)]
        for i, text in enumerate(lines):
            canvas.drawString(x, (26 - 3.8 * i) * mm, text)
    canvas.restoreState()
