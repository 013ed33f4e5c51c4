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
    assert lines[0].startswith(f"{tmp_path / 'rules.yaml'}:4: unknown field 'seller_vat'")
    assert 'did you mean "seller_vat_id"?' in lines[0]


@pytest.mark.parametrize(("rule", "line", "expected"), [
    ("    colour: red\n    route_to: becker\n", 8, "unknown key 'colour' in a rule"),
    ("    priorty: 5\n    route_to: becker\n", 8, 'did you mean "priority"?'),
    ("    when: {field: seller_name, matches: x}\n    route_to: becker\n", 8,
     "unknown test 'matches'"),
    ("    when: {field: seller_name, equal: x}\n    route_to: becker\n", 8,
     'did you mean "equals"?'),
    ("    route_to: bekcer\n", 8, "caseworker 'bekcer' is not in the caseworker file"),
    ("    route_to: bekcer\n", 8, 'did you mean "becker"?'),
    ("    route_to_team: pflege\n", 8, "team 'pflege' is not in the caseworker file"),
    ("", 6, "a rule needs exactly one of 'route_to"),
    ("    route_to: becker\n    route_to_team: hilfe_zur_pflege\n", 6, "exactly one of"),
    ("    when: {field: seller_name, regex: \"[a-\"}\n    route_to: becker\n", 8,
     "the regex does not compile"),
    ("    when: {field: total_gross, min: \"5.000,00\"}\n    route_to: becker\n", 8,
     "is not an amount; write amounts with a dot"),
    ("    when: {field: issue_date, equals: \"01.03.2026\"}\n    route_to: becker\n", 8,
     "is not a date; write dates as YYYY-MM-DD"),
    ("    when: {field: seller_name, min: 5}\n    route_to: becker\n", 8,
     "'min' does not work on 'seller_name'"),
    ("    when: {field: seller_name, equals: x, contains: y}\n    route_to: becker\n", 8,
     "one test per condition"),
    ("    when: {field: seller_name}\n    route_to: becker\n", 8, "has no test"),
    ("    when: {any: []}\n    route_to: becker\n", 8, "'any:' needs a list of conditions"),
    ("    when: {all: [{field: kind, equals: scan}], not: {field: kind, equals: scan}}\n"
     "    route_to: becker\n", 8, "exactly one of all:, any:, not:"),
    ("    priority: high\n    route_to: becker\n", 8, "'priority' must be a whole number"),
    ("    labels: eilig\n    route_to: becker\n", 8, "'labels' takes a list"),
    ("    review_above: viel\n    route_to: becker\n", 8, "'viel' is not an amount"),
])
def test_rule_problems_name_line_and_fix(tmp_path: Path, rule: str, line: int, expected: str) -> None:
    first = "rules:\n  - id: first\n    name: First\n    when: {field: kind, equals: scan}\n" \
            "    route_to: becker\n"
    found = problems(tmp_path, first + "  - id: r\n    name: R\n" + rule)
    assert any(p.startswith(f"rules.yaml:{line}:") and expected in p for p in found), found


def test_rule_id_and_name_are_checked(tmp_path: Path) -> None:
    found = problems(tmp_path, "rules:\n  - id: R_1\n    route_to: becker\n")
    assert found == [
        "rules.yaml:2: id 'R_1' may contain only lowercase letters, digits and '-', "
        "starting with a letter or digit",
        "rules.yaml:2: a rule has no 'name'; add 'name: ...'"]


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
        "rules.yaml:6: rule id 'same' is already used by the rule on line 2; give each rule its own id"]


def test_duplicate_yaml_key_is_reported(tmp_path: Path) -> None:
    rules = "rules:\n  - id: r\n    name: A\n    name: B\n    route_to: becker\n"
    assert problems(tmp_path, rules) == [
        "rules.yaml:4: key 'name' appears twice in a rule; keep only one"]


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    rules = "rules:\n  - id: r\n    name: \"unterminated\n    route_to: becker\n"
    found = problems(tmp_path, rules)
    assert len(found) == 1 and found[0].startswith("rules.yaml:") and "not valid YAML" in found[0]
    assert int(found[0].split(":")[1]) >= 3


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    rules_path, _ = write(tmp_path, one_rule("{field: kind, equals: scan}"))
    with pytest.raises(RulesConfigError) as caught:
        load_ruleset(rules_path, tmp_path / "absent.yaml")
    assert str(caught.value).startswith(f"{tmp_path / 'absent.yaml'}:0: cannot read the file")


def test_rules_list_is_required_and_custom_keys_checked(tmp_path: Path) -> None:
    assert problems(tmp_path, "regeln: []\n") == [
        "rules.yaml:1: unknown key 'regeln' in the rules file; allowed keys: rules, custom_fields",
        "rules.yaml:1: the rules file has no 'rules:' list; add it"]
    assert load(tmp_path, "rules: []\n").rules == ()


@pytest.mark.parametrize(("directory", "line", "expected"), [
    (DIRECTORY.replace("deputies: [yilmaz]", "deputies: [yilmas]"), 5,
     "deputy 'yilmas' of 'becker' is not a caseworker in this file (did you mean \"yilmaz\"?)"),
    (DIRECTORY.replace("deputies: [yilmaz]", "deputies: [becker]"), 5,
     "caseworker 'becker' is listed as their own deputy"),
    (DIRECTORY.replace("team: hilfe_zur_pflege\n", "team: pflege\n"), 13,
     "team 'pflege' is not listed under 'teams:'"),
    (DIRECTORY.replace("{from: 2026-12-21, to: 2027-01-03}", "{from: 2026-12-21, to: 2026-12-01}"), 7,
     "absence ends before it starts"),
    (DIRECTORY.replace("{from: 2026-12-21, to: 2027-01-03}", "{from: 21.12.2026, to: 2027-01-03}"), 7,
     "absence 'from' is missing or not a date"),
    (DIRECTORY.replace("{from: 2026-12-21, to: 2027-01-03}", "{von: 2026-12-21, to: 2027-01-03}"), 7,
     "unknown key 'von' in an absence"),
    (DIRECTORY.replace("distribution: fewest_open", "distribution: fewest"), 20,
     "distribution 'fewest' is unknown (did you mean \"fewest_open\"?)"),
    (DIRECTORY.replace("  - id: schulz", "  - id: becker"), 11, "caseworker id 'becker' is used twice"),
    (DIRECTORY.replace("    name: Jana Schulz\n", "    name: Jana Schulz\n    email: j@x\n"), 13,
     "unknown key 'email' in a caseworker"),
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
    assert len(found) == 1 and found[0].startswith("caseworkers.yaml:") and "not valid YAML" in found[0]
