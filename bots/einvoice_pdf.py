"""A readable PDF of an XML e-invoice for the caseworker, made in-process with reportlab.

In the spirit of the KoSIT visualisation: parties, invoice data, the line table, the VAT
breakdown, the totals, payment data and notes, with German labels and the EN 16931 term
numbers (BT-..) where a caseworker may need to look them up. The XML filed beside it stays
the legal invoice; the rendering says so.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ocr.einvoice_model import Address, EInvoice, Line, Party
from ocr.einvoice_parse import parse_einvoice

# A Unicode font when the system has one (names in any script); else the PDF base font.
_FONT_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
               Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"))
_WIDTH = 174 * mm
_GREY = colors.HexColor("#e8ebef")
_LINE = colors.HexColor("#9aa3ad")

TYPE_TITLES = {"380": "Rechnung", "381": "Gutschrift", "384": "Korrigierte Rechnung",
               "389": "Gutschrift (Selbstfakturierung)", "326": "Teilrechnung",
               "875": "Teilschlussrechnung", "876": "Schlussrechnung",
               "877": "Abschlagsrechnung", "386": "Vorauszahlungsrechnung",
               "751": "Rechnungsinformation (Buchungshilfe)", "261": "Gutschrift (Storno)"}
PAYMENT_MEANS = {"1": "nicht angegeben", "10": "Bar", "20": "Scheck", "30": "Überweisung",
                 "31": "Überweisung", "42": "Zahlung auf Bankkonto", "48": "Kartenzahlung",
                 "49": "Lastschrift", "54": "Kreditkarte", "55": "Debitkarte",
                 "57": "Dauerauftrag", "58": "SEPA-Überweisung", "59": "SEPA-Lastschrift",
                 "97": "Verrechnung", "ZZZ": "sonstige"}
VAT_CATEGORIES = {"S": "Normalsatz", "Z": "Nullsatz", "E": "steuerbefreit",
                  "AE": "Umkehrung der Steuerschuldnerschaft", "K": "innergemeinschaftlich",
                  "G": "Ausfuhr", "O": "nicht steuerbar", "L": "Kanaren (IGIC)",
                  "M": "Ceuta/Melilla (IPSI)"}


def german_amount(value) -> str:
    """'1234.5' -> '1.234,50' (the string itself when it is no number)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError):
        return str(value)
    text = f"{number:,.2f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def german_date(value: str) -> str:
    """'2026-03-01' -> '01.03.2026' (the string itself when it is no ISO date)."""
    try:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    except (TypeError, ValueError):
        return str(value)


def german_number(value: Decimal | None) -> str:
    """A quantity or rate without needless zeros: 2.500 -> '2,5'."""
    if value is None:
        return ""
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


_BASE_FONTS = ("Helvetica", "Helvetica-Bold")
_font_choice = threading.local()


@lru_cache(maxsize=1)
def _unicode_fonts() -> tuple[str, str]:
    """(regular, bold): DejaVu Sans if installed, else the PDF base font."""
    if all(path.is_file() for path in _FONT_FILES):
        try:
            pdfmetrics.registerFont(TTFont("EInvSans", str(_FONT_FILES[0])))
            pdfmetrics.registerFont(TTFont("EInvSans-Bold", str(_FONT_FILES[1])))
            return "EInvSans", "EInvSans-Bold"
        except Exception:  # noqa: BLE001 - a broken font file: fall back to the base font
            pass
    return _BASE_FONTS


def _fonts() -> tuple[str, str]:
    """The fonts of the rendering in progress (see render_einvoice_pdf)."""
    return getattr(_font_choice, "fonts", _BASE_FONTS)


def _needs_unicode_font(xml: bytes) -> bool:
    """True unless every character is in Windows-1252, which the base fonts cover. The base
    fonts are not embedded: rendering with them is several milliseconds faster."""
    try:
        xml.decode("utf-8").encode("cp1252")
    except UnicodeError:
        return True
    return False


@lru_cache(maxsize=2)
def _styles_for(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=16, leading=20),
        "h": ParagraphStyle("h", fontName=bold, fontSize=10.5, leading=14, spaceBefore=8,
                            spaceAfter=3),
        "p": ParagraphStyle("p", fontName=regular, fontSize=8.5, leading=11),
        "small": ParagraphStyle("small", fontName=regular, fontSize=7.5, leading=9.5,
                                textColor=colors.HexColor("#444444")),
        "b": ParagraphStyle("b", fontName=bold, fontSize=8.5, leading=11),
    }


