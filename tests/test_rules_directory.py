"""Absences, deputy chains and team queues."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rules.engine import decide, team_counter_key
from tests.test_rules_support import load

DIRECTORY = """\
caseworkers:
  - id: becker
    name: Anna Becker
    team: eingliederung
    deputies: [yilmaz, krause]
    absences:
      - {from: 2026-12-21, to: 2027-01-03}
      - {from: 2027-01-04, to: 2027-01-06}
      - {from: 2027-03-01, to: 2027-03-01}
  - id: yilmaz
    name: Mehmet Yilmaz
    team: eingliederung
    deputies: [schulz]
    absences:
      - {from: "2026-12-24", to: "2026-12-31"}
  - id: krause
    name: Petra Krause
    team: eingliederung
    absences:
      - {from: 2026-12-28, to: 2027-01-02}
  - id: schulz
    name: Jana Schulz
    team: pflege
    absences:
      - {from: 2026-12-30, to: 2026-12-30}
  - id: lang
    name: Tim Lang
    team: pflege
teams:
  - {id: eingliederung, name: Eingliederungshilfe, distribution: round_robin}
  - {id: pflege, name: Hilfe zur Pflege, distribution: fewest_open}
"""

RULES = """\
rules:
  - id: person
    name: Lebenshilfe
    when: {field: source, equals: person}
    route_to: becker
    labels: [eilig]
  - id: round
    name: Reihum
    when: {field: source, equals: round}
    route_to_team: eingliederung
  - id: fewest
    name: Wenigste
    when: {field: source, equals: fewest}
    route_to_team: pflege
