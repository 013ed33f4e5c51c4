"""A readable PDF of an XML e-invoice for the caseworker, made in-process with reportlab.

In the spirit of the KoSIT visualisation: parties, invoice data, the line table, the VAT
breakdown, the totals, payment data and notes, with German labels and the EN 16931 term
numbers (BT-..) where a caseworker may need to look them up. The XML filed beside it stays
the legal invoice; the rendering says so.

Drawn straight onto a reportlab canvas by a small page writer (wrapping, page breaks,
repeated table heads): several times faster than platypus tables, which matters when every
XRechnung is rendered on its way to the e-file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ocr.einvoice_model import Address, EInvoice, Line, Party
from ocr.einvoice_parse import parse_einvoice

# A Unicode font when the system has one (names in any script); else the PDF base font.
_FONT_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
               Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"))
_BASE_FONTS = ("Helvetica", "Helvetica-Bold")
_LEFT, _RIGHT, _TOP, _BOTTOM = 18 * mm, A4[0] - 18 * mm, A4[1] - 16 * mm, 18 * mm
_WIDTH = _RIGHT - _LEFT
_SIZE, _LEADING = 8.5, 10.5
_GREY, _RULE = HexColor("#e8ebef"), HexColor("#9aa3ad")

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
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


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


_ASCII = bytes(range(128))


def fonts_for(xml: bytes) -> tuple[str, str]:
    """The base fonts when every character is in Windows-1252 (they are not embedded, which
    keeps the rendering fast), else a Unicode font. Only the non-ASCII bytes are decoded
    (they are whole UTF-8 characters): XML with attachments runs to megabytes."""
    try:
        xml.translate(None, _ASCII).decode("utf-8").encode("cp1252")
    except UnicodeError:
        return _unicode_fonts()
    return _BASE_FONTS


@lru_cache(maxsize=8)
def _widest(font_name: str) -> float:
    """The widest glyph of a font in em: a string of n characters is at most n times as wide."""
    font = pdfmetrics.getFont(font_name)
    if isinstance(font, TTFont):
        return max(font.face.charWidths.values()) / 1000
    return max(font.widths) / 1000


class PageWriter:
    """Writes text top-down onto A4 pages: headings, label/value pairs, tables, paragraphs."""

    def __init__(self, canvas: Canvas, fonts: tuple[str, str]):
        self.canvas, (self.regular, self.bold) = canvas, fonts
        self.y, self.page = _TOP, 1
        self._start_page()

    def _start_page(self) -> None:
        """The page's pen for rules, and its text collected in reading order (finish_page)."""
        self.canvas.setStrokeColor(_RULE)
        self.canvas.setLineWidth(0.25)
        self._strings: list[tuple[str, float, float, float, str]] = []

    def _draw(self, x: float, y: float, line: str, font: str, size: float = _SIZE,
              right: bool = False) -> None:
        """`line` at (x, y), or ending at x when `right`."""
        if right:
            x -= stringWidth(line, font, size)
        self._strings.append((font, size, x, y, line))

    def _room(self, height: float) -> bool:
        """Start a new page unless `height` fits; True when a new page was started."""
        if self.y - height >= _BOTTOM:
            return False
        self.finish_page()
        self.canvas.showPage()
        self.y, self.page = _TOP, self.page + 1
        self._start_page()
        return True

    def finish_page(self) -> None:
        """Draw the page's text above its shading and rules, in reading order, which screen
        readers and copying follow."""
        self._draw(_RIGHT, 10 * mm, f"Seite {self.page}", self.regular, 7, right=True)
        if self.regular in _BASE_FONTS:
            self._show_in_base_fonts()
        else:
            self._show_in_text_object()

    def _show_in_base_fonts(self) -> None:
        """Each string as PDF text operators (fonts_for made sure it is all Windows-1252, the
        base fonts' WinAnsi encoding); canvas.setFont sets and registers the font. Through
        reportlab's text objects a string costs four times as much: half the rendering."""
        current = None
        for font, size, x, y, line in self._strings:
            if (font, size) != current:
                self.canvas.setFont(font, size)
                current = (font, size)
            self.canvas.addLiteral(
                f"BT 1 0 0 1 {fp_str(x, y)} Tm ({escapePDF(line.encode('cp1252'))}) Tj ET")

    def _show_in_text_object(self) -> None:
        """A Unicode font's strings through a text object, which embeds the glyphs used."""
        text, current = self.canvas.beginText(), None
        for font, size, x, y, line in self._strings:
            if (font, size) != current:
                text.setFont(font, size)
                current = (font, size)
            text.setTextOrigin(x, y)
            text.textLine(line)  # (textOut would measure the string once more)
        self.canvas.drawText(text)

    def wrap(self, text: str | None, width: float, bold: bool = False, size: float = _SIZE
             ) -> list[str]:
        text = text or ""
        font = self.bold if bold else self.regular
        if "\n" not in text and (len(text) * size * _widest(font) <= width
                                 or stringWidth(text, font, size) <= width):
            return [text]  # most values: no or one measurement instead of one per word
        lines = []
        for part in text.splitlines() or [""]:
            lines += simpleSplit(part, font, size, width) or [""]
        return lines

    def text(self, text: str, *, size: float = _SIZE, bold: bool = False,
             gap: float = 0.0) -> None:
        leading = size * 1.25
        for line in self.wrap(text, _WIDTH, bold, size):
            self._room(leading)
            self.y -= leading
            self._draw(_LEFT, self.y + 2, line, self.bold if bold else self.regular, size)
        self.y -= gap

    def heading(self, text: str) -> None:
        self._room(40)  # a heading never ends a page
        self.y -= 6
        self.text(text, size=10.5, bold=True, gap=2)

    def pairs(self, rows: Sequence[tuple[str, str | None]], label_width: float) -> None:
        """Label (bold) and value per row, values wrapped; empty values left out."""
        for label, value in rows:
            if not value:
                continue
            labels = self.wrap(label, label_width - 3, bold=True)
            values = self.wrap(value, _WIDTH - label_width)
            height = max(len(labels), len(values)) * _LEADING + 3
            self._room(height)
            for offset, line in enumerate(labels):
                self._draw(_LEFT, self.y - (offset + 1) * _LEADING + 2, line, self.bold)
            for offset, line in enumerate(values):
                self._draw(_LEFT + label_width, self.y - (offset + 1) * _LEADING + 2, line,
                           self.regular)
            self.y -= height
            self._rule()

    def table(self, head: Sequence[str], widths: Sequence[float], rows: Sequence[Sequence[str]],
              right: frozenset[int] = frozenset(), bold_last: bool = False) -> None:
        """A table with a grey head row repeated on every page; cells wrap."""
        self._room(2 * _LEADING + 6)
        self._row(head, widths, right, bold=True, shade=True)
        for index, row in enumerate(rows):
            cells = [self.wrap(cell, width - 4) for cell, width in zip(row, widths, strict=True)]
            height = max(len(lines) for lines in cells) * _LEADING + 3
            if self._room(height):
                self._row(head, widths, right, bold=True, shade=True)
            last = bold_last and index == len(rows) - 1
            self._draw_cells(cells, widths, right, bold=last, shade=last, height=height)

    def _row(self, cells, widths, right, *, bold: bool, shade: bool) -> None:
        wrapped = [self.wrap(c, w - 4, bold) for c, w in zip(cells, widths, strict=True)]
        height = max(len(lines) for lines in wrapped) * _LEADING + 3
        self._draw_cells(wrapped, widths, right, bold=bold, shade=shade, height=height)

    def _draw_cells(self, cells, widths, right, *, bold: bool, shade: bool,
                    height: float) -> None:
        canvas = self.canvas
        if shade:
            canvas.setFillColor(_GREY)
            canvas.rect(_LEFT, self.y - height, _WIDTH, height, stroke=0, fill=1)
            canvas.setFillColorRGB(0, 0, 0)
        font, x = self.bold if bold else self.regular, _LEFT
        for column, (lines, width) in enumerate(zip(cells, widths, strict=True)):
            aligned_right = column in right
            for offset, line in enumerate(lines):
                self._draw(x + width - 2 if aligned_right else x + 2,
                           self.y - (offset + 1) * _LEADING + 2, line, font,
                           right=aligned_right)
            x += width
        self.y -= height
        self._rule()

    def _rule(self) -> None:
        self.canvas.line(_LEFT, self.y, _RIGHT, self.y)


