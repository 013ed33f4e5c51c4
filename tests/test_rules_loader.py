"""Loading rules.yaml and caseworkers.yaml: the pinned format, and file:line problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.loader import ConfigProblem, RulesConfigError, load_ruleset
from tests.test_rules_support import DIRECTORY, load, one_rule, problems, write

PINNED_RULES = """\
rules:
  - id: lebenshilfe-nordstadt          # unique, lowercase letters, digits, '-'
    name: "Lebenshilfe Nordstadt"      # shown to clerks
    priority: 100                      # optional, default 0
    when:
      any:
        - field: seller_vat_id
          equals: "DE811234565"
        - field: seller_name
          regex: "(?i)lebenshilfe\\\\s+nordstadt"
    route_to: becker                   # a caseworker id from caseworkers.yaml
  - id: pflege
    name: "Pflege"
    when:
      field: buyer_reference
      equals: "05315-71-65"
    route_to_team: hilfe_zur_pflege
"""


def test_pinned_format_loads_with_directory(tmp_path: Path) -> None:
    ruleset = load(tmp_path, PINNED_RULES)
    assert [r.id for r in ruleset.rules] == ["lebenshilfe-nordstadt", "pflege"]
    first = ruleset.rules[0]
    assert (first.name, first.priority, first.route_to, first.line) == \
        ("Lebenshilfe Nordstadt", 100, "becker", 2)
    assert ruleset.rules[1].priority == 0 and ruleset.rules[1].route_to_team == "hilfe_zur_pflege"
    assert ruleset.caseworker_ids() == ("becker", "yilmaz", "schulz")
    becker = ruleset.caseworkers["becker"]
    assert (becker.name, becker.team, becker.deputies) == ("Anna Becker", "eingliederungshilfe", ("yilmaz",))
    assert str(becker.absences[0].start) == "2026-12-21" and str(becker.absences[0].end) == "2027-01-03"
    assert ruleset.teams["eingliederungshilfe"].members == ("becker", "yilmaz")
    assert ruleset.teams["hilfe_zur_pflege"].distribution == "fewest_open"
    assert ruleset.custom_fields == ()


def test_error_lists_every_problem_with_file_and_line(tmp_path: Path) -> None:
    rules = """\
        rules:
          - id: a
            name: A
            when: {field: seller_vat, equals: "DE1"}
            route_to: becker
          - id: b
            name: B
            when: {field: seller_name, regex: "(unclosed"}
            route_to: nobody
        """
    with pytest.raises(RulesConfigError) as caught:
        load_ruleset(*write(tmp_path, rules))
    error = caught.value
    assert all(isinstance(p, ConfigProblem) for p in error.problems)
    assert [p.line for p in error.problems] == [4, 8, 9]
    lines = str(error).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{tmp_path / 'rules.yaml'}:4: unbekanntes Feld „seller_vat“")
    assert 'meinten Sie „seller_vat_id“?' in lines[0]


@pytest.mark.parametrize(("rule", "line", "expected"), [
    ("    colour: red\n    route_to: becker\n", 8, "Regel: unbekannter Schlüssel „colour“"),
    ("    priorty: 5\n    route_to: becker\n", 8, 'meinten Sie „priority“?'),
    ("    when: {field: seller_name, matches: x}\n    route_to: becker\n", 8,
     "unbekannter Test „matches“"),
    ("    when: {field: seller_name, equal: x}\n    route_to: becker\n", 8,
     'meinten Sie „equals“?'),
    ("    route_to: bekcer\n", 8, "die Sachbearbeitung „bekcer“ steht nicht im Verzeichnis der Sachbearbeitung"),
    ("    route_to: bekcer\n", 8, 'meinten Sie „becker“?'),
    ("    route_to_team: pflege\n", 8, "das Team „pflege“ steht nicht im Verzeichnis der Sachbearbeitung"),
    ("", 6, "eine Regel braucht genau eines von 'route_to"),
    ("    route_to: becker\n    route_to_team: hilfe_zur_pflege\n", 6, "genau eines von"),
    ("    when: {field: seller_name, regex: \"[a-\"}\n    route_to: becker\n", 8,
     "das Muster ist fehlerhaft"),
    ("    when: {field: total_gross, min: \"5.000,00\"}\n    route_to: becker\n", 8,
     "ist kein Betrag; Beträge mit Punkt"),
    ("    when: {field: issue_date, equals: \"01.03.2026\"}\n    route_to: becker\n", 8,
     "ist kein Datum; Daten als JJJJ-MM-TT"),
    ("    when: {field: seller_name, min: 5}\n    route_to: becker\n", 8,
     "„min“ passt nicht zu „seller_name“"),
    ("    when: {field: seller_name, equals: x, contains: y}\n    route_to: becker\n", 8,
     "ein Test je Bedingung"),
    ("    when: {field: seller_name}\n    route_to: becker\n", 8, "hat keinen Test"),
    ("    when: {any: []}\n    route_to: becker\n", 8, "'any:' braucht eine Liste von Bedingungen"),
    ("    when: {all: [{field: kind, equals: scan}], not: {field: kind, equals: scan}}\n"
     "    route_to: becker\n", 8, "genau eines von all:, any:, not:"),
    ("    priority: high\n    route_to: becker\n", 8, "'priority' muss eine ganze Zahl sein"),
    ("    labels: eilig\n    route_to: becker\n", 8, "'labels' nimmt eine Liste"),
    ("    review_above: viel\n    route_to: becker\n", 8, "„viel“ ist kein Betrag"),
])
def test_rule_problems_name_line_and_fix(tmp_path: Path, rule: str, line: int, expected: str) -> None:
    first = "rules:\n  - id: first\n    name: First\n    when: {field: kind, equals: scan}\n" \
            "    route_to: becker\n"
    found = problems(tmp_path, first + "  - id: r\n    name: R\n" + rule)
    assert any(p.startswith(f"rules.yaml:{line}:") and expected in p for p in found), found


def test_rule_id_and_name_are_checked(tmp_path: Path) -> None:
    found = problems(tmp_path, "rules:\n  - id: R_1\n    route_to: becker\n")
    assert found == [
        "rules.yaml:2: id „R_1“ darf nur Kleinbuchstaben, Ziffern und '-' enthalten und muss "
        "mit einem Buchstaben oder einer Ziffer beginnen",
        "rules.yaml:2: Regel: „name“ fehlt; 'name: ...' ergänzen"]


def test_unquoted_number_is_compared_as_written(tmp_path: Path) -> None:
    ruleset = load(tmp_path, one_rule("{field: document_type_code, one_of: [380, 0815]}"))
    assert ruleset.rules[0].condition.expected == {"380", "0815"}


def test_duplicate_rule_id_points_to_both_lines(tmp_path: Path) -> None:
    rules = """\
        rules:
          - id: same
            name: A
            when: {field: kind, equals: scan}
            route_to: becker
          - id: same
            name: B
            when: {field: kind, equals: xrechnung-ubl}
            route_to: yilmaz
        """
    assert problems(tmp_path, rules) == [
        "rules.yaml:6: die Regel-ID „same“ hat schon die Regel in Zeile 2; jede Regel braucht ihre eigene ID"]


def test_duplicate_yaml_key_is_reported(tmp_path: Path) -> None:
    rules = "rules:\n  - id: r\n    name: A\n    name: B\n    route_to: becker\n"
    assert problems(tmp_path, rules) == [
        "rules.yaml:4: Regel: Schlüssel „name“ steht zweimal da; nur einmal angeben"]


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    rules = "rules:\n  - id: r\n    name: \"unterminated\n    route_to: becker\n"
    found = problems(tmp_path, rules)
    assert len(found) == 1 and found[0].startswith("rules.yaml:") and "kein gültiges YAML" in found[0]
    assert int(found[0].split(":")[1]) >= 3


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    rules_path, _ = write(tmp_path, one_rule("{field: kind, equals: scan}"))
    with pytest.raises(RulesConfigError) as caught:
        load_ruleset(rules_path, tmp_path / "absent.yaml")
    assert str(caught.value).startswith(f"{tmp_path / 'absent.yaml'}:0: die Datei ist nicht lesbar")


def test_rules_list_is_required_and_custom_keys_checked(tmp_path: Path) -> None:
    assert problems(tmp_path, "regeln: []\n") == [
        "rules.yaml:1: Regeldatei: unbekannter Schlüssel „regeln“; erlaubt sind: rules, custom_fields",
        "rules.yaml:1: in der Regeldatei fehlt die Liste 'rules:'; bitte ergänzen"]
    assert load(tmp_path, "rules: []\n").rules == ()


@pytest.mark.parametrize(("directory", "line", "expected"), [
    (DIRECTORY.replace("deputies: [yilmaz]", "deputies: [yilmas]"), 5,
     "die Vertretung „yilmas“ von „becker“ steht nicht in diesem Verzeichnis (meinten Sie „yilmaz“?)"),
    (DIRECTORY.replace("deputies: [yilmaz]", "deputies: [becker]"), 5,
     "„becker“ ist als eigene Vertretung eingetragen"),
    (DIRECTORY.replace("team: hilfe_zur_pflege\n", "team: pflege\n"), 13,
     "das Team „pflege“ steht nicht unter 'teams:'"),
    (DIRECTORY.replace("{from: 2026-12-21, to: 2027-01-03}", "{from: 2026-12-21, to: 2026-12-01}"), 7,
     "die Abwesenheit endet, bevor sie beginnt"),
    (DIRECTORY.replace("{from: 2026-12-21, to: 2027-01-03}", "{from: 21.12.2026, to: 2027-01-03}"), 7,
     "Abwesenheit: „from“ fehlt oder ist kein Datum"),
    (DIRECTORY.replace("{from: 2026-12-21, to: 2027-01-03}", "{von: 2026-12-21, to: 2027-01-03}"), 7,
     "Abwesenheit: unbekannter Schlüssel „von“"),
    (DIRECTORY.replace("distribution: fewest_open", "distribution: fewest"), 20,
     "distribution „fewest“ ist unbekannt (meinten Sie „fewest_open“?)"),
    (DIRECTORY.replace("  - id: schulz", "  - id: becker"), 11, "die ID „becker“ steht zweimal da"),
    (DIRECTORY.replace("    name: Jana Schulz\n", "    name: Jana Schulz\n    email: j@x\n"), 13,
     "Sachbearbeitung: unbekannter Schlüssel „email“"),
])
def test_directory_problems_name_line_and_fix(tmp_path: Path, directory: str, line: int,
                                              expected: str) -> None:
    found = problems(tmp_path, "rules: []\n", directory)
    assert any(p.startswith(f"caseworkers.yaml:{line}:") and expected in p for p in found), found


def test_mutual_deputies_are_allowed(tmp_path: Path) -> None:
    """A <-> B is common in real offices; a chain of three that comes back loads as well."""
    directory = """\
        caseworkers:
          - {id: a, name: A, deputies: [b]}
          - {id: b, name: B, deputies: [c]}
          - {id: c, name: C, deputies: [a]}
          - {id: d, name: D, deputies: [a]}
        """
    assert load(tmp_path, "rules: []\n", directory).caseworkers["c"].deputies == ("a",)
    mutual = "caseworkers:\n  - {id: a, name: A, deputies: [b]}\n  - {id: b, name: B, deputies: [a]}\n"
    assert load(tmp_path, "rules: []\n", mutual).caseworkers["b"].deputies == ("a",)


def test_unknown_route_not_reported_when_directory_is_broken(tmp_path: Path) -> None:
    found = problems(tmp_path, one_rule("{field: kind, equals: scan}"), "caseworkers: [\n")
    assert len(found) == 1 and found[0].startswith("caseworkers.yaml:") and "kein gültiges YAML" in found[0]
