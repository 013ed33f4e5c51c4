"""A readable PDF of an XML e-invoice for the caseworker, made in-process with reportlab.

In the spirit of the KoSIT visualisation: parties, invoice data, the line table, the VAT
breakdown, the totals, payment data and notes, with German labels and the EN 16931 term
numbers (BT-..) where a caseworker may need to look them up. The XML filed beside it stays
the legal invoice; the rendering says so.

Drawn by einvoice.pdf_page_writer straight onto a reportlab canvas.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from einvoice.model import Address, EInvoice, Line, Party
from einvoice.parse import ParsedInvoice
from einvoice.pdf_page_writer import WIDTH, PageWriter, fonts_for
from einvoice.units import unit_name

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
    rows = [[line.id or "", _line_text(line), german_number(line.quantity), unit_name(line.unit, line.quantity),
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
        out.table(["Betrag", inv.currency or ""], [WIDTH - 45 * mm, 45 * mm], shown,
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


def render_einvoice_pdf(parsed: ParsedInvoice) -> bytes:
    """The readable PDF of a parsed e-invoice (UBL, CII or ZUGFeRD 1.0)."""
    inv = parsed.invoice
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle("Rechnung – Lesefassung")
    out = PageWriter(canvas, fonts_for(parsed.xml))
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
