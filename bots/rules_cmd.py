"""`run_bot.py rules check|test|plan`: what administrators run before a rule change goes live.

check  loads rules.yaml with caseworkers.yaml and lists every problem with file:line;
test   decides the example invoices of rules.tests.yaml and compares each with the queue it
       must reach;
plan   replays the ledger's documents of the last N days through the current and the new
       rules and shows what would go elsewhere. It opens the ledger read-only.

A queue is a caseworker id, ``team:<team id>`` for a rule that routes to a team (which member
receives an invoice depends on the team's turns, not on the rules), or the exception outcome
(no_rule, ambiguous, no_deputy). What administrators read is German; options are English.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import sys
from collections import Counter
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from bots.model import Invoice
from bots.reports import rule_trace_lines, text_table
from rules.engine import decide
from rules.fields import AMOUNT, DATE, field_kind
from rules.loader import RulesConfigError, load_ruleset
from rules.model import AMBIGUOUS, NO_DEPUTY, NO_RULE, ROUTED, Decision, RuleSet, RuleTrace
from rules.problems import ConfigProblem, ProblemLog, did_you_mean
from rules.schema import check_keys, list_or_none, mapping_or_none, text_or_none
from rules.values import AMOUNT_HINT, DATE_HINT, config_amount, config_date
from rules.yaml_lines import LineDict, YamlReadError, load_yaml_with_lines

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
OUTCOMES = (NO_RULE, AMBIGUOUS, NO_DEPUTY)
TEAM_PREFIX = "team:"
CASE_KEYS = ("name", "invoice", "today", "expect", "rule", "review")
TESTS_FILE_NAME = "rules.tests.yaml"


# -- the command line ----------------------------------------------------------------------

def add_parsers(sub) -> None:
    rules = sub.add_parser("rules", help="check, test and plan changes of the routing rules")
    actions = rules.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="validate rules.yaml and caseworkers.yaml")
    _file_options(check)
    test = actions.add_parser("test", help="decide the example invoices of rules.tests.yaml")
    _file_options(test)
    test.add_argument("--tests", type=Path, help=f"the tests file (default: {TESTS_FILE_NAME} "
                      "beside the rules file named in bot.yaml)")
    plan = actions.add_parser("plan", help="replay recent documents through new rules and "
                              "show what would go elsewhere (changes nothing)")
    plan.add_argument("new_rules", type=Path, help="the new rules file")
    plan.add_argument("--caseworkers", type=Path, help="a new caseworkers.yaml (default: the "
                      "one named in bot.yaml)")
    plan.add_argument("--days", type=int, default=30, help="replay the documents received in "
                      "the last N days (default 30)")
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")


def _file_options(parser) -> None:
    parser.add_argument("--rules", type=Path, help="the rules file (default: from bot.yaml)")
    parser.add_argument("--caseworkers", type=Path, help="caseworkers.yaml (default: from "
                        "bot.yaml)")


def cmd_rules(args, config) -> int:
    if args.action == "plan":
        return _cmd_plan(args, config)
    rules_path = args.rules or config.rules
    caseworkers_path = args.caseworkers or config.caseworkers
    ruleset = _load_or_report(rules_path, caseworkers_path)
    if ruleset is None:
        return EXIT_INVALID
    if args.action == "check":
        print(f"In Ordnung: {rules_path} mit {caseworkers_path} – {len(ruleset.rules)} Regeln, "
              f"{len(ruleset.caseworkers)} Sachbearbeiter/innen, {len(ruleset.teams)} Teams, "
              f"{len(ruleset.custom_fields)} Zusatzfelder.")
        return EXIT_OK
    tests_path = args.tests or Path(config.rules).with_name(TESTS_FILE_NAME)
    try:
        cases = load_cases(tests_path, ruleset)
    except RulesConfigError as exc:
        _print_problems(f"the tests file {tests_path} cannot be used", exc)
        return EXIT_INVALID
    results = [run_case(ruleset, case, date.today()) for case in cases]
    print(format_results(results, tests_path, rules_path))
    return EXIT_OK if all(r.passed for r in results) else EXIT_FAILED


def _cmd_plan(args, config) -> int:
    if args.days < 1:
        print("error: --days must be at least 1", file=sys.stderr)
        return EXIT_INVALID
    current = _load_or_report(config.rules, config.caseworkers, "the current rules")
    new = _load_or_report(args.new_rules, args.caseworkers or config.caseworkers, "the new rules")
    if current is None or new is None:
        return EXIT_INVALID
    try:
        plan = plan_change(config.ledger, current, new, days=args.days)
    except sqlite3.Error as exc:
        print(f"error: cannot read the ledger {config.ledger} ({exc}); check bot.yaml",
              file=sys.stderr)
        return EXIT_INVALID
    paths = {"current_rules": str(config.rules), "new_rules": str(args.new_rules),
             "caseworkers": str(args.caseworkers or config.caseworkers)}
    print(json.dumps(paths | plan.to_dict(), ensure_ascii=False, indent=1) if args.json
          else format_plan(plan, paths))
    return EXIT_OK


def _load_or_report(rules_path: Path, caseworkers_path: Path, what: str = "the rules"
                    ) -> RuleSet | None:
    try:
        return load_ruleset(rules_path, caseworkers_path)
    except RulesConfigError as exc:
        _print_problems(f"{what} are invalid", exc)
        return None


def _print_problems(headline: str, error: RulesConfigError) -> None:
    print(f"error: {headline}:", file=sys.stderr)
    for problem in error.problems:
        print(str(problem), file=sys.stderr)


# -- queues ----------------------------------------------------------------------------------

def queue_of(decision: Decision, ruleset: RuleSet) -> str:
    """Where a decision sends the invoice: a caseworker id, 'team:<id>' when a team rule
    decided, or the exception outcome."""
    if decision.outcome != ROUTED:
        return decision.outcome
    team = _team_rules(ruleset).get(decision.rule_id)
    return TEAM_PREFIX + team if team else decision.caseworker


@functools.lru_cache(maxsize=8)
def _team_rules(ruleset: RuleSet) -> dict[str, str]:
    return {r.id: r.route_to_team for r in ruleset.rules if r.route_to_team}


def queue_choices(ruleset: RuleSet) -> tuple[str, ...]:
    return (*ruleset.caseworkers, *(TEAM_PREFIX + t for t in ruleset.teams), *OUTCOMES)


# -- rule tests ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RuleCase:
    """One example invoice of rules.tests.yaml and what it must give."""

    line: int
    name: str
    fields: dict[str, str | None]
    today: date | None
    expect: str
    rule: str | None = None
    review: bool | None = None


@dataclass(frozen=True)
class CaseResult:
    case: RuleCase
    queue: str
    decision: Decision
    failures: tuple[str, ...]  # German; empty when the case passed
    relevant: tuple[RuleTrace, ...] = ()  # for a failure: the rules that matched, and those
    # that should have (the expected rule, the rules routing to the expected queue)

    @property
    def passed(self) -> bool:
        return not self.failures


def load_cases(path: Path, ruleset: RuleSet) -> tuple[RuleCase, ...]:
    """The cases of a tests file, checked against ``ruleset``; RulesConfigError lists every
    problem with file:line."""
    problems: list[ConfigProblem] = []
    log = ProblemLog(str(path), problems)
    try:
        document = load_yaml_with_lines(Path(path))
    except YamlReadError as exc:
        raise RulesConfigError([ConfigProblem(str(path), exc.line, exc.message)]) from None
    top = mapping_or_none(document, 1, "the tests file", log)
    cases = []
    if top is not None:
        check_keys(top, ("tests",), "the tests file", log)
        entries = list_or_none(top.get("tests"), top.line_of("tests"), "'tests'", log)
        if entries is not None and not entries:
            log.add(entries.line, "'tests' is empty; add at least one example invoice")
        for index, entry in enumerate(entries or []):
            before = len(problems)
            case = _parse_case(entry, entries.line_of(index), ruleset, log)
            if case is not None and len(problems) == before:
                cases.append(case)
    if problems:
        raise RulesConfigError(problems)
    return tuple(cases)


def _parse_case(entry: object, line: int, ruleset: RuleSet, log: ProblemLog) -> RuleCase | None:
    entry = mapping_or_none(entry, line, "a test", log)
    if entry is None:
        return None
    check_keys(entry, CASE_KEYS, "a test", log)
    name = text_or_none(entry, "name", "a test", log)
    fields = _invoice(entry, ruleset, log)
    today = _date_or_none(entry, "today", log)
    expect = _expect(entry, ruleset, log)
    rule = text_or_none(entry, "rule", "a test", log, required=False)
    rule_ids = [r.id for r in ruleset.rules]
    if rule is not None and rule not in rule_ids:
        log.add(entry.line_of("rule"), f"rule {rule!r} is not in the rules"
                f"{did_you_mean(rule, rule_ids)}; write the id of a rule")
    review = entry.get("review")
    if review is not None and not isinstance(review, bool):
        log.add(entry.line_of("review"), "'review' takes true or false")
    if name is None or fields is None or expect is None:
        return None
    return RuleCase(entry.line, name, fields, today, expect, rule, review)


def _invoice(entry: LineDict, ruleset: RuleSet, log: ProblemLog) -> dict[str, str | None] | None:
    if "invoice" not in entry:
        log.add(entry.line, "a test has no 'invoice'; list the invoice's fields under 'invoice:'")
        return None
    values = mapping_or_none(entry["invoice"], entry.line_of("invoice"), "'invoice'", log)
    if values is None:
        return None
    fields = {}
    for name, value in values.items():
        if name not in ruleset.field_labels:
            log.add(values.line_of(name), f"unknown field {name!r}"
                    f"{did_you_mean(name, ruleset.field_labels)}; use an invoice field (see "
                    "docs/rules.md) or a custom field of the rules")
            continue
        fields[name] = _field_value(name, value, values.line_of(name), log)
    return fields


def _field_value(name: str, value: object, line: int, log: ProblemLog) -> str | None:
    """A test value in the form the pipeline delivers: amounts '1234.50', dates ISO, text."""
    if value is None:
        return None
    kind = field_kind(name)
    if kind == AMOUNT:
        amount = config_amount(value)
        if amount is None:
            log.add(line, f"{name}: {AMOUNT_HINT}")
            return None
        return f"{amount:.2f}"
    if kind == DATE:
        day = config_date(value)
        if day is None:
            log.add(line, f"{name}: {DATE_HINT}")
            return None
        return day.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        log.add(line, f"{name}: write the value as text in quotes")
        return None
    return getattr(value, "text", None) or str(value)


def _date_or_none(entry: LineDict, key: str, log: ProblemLog) -> date | None:
    if key not in entry:
        return None
    day = config_date(entry[key])
    if day is None:
        log.add(entry.line_of(key), f"{key}: {DATE_HINT}")
    return day


def _expect(entry: LineDict, ruleset: RuleSet, log: ProblemLog) -> str | None:
    expect = text_or_none(entry, "expect", "a test", log)
    choices = queue_choices(ruleset)
    if expect is None or expect in choices:
        return expect
    hint = (f" (for a team write \"{TEAM_PREFIX}{expect}\")" if expect in ruleset.teams
            else did_you_mean(expect, choices))
    log.add(entry.line_of("expect"), f"expect {expect!r} is no queue of these rules{hint}; "
            f"write a caseworker id, '{TEAM_PREFIX}<team id>' or one of: {', '.join(OUTCOMES)}")
    return None


def run_case(ruleset: RuleSet, case: RuleCase, today: date) -> CaseResult:
    """Decide the case's invoice (on its own ``today`` when it has one) and compare."""
    decision = decide(ruleset, case.fields, today=case.today or today)
    queue = queue_of(decision, ruleset)
    failures = []
    if queue != case.expect:
        failures.append(f"erwartet {case.expect}, ergibt {queue}")
    if case.rule is not None and decision.rule_id != case.rule:
        failures.append(f"erwartet Regel {case.rule}, entschieden hat "
                        f"{decision.rule_id or 'keine Regel'}")
    if case.review is not None and decision.review_required != case.review:
        failures.append("erwartet " + ("eine" if case.review else "keine")
                        + " Prüfung vor der Zahlung, ergibt "
                        + ("eine" if decision.review_required else "keine"))
    relevant = _relevant_trace(ruleset, case, decision) if failures else ()
    return CaseResult(case, queue, decision, tuple(failures), relevant)


