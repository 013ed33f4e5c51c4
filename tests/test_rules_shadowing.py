"""Rules that can never decide, because another rule matches whenever they do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_rules_support import load, problems

HEAD = "rules:\n"


def rule(rule_id: str, priority: int, when: str | None) -> str:
    text = f"  - id: {rule_id}\n    name: {rule_id.title()}\n    priority: {priority}\n"
    if when is not None:
        text += f"    when: {when}\n"
    return text + "    route_to: becker\n"


VAT = '{field: seller_vat_id, equals: "DE811234565"}'
NAME = '{field: seller_name, contains: "Lebenshilfe"}'
SCAN = "{field: kind, equals: scan}"


@pytest.mark.parametrize(("higher", "lower"), [
    (None, VAT),                                          # a rule without condition
    (VAT, VAT),                                           # identical conditions
    (VAT, '{field: seller_vat_id, equals: "de 811234565"}'),  # identical after normalising
    (f"{{all: [{VAT}]}}", f"{{all: [{VAT}, {SCAN}]}}"),   # a subset of the conjuncts
    (f"{{all: [{SCAN}, {VAT}]}}", f"{{all: [{VAT}, {SCAN}, {NAME}]}}"),
    (f"{{any: [{VAT}, {NAME}]}}", VAT),                   # one alternative of the higher rule
    (VAT, f"{{any: [{VAT}, {f'{{all: [{VAT}, {SCAN}]}}'}]}}"),  # every alternative implies it
    ('{field: currency, one_of: ["EUR", "CHF"]}', '{field: currency, equals: "eur"}'),
    ("{field: total_gross, min: 5000}", "{field: total_gross, min: 6000, max: 7000}"),
    ('{field: total_gross, compare: ">= 5000"}', "{field: total_gross, min: 5000}"),
    ('{field: total_gross, compare: "> 4999.99"}', '{field: total_gross, compare: "= 5000"}'),
    ("{field: total_gross, max: 100}", '{field: total_gross, compare: "< 100"}'),
    ('{field: seller_name, contains: "hilfe"}', NAME),
    ('{field: seller_name, contains: "hilfe"}', '{field: seller_name, equals: "Lebenshilfe e.V."}'),
    ("{field: issue_date, older_than_days: 30}", "{field: issue_date, older_than_days: 60}"),
    ('{field: seller_name, letters: "A-M"}', '{field: seller_name, letters: "B-C, K"}'),
    ("{field: iban, exists: true}", '{field: iban, regex: "^DE"}'),
    (f"{{not: {SCAN}}}", '{not: {field: kind, one_of: [scan, pdf-text]}}'),
])
def test_shadowed_rule_is_reported(tmp_path: Path, higher: str | None, lower: str) -> None:
    found = problems(tmp_path, HEAD + rule("high", 100, higher) + rule("low", 10, lower))
    line = 7 if higher is not None else 6
    assert found == [
        f"rules.yaml:{line}: die Regel „low“ kann nie entscheiden: die Regel „high“ (Zeile 2) "
        "hat einen höheren Rang (100) und passt auf jede Rechnung, auf die „low“ passt. „low“ "
        "einen Rang über 100 geben oder die Bedingung von „high“ enger fassen"]


@pytest.mark.parametrize(("higher", "lower"), [
    (VAT, NAME),                                          # different fields
    (f"{{all: [{VAT}, {SCAN}]}}", VAT),                   # the higher rule is narrower
    (f"{{any: [{VAT}, {NAME}]}}", f"{{any: [{VAT}, {SCAN}]}}"),
    ("{field: total_gross, min: 5000}", "{field: total_gross, min: 4000}"),
    ('{field: total_gross, compare: "> 5000"}', "{field: total_gross, min: 5000}"),
    ('{field: total_gross, compare: "!= 5000"}', "{field: total_gross, min: 6000}"),  # not decided
    ('{field: seller_name, regex: "hilfe"}', NAME),       # regexes are never compared
    ("{field: iban, exists: false}", '{field: iban, regex: "^DE"}'),
    (f"{{not: {SCAN}}}", SCAN),
    (VAT, None),
])
def test_independent_rules_load(tmp_path: Path, higher: str | None, lower: str | None) -> None:
    assert len(load(tmp_path, HEAD + rule("high", 100, higher) + rule("low", 10, lower)).rules) == 2


def test_same_priority_shadow_is_always_ambiguous(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + rule("a", 5, VAT) + rule("b", 5, f"{{all: [{VAT}, {SCAN}]}}"))
    assert found == [
        "rules.yaml:7: die Regel „b“ kann nie entscheiden: immer wenn sie passt, passt auch die "
        "Regel „a“ (Zeile 2) mit demselben Rang 5, das Ergebnis ist also mehrdeutig. Einer von "
        "beiden einen höheren Rang geben oder die Bedingung von „a“ enger fassen"]


def test_identical_rules_at_one_priority_are_reported_once(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + rule("a", 5, VAT) + rule("b", 5, VAT))
    assert len(found) == 1 and found[0].startswith("rules.yaml:7: die Regel „b“ kann nie entscheiden")


def test_lower_catch_all_is_fine(tmp_path: Path) -> None:
    ruleset = load(tmp_path, HEAD + rule("specific", 100, VAT) + rule("rest", -1, None))
    assert [r.id for r in ruleset.rules] == ["specific", "rest"]
