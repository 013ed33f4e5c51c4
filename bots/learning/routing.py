"""Routing learned, decided by people: when clerks assigned the invoices of one provider (or
with one custom-field value) by hand to the same caseworker or team N times (default 3), the
bot proposes the YAML rule that would do it, with what `rules plan` says it changes. An
administrator accepts it into rules.yaml (`run_bot.py rules suggest --accept ID`, or the
desk); nothing is ever applied on its own."""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from bots.pipeline.model import Invoice
from bots.rule_admin.plan import Plan, plan_change
from bots.rule_admin.queues import TEAM_PREFIX, queue_of
from bots.storage.atomic import write_atomic
from bots.storage.ledger import Ledger
from rules.engine import decide
from rules.loader import RulesConfigError, load_ruleset
from rules.model import RuleSet
from rules.problems import ConfigProblem
from rules.value_checks import value_problem

DEFAULT_AFTER = 3
PROVIDER_FIELDS = ("seller_vat_id", "iban", "seller_name")  # the provider, strongest first
PRIORITY = 100  # as the shipped rules give one provider's caseworker


@dataclass(frozen=True)
class Suggestion:
    rule_id: str
    field: str
    value: str
    queue: str  # a caseworker id, or 'team:<id>'
    count: int  # manual assignments that agree
    documents: tuple[str, ...]
    name: str  # German, the rule's name

    def rule(self) -> dict:
        when = {"field": self.field, "equals": self.value}
        if value_problem(self.field, self.value):  # invoices carry a wrong check digit
            when = {"field": self.field, "regex": f"^{re.escape(self.value)}$"}
        target = ({"route_to_team": self.queue[len(TEAM_PREFIX):]}
                  if self.queue.startswith(TEAM_PREFIX) else {"route_to": self.queue})
        return {"id": self.rule_id, "name": self.name, "priority": PRIORITY, "when": when,
                **target}

    def yaml(self) -> str:
        """The rule as it is appended to the rules file's list."""
        text = yaml.safe_dump([self.rule()], allow_unicode=True, sort_keys=False, width=100)
        return "\n".join("  " + line if line else line for line in text.splitlines()) + "\n"


def _assignments(ledger: Ledger) -> list[tuple[str, str, dict]]:
    """(document id, the caseworker the clerk chose, the routing fields) per manual
    assignment, oldest first."""
    rows = ledger.query(
        "SELECT a.document_id, a.detail_json, d.invoice_json, d.source FROM audit a"
        " JOIN documents d ON d.id = a.document_id WHERE a.event='assigned' ORDER BY a.id")
    found = []
    for doc_id, detail, invoice, source in rows:
        chosen = json.loads(detail or "{}").get("requested")
        if chosen and invoice:
            stored = Invoice.from_dict(json.loads(invoice), fields=(), kind="", pages=0)
            found.append((doc_id, chosen, stored.routing_fields(source)))
    return found


def _keys(fields: dict, ruleset: RuleSet) -> list[tuple[str, str]]:
    """What the assignment may have followed: the provider, each custom field's value."""
    keys = [next(((f, str(fields[f])) for f in PROVIDER_FIELDS if fields.get(f)), None)]
    keys += [(c.name, str(fields[c.name])) for c in ruleset.custom_fields if fields.get(c.name)]
    return [k for k in keys if k is not None]


def suggestions(ledger: Ledger, ruleset: RuleSet, *, after: int = DEFAULT_AFTER,
                today: date | None = None) -> list[Suggestion]:
    """A rule per provider or custom-field value that clerks assigned `after` times or more
    to one caseworker (or, spread over its members, one team) and that the rules do not
    yet route there."""
    chosen: dict[tuple[str, str], list[tuple[str, str, dict]]] = defaultdict(list)
    for doc_id, caseworker, fields in _assignments(ledger):
        for key in _keys(fields, ruleset):
            chosen[key].append((doc_id, caseworker, fields))
    found = []
    for (field, value), assigned in chosen.items():
        queue, count = _queue(assigned, ruleset, after)
        if queue is None or _routed(ruleset, assigned[-1][2], queue, today):
            continue
        rule_id = _rule_id(field, value, ruleset)
        name = (f"Vorschlag aus {count} Zuweisungen von Hand: "
                f"{ruleset.field_labels.get(field, field)} „{value}“ an "
                f"{ruleset.queue_name(queue.removeprefix(TEAM_PREFIX))}")
        found.append(Suggestion(rule_id, field, value, queue, count,
                                tuple(d for d, _, _ in assigned), name))
    return sorted(found, key=lambda s: (-s.count, s.rule_id))


def _queue(assigned: list, ruleset: RuleSet, after: int) -> tuple[str | None, int]:
    people = Counter(caseworker for _, caseworker, _ in assigned)
    caseworker, count = people.most_common(1)[0]
    if count >= after and count == len(assigned):
        return caseworker, count
    teams = Counter(getattr(ruleset.caseworkers.get(c), "team", None) for _, c, _ in assigned)
    team, count = teams.most_common(1)[0]
    if team and count >= after and count == len(assigned):
        return TEAM_PREFIX + team, count
    return None, 0


def _routed(ruleset: RuleSet, fields: dict, queue: str, today: date | None) -> bool:
    return queue_of(decide(ruleset, fields, today=today or date.today()), ruleset) == queue


def _rule_id(field: str, value: str, ruleset: RuleSet) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")[:40] or "wert"
    base = f"vorschlag-{field.replace('_', '-')}-{slug}"
    taken = {r.id for r in ruleset.rules}
    rule_id, number = base, 2
    while rule_id in taken:
        rule_id, number = f"{base}-{number}", number + 1
    return rule_id


def with_rule(rules_path: Path, suggestion: Suggestion) -> str:
    """The rules file's text with the suggested rule appended to its list of rules (the
    list must be the file's last part, as in the shipped file)."""
    text = Path(rules_path).read_text(encoding="utf-8")
    last_key = [m.group(1) for m in re.finditer(r"^([A-Za-z_]+):", text, re.MULTILINE)]
    if not last_key or last_key[-1] != "rules":
        raise RulesConfigError([ConfigProblem(str(rules_path), 1, "'rules:' is not the file's "
                                              "last part: please add the rule by hand")])
    return text.rstrip("\n") + "\n\n" + suggestion.yaml()


def _checked(text: str, rules_path: Path, caseworkers_path: Path) -> RuleSet:
    """The rules of `text`, loaded as the bot would (RulesConfigError when invalid)."""
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / Path(rules_path).name
        trial.write_text(text, encoding="utf-8")
        return load_ruleset(trial, caseworkers_path)


def impact(ledger_path: Path, ruleset: RuleSet, rules_path: Path, caseworkers_path: Path,
           suggestion: Suggestion, days: int = 30) -> Plan:
    """What `rules plan` says the suggested rule changes over the last `days` days."""
    new = _checked(with_rule(rules_path, suggestion), rules_path, caseworkers_path)
    return plan_change(ledger_path, ruleset, new, days=days)


def accept(rules_path: Path, caseworkers_path: Path, suggestion: Suggestion) -> None:
    """Append the rule to rules.yaml, atomically, once the file with it loads."""
    text = with_rule(rules_path, suggestion)
    _checked(text, rules_path, caseworkers_path)
    write_atomic(Path(rules_path), text.encode("utf-8"))
