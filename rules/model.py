"""The values of the rules package: the loaded rule set, caseworkers, decisions and traces."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from rules.conditions import Condition


class Outcome(StrEnum):
    """What a decision came to."""

    ROUTED = "routed"  # one rule decided, and a caseworker (or a deputy) receives it
    NO_RULE = "no_rule"  # no rule matched
    AMBIGUOUS = "ambiguous"  # more than one rule of the deciding priority matched
    NO_DEPUTY = "no_deputy"  # the rule's caseworker and every deputy are absent
    MANUAL = "manual"  # a person assigned it (made by the bots' review desk, not by decide())


ROUTED, NO_RULE, AMBIGUOUS, NO_DEPUTY = Outcome.ROUTED, Outcome.NO_RULE, Outcome.AMBIGUOUS, \
    Outcome.NO_DEPUTY


@dataclass(frozen=True)
class Absence:
    """An absence, both days inclusive."""

    start: date
    end: date


@dataclass(frozen=True)
class Caseworker:
    id: str
    name: str
    team: str | None
    deputies: tuple[str, ...] = ()
    absences: tuple[Absence, ...] = ()

    def is_absent(self, day: date) -> bool:
        return any(a.start <= day <= a.end for a in self.absences)

    def absent_until(self, day: date) -> date | None:
        """The last day of the absence covering ``day`` (joined with absences that follow on
        without a gap), or None when present on ``day``."""
        if not self.is_absent(day):
            return None
        until = day
        extended = True
        while extended:
            extended = False
            for absence in self.absences:
                if absence.start <= until + timedelta(days=1) and absence.end > until:
                    until, extended = absence.end, True
        return until


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    distribution: str  # "round_robin" | "fewest_open"
    members: tuple[str, ...]  # caseworker ids in directory order


@dataclass(frozen=True)
class CustomField:
    """A field declared in rules.yaml and read from the invoice text (rules.custom_fields)."""

    name: str
    labels: tuple[str, ...]
    pattern: str | None
    normalise: str  # upper | lower | digits | strip | none


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    priority: int
    condition: Condition = field(repr=False, compare=False)
    route_to: str | None
    route_to_team: str | None
    labels: tuple[str, ...]
    review_required: bool
    review_above: Decimal | None
    line: int
    posting: Mapping[str, str] = field(default_factory=dict)  # rules.posting: Kontierung


@dataclass(frozen=True)
class RuleTrace:
    """How one rule fared for one invoice; ``reasons`` in German, may contain field values
    (stored with the filed invoice and shown to clerks, never logged)."""

    rule_id: str
    name: str
    priority: int
    matched: bool
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"rule_id": self.rule_id, "name": self.name, "priority": self.priority,
                "matched": self.matched, "reasons": list(self.reasons)}


def make_trace(rule: Rule, matched: bool, reasons: tuple[str, ...]) -> RuleTrace:
    """The same as RuleTrace(rule.id, rule.name, rule.priority, matched, reasons), at half
    the cost: decide() makes one per evaluated rule, hundreds per invoice, and a frozen
    dataclass's __init__ sets each field through object.__setattr__."""
    trace = object.__new__(RuleTrace)
    values = trace.__dict__
    values["rule_id"] = rule.id
    values["name"] = rule.name
    values["priority"] = rule.priority
    values["matched"] = matched
    values["reasons"] = reasons
    return trace


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    caseworker: str | None
    team: str | None
    rule_id: str | None
    labels: tuple[str, ...]
    review_required: bool
    explanation: str  # German, for clerks
    trace: tuple[RuleTrace, ...]
    posting: Mapping[str, str] = field(default_factory=dict)  # the deciding rule's Kontierung

    def to_dict(self) -> dict[str, object]:
        return {"outcome": self.outcome, "caseworker": self.caseworker, "team": self.team,
                "rule_id": self.rule_id, "labels": list(self.labels),
                "review_required": self.review_required, "explanation": self.explanation,
                "trace": [t.to_dict() for t in self.trace], "posting": dict(self.posting)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Decision:
        """A decision as to_dict() recorded it (keys it does not know are ignored)."""
        return cls(Outcome(data.get("outcome") or NO_RULE), data.get("caseworker"),
                   data.get("team"), data.get("rule_id"), tuple(data.get("labels") or ()),
                   bool(data.get("review_required")), str(data.get("explanation") or ""),
                   tuple(RuleTrace(t["rule_id"], t["name"], t["priority"], t["matched"],
                                   tuple(t.get("reasons") or ()))
                         for t in data.get("trace") or ()),
                   dict(data.get("posting") or {}))


@dataclass(frozen=True)
class Level:
    """The rules of one priority with their condition checks, and their traces for when a
    higher priority decided."""

    priority: int
    checks: tuple[tuple[Rule, Callable[..., tuple[bool, tuple[str, ...]]]], ...]
    not_checked: tuple[RuleTrace, ...]


@dataclass(frozen=True, eq=False)
class RuleSet:
    rules: tuple[Rule, ...]  # in file order
    caseworkers: Mapping[str, Caseworker]
    teams: Mapping[str, Team]
    custom_fields: tuple[CustomField, ...]
    field_labels: Mapping[str, str] = field(repr=False)  # every usable field -> German label
    levels: tuple[Level, ...] = field(repr=False)  # highest priority first

    def caseworker_ids(self) -> tuple[str, ...]:
        return tuple(self.caseworkers)

    def queue_name(self, queue: str | None) -> str:
        """A caseworker's (or team's) name for a queue id."""
        if queue in self.caseworkers:
            return self.caseworkers[queue].name
        if queue in self.teams:
            return self.teams[queue].name
        return queue or "–"
