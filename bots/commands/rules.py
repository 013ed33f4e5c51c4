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

import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

from psycopg import Error as LedgerError

from bots.commands.rule_suggestions import cmd_suggest
from bots.learning.routing import DEFAULT_AFTER
from bots.rule_admin.examples import format_results, load_cases, run_case
from bots.rule_admin.plan import format_plan, plan_change
from bots.storage.database import shown
from rules.loader import RulesConfigError, load_ruleset
from rules.model import RuleSet

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
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
    suggest = actions.add_parser("suggest", help="rules proposed from repeated manual "
                                 "assignments, with their plan (changes nothing unless --accept)")
    suggest.add_argument("--after", type=int, default=DEFAULT_AFTER, help="manual assignments "
                         f"that agree before a rule is proposed (default {DEFAULT_AFTER})")
    suggest.add_argument("--days", type=int, default=30, help="the plan's period (default 30)")
    suggest.add_argument("--accept", metavar="RULE_ID", help="append this proposed rule to the "
                         "rules file")


def _file_options(parser) -> None:
    parser.add_argument("--rules", type=Path, help="the rules file (default: from bot.yaml)")
    parser.add_argument("--caseworkers", type=Path, help="caseworkers.yaml (default: from "
                        "bot.yaml)")


def cmd_rules(args, config) -> int:
    if args.action == "plan":
        return _cmd_plan(args, config)
    if args.action == "suggest":
        return cmd_suggest(args, config)
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
        _print_problems(f"die Testdatei {tests_path} ist nicht verwendbar", exc)
        return EXIT_INVALID
    results = [run_case(ruleset, case, date.today()) for case in cases]
    print(format_results(results, tests_path, rules_path))
    return EXIT_OK if all(r.passed for r in results) else EXIT_FAILED


def _cmd_plan(args, config) -> int:
    if args.days < 1:
        print("Fehler: --days muss mindestens 1 sein", file=sys.stderr)
        return EXIT_INVALID
    current = _load_or_report(config.rules, config.caseworkers, "die jetzigen Regeln")
    new = _load_or_report(args.new_rules, args.caseworkers or config.caseworkers, "die neuen Regeln")
    if current is None or new is None:
        return EXIT_INVALID
    try:
        plan = plan_change(config.ledger, current, new, days=args.days)
    except (sqlite3.Error, LedgerError) as exc:
        print(f"Fehler: das Journal {shown(config.ledger)} ist nicht lesbar ({exc}); bot.yaml prüfen",
              file=sys.stderr)
        return EXIT_INVALID
    paths = {"current_rules": str(config.rules), "new_rules": str(args.new_rules),
             "caseworkers": str(args.caseworkers or config.caseworkers)}
    print(json.dumps(paths | plan.to_dict(), ensure_ascii=False, indent=1) if args.json
          else format_plan(plan, paths))
    return EXIT_FAILED if plan.new_exceptions else EXIT_OK  # scripts see a risky change


def _load_or_report(rules_path: Path, caseworkers_path: Path, what: str = "die Regeln"
                    ) -> RuleSet | None:
    try:
        return load_ruleset(rules_path, caseworkers_path)
    except RulesConfigError as exc:
        _print_problems(f"{what} sind fehlerhaft", exc)
        return None


def _print_problems(headline: str, error: RulesConfigError) -> None:
    print(f"Fehler: {headline}:", file=sys.stderr)
    for problem in error.problems:
        print(str(problem), file=sys.stderr)


COMMANDS = {"rules": cmd_rules}