def _relevant_trace(ruleset: RuleSet, case: RuleCase, decision: Decision
                    ) -> tuple[RuleTrace, ...]:
    expected = {r.id for r in ruleset.rules if r.id == case.rule or r.route_to == case.expect
                or TEAM_PREFIX + str(r.route_to_team) == case.expect}
    return tuple(t for t in decision.trace if t.matched or t.rule_id in expected)


def format_results(results: list[CaseResult], tests_path: Path, rules_path: Path) -> str:
    lines = [f"Regeltests aus {tests_path} mit den Regeln {rules_path}:"]
    for result in results:
        case, decision = result.case, result.decision
        rule = f" (Regel {decision.rule_id})" if decision.rule_id else ""
        if result.passed:
            lines.append(f"  ok      Zeile {case.line}: {case.name} -> {result.queue}{rule}")
            continue
        lines.append(f"  FEHLER  Zeile {case.line}: {case.name}")
        lines += [f"          {failure}" for failure in result.failures]
        lines.append(f"          {decision.explanation}")
        lines += rule_trace_lines([t.to_dict() for t in result.relevant], indent=" " * 10)
    failed = sum(not r.passed for r in results)
    lines.append("")
    lines.append(f"{len(results)} Regeltests: " + (
        "alle bestanden." if not failed else f"{len(results) - failed} bestanden, "
                                             f"{failed} fehlgeschlagen."))
    return "\n".join(lines)


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


