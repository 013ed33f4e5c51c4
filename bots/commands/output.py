"""What the commands print: tables for people (German), JSON for tools."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime

from bots.desk.formatting import EVENT_NAMES, document_kind, timestamp
from bots.display_names import display_name, masked_name
from bots.german_counts import counted
from bots.pipeline.duedates import URGENT_WITHIN_DAYS, days_left, is_urgent
from bots.pipeline.fieldnames import label
from bots.pipeline.model import Outcome
from bots.pipeline.reasons import Reason, explain
from bots.rule_admin.trace_lines import rule_trace_lines
from bots.storage.ledger import DocumentRow, Ledger
from bots.text_table import text_table

_OUTCOME_DE = {"filed": "abgelegt", "exception": "Ausnahme", "duplicate": "Dublette",
               "pending": "wird wiederholt"}
_OUTCOME_COUNTED = {"filed": ("abgelegt", "abgelegt"), "exception": ("Ausnahme", "Ausnahmen"),
                    "duplicate": ("Dublette", "Dubletten"),
                    "pending": ("wird wiederholt", "werden wiederholt")}


def outcome_table(outcomes: list[Outcome]) -> str:
    """One row per document; file names masked (the journal is no place for personal data)."""
    if not outcomes:
        return "Nichts zu verarbeiten: alle Eingänge sind bereits erfasst."
    rows = [[masked_name(o.file), o.document_id, _OUTCOME_DE.get(o.outcome, o.outcome),
             o.caseworker or _reason_short(o.reason)]
            for o in sorted(outcomes, key=lambda o: o.file)]
    counts = Counter(o.outcome for o in outcomes)
    summary = ", ".join(counted(n, *_OUTCOME_COUNTED.get(k, (k, k)))
                        for k, n in sorted(counts.items()))
    return text_table(["Datei", "Dokument", "Ergebnis", "Sachbearbeitung / Grund"], rows) + \
        f"\n\n{counted(len(outcomes), 'Dokument', 'Dokumente')}: {summary}"


def outcomes_json(outcomes: list[Outcome], *, full_names: bool = False) -> str:
    """The outcomes for tools; file names masked like the table's unless an operator asks
    for them in full (`--full-names`: the output then holds social data)."""
    shown = display_name if full_names else masked_name
    return json.dumps([o.to_dict() | {"file": shown(o.file)} for o in outcomes],
                      ensure_ascii=False, indent=1)


def _reason_short(reason: str | None) -> str:
    """A reason in a few German words, its code beside it: 'keine Regel (no_rule)'."""
    return f"{Reason(reason).short} ({reason})" if reason else ""


def by_urgency(rows: list[DocumentRow]) -> list[DocumentRow]:
    """Most urgent first: earliest pay-by date, then those without one, oldest first."""
    return sorted(rows, key=lambda r: (r.pay_by is None, r.pay_by or "", r.received_at))


def exceptions_table(rows: list[DocumentRow], today: date) -> str:
    if not rows:
        return "Keine offenen Ausnahmen."
    body = [[("! " if is_urgent(r.pay_by, today) else "  ") + r.id,
             r.received_at[:16].replace("T", " "), _pay_by_text(r.pay_by, today), r.source,
             _reason_short(r.reason), masked_name(r.original_name)] for r in by_urgency(rows)]
    urgent = sum(is_urgent(r.pay_by, today) for r in rows)
    note = f"\n\n! = Zahlung in höchstens {URGENT_WITHIN_DAYS} Tagen fällig ({urgent})"
    return text_table(["  Dokument", "Eingang", "Zahlen bis", "Quelle", "Grund", "Datei"],
                  body) + (note if urgent else "")


def _pay_by_text(pay_by_iso: str | None, today: date) -> str:
    left = days_left(pay_by_iso, today)
    if left is None:
        return "–"
    return f"{date.fromisoformat(pay_by_iso):%d.%m.%Y} ({left:+d} T.)"


def _exception_dict(row: DocumentRow, today: date) -> dict:
    return {
        "document_id": row.id, "received_at": row.received_at, "source": row.source,
        "pay_by": row.pay_by, "urgent": is_urgent(row.pay_by, today),
        "file": row.original_name, "kind": row.kind, "reason": row.reason,
        "reason_text": explain(row.reason), "detail": row.reason_detail,
        "fields": (row.invoice or {}).get("fields"),
        "decision": row.decision,
    }


def exceptions_json(rows: list[DocumentRow], today: date) -> str:
    return json.dumps([_exception_dict(r, today) for r in by_urgency(rows)],
                      ensure_ascii=False, indent=1)


def exception_json(row: DocumentRow, audit: list[dict], today: date, *,
                   quarantined: str | None = None) -> str:
    return json.dumps(_exception_dict(row, today) | {"audit": audit, "quarantined": quarantined},
                      ensure_ascii=False, indent=1)


def exception_detail(row: DocumentRow, audit: list[dict], today: date, *,
                     quarantined: str | None = None) -> str:
    """One exception explained for an operator; `quarantined`: where a file intake could not
    take lies (its ledger original is only the bot's note about it)."""
    lines = [f"Ausnahme {row.id} – {_reason_short(row.reason)}", f"  {explain(row.reason)}"]
    if row.reason_detail:
        lines.append(f"  {row.reason_detail}")
    lines += [f"Datei: {display_name(row.original_name)} (Quelle: {row.source}, Eingang: "
              f"{timestamp(row.received_at)})"]
    if quarantined:
        lines.append(f"Nicht eingelesen, unverändert in der Quarantäne: {quarantined}")
    lines += [f"Art: {document_kind(row)}, Seiten: {row.pages or '–'}",
              f"Zahlen bis: {_pay_by_text(row.pay_by, today)}"
              + (" – DRINGEND" if is_urgent(row.pay_by, today) else "")]
    fields = (row.invoice or {}).get("fields") or {}
    if fields:
        lines.append("Erkannte Angaben:")
        lines += [f"  {label(k)}: {v if v is not None else '–'}" for k, v in fields.items()]
    lines += _trace_lines(row.decision)
    lines.append("Verlauf:")
    lines += [f"  {timestamp(a['at'])}  {'Bot' if a['actor'] == 'bot' else a['actor']}  "
              f"{EVENT_NAMES.get(a['event'], a['event'])}" for a in audit]
    return "\n".join(lines)


def _trace_lines(decision: dict | None) -> list[str]:
    engine = (decision or {}).get("decision") or {}
    if not engine.get("trace"):
        return []
    lines = _decision_summary(engine)
    lines.append("Regeln (höchste Priorität zuerst):")
    return lines + rule_trace_lines(engine["trace"])


def _decision_summary(engine: dict) -> list[str]:
    """The deciding rule, its labels and review requirement, when a rule decided (no_deputy)."""
    if not engine.get("rule_id"):
        return []
    lines = [f"Entscheidende Regel: {engine['rule_id']}"]
    if engine.get("labels"):
        lines.append(f"Kennzeichen: {', '.join(engine['labels'])}")
    if engine.get("review_required"):
        lines.append("Vor der Zahlung ist eine Prüfung erforderlich.")
    return lines


def status_dict(ledger: Ledger, today: date) -> dict:
    """For operators: counts, the oldest unfinished document, urgent exceptions, last errors."""
    facts = ledger.metric_facts()
    exceptions = ledger.by_state("exception")
    oldest = facts["oldest_unfinished"]
    return {
        "ledger": ledger.shown_location(),
        "workers": ledger.workers(),
        "documents_by_state": ledger.counts_by_state(),
        "filed_by_queue": facts["queues"],
        "exceptions_by_reason": dict(Counter(r.reason for r in exceptions)),
        "urgent_exceptions": sum(is_urgent(r.pay_by, today) for r in exceptions),
        "oldest_unfinished_since": (datetime.fromtimestamp(oldest, UTC).isoformat()
                                    if oldest else None),
        "last_errors": [{"document_id": r.id, "reason": r.reason, "at": r.updated_at}
                        for r in sorted(exceptions, key=lambda r: r.updated_at)[-5:]
                        if r.reason == "failed"],
        "last_activity_at": ledger.last_activity(),
    }


def status_json(ledger: Ledger, today: date) -> str:
    return json.dumps(status_dict(ledger, today), ensure_ascii=False, indent=1)


def status_text(ledger: Ledger, today: date) -> str:
    data = status_dict(ledger, today)
    lines = [f"ledger: {data['ledger']}", f"workers alive: {len(data['workers'])}"]
    lines += [f"  {w['host']} pid {w['pid']}, last heartbeat {w['heartbeat']}, leases: "
              f"{', '.join(w['leases']) or 'none'}" for w in data["workers"]]
    lines.append("documents by state:")
    lines += [f"  {k:<12} {v}" for k, v in sorted(data["documents_by_state"].items())]
    lines.append("filed by queue:")
    lines += [f"  {k:<12} {v}" for k, v in sorted(data["filed_by_queue"].items())]
    lines.append("exceptions by reason:")
    lines += [f"  {k:<15} {v}" for k, v in sorted(data["exceptions_by_reason"].items())]
    lines.append(f"urgent exceptions (pay within {URGENT_WITHIN_DAYS} days): "
                 f"{data['urgent_exceptions']}")
    lines.append(f"oldest unfinished since: {data['oldest_unfinished_since'] or '-'}")
    lines.append(f"last activity: {data['last_activity_at'] or '-'}")
    lines.append("last errors: " + (", ".join(f"{e['document_id']} at {e['at']}"
                                              for e in data["last_errors"]) or "none"))
    return "\n".join(lines)