def _money(value: Decimal | None, currency: str | None) -> str:
    return "" if value is None else f"{german_amount(value)} {currency or ''}".strip()


def _day(value: str | None) -> str:
    return german_date(value) if value else ""


def _rate(category: str | None, rate: Decimal | None) -> str:
    return f"{category or ''} {german_number(rate)} %".strip() if rate is not None else (
        category or "")


def _address_text(address: Address | None) -> str:
    if address is None:
        return ""
    city = " ".join(part for part in (address.post_code, address.city) if part)
    parts = [*address.lines, city, address.subdivision or "", address.country or ""]
    return ", ".join(part for part in parts if part)


def _party(out: PageWriter, title: str, party: Party | None) -> None:
    if party is None or (party.is_empty() and party.address.is_empty()):
        return
    contact = party.contact
    out.heading(title)
    out.pairs([("Name", party.name),
               ("Handelsname", party.trading_name if party.trading_name != party.name else None),
               ("Anschrift", _address_text(party.address)), ("Kennung", ", ".join(party.ids)),
               ("Registernummer", party.legal_id), ("USt-IdNr.", party.vat_id),
               ("Steuernummer", party.tax_number), ("Rechtliche Angaben", party.legal_info),
               ("Elektronische Adresse", party.endpoint), ("Kontakt", contact.name),
               ("Telefon", contact.phone), ("E-Mail", contact.email)], 38 * mm)


