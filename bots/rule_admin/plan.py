"""Plan before change: the ledger's documents of the last N days replayed through the current
and the new rules, and what would go elsewhere (`run_bot.py rules plan`). Read-only."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from bots.display_names import masked_name
from bots.german_counts import counted, number
from bots.pipeline.model import Invoice
from bots.rule_admin.queues import OUTCOMES, queue_of
from bots.storage.database import is_postgres
from bots.storage.db_postgres import read_only_rows
from bots.text_table import text_table
from rules.engine import decide
from rules.model import RuleSet

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
AMOUNT_CLASSES = (500, 1000, 5000, 10000)




# -- plan before change ----------------------------------------------------------------------

@dataclass(frozen=True)
class Move:
    """A document that the new rules send elsewhere."""

    document_id: str
    received_at: str
    old: str
    new: str
    old_rule: str | None
    new_rule: str | None
    file: str = ""  # masked, as the journal shows it ('rechnung-….pdf')
    provider: str = "–"
    amount_class: str = "–"  # a range, never the amount


@dataclass(frozen=True)
class Plan:
    days: int
    since: str  # received at or after this moment (UTC, ISO)
    replayed: int
    skipped: int  # documents of the period without extracted fields
    moves: tuple[Move, ...]
    notes: tuple[str, ...]  # German
    returns: tuple[tuple[str, int], ...] = ()  # (rule id, invoices sent back), most first

    @property
    def new_exceptions(self) -> tuple[Move, ...]:
        """Documents a rule decides now that would become exceptions with the new rules."""
        return tuple(m for m in self.moves if m.new in OUTCOMES and m.old not in OUTCOMES)

    def counts(self) -> list[tuple[str, str, int]]:
        """(old queue, new queue, documents), most documents first."""
        counted = Counter((m.old, m.new) for m in self.moves)
        return [(old, new, n) for (old, new), n in
                sorted(counted.items(), key=lambda item: (-item[1], item[0]))]

    def to_dict(self) -> dict:
        return {"days": self.days, "since": self.since, "replayed": self.replayed,
                "skipped": self.skipped, "changed": len(self.moves),
                "counts": [{"old": o, "new": n, "documents": c} for o, n, c in self.counts()],
                "documents": [asdict(m) for m in self.moves], "notes": list(self.notes),
                "new_exceptions": len(self.new_exceptions),
                "returns": [{"rule_id": r, "returned": n} for r, n in self.returns]}


def plan_change(ledger_path: Path, current: RuleSet, new: RuleSet, *, days: int,
                now: datetime | None = None) -> Plan:
    """Decide the stored fields of every document received in the last ``days`` days with
    both rule sets, each on the day the document came in."""
    since = ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="seconds")
    moves, replayed, skipped = [], 0, 0
    for doc_id, received_at, source, name, invoice_json in _stored_documents(ledger_path, since):
        if not invoice_json:
            skipped += 1
            continue
        fields = routing_fields_of(json.loads(invoice_json), source)
        day = datetime.fromisoformat(received_at).astimezone().date()
        (old_queue, old_rule), (new_queue, new_rule) = (replayed_queue(current, fields, day),
                                                        replayed_queue(new, fields, day))
        replayed += 1
        if old_queue != new_queue:
            moves.append(Move(doc_id, received_at, old_queue, new_queue, old_rule,
                              new_rule, masked_name(name),
                              str(fields.get("seller_name") or "–"),
                              amount_class(fields.get("total_gross"))))
    return Plan(days, since, replayed, skipped, tuple(moves), _custom_field_notes(current, new),
                _returns_per_rule(ledger_path, since))


def _stored_documents(ledger_path: Path, since: str):
    """(id, received_at, source, original_name, invoice_json) per document received since
    ``since``."""
    yield from _read_only(ledger_path, "SELECT id, received_at, source, original_name,"
                          " invoice_json FROM documents WHERE received_at >= ?"
                          " ORDER BY received_at, id", (since,))


def amount_class(total: object) -> str:
    """The gross amount as a range ('1.000 bis 5.000 €'): enough to tell invoices apart."""
    try:
        value = float(str(total))
    except ValueError:
        return "–"
    bounds = [b for b in AMOUNT_CLASSES if value >= b]
    if not bounds:
        return f"unter {number(AMOUNT_CLASSES[0])} €"
    upper = next((b for b in AMOUNT_CLASSES if value < b), None)
    return (f"{number(bounds[-1])} bis {number(upper)} €" if upper
            else f"ab {number(bounds[-1])} €")


def _returns_per_rule(ledger_path: Path, since: str) -> tuple[tuple[str, int], ...]:
    """How many invoices each rule filed that their caseworker sent back since ``since``."""
    counted = Counter(json.loads(detail or "{}").get("rule_id") or "(von Hand zugewiesen)"
                      for (detail,) in _read_only(
                          ledger_path, "SELECT detail_json FROM audit WHERE event='returned'"
                          " AND at >= ?", (since,)))
    return tuple(sorted(counted.items(), key=lambda item: (-item[1], item[0])))


def _read_only(ledger_path: Path, sql: str, params: tuple):
    """The rows of a query on a read-only connection: planning can never change the ledger."""
    if is_postgres(ledger_path):
        yield from read_only_rows(str(ledger_path), sql, params)
        return
    if not Path(ledger_path).is_file():
        raise sqlite3.OperationalError("no ledger file")
    uri = f"file:{quote(str(Path(ledger_path).resolve()))}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=30)) as db:
        yield from db.execute(sql, params)


def routing_fields_of(invoice: dict, source: str) -> dict[str, object]:
    """The fields the rules decide on, from an invoice as the ledger recorded it."""
    stored = Invoice.from_dict(invoice, fields=(), kind="", pages=0)
    return stored.routing_fields(source)


def replayed_queue(ruleset: RuleSet, fields: dict[str, object], day) -> tuple[str, str | None]:
    """Where `ruleset` sends invoices with these fields on `day` (a caseworker id,
    'team:<id>' or the exception outcome), and the deciding rule: what `rules plan` compares
    and the desk's "Erneut entscheiden" previews."""
    decision = decide(ruleset, fields, today=day)
    return queue_of(decision, ruleset), decision.rule_id


