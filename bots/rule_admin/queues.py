"""Where a routing decision sends an invoice, as `rules test` and `rules plan` name it: a
caseworker id, ``team:<team id>`` for a rule that routes to a team, or the exception outcome."""

from __future__ import annotations

import functools

from rules.model import AMBIGUOUS, NO_DEPUTY, NO_RULE, ROUTED, Decision, RuleSet

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2

OUTCOMES = (NO_RULE, AMBIGUOUS, NO_DEPUTY)
TEAM_PREFIX = "team:"


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