@dataclass(frozen=True)
class Plan:
    days: int
    since: str  # received at or after this moment (UTC, ISO)
    replayed: int
    skipped: int  # documents of the period without extracted fields
    moves: tuple[Move, ...]
    notes: tuple[str, ...]  # German

    def counts(self) -> list[tuple[str, str, int]]:
        """(old queue, new queue, documents), most documents first."""
        counted = Counter((m.old, m.new) for m in self.moves)
        return [(old, new, n) for (old, new), n in
                sorted(counted.items(), key=lambda item: (-item[1], item[0]))]

    def to_dict(self) -> dict:
        return {"days": self.days, "since": self.since, "replayed": self.replayed,
                "skipped": self.skipped, "changed": len(self.moves),
                "counts": [{"old": o, "new": n, "documents": c} for o, n, c in self.counts()],
                "documents": [asdict(m) for m in self.moves], "notes": list(self.notes)}


def plan_change(ledger_path: Path, current: RuleSet, new: RuleSet, *, days: int,
                now: datetime | None = None) -> Plan:
    """Decide the stored fields of every document received in the last ``days`` days with
    both rule sets, each on the day the document came in."""
    since = ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="seconds")
    moves, replayed, skipped = [], 0, 0
    for doc_id, received_at, source, invoice_json in _stored_documents(ledger_path, since):
        if not invoice_json:
            skipped += 1
            continue
        fields = _routing_fields(json.loads(invoice_json), source)
        day = datetime.fromisoformat(received_at).astimezone().date()
        old, new_decision = decide(current, fields, today=day), decide(new, fields, today=day)
        replayed += 1
        old_queue, new_queue = queue_of(old, current), queue_of(new_decision, new)
        if old_queue != new_queue:
            moves.append(Move(doc_id, received_at, old_queue, new_queue, old.rule_id,
                              new_decision.rule_id))
    return Plan(days, since, replayed, skipped, tuple(moves), _custom_field_notes(current, new))