def _styles() -> dict[str, ParagraphStyle]:
    return _styles_for(*_fonts())


def _p(text: str | None, style: str = "p") -> Paragraph:
    return Paragraph(escape(text or ""), _styles()[style])


def _cell(text: str | None, chars: int) -> str | Paragraph:
    """A table cell: plain text (cheap) when it fits `chars` characters on one line, else a
    wrapping paragraph."""
    text = text or ""
    return text if len(text) <= chars and "\n" not in text else _p(text)


def _money(value: Decimal | None, currency: str | None) -> str:
    return "" if value is None else f"{german_amount(value)} {currency or ''}".strip()


def _day(value: str | None) -> str:
    return german_date(value) if value else ""


def _table(rows: list[list], widths: list[float], *, header: bool = False,
           right: Iterable[int] = ()) -> Table:
    regular, bold = _fonts()
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [("FONTNAME", (0, 0), (-1, -1), regular), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, _LINE),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if header:
        style += [("FONTNAME", (0, 0), (-1, 0), bold), ("BACKGROUND", (0, 0), (-1, 0), _GREY)]
    style += [("ALIGN", (col, 0), (col, -1), "RIGHT") for col in right]
    table.setStyle(TableStyle(style))
    return table


def _pairs(rows: list[tuple[str, str | None]], label_width: float = 55 * mm) -> Table | None:
    """A two-column table of label and value, leaving out empty values."""
    chars = int((_WIDTH - label_width) / (1.9 * mm))  # ~ characters per line at 8.5 pt
    shown = [[label, _cell(value, chars)] for label, value in rows if value]
    if not shown:
        return None
    table = _table(shown, [label_width, _WIDTH - label_width])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (0, -1), _fonts()[1])]))
    return table


def _address_text(address: Address | None) -> str:
    if address is None:
        return ""
    city = " ".join(part for part in (address.post_code, address.city) if part)
    parts = [*address.lines, city, address.subdivision or "", address.country or ""]
    return ", ".join(part for part in parts if part)


def _party_block(title: str, party: Party) -> list:
    contact = party.contact
    rows = [("Name", party.name), ("Handelsname", party.trading_name
                                   if party.trading_name != party.name else None),
            ("Anschrift", _address_text(party.address)),
            ("Kennung", ", ".join(party.ids)), ("Registernummer", party.legal_id),
            ("USt-IdNr.", party.vat_id), ("Steuernummer", party.tax_number),
            ("Rechtliche Angaben", party.legal_info), ("Elektronische Adresse", party.endpoint),
            ("Kontakt", contact.name), ("Telefon", contact.phone), ("E-Mail", contact.email)]
    table = _pairs(rows, 38 * mm)
    return [_p(title, "h"), table] if table else []


def _parties(inv: EInvoice) -> list:
    seller = _party_block("Verkäufer (Rechnungssteller)", inv.seller)
    buyer = _party_block("Käufer (Rechnungsempfänger)", inv.buyer)
    blocks = [seller, buyer]
    if inv.payee is not None:
        blocks.append(_party_block("Abweichender Zahlungsempfänger", inv.payee))
    if inv.tax_representative is not None:
        blocks.append(_party_block("Steuerbevollmächtigter des Verkäufers",
                                   inv.tax_representative))
    return [KeepTogether(block) for block in blocks if block]