def _custom_field_notes(current: RuleSet, new: RuleSet) -> tuple[str, ...]:
    known = {f.name for f in current.custom_fields}
    return tuple(f"Das Zusatzfeld „{f.name}“ ist neu: die gespeicherten Dokumente haben es "
                 "nicht (der Bot speichert keinen Rechnungstext), Bedingungen darauf sehen es "
                 "hier als fehlend." for f in new.custom_fields if f.name not in known)


def _returns_lines(plan: Plan) -> list[str]:
    """The rules whose invoices came back in the period: a rule that routes wrongly."""
    if not plan.returns:
        return []
    total = sum(n for _, n in plan.returns)
    head = (f"Von der Sachbearbeitung zurückgegeben (letzte {plan.days} Tage): "
            + ("1 Rechnung" if total == 1 else f"{total} Rechnungen"))
    return ["", head, text_table(["Regel", "Rückgaben"], [[r, str(n)] for r, n in plan.returns]),
            ""]


def format_plan(plan: Plan, paths: dict[str, str]) -> str:
    lines = [f"Regelplan: {paths['current_rules']} -> {paths['new_rules']} "
             f"(Sachbearbeitung: {paths['caseworkers']})",
             f"Eingänge der letzten {plan.days} Tage (seit {plan.since[:10]}): "
             f"{plan.replayed} Dokumente nachgespielt"
             + (f", {plan.skipped} ohne erkannte Angaben übersprungen." if plan.skipped else ".")]
    lines += plan.notes
    lines += _returns_lines(plan)
    if not plan.moves:
        lines.append("Keine Änderung: jedes Dokument ginge mit den neuen Regeln dorthin, wohin "
                     "es mit den geltenden geht.")
        return "\n".join(lines)
    moved = "1 Dokument ginge" if len(plan.moves) == 1 else f"{len(plan.moves)} Dokumente gingen"
    lines += ["", f"{moved} mit den neuen Regeln woanders hin:", ""]
    lines.append(text_table(["bisher", "neu", "Anzahl"],
                          [[o, n, str(c)] for o, n, c in plan.counts()]))
    lines.append("")
    lines.append(text_table(
        ["Dokument", "Eingang", "Datei", "Rechnungssteller", "Betrag", "bisher", "neu",
         "Regel (neu)"],
        [[m.document_id, m.received_at[:16].replace("T", " "), m.file, m.provider,
          m.amount_class, m.old, m.new, m.new_rule or "–"] for m in plan.moves]))
    if plan.new_exceptions:
        lines += ["", "Achtung: " + counted(len(plan.new_exceptions), "Dokument", "Dokumente")
                  + " würde" + ("" if len(plan.new_exceptions) == 1 else "n")
                  + " mit den neuen Regeln zur Ausnahme (keine Regel, mehrere Regeln oder "
                  "keine Vertretung) – bitte die Regeln prüfen."]
    return "\n".join(lines)