def _stored_documents(ledger_path: Path, since: str):
    """(id, received_at, source, invoice_json) per document received since ``since``, from a
    read-only connection: planning can never change the ledger."""
    if not Path(ledger_path).is_file():
        raise sqlite3.OperationalError("no ledger file")
    uri = f"file:{quote(str(Path(ledger_path).resolve()))}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=30)) as db:
        yield from db.execute(
            "SELECT id, received_at, source, invoice_json FROM documents"
            " WHERE received_at >= ? ORDER BY received_at, id", (since,))


def _routing_fields(invoice: dict, source: str) -> dict[str, object]:
    stored = Invoice(kind=invoice.get("kind") or "", pages=invoice.get("pages") or 0,
                     fields=invoice.get("fields") or {}, confidence={}, evidence={},
                     warnings=(), extra=invoice.get("extra") or {})
    return stored.routing_fields(source)


def _custom_field_notes(current: RuleSet, new: RuleSet) -> tuple[str, ...]:
    known = {f.name for f in current.custom_fields}
    return tuple(f"Das Zusatzfeld „{f.name}“ ist neu: die gespeicherten Dokumente haben es "
                 "nicht (der Bot speichert keinen Rechnungstext), Bedingungen darauf sehen es "
                 "hier als fehlend." for f in new.custom_fields if f.name not in known)


def format_plan(plan: Plan, paths: dict[str, str]) -> str:
    lines = [f"Regelplan: {paths['current_rules']} -> {paths['new_rules']} "
             f"(Sachbearbeitung: {paths['caseworkers']})",
             f"Eingänge der letzten {plan.days} Tage (seit {plan.since[:10]}): "
             f"{plan.replayed} Dokumente nachgespielt"
             + (f", {plan.skipped} ohne erkannte Angaben übersprungen." if plan.skipped else ".")]
    lines += plan.notes
    if not plan.moves:
        lines.append("Keine Änderung: jedes Dokument ginge mit den neuen Regeln dorthin, wohin "
                     "es mit den geltenden geht.")
        return "\n".join(lines)
    moved = "1 Dokument ginge" if len(plan.moves) == 1 else f"{len(plan.moves)} Dokumente gingen"
    lines += ["", f"{moved} mit den neuen Regeln woanders hin:", ""]
    lines.append(text_table(["bisher", "neu", "Anzahl"],
                          [[o, n, str(c)] for o, n, c in plan.counts()]))
    lines.append("")
    lines.append(text_table(["Dokument", "Eingang", "bisher", "neu", "Regel (neu)"],
                          [[m.document_id, m.received_at[:16].replace("T", " "), m.old, m.new,
                            m.new_rule or "–"] for m in plan.moves]))
    return "\n".join(lines)


COMMANDS = {"rules": cmd_rules}