def _invoice_data(out: PageWriter, inv: EInvoice) -> None:
    period = (f"{_day(inv.period_start)} – {_day(inv.period_end)}"
              if inv.period_start or inv.period_end else None)
    preceding = "; ".join(number + (f" vom {_day(day)}" if day else "")
                          for number, day in inv.preceding_invoices)
    kind = (f"{inv.type_code} – {TYPE_TITLES.get(inv.type_code, 'sonstige')}"
            if inv.type_code else None)
    delivery = ", ".join(p for p in (inv.delivery_name, _address_text(inv.delivery_address)) if p)
    out.heading("Rechnungsdaten")
    out.pairs([("Rechnungsnummer (BT-1)", inv.number),
               ("Rechnungsdatum (BT-2)", _day(inv.issue_date)), ("Rechnungsart (BT-3)", kind),
               ("Währung (BT-5)", inv.currency), ("Fälligkeitsdatum (BT-9)", _day(inv.due_date)),
               ("Leitweg-ID / Käuferreferenz (BT-10)", inv.buyer_reference),
               ("Projektnummer (BT-11)", inv.project_reference),
               ("Vertragsnummer (BT-12)", inv.contract_reference),
               ("Bestellnummer (BT-13)", inv.order_reference),
               ("Auftragsnummer (BT-14)", inv.sales_order_reference),
               ("Lieferschein (BT-16)", inv.despatch_reference),
               ("Buchungsreferenz (BT-19)", inv.accounting_reference),
               ("Vorausgegangene Rechnung (BT-25)", preceding),
               ("Abrechnungszeitraum (BT-73/74)", period),
               ("Liefer-/Leistungsdatum (BT-72)", _day(inv.delivery_date)),
               ("Lieferort", delivery), ("Steuerdatum (BT-7)", _day(inv.tax_point_date)),
               ("Spezifikation (BT-24)", inv.guideline)], 62 * mm)


def _line_text(line: Line) -> str:
    """The item name, with description, note, period and article number below it."""
    details = [part for part in (line.description, line.note) if part]
    if line.period_start or line.period_end:
        details.append(f"Zeitraum {_day(line.period_start)} – {_day(line.period_end)}")
    if line.seller_item_id:
        details.append(f"Art.-Nr. {line.seller_item_id}")
    return "\n".join([line.name or "", *details])


def _lines(out: PageWriter, inv: EInvoice) -> None:
    if not inv.lines:
        return
    out.heading(f"Positionen ({len(inv.lines)})")
    rows = [[line.id or "", _line_text(line), german_number(line.quantity), line.unit or "",
             "" if line.net_price is None else german_amount(line.net_price),
             _rate(line.vat_category, line.vat_rate),
             "" if line.net_amount is None else german_amount(line.net_amount)]
            for line in inv.lines]
    out.table(["Pos.", "Bezeichnung", "Menge", "Einheit", "Einzelpreis", "USt",
               "Betrag netto"],
              [12 * mm, 70 * mm, 16 * mm, 14 * mm, 22 * mm, 16 * mm, 24 * mm], rows,
              right=frozenset({2, 4, 5, 6}))


def _allowances(out: PageWriter, inv: EInvoice) -> None:
    if not inv.allowances_charges:
        return
    out.heading("Ab- und Zuschläge auf Belegebene")
    rows = [["Zuschlag" if ac.charge else "Abschlag", ac.reason or ac.reason_code or "",
             _rate(ac.vat_category, ac.vat_rate), _money(ac.amount, inv.currency)]
            for ac in inv.allowances_charges]
    out.table(["Art", "Grund", "USt", "Betrag"], [24 * mm, 90 * mm, 24 * mm, 36 * mm], rows,
              right=frozenset({2, 3}))


