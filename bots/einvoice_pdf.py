"""A readable PDF of an XML e-invoice for the caseworker, made in-process with reportlab."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal, InvalidOperation

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bots.fieldnames import FIELD_LABELS_DE
from bots.model import Invoice

_AMOUNTS = ("total_net", "total_tax", "total_gross", "amount_due")
_DATES = ("issue_date", "due_date")
_KIND_TITLES = {"xrechnung-ubl": "XRechnung (UBL)", "xrechnung-cii": "XRechnung (UN/CEFACT CII)"}


def german_amount(value: str) -> str:
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError):
        return str(value)
    text = f"{number:,.2f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def german_date(value: str) -> str:
    try:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    except (TypeError, ValueError):
        return str(value)


def _display(field: str, value: str | None) -> str:
    if value is None:
        return "–"
    if field in _AMOUNTS:
        return german_amount(value)
    if field in _DATES:
        return german_date(value)
    return value


def render_einvoice_pdf(invoice: Invoice) -> bytes:
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title="Rechnung (Lesefassung)",
                            leftMargin=18 * mm, rightMargin=18 * mm, invariant=1)
    rows = [[FIELD_LABELS_DE[name], _display(name, value)]
            for name, value in invoice.fields.items() if name in FIELD_LABELS_DE]
    table = Table(rows, colWidths=[60 * mm, 110 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story = [
        Paragraph("Rechnung – Lesefassung", styles["Title"]),
        Paragraph(f"{_KIND_TITLES.get(invoice.kind, invoice.kind)}. Rechtlich maßgeblich ist "
                  "die beigefügte XML-Datei.", styles["Normal"]),
        Spacer(1, 6 * mm),
        table,
    ]
    doc.build(story)
    return out.getvalue()
