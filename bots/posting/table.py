"""The posting proposals as a table for people: German headers, German numbers and dates,
one column per posting attribute; written as a ';' CSV that Excel opens (UTF-8 with BOM)."""

from __future__ import annotations

import csv
import io

from einvoice.readable_pdf import german_amount, german_date
from rules.posting import POSTING_KEYS, POSTING_LABELS


def _amount(value) -> str:
    return "" if value in (None, "") else german_amount(value)


def _date(value) -> str:
    return "" if not value else german_date(value)


def _rate(value) -> str:
    return "" if value in (None, "") else str(value).replace(".", ",")


def vat_text(rows: list[dict]) -> str:
    """'19 %: 100,00 netto, 19,00 USt; 7 %: ...' ('' when not known)."""
    return "; ".join(f"{_rate(r.get('rate'))} %: {_amount(r.get('taxable_amount'))} netto, "
                     f"{_amount(r.get('tax_amount'))} USt" for r in rows)


_COLUMNS = (
    ("Dokument-ID", lambda p: p["document_id"]),
    ("Status", lambda p: p["status"]),
    ("Kreditor", lambda p: p["creditor_number"] or ""),
    ("Rechnungsnummer", lambda p: p["invoice_number"] or ""),
    ("Rechnungsdatum", lambda p: _date(p["issue_date"])),
    ("Gutschrift", lambda p: "ja" if p["credit_note"] else "nein"),
    ("Währung", lambda p: p["currency"]),
    ("Nettobetrag", lambda p: _amount(p["total_net"])),
    ("Umsatzsteuer", lambda p: _amount(p["total_tax"])),
    ("Bruttobetrag", lambda p: _amount(p["total_gross"])),
    ("Zahlbetrag", lambda p: _amount(p["amount_due"])),
    ("USt-Aufschlüsselung", lambda p: vat_text(p["vat_breakdown"])),
    ("Zahlen bis", lambda p: _date(p["pay_by"])),
    ("Skonto %", lambda p: _rate(p["discount_percent"])),
    ("Skonto bis", lambda p: _date(p["discount_until"])),
    ("Skontobetrag", lambda p: _amount(p["discount_amount"])),
    ("Zahlbetrag mit Skonto", lambda p: _amount(p["amount_after_discount"])),
    ("IBAN", lambda p: p["iban"] or ""),
    ("Aktenzeichen", lambda p: p["case_reference"] or ""),
    *((POSTING_LABELS[key], lambda p, key=key: p["posting"].get(key) or "")
      for key in POSTING_KEYS),
    ("Sachbearbeitung", lambda p: p["queue"]),
    ("Regel", lambda p: p["rule_id"] or ""),
    ("Prüfung verlangt", lambda p: "ja" if p["review_required"] else "nein"),
    ("Eingangsform", lambda p: p["kind"]),
)
HEADERS: tuple[str, ...] = tuple(header for header, _ in _COLUMNS)


def table_rows(proposals: list[dict]) -> list[dict[str, str]]:
    return [{header: value(p) for header, value in _COLUMNS} for p in proposals]


def csv_bytes(proposals: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table_rows(proposals))
    return out.getvalue().encode("utf-8-sig")