"""


@pytest.fixture
def ruleset(tmp_path: Path):
    return load(tmp_path, RULES, DIRECTORY)


@pytest.mark.parametrize(("today", "caseworker", "note"), [
    (date(2026, 12, 20), "becker", "Zuständig ist Anna Becker."),
    # first day of the absence (inclusive); absences that follow on without a gap are joined
    (date(2026, 12, 21), "yilmaz",
     "Anna Becker ist abwesend bis 06.01.2027; vertreten durch Mehmet Yilmaz."),
    # the first deputy is absent: the second deputy of Becker's own list comes next
    (date(2026, 12, 24), "krause",
     "Anna Becker ist abwesend bis 06.01.2027; vertreten durch Petra Krause."),
    # both of Becker's deputies are absent: the deputy's deputy (breadth first)
    (date(2026, 12, 28), "schulz",
     "Anna Becker ist abwesend bis 06.01.2027; vertreten durch Jana Schulz."),
    (date(2027, 1, 1), "yilmaz",
     "Anna Becker ist abwesend bis 06.01.2027; vertreten durch Mehmet Yilmaz."),
    (date(2027, 1, 6), "yilmaz",
     "Anna Becker ist abwesend bis 06.01.2027; vertreten durch Mehmet Yilmaz."),
    (date(2027, 1, 7), "becker", "Zuständig ist Anna Becker."),
    (date(2027, 3, 1), "yilmaz",
     "Anna Becker ist abwesend bis 01.03.2027; vertreten durch Mehmet Yilmaz."),
])
def test_absent_caseworker_goes_to_first_present_deputy(ruleset, today: date, caseworker: str,
                                                        note: str) -> None:
    decision = decide(ruleset, {"source": "person"}, today=today)
    assert (decision.outcome, decision.caseworker, decision.rule_id, decision.labels) == \
        ("routed", caseworker, "person", ("eilig",))
    assert decision.explanation == f"Regel „Lebenshilfe“ trifft zu. {note}"
    assert decision.team == ruleset.caseworkers[caseworker].team


def test_nobody_present_is_no_deputy(ruleset) -> None:
    decision = decide(ruleset, {"source": "person"}, today=date(2026, 12, 30))
    assert (decision.outcome, decision.caseworker, decision.team, decision.rule_id) == \
        ("no_deputy", None, "eingliederung", "person")
    assert decision.review_required and decision.labels == ("eilig",)
    assert decision.explanation == ("Regel „Lebenshilfe“ trifft zu. Anna Becker ist abwesend bis "
                                    "06.01.2027, und keine Vertretung ist anwesend.")


@pytest.mark.parametrize(("today", "counter", "caseworker"), [
    (date(2026, 6, 1), 0, "becker"),
    (date(2026, 6, 1), 1, "yilmaz"),
    (date(2026, 6, 1), 2, "krause"),
    (date(2026, 6, 1), 3, "becker"),
    (date(2026, 6, 1), 3001, "yilmaz"),
    # Becker absent: the queue turns over the present members only
    (date(2026, 12, 22), 0, "yilmaz"),
    (date(2026, 12, 22), 1, "krause"),
    (date(2026, 12, 22), 2, "yilmaz"),
])
def test_round_robin_uses_the_callers_counter(ruleset, today: date, counter: int,
                                              caseworker: str) -> None:
    open_items = {team_counter_key("eingliederung"): counter, "becker": 0}
    decision = decide(ruleset, {"source": "round"}, today=today, open_items=open_items)
    assert (decision.outcome, decision.caseworker, decision.team) == \
        ("routed", caseworker, "eingliederung")
    name = ruleset.caseworkers[caseworker].name
    assert decision.explanation.endswith(
        f"Team Eingliederungshilfe, reihum verteilt: zuständig ist {name}.")


def test_round_robin_without_counter_starts_at_the_first_present_member(ruleset) -> None:
    assert decide(ruleset, {"source": "round"}, today=date(2026, 6, 1)).caseworker == "becker"
    assert team_counter_key("eingliederung") == "team:eingliederung"


@pytest.mark.parametrize(("today", "open_items", "caseworker", "count"), [
    (date(2026, 6, 1), {"schulz": 5, "lang": 2}, "lang", 2),
    (date(2026, 6, 1), {"schulz": 2, "lang": 2}, "schulz", 2),   # a tie: the one listed first
    (date(2026, 6, 1), {"lang": 1}, "schulz", 0),                # missing counts as 0
    (date(2026, 12, 30), {"schulz": 0, "lang": 9}, "lang", 9),   # Schulz absent: skipped
])
def test_fewest_open(ruleset, today: date, open_items: dict, caseworker: str, count: int) -> None:
    decision = decide(ruleset, {"source": "fewest"}, today=today, open_items=open_items)
    assert (decision.outcome, decision.caseworker, decision.team) == ("routed", caseworker, "pflege")
    name = ruleset.caseworkers[caseworker].name
    assert decision.explanation == (f"Regel „Wenigste“ trifft zu. Team Hilfe zur Pflege: {name} "
                                    f"hat die wenigsten offenen Vorgänge ({count}).")


def test_team_with_everybody_absent_is_no_deputy(tmp_path: Path) -> None:
    directory = DIRECTORY.replace("  - id: lang\n    name: Tim Lang\n    team: pflege\n", "")
    ruleset = load(tmp_path, RULES, directory)
    decision = decide(ruleset, {"source": "fewest"}, today=date(2026, 12, 30))
    assert (decision.outcome, decision.caseworker, decision.team) == ("no_deputy", None, "pflege")
    assert decision.explanation == "Regel „Wenigste“ trifft zu. Im Team Hilfe zur Pflege ist niemand anwesend."


def test_team_without_members_cannot_be_routed_to(tmp_path: Path) -> None:
    from tests.test_rules_support import problems
    directory = DIRECTORY + "  - {id: leer, name: Leer}\n"
    rules = "rules:\n  - id: r\n    name: R\n    route_to_team: leer\n"
    assert problems(tmp_path, rules, directory) == [
        "rules.yaml:4: das Team „leer“ hat keine Mitglieder; Mitglieder eintragen ('team: ...' "
        "bei einer Sachbearbeitung) oder anders zuweisen"]


def test_absence_helpers(ruleset) -> None:
    becker = ruleset.caseworkers["becker"]
    assert not becker.is_absent(date(2026, 12, 20))
    assert becker.is_absent(date(2027, 1, 3)) and becker.is_absent(date(2027, 1, 4))
    assert becker.absent_until(date(2026, 12, 20)) is None
    assert becker.absent_until(date(2027, 1, 5)) == date(2027, 1, 6)


MUTUAL = """\
caseworkers:
  - {id: becker, name: Anna Becker, deputies: [yilmaz], absences: [{from: 2026-12-21, to: 2027-01-03}]}
  - {id: yilmaz, name: Mehmet Yilmaz, deputies: [becker], absences: [{from: 2026-12-24, to: 2026-12-31}]}
"""


def test_mutual_deputies_stand_in_and_say_when_the_chain_has_nobody(tmp_path: Path) -> None:
    rules = ("rules:\n  - {id: person, name: Lebenshilfe, priority: 1, route_to: becker, "
             "when: {field: source, equals: person}}\n")
    ruleset = load(tmp_path, rules, MUTUAL)
    stands_in = decide(ruleset, {"source": "person"}, today=date(2026, 12, 22))
    assert (stands_in.outcome, stands_in.caseworker) == ("routed", "yilmaz")
    nobody = decide(ruleset, {"source": "person"}, today=date(2026, 12, 27))
    assert (nobody.outcome, nobody.caseworker) == ("no_deputy", None)
    assert nobody.explanation.endswith(
        "und keine Vertretung ist anwesend. Die Vertretungskette führt im Kreis (Anna Becker → "
        "Mehmet Yilmaz → Anna Becker), und niemand darin ist anwesend.")
