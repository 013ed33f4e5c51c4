"""The daily report's sheets on what happens after filing: invoices filed without a posting
proposal and why, and invoices sent back per rule (a rule that routes wrongly shows up)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from bots.posting.fields import FIELD_LABELS
from bots.posting.proposal import CHECKS_FAILED
from bots.storage.ledger import Ledger
from bots.storage.proposals import Proposals

RETURN_DAYS = 30
MANUAL = "(von Hand zugewiesen)"


def why_no_proposal(missing: tuple[str, ...]) -> str:
    """('checks', 'creditor_number', 'account') -> 'Prüfungen nicht bestanden; es fehlt:
    Kreditor, Sachkonto'."""
    parts = []
    if CHECKS_FAILED in missing:
        parts.append("Prüfungen nicht bestanden (von Hand abgelegt)")
    fields = [FIELD_LABELS.get(name, name) for name in missing if name != CHECKS_FAILED]
    if fields:
        parts.append("es fehlt: " + ", ".join(fields))
    return "; ".join(parts)


def without_proposal(ledger: Ledger) -> list[dict]:
    """Filed invoices without a posting proposal, with the reason in German."""
    rows = []
    for proposal in Proposals(ledger).withheld():
        document = ledger.get(proposal.document_id)
        rows.append({"Dokument": proposal.document_id,
                     "Sachbearbeitung": document.caseworker or "",
                     "Abgelegt am": _day(proposal.created_at),
                     "Grund": why_no_proposal(proposal.missing)})
    return rows


def returns_per_rule(ledger: Ledger, today: date) -> list[dict]:
    """Per rule: invoices sent back on the report day and in the 30 days up to it."""
    since = datetime.combine(today - timedelta(days=RETURN_DAYS - 1), datetime.min.time())
    events = returned_since(ledger, since.astimezone(UTC).isoformat(timespec="seconds"))
    recent = Counter(rule for rule, _ in events)
    on_day = Counter(rule for rule, at in events if _local_day(at) == today)
    return [{"Regel": rule, "Rückgaben am Berichtstag": on_day[rule],
             f"Rückgaben in {RETURN_DAYS} Tagen": recent[rule]}
            for rule in sorted(recent, key=lambda r: (-recent[r], r))]


def returned_since(ledger: Ledger, since_iso: str) -> list[tuple[str, str]]:
    """(rule id, when) of every return since then; MANUAL for an invoice a person assigned."""
    rows = ledger.query("SELECT at, detail_json FROM audit WHERE event='returned' AND at >= ?"
                        " ORDER BY id", (since_iso,))
    return [(json.loads(detail or "{}").get("rule_id") or MANUAL, at) for at, detail in rows]


def _local_day(iso: str) -> date:
    return datetime.fromisoformat(iso).astimezone().date()


def _day(iso: str) -> str:
    return _local_day(iso).strftime("%d.%m.%Y")
