"""`run_bot.py rules suggest [--accept RULE_ID]`: the rules proposed from repeated manual
assignments (bots.learning.routing), each with its YAML and its `rules plan`; with --accept
the administrator appends one to rules.yaml. German for administrators."""

from __future__ import annotations

import sys

from bots.learning.routing import accept, impact, suggestions
from bots.rule_admin.plan import format_plan
from bots.storage.ledger import Ledger
from rules.loader import RulesConfigError, load_ruleset

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def cmd_suggest(args, config) -> int:
    try:
        ruleset = load_ruleset(config.rules, config.caseworkers)
    except RulesConfigError as exc:
        print(f"error: the current rules are invalid:\n{exc}", file=sys.stderr)
        return EXIT_INVALID
    ledger = Ledger(config.ledger)
    try:
        found = suggestions(ledger, ruleset, after=args.after)
    finally:
        ledger.close()
    if args.accept:
        return _accept(config, found, args.accept)
    if not found:
        print(f"Keine Vorschläge: keine Zuweisung von Hand wiederholte sich {args.after}-mal.")
        return EXIT_OK
    paths = {"current_rules": str(config.rules), "new_rules": "mit dem Vorschlag",
             "caseworkers": str(config.caseworkers)}
    for suggestion in found:
        plan = impact(config.ledger, ruleset, config.rules, config.caseworkers, suggestion,
                      days=args.days)
        print(f"Vorschlag {suggestion.rule_id} ({suggestion.count} Zuweisungen von Hand: "
              f"{', '.join(suggestion.documents)})\n\n{suggestion.yaml()}")
        print(format_plan(plan, paths))
        print(f"\nÜbernehmen: run_bot.py rules suggest --accept {suggestion.rule_id}\n")
    return EXIT_OK


def _accept(config, found, rule_id: str) -> int:
    chosen = next((s for s in found if s.rule_id == rule_id), None)
    if chosen is None:
        print(f"Keinen Vorschlag {rule_id}: bitte 'rules suggest' ansehen.", file=sys.stderr)
        return EXIT_FAILED
    try:
        accept(config.rules, config.caseworkers, chosen)
    except RulesConfigError as exc:
        print(f"error: the rule cannot be added:\n{exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"Regel {rule_id} in {config.rules} übernommen. Ein laufender Bot liest sie beim "
          "nächsten Durchlauf.")
    return EXIT_OK
