"""How values read on the pages: German dates, amounts, states, reasons and confidences."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import PurePath

from bots.desk.evidence import evidence_words
from bots.german_counts import counted, waiting_since
from bots.pipeline.checks import read_surely
from bots.pipeline.duedates import overdue_on_arrival
from bots.pipeline.fieldnames import label
from bots.pipeline.reasons import Reason, explain
from bots.storage.ledger import DocumentRow
from einvoice.readable_pdf import german_amount, german_date
from einvoice.report import KINDS as FINDING_KINDS

STATE_NAMES = {
    "received": "eingegangen", "read": "gelesen", "extracted": "ausgelesen",
    "decided": "entschieden", "filed": "abgelegt", "exception": "Ausnahme",
    "rejected": "geschlossen (nicht abgelegt)",
}
KIND_NAMES = {
    "scan": "Scan (Texterkennung)", "pdf-text": "PDF mit Textebene", "zugferd": "ZUGFeRD",
    "xrechnung-ubl": "XRechnung (UBL)", "xrechnung-cii": "XRechnung (CII)",
}
EVENT_NAMES = {
    "received": "eingegangen", "duplicate_received": "erneut eingegangen (gleiche Datei)",
    "read": "gelesen", "extracted": "ausgelesen", "decided": "entschieden",
    "filed": "in die E-Akte abgelegt", "exception": "Ausnahme",
    "fields_corrected": "Angaben korrigiert", "assigned": "von Hand zugewiesen",
    "rejected": "zurückgewiesen", "marked_duplicate": "als Dublette markiert",
    "retry": "erneut verarbeitet", "entered_by_hand": "Angaben von Hand erfasst",
    "requested_anew": "neu angefordert",
    "returned": "von der Sachbearbeitung zurückgegeben", "dms_rejected": "vom DMS abgelehnt",
}


def timestamp(value: str | None) -> str:
    """'2026-03-01T09:15:00+00:00' -> '01.03.2026, 09:15 Uhr' (local time of the server)."""
    if not value:
        return "–"
    moment = datetime.fromisoformat(value).astimezone()
    return moment.strftime("%d.%m.%Y, %H:%M Uhr")


def day(value: date | str | None) -> str:
    if not value:
        return "–"
    return german_date(value.isoformat() if isinstance(value, date) else value)


def amount(value: str | None, currency: str | None = None) -> str:
    if not value:
        return "–"
    return f"{german_amount(value)} {'€' if currency in (None, 'EUR') else currency}"


def confidence(value: float | None, threshold: float) -> str:
    """'95 % (sicher)', or '40 % (bitte prüfen)' below the threshold the bot routes with
    (ocr.min_confidence; the same test as its check low_confidence)."""
    if value is None:
        return "–"
    verdict = "sicher" if read_surely(value, threshold) else "bitte prüfen"
    return f"{round(value * 100)} % ({verdict})"


def field_input(value: str | None, name: str) -> str:
    """A contract value as a German clerk types it: 13.04.2018, 12.829,69."""
    if value is None:
        return ""
    if name in ("issue_date", "due_date"):
        return german_date(value)
    if name in ("total_net", "total_tax", "total_gross", "amount_due"):
        return german_amount(value)
    return value


def document_kind(row: DocumentRow) -> str:
    """What the original is, as far as it was read: 'PDF mit Textebene', 'leere Datei',
    'nicht gelesen (Datei .docx)', 'Angaben von Hand erfasst'."""
    if (row.invoice or {}).get("entered_by_hand"):
        return "Angaben von Hand erfasst"
    if row.kind:
        return KIND_NAMES.get(row.kind, row.kind)
    if row.size == 0:
        return "leere Datei"
    suffix = PurePath(row.original_name).suffix.lower()
    return f"nicht gelesen (Datei {suffix})" if suffix else "nicht gelesen"


def days_ago(value: int) -> str:
    return "heute" if value == 0 else "vor 1 Tag" if value == 1 else f"vor {value} Tagen"


FILTERS = {
    "timestamp": timestamp, "day": day, "amount": amount,
    "state_name": lambda s: STATE_NAMES.get(s, s), "kind_name": lambda k: KIND_NAMES.get(k, k),
    "event_name": lambda e: EVENT_NAMES.get(e, e), "reason_text": explain,
    "reason_short": lambda r: Reason(r).short if r else "", "evidence_words": evidence_words,
    "document_kind": document_kind, "waiting_since": waiting_since,
    "overdue_on_arrival": overdue_on_arrival,
    "counted": counted,
    "field_input": field_input,
    "field_label": label, "days_ago": days_ago,
    "finding_kind": lambda severity: FINDING_KINDS.get(severity, (severity,))[0],
}
