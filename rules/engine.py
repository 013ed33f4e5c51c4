"""decide(): the highest priority with a match decides; two matches there are ambiguous."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from rules.assignment import Assignment, assign_caseworker, assign_team, team_counter_key
from rules.facts import Facts
from rules.fields import AMOUNT
from rules.german import format_amount
from rules.model import (
    AMBIGUOUS,
    NO_DEPUTY,
    NO_RULE,
    ROUTED,
    Decision,
    Rule,
    RuleSet,
    RuleTrace,
    make_trace,
)

__all__ = ["decide", "team_counter_key"]

_TIMED_OUT = (" Achtung: eine Musterprüfung wurde abgebrochen (Zeitlimit oder zu langer Wert) "
              "und gilt als nicht erfüllt.")


def decide(ruleset: RuleSet, fields: Mapping[str, object], *, today: date,
           open_items: Mapping[str, int] | None = None) -> Decision:
    """Decide who receives the invoice with these ``fields`` (custom fields included).

    Pure: the same arguments give the same Decision. ``open_items`` feeds team queues
    (see rules.assignment). Rules below the deciding priority are not evaluated; their
    trace says so.
    """
    facts = Facts(fields, today, ruleset.field_labels)
    trace: list[RuleTrace] = []
    matched: list[Rule] = []
    for level in ruleset.levels:
        if matched:
            trace.extend(level.not_checked)
            continue
        for rule, check in level.checks:
            ok, reasons = check(facts)
            trace.append(make_trace(rule, ok, reasons))
            if ok:
                matched.append(rule)
    warning = _TIMED_OUT if facts.cut_short else ""
    if not matched:
        return Decision(NO_RULE, None, None, None, (), True,
                        "Keine Regel trifft zu; bitte die Zuständigkeit von Hand festlegen."
                        + warning, tuple(trace))
    if len(matched) > 1:
        names = ", ".join(f"„{r.name}“" for r in matched)
        return Decision(AMBIGUOUS, None, None, None, (), True,
                        f"Mehrere Regeln mit der gleichen Priorität {matched[0].priority} treffen "
                        f"zu ({names}); bitte die Zuständigkeit von Hand festlegen." + warning,
                        tuple(trace))
    return _route(ruleset, matched[0], facts, open_items or {}, tuple(trace), warning)


def _route(ruleset: RuleSet, rule: Rule, facts: Facts, open_items: Mapping[str, int],
           trace: tuple[RuleTrace, ...], warning: str) -> Decision:
    if rule.route_to is not None:
        assignment: Assignment = assign_caseworker(ruleset, rule.route_to, facts.today)
    else:
        assignment = assign_team(ruleset, rule.route_to_team, facts.today, open_items)
    review_note = _review_note(rule, facts)
    if rule.review_required:
        review_note += " Die Regel verlangt eine Prüfung."
    review = bool(review_note) or facts.cut_short
    outcome = ROUTED if assignment.caseworker is not None else NO_DEPUTY
    if outcome == NO_DEPUTY:
        review = True
    explanation = f"Regel „{rule.name}“ trifft zu. {assignment.note}{review_note}{warning}"
    return Decision(outcome, assignment.caseworker, assignment.team, rule.id, rule.labels,
                    review, explanation, trace, rule.posting)


def _review_note(rule: Rule, facts: Facts) -> str:
    """' Prüfung erforderlich: ...' when the amount exceeds ``review_above``, else ''."""
    if rule.review_above is None:
        return ""
    limit = format_amount(rule.review_above, facts.currency)
    for field in ("total_gross", "amount_due"):
        amount = facts.typed(field, AMOUNT)
        if isinstance(amount, Decimal):
            if amount > rule.review_above:
                return (f" Prüfung erforderlich: Betrag {format_amount(amount, facts.currency)} "
                        f"liegt über {limit}.")
            return ""
    return f" Prüfung erforderlich: kein Rechnungsbetrag erkannt (Prüfgrenze {limit})."