def _invoice_data(inv: EInvoice) -> list:
    period = (f"{_day(inv.period_start)} – {_day(inv.period_end)}"
              if inv.period_start or inv.period_end else None)
    preceding = "; ".join(f"{number}" + (f" vom {_day(day)}" if day else "")
                          for number, day in inv.preceding_invoices)
    rows = [("Rechnungsnummer (BT-1)", inv.number), ("Rechnungsdatum (BT-2)", _day(inv.issue_date)),
            ("Rechnungsart (BT-3)", f"{inv.type_code} – {TYPE_TITLES.get(inv.type_code or '', 'sonstige')}"
             if inv.type_code else None),
            ("Währung (BT-5)", inv.currency), ("Fälligkeitsdatum (BT-9)", _day(inv.due_date)),
            ("Leitweg-ID / Käuferreferenz (BT-10)", inv.buyer_reference),
            ("Projektnummer (BT-11)", inv.project_reference),
            ("Vertragsnummer (BT-12)", inv.contract_reference),
            ("Bestellnummer (BT-13)", inv.order_reference),
            ("Auftragsnummer (BT-14)", inv.sales_order_reference),
            ("Lieferschein (BT-16)", inv.despatch_reference),
            ("Buchungsreferenz (BT-19)", inv.accounting_reference),
            ("Vorausgegangene Rechnung (BT-25)", preceding or None),
            ("Abrechnungszeitraum (BT-73/74)", period),
            ("Liefer-/Leistungsdatum (BT-72)", _day(inv.delivery_date)),
            ("Lieferort", ", ".join(p for p in (inv.delivery_name,
                                                _address_text(inv.delivery_address)) if p)),
            ("Steuerdatum (BT-7)", _day(inv.tax_point_date)),
            ("Spezifikation (BT-24)", inv.guideline)]
    table = _pairs(rows, 62 * mm)
    return [_p("Rechnungsdaten", "h"), table] if table else []


def _line_text(line: Line) -> str | Paragraph:
    """The item name, with description, note, period and article number below it."""
    details = [part for part in (line.description, line.note) if part]
    if line.period_start or line.period_end:
        details.append(f"Zeitraum {_day(line.period_start)} – {_day(line.period_end)}")
    if line.seller_item_id:
        details.append(f"Art.-Nr. {line.seller_item_id}")
    name = line.name or ""
    if not details and len(name) <= 40:
        return name
    text = escape(name) + "".join(f'<br/><font size="7.5">{escape(d)}</font>' for d in details)
    return Paragraph(text, _styles()["p"])


def _lines(inv: EInvoice) -> list:
    if not inv.lines:
        return []
    head = ["Pos.", "Bezeichnung", "Menge", "Einheit", "Einzelpreis", "USt", "Betrag netto"]
    rows: list[list] = [head]
    for line in inv.lines:
        rows.append([line.id or "", _line_text(line),
                     german_number(line.quantity), line.unit or "",
                     german_amount(line.net_price) if line.net_price is not None else "",
                     f"{line.vat_category or ''} {german_number(line.vat_rate)} %".strip()
                     if line.vat_rate is not None else (line.vat_category or ""),
                     german_amount(line.net_amount) if line.net_amount is not None else ""])
    widths = [12 * mm, 70 * mm, 16 * mm, 14 * mm, 22 * mm, 16 * mm, 24 * mm]
    return [_p(f"Positionen ({len(inv.lines)})", "h"),
            _table(rows, widths, header=True, right=(2, 4, 5, 6))]


def _allowances(inv: EInvoice) -> list:
    if not inv.allowances_charges:
        return []
    rows: list[list] = [["Art", "Grund", "USt", "Betrag"]]
    for entry in inv.allowances_charges:
        rows.append(["Zuschlag" if entry.charge else "Abschlag",
                     _cell(entry.reason or entry.reason_code, 45),
                     f"{entry.vat_category or ''} {german_number(entry.vat_rate)} %".strip()
                     if entry.vat_rate is not None else "",
                     _money(entry.amount, inv.currency)])
    return [_p("Ab- und Zuschläge auf Belegebene", "h"),
            _table(rows, [24 * mm, 90 * mm, 24 * mm, 36 * mm], header=True, right=(2, 3))]


def _vat(inv: EInvoice) -> list:
    if not inv.vat_breakdown:
        return []
    rows: list[list] = [["Kategorie", "Satz", "Bemessungsgrundlage", "Steuerbetrag"]]
    for vat in inv.vat_breakdown:
        label = f"{vat.category or ''} – {VAT_CATEGORIES.get(vat.category or '', '')}"
        if vat.exemption_reason or vat.exemption_code:
            label += f" ({vat.exemption_reason or vat.exemption_code})"
        rows.append([_cell(label, 42), f"{german_number(vat.rate)} %" if vat.rate is not None else "",
                     _money(vat.taxable_amount, inv.currency),
                     _money(vat.tax_amount, inv.currency)])
    return [_p("Umsatzsteuer", "h"),
            _table(rows, [80 * mm, 16 * mm, 42 * mm, 36 * mm], header=True, right=(1, 2, 3))]