def _vat(out: PageWriter, inv: EInvoice) -> None:
    if not inv.vat_breakdown:
        return
    out.heading("Umsatzsteuer")
    rows = []
    for vat in inv.vat_breakdown:
        label = f"{vat.category or ''} – {VAT_CATEGORIES.get(vat.category or '', '')}"
        if vat.exemption_reason or vat.exemption_code:
            label += f" ({vat.exemption_reason or vat.exemption_code})"
        rows.append([label, "" if vat.rate is None else f"{german_number(vat.rate)} %",
                     _money(vat.taxable_amount, inv.currency),
                     _money(vat.tax_amount, inv.currency)])
    out.table(["Kategorie", "Satz", "Bemessungsgrundlage", "Steuerbetrag"],
              [80 * mm, 16 * mm, 42 * mm, 36 * mm], rows, right=frozenset({1, 2, 3}))


def _totals(out: PageWriter, inv: EInvoice) -> None:
    t, cur = inv.totals, inv.currency
    rows = [("Summe der Positionen (BT-106)", t.line_net, cur),
            ("Abschläge (BT-107)", t.allowances, cur), ("Zuschläge (BT-108)", t.charges, cur),
            ("Gesamtbetrag netto (BT-109)", t.net, cur), ("Umsatzsteuer (BT-110)", t.tax, cur),
            (f"Umsatzsteuer in {inv.tax_currency} (BT-111)", t.tax_in_tax_currency,
             inv.tax_currency),
            ("Gesamtbetrag brutto (BT-112)", t.gross, cur), ("Vorauszahlung (BT-113)", t.prepaid,
                                                               cur),
            ("Rundung (BT-114)", t.rounding, cur), ("Zahlungen Dritter", t.third_party_paid, cur),
            ("Zahlbetrag (BT-115)", t.due, cur)]
    shown = [[label, _money(value, currency)] for label, value, currency in rows
             if value is not None]
    if shown:
        out.heading("Beträge")
        out.table(["Betrag", inv.currency or ""], [_WIDTH - 45 * mm, 45 * mm], shown,
                  right=frozenset({1}), bold_last=shown[-1][0].startswith("Zahlbetrag"))


def _payment(out: PageWriter, inv: EInvoice) -> None:
    rows: list[tuple[str, str | None]] = []
    for means in inv.payment_means:
        name = PAYMENT_MEANS.get(means.code or "", "")
        rows += [("Zahlungsart (BT-81)", " – ".join(p for p in (means.code, name, means.text)
                                                     if p)),
                 ("IBAN (BT-84)", means.iban), ("BIC (BT-86)", means.bic),
                 ("Kontoinhaber (BT-85)", means.account_name), ("Karte (BT-87)", means.card),
                 ("Mandatsreferenz (BT-89)", means.mandate),
                 ("Belastetes Konto (BT-91)", means.debited_iban)]
    rows += [("Verwendungszweck (BT-83)", inv.payment_reference),
             ("Gläubiger-ID (BT-90)", inv.creditor_id),
             ("Zahlungsbedingungen (BT-20)", inv.payment_terms)]
    if any(value for _, value in rows):
        out.heading("Zahlungsdaten")
        out.pairs(rows, 55 * mm)


def _notes(out: PageWriter, inv: EInvoice) -> None:
    if not inv.notes and not inv.attachments:
        return
    out.heading("Bemerkungen")
    for note in inv.notes:
        out.text(f"{note.subject}: {note.text}" if note.subject else note.text, gap=3)
    names = ", ".join(name for name in inv.attachments if name)
    if names:
        out.text(f"Anlagen (in der XML): {names}")


def _title(inv: EInvoice) -> str:
    title = TYPE_TITLES.get(inv.type_code or "", "Rechnung")
    if inv.root_name == "CreditNote" and title == "Rechnung":
        title = "Gutschrift"
    return f"{title} {inv.number or ''}".strip()


def render_einvoice_pdf(xml: bytes) -> bytes:
    """The readable PDF of e-invoice XML bytes (UBL, CII or ZUGFeRD 1.0).
    Raises ocr.model.ReadError when the XML is not a readable e-invoice."""
    inv = parse_einvoice(xml)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle("Rechnung – Lesefassung")
    out = PageWriter(canvas, fonts_for(xml))
    out.text(_title(inv), size=16, bold=True, gap=2)
    out.text("Lesefassung einer elektronischen Rechnung. Rechtlich maßgeblich ist die "
             "beigefügte XML-Datei.", size=7.5, gap=4)
    _party(out, "Verkäufer (Rechnungssteller)", inv.seller)
    _party(out, "Käufer (Rechnungsempfänger)", inv.buyer)
    _party(out, "Abweichender Zahlungsempfänger", inv.payee)
    _party(out, "Steuerbevollmächtigter des Verkäufers", inv.tax_representative)
    _invoice_data(out, inv)
    for section in (_lines, _allowances, _vat, _totals, _payment, _notes):
        section(out, inv)
    out.finish_page()
    canvas.save()
    return buffer.getvalue()
