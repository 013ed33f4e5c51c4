"""Who receives an invoice once a rule has matched: absences, deputies and team queues.

Deputies: an absent caseworker's invoice goes to the first present deputy. Their own listed
deputies are tried first, in order; if all of those are absent, their deputies' deputies
(breadth first), and so on.

Teams: absent members are skipped. ``fewest_open`` picks the present member with the fewest
open items (``open_items[caseworker_id]``, missing counts as 0; ties go to the member listed
first). ``round_robin`` is stable and needs no state here: the caller passes the team's
running count of invoices under ``open_items[team_counter_key(team_id)]`` and the invoice
goes to present member number ``count % len(present members)``; the caller adds one to the
count after filing. The same count always gives the same member, so deciding again after a
crash gives the same result.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from rules.german import format_date
from rules.model import Caseworker, RuleSet


@dataclass(frozen=True)
class Assignment:
    caseworker: str | None  # None: nobody present to take it
    team: str | None
    note: str  # one German sentence for the explanation


def team_counter_key(team_id: str) -> str:
    """The key in ``open_items`` under which round_robin expects the team's running count."""
    return f"team:{team_id}"


def assign_caseworker(ruleset: RuleSet, caseworker_id: str, today: date) -> Assignment:
    person = ruleset.caseworkers[caseworker_id]
    if not person.is_absent(today):
        return Assignment(person.id, person.team, f"Zuständig ist {person.name}.")
    absent = f"{person.name} ist abwesend bis {format_date(person.absent_until(today))}"
    deputy = first_present_deputy(ruleset.caseworkers, person, today)
    if deputy is None:
        return Assignment(None, person.team, f"{absent}, und keine Vertretung ist anwesend."
                          + _loop_note(ruleset.caseworkers, person))
    return Assignment(deputy.id, deputy.team, f"{absent}; vertreten durch {deputy.name}.")


def first_present_deputy(caseworkers: Mapping[str, Caseworker], person: Caseworker,
                         today: date) -> Caseworker | None:
    queue, seen = deque(person.deputies), {person.id}
    while queue:
        deputy = caseworkers[queue.popleft()]
        if deputy.id in seen:
            continue
        seen.add(deputy.id)
        if not deputy.is_absent(today):
            return deputy
        queue.extend(deputy.deputies)
    return None


def _loop_note(caseworkers: Mapping[str, Caseworker], person: Caseworker) -> str:
    """Where the deputies lead back to someone already asked (A -> B -> A), the chain in
    names: everyone in it is absent."""
    walked, step = [person.id], person
    while step.deputies and step.deputies[0] not in walked:
        step = caseworkers[step.deputies[0]]
        walked.append(step.id)
    if not step.deputies:
        return ""
    chain = " → ".join(caseworkers[c].name for c in [*walked, step.deputies[0]])
    return f" Die Vertretungskette führt im Kreis ({chain}), und niemand darin ist anwesend."


def assign_team(ruleset: RuleSet, team_id: str, today: date,
                open_items: Mapping[str, int]) -> Assignment:
    team = ruleset.teams[team_id]
    present = [m for m in team.members if not ruleset.caseworkers[m].is_absent(today)]
    if not present:
        return Assignment(None, team.id, f"Im Team {team.name} ist niemand anwesend.")
    if team.distribution == "fewest_open":
        chosen = min(present, key=lambda m: open_items.get(m, 0))
        name = ruleset.caseworkers[chosen].name
        return Assignment(chosen, team.id, f"Team {team.name}: {name} hat die wenigsten "
                          f"offenen Vorgänge ({open_items.get(chosen, 0)}).")
    chosen = present[open_items.get(team_counter_key(team.id), 0) % len(present)]
    name = ruleset.caseworkers[chosen].name
    return Assignment(chosen, team.id, f"Team {team.name}, reihum verteilt: zuständig ist {name}.")
