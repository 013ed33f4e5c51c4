"""The daily report for the invoice office, as Excel (RPA.Excel.Files) and CSV, German headers:
invoices per caseworker, exceptions by reason, throughput per day, invoices whose payment is
due within 5 days, invoices filed without a posting proposal and why, and returns per rule.
It names documents by id, never by provider, person or amount."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from bots.commands.handover_report import returns_per_rule, without_proposal
from bots.pipeline.duedates import URGENT_WITHIN_DAYS, days_left, is_urgent
from bots.pipeline.reasons import explain
from bots.storage.atomic import write_atomic
from bots.storage.ledger import DocumentRow, Ledger

THROUGHPUT_DAYS = 14
_STATE_DE = {"filed": "abgelegt", "exception": "Ausnahme", "decided": "entschieden",
             "received": "eingegangen", "read": "gelesen", "extracted": "erfasst",
             "rejected": "zurückgewiesen"}


def report_tables(ledger: Ledger, today: date) -> dict[str, list[dict]]:
    """Sheet name -> rows (each a dict: German header -> value)."""
    rows = ledger.all_documents()
    return {
        "Je Sachbearbeitung": _per_caseworker(rows, today),
        "Ausnahmen je Grund": _exceptions(rows),
        "Durchsatz": _throughput(rows, today),
        "Zahlung fällig": _due_soon(rows, today),
        "Ohne Buchungsvorschlag": without_proposal(ledger),
        "Rückgaben je Regel": returns_per_rule(ledger, today),
    }


def _per_caseworker(rows: list[DocumentRow], today: date) -> list[dict]:
    filed = [r for r in rows if r.state == "filed" and r.caseworker]
    total = Counter(r.caseworker for r in filed)
    on_day = Counter(r.caseworker for r in filed if (r.filed_at or "")[:10] == today.isoformat())
    return [{"Sachbearbeitung": cw, "Heute abgelegt": on_day[cw], "Abgelegt gesamt": total[cw]}
            for cw in sorted(total)]


def _exceptions(rows: list[DocumentRow]) -> list[dict]:
    counts = Counter(r.reason for r in rows if r.state == "exception")
    return [{"Grund": reason, "Erläuterung": explain(reason), "Anzahl": n}
            for reason, n in sorted(counts.items(), key=lambda i: (-i[1], i[0] or ""))]


def _throughput(rows: list[DocumentRow], today: date) -> list[dict]:
    days = [today - timedelta(days=n) for n in range(THROUGHPUT_DAYS - 1, -1, -1)]
    received = Counter(r.received_at[:10] for r in rows)
    filed = Counter((r.filed_at or "")[:10] for r in rows if r.state == "filed")
    exceptions = Counter(r.updated_at[:10] for r in rows if r.state == "exception")
    return [{"Datum": d.strftime("%d.%m.%Y"), "Eingegangen": received[d.isoformat()],
             "Abgelegt": filed[d.isoformat()], "Ausnahmen": exceptions[d.isoformat()]}
            for d in days]


def _due_soon(rows: list[DocumentRow], today: date) -> list[dict]:
    soon = [r for r in rows if r.state in ("filed", "exception", "decided")
            and is_urgent(r.pay_by, today, URGENT_WITHIN_DAYS)]
    return [{"Dokument": r.id, "Zahlen bis": date.fromisoformat(r.pay_by).strftime("%d.%m.%Y"),
             "Tage": days_left(r.pay_by, today), "Status": _STATE_DE.get(r.state, r.state),
             "Sachbearbeitung / Grund": r.caseworker or r.reason or ""}
            for r in sorted(soon, key=lambda r: r.pay_by)]


def write_report(ledger: Ledger, folder: Path, today: date) -> tuple[Path, list[Path]]:
    """Write bericht-YYYY-MM-DD.xlsx and one CSV per sheet; returns their paths."""
    tables = report_tables(ledger, today)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"bericht-{today.isoformat()}"
    xlsx = folder / f"{stem}.xlsx"
    _write_xlsx(tables, xlsx)
    csvs = []
    for index, (sheet, rows) in enumerate(tables.items(), start=1):
        path = folder / f"{stem}-{index}-{_slug(sheet)}.csv"
        write_atomic(path, _csv_bytes(rows))
        csvs.append(path)
    return xlsx, csvs


def _write_xlsx(tables: dict[str, list[dict]], path: Path) -> None:
    from RPA.Excel.Files import Files  # imported late: it takes a second to load

    excel = Files()
    first, *rest = tables
    excel.create_workbook(fmt="xlsx", sheet_name=first)
    excel.append_rows_to_worksheet(tables[first] or [_empty(first)], name=first, header=True)
    for sheet in rest:
        excel.create_worksheet(sheet, content=tables[sheet] or [_empty(sheet)], header=True)
    tmp = path.with_name(f".tmp-{path.name}")
    excel.save_workbook(str(tmp))
    excel.close_workbook()
    tmp.replace(path)


def _empty(sheet: str) -> dict:
    return {sheet: "keine Einträge"}


def _csv_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 with BOM correctly


def _slug(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-"})
    return text.lower().translate(table)
