"""Rule tests: the example invoices of rules.tests.yaml, each decided and compared with the
queue it must reach (`run_bot.py rules test`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from bots.rule_admin.queues import OUTCOMES, TEAM_PREFIX, queue_choices, queue_of
from bots.rule_admin.trace_lines import rule_trace_lines
from rules.engine import decide
from rules.fields import AMOUNT, DATE, field_kind
from rules.loader import RulesConfigError
from rules.model import Decision, RuleSet, RuleTrace
from rules.problems import ConfigProblem, ProblemLog, did_you_mean
from rules.schema import check_keys, list_or_none, mapping_or_none, text_or_none
from rules.values import AMOUNT_HINT, DATE_HINT, config_amount, config_date
from rules.yaml_lines import LineDict, YamlReadError, load_yaml_with_lines

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2

CASE_KEYS = ("name", "invoice", "today", "expect", "rule", "review")


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
    top = mapping_or_none(document, 1, "Testdatei", log)
    cases = []
    if top is not None:
        check_keys(top, ("tests", "today"), "Testdatei", log)
        file_today = _date_or_none(top, "today", log)
        entries = list_or_none(top.get("tests"), top.line_of("tests"), "'tests'", log)
        if entries is not None and not entries:
            log.add(entries.line, "'tests' ist leer; mindestens eine Beispielrechnung ergänzen")
        for index, entry in enumerate(entries or []):
            before = len(problems)
            case = _parse_case(entry, entries.line_of(index), ruleset, log)
            if case is not None and len(problems) == before:
                cases.append(case if case.today else replace(case, today=file_today))
    if problems:
        raise RulesConfigError(problems)
    return tuple(cases)


def _parse_case(entry: object, line: int, ruleset: RuleSet, log: ProblemLog) -> RuleCase | None:
    entry = mapping_or_none(entry, line, "Test", log)
    if entry is None:
        return None
    check_keys(entry, CASE_KEYS, "Test", log)
    name = text_or_none(entry, "name", "Test", log)
    fields = _invoice(entry, ruleset, log)
    today = _date_or_none(entry, "today", log)
    expect = _expect(entry, ruleset, log)
    rule = text_or_none(entry, "rule", "Test", log, required=False)
    rule_ids = [r.id for r in ruleset.rules]
    if rule is not None and rule not in rule_ids:
        log.add(entry.line_of("rule"), f"die Regel „{rule}“ gibt es nicht"
                f"{did_you_mean(rule, rule_ids)}; die ID einer Regel schreiben")
    review = entry.get("review")
    if review is not None and not isinstance(review, bool):
        log.add(entry.line_of("review"), "'review' nimmt true oder false")
    if name is None or fields is None or expect is None:
        return None
    return RuleCase(entry.line, name, fields, today, expect, rule, review)


def _invoice(entry: LineDict, ruleset: RuleSet, log: ProblemLog) -> dict[str, str | None] | None:
    if "invoice" not in entry:
        log.add(entry.line, "dem Test fehlt 'invoice'; die Felder der Rechnung unter 'invoice:' auflisten")
        return None
    values = mapping_or_none(entry["invoice"], entry.line_of("invoice"), "'invoice'", log)
    if values is None:
        return None
    fields = {}
    for name, value in values.items():
        if name not in ruleset.field_labels:
            log.add(values.line_of(name), f"unbekanntes Feld „{name}“"
                    f"{did_you_mean(name, ruleset.field_labels)}; ein Rechnungsfeld (siehe "
                    "docs/rules.md) oder ein Zusatzfeld der Regeln nehmen")
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
        log.add(line, f"{name}: den Wert als Text in Anführungszeichen schreiben")
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
    expect = text_or_none(entry, "expect", "Test", log)
    choices = queue_choices(ruleset)
    if expect is None or expect in choices:
        return expect
    hint = (f" (für ein Team \"{TEAM_PREFIX}{expect}\" schreiben)" if expect in ruleset.teams
            else did_you_mean(expect, choices))
    log.add(entry.line_of("expect"), f"expect „{expect}“ ist kein Ziel dieser Regeln{hint}; "
            f"die ID einer Sachbearbeitung, '{TEAM_PREFIX}<Team-ID>' oder eines von: "
            f"{', '.join(OUTCOMES)} schreiben")
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