def _totals(inv: EInvoice) -> list:
    t, cur = inv.totals, inv.currency
    rows = [("Summe der Positionen (BT-106)", t.line_net), ("Abschläge (BT-107)", t.allowances),
            ("Zuschläge (BT-108)", t.charges), ("Gesamtbetrag netto (BT-109)", t.net),
            ("Umsatzsteuer (BT-110)", t.tax),
            (f"Umsatzsteuer in {inv.tax_currency} (BT-111)", t.tax_in_tax_currency),
            ("Gesamtbetrag brutto (BT-112)", t.gross), ("Vorauszahlung (BT-113)", t.prepaid),
            ("Rundung (BT-114)", t.rounding), ("Zahlungen Dritter", t.third_party_paid),
            ("Zahlbetrag (BT-115)", t.due)]
    shown = [[label, _money(value, inv.tax_currency if "BT-111" in label else cur)]
             for label, value in rows if value is not None]
    if not shown:
        return []
    table = _table(shown, [_WIDTH - 45 * mm, 45 * mm], right=(1,))
    bold = _fonts()[1]
    table.setStyle(TableStyle([("FONTNAME", (0, -1), (-1, -1), bold),
                               ("BACKGROUND", (0, -1), (-1, -1), _GREY)]))
    return [KeepTogether([_p("Beträge", "h"), table])]


def _payment(inv: EInvoice) -> list:
    rows: list[tuple[str, str | None]] = []
    for means in inv.payment_means:
        name = PAYMENT_MEANS.get(means.code or "", "")
        rows += [("Zahlungsart (BT-81)", " – ".join(p for p in (means.code, name, means.text)
                                                     if p)),
                 ("IBAN (BT-84)", means.iban), ("BIC (BT-86)", means.bic),
                 ("Kontoinhaber (BT-85)", means.account_name),
                 ("Karte (BT-87)", means.card), ("Mandatsreferenz (BT-89)", means.mandate),
                 ("Belastetes Konto (BT-91)", means.debited_iban)]
    rows += [("Verwendungszweck (BT-83)", inv.payment_reference),
             ("Gläubiger-ID (BT-90)", inv.creditor_id),
             ("Zahlungsbedingungen (BT-20)", inv.payment_terms)]
    table = _pairs(rows)
    return [KeepTogether([_p("Zahlungsdaten", "h"), table])] if table else []


def _notes(inv: EInvoice) -> list:
    if not inv.notes and not inv.attachments:
        return []
    story: list = [_p("Bemerkungen", "h")]
    story += [_p(f"{note.subject}: {note.text}" if note.subject else note.text)
              for note in inv.notes]
    if inv.attachments:
        story.append(_p("Anlagen (in der XML): " + ", ".join(a for a in inv.attachments if a)))
    return story


def _story(inv: EInvoice) -> list:
    title = TYPE_TITLES.get(inv.type_code or "", "Rechnung")
    if inv.root_name == "CreditNote" and title == "Rechnung":
        title = "Gutschrift"
    heading = f"{title} {inv.number or ''}".strip()
    intro = ("Lesefassung einer elektronischen Rechnung. Rechtlich maßgeblich ist die "
             "beigefügte XML-Datei.")
    return [_p(heading, "title"), Spacer(1, 2 * mm), _p(intro, "small"), Spacer(1, 2 * mm),
            *_parties(inv), *_invoice_data(inv), *_lines(inv), *_allowances(inv), *_vat(inv),
            *_totals(inv), *_payment(inv), *_notes(inv)]


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(_fonts()[0], 7)
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Seite {doc.page}")
    canvas.restoreState()


def render_einvoice_pdf(xml: bytes) -> bytes:
    """The readable PDF of e-invoice XML bytes (UBL, CII or ZUGFeRD 1.0).
    Raises ocr.model.ReadError when the XML is not a readable e-invoice."""
    invoice = parse_einvoice(xml)
    _font_choice.fonts = _unicode_fonts() if _needs_unicode_font(xml) else _BASE_FONTS
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title="Rechnung – Lesefassung",
                            leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, invariant=1)
    doc.build(_story(invoice), onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()
