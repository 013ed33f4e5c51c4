"""decide() on the fields of the real specimen e-invoices in ../shared/corpus."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from rules.engine import decide
from tests.test_rules_support import TODAY, load

TRUTH = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "truth.jsonl"

RULES = """\
rules:
  - id: lieferant-de123456789
    name: Lieferant DE123456789
    priority: 100
    when: {field: seller_vat_id, regex: "^DE123456789$"}  # the corpus's specimen: wrong check digit
    route_to: becker
  - id: gutschrift
    name: Gutschriften und Korrekturen
    priority: 150
    when: {field: total_gross, compare: "< 0"}
    route_to_team: hilfe_zur_pflege
    labels: [gutschrift]
  - id: auslaendische-anbieter
    name: Anbieter ohne deutsche USt-IdNr.
    priority: 10
    when:
      all:
        - {field: seller_vat_id, exists: true}
        - not: {field: seller_vat_id, regex: "^DE"}
    route_to: yilmaz
    review_above: 1000
"""


def truth_records() -> list[dict]:
    if not TRUTH.is_file():
        pytest.skip("the corpus folder ../shared/corpus is absent")
    return [json.loads(line) for line in TRUTH.read_text(encoding="utf-8").splitlines()]


def expected_rule(fields: dict) -> str | None:
    vat = fields.get("seller_vat_id")
    if fields.get("total_gross") and Decimal(fields["total_gross"]) < 0:
        return "gutschrift"
    if vat == "DE123456789":
        return "lieferant-de123456789"
    if vat and not vat.startswith("DE"):
        return "auslaendische-anbieter"
    return None


def test_corpus_invoices_are_routed_as_the_rules_say(tmp_path: Path) -> None:
    ruleset = load(tmp_path, RULES)
    records = truth_records()
    routed_by: dict[str | None, int] = {}
    for record in records:
        fields = {**record["fields"], "kind": record["kind"]}
        decision = decide(ruleset, fields, today=TODAY, open_items={"schulz": 1})
        rule_id = expected_rule(record["fields"])
        assert decision.rule_id == rule_id, record["file"]
        assert decision.outcome == ("routed" if rule_id else "no_rule")
        json.dumps(decision.to_dict())
        if rule_id == "auslaendische-anbieter":
            gross = Decimal(record["fields"].get("total_gross", "0"))
            assert decision.review_required is (gross > 1000), record["file"]
        routed_by[rule_id] = routed_by.get(rule_id, 0) + 1
    assert routed_by["lieferant-de123456789"] > 30 and len(records) > 90
    assert routed_by["gutschrift"] > 0 and routed_by["auslaendische-anbieter"] > 0
