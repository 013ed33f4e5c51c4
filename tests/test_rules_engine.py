"""decide(): every operator and combinator, priorities, ambiguity, and the Decision values."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rules.engine import decide
from rules.model import Decision, RuleTrace
from tests.test_rules_support import INVOICE, TODAY, decide_one, load


def reasons(tmp_path: Path, when: str, **changes: object) -> tuple[bool, tuple[str, ...]]:
    """(matched, reasons) of the single rule for INVOICE with ``changes``."""
    decision = decide_one(tmp_path, when, {**INVOICE, **changes})
    trace = decision.trace[0]
    assert decision.outcome == ("routed" if trace.matched else "no_rule")
    return trace.matched, trace.reasons


@pytest.mark.parametrize(("when", "changes", "matched", "reason"), [
    # equals: text compares case-insensitively; VAT IDs and IBANs ignore spaces in the rule
    ('{field: seller_vat_id, equals: "DE811234565"}', {}, True, "USt-IdNr. ist DE811234565"),
    ('{field: seller_vat_id, equals: "de 811 234 565"}', {}, True, "USt-IdNr. ist DE811234565"),
    ('{field: seller_vat_id, equals: "DE811234565"}', {"seller_vat_id": "DE999999999"}, False,
     "USt-IdNr. ist DE999999999, erwartet DE811234565"),
    ('{field: seller_vat_id, equals: "DE811234565"}', {"seller_vat_id": None}, False,
     "USt-IdNr. fehlt"),
    ('{field: seller_vat_id, equals: "DE811234565"}', {"seller_vat_id": "  "}, False,
     "USt-IdNr. fehlt"),
    ("{field: total_gross, equals: 6200}", {}, True, "Rechnungsbetrag ist 6.200,00 €"),
    ("{field: total_gross, equals: 6200}", {"total_gross": "6200.01"}, False,
     "Rechnungsbetrag ist 6.200,01 €, erwartet 6.200,00 €"),
    ("{field: issue_date, equals: 2026-03-01}", {}, True, "Rechnungsdatum ist 01.03.2026"),
    ("{field: issue_date, equals: 2026-03-02}", {}, False,
     "Rechnungsdatum ist 01.03.2026, erwartet 02.03.2026"),
    # one_of
    ('{field: currency, one_of: ["EUR", "CHF"]}', {}, True, "Währung ist EUR, einer der erwarteten Werte"),
    ('{field: currency, one_of: ["EUR", "CHF"]}', {"currency": "USD"}, False,
     "Währung ist USD, erwartet einen von: EUR, CHF"),
    ("{field: total_tax, one_of: [19, 989.92]}", {}, True,
     "Umsatzsteuer ist 989,92 €, einer der erwarteten Werte"),
    ("{field: total_tax, one_of: [19, 7]}", {}, False,
     "Umsatzsteuer ist 989,92 €, erwartet einen von: 7,00 €, 19,00 €"),
    # contains
    ('{field: seller_name, contains: "LEBENSHILFE"}', {}, True,
     "Rechnungssteller „Lebenshilfe Nordstadt gGmbH“ enthält „LEBENSHILFE“"),
    ('{field: seller_name, contains: "Caritas"}', {}, False,
     "Rechnungssteller „Lebenshilfe Nordstadt gGmbH“ enthält nicht „Caritas“"),
    ('{field: seller_name, contains: "Caritas"}', {"seller_name": None}, False, "Rechnungssteller fehlt"),
    # regex (a search, case-sensitive unless (?i))
    ('{field: seller_name, regex: "Nord(stadt|heim)"}', {}, True,
     "Rechnungssteller „Lebenshilfe Nordstadt gGmbH“ passt zum Muster „Nord(stadt|heim)“"),
    ('{field: seller_name, regex: "nordstadt"}', {}, False,
     "Rechnungssteller „Lebenshilfe Nordstadt gGmbH“ passt nicht zum Muster „nordstadt“"),
    ('{field: buyer_reference, regex: "^\\\\d{5}-\\\\d{2}-\\\\d{2}$"}', {}, True,
     "Leitweg-ID „05315-71-65“ passt zum Muster „^\\d{5}-\\d{2}-\\d{2}$“"),
    # min / max (inclusive), alone or as a range
    ("{field: total_gross, max: 5000}", {}, False,
     "Rechnungsbetrag 6.200,00 € ist nicht höchstens 5.000,00 €"),
    ("{field: total_gross, max: 6200}", {}, True, "Rechnungsbetrag 6.200,00 € ist höchstens 6.200,00 €"),
    ("{field: total_gross, min: 6200.00}", {}, True,
     "Rechnungsbetrag 6.200,00 € ist mindestens 6.200,00 €"),
    ('{field: total_gross, min: "6200.01"}', {}, False,
     "Rechnungsbetrag 6.200,00 € ist nicht mindestens 6.200,01 €"),
    ("{field: total_gross, min: 1000, max: 10000}", {}, True,
     "Rechnungsbetrag 6.200,00 € liegt zwischen 1.000,00 € und 10.000,00 €"),
    ("{field: total_gross, min: 1000, max: 5000}", {}, False,
     "Rechnungsbetrag 6.200,00 € liegt nicht zwischen 1.000,00 € und 5.000,00 €"),
    ("{field: total_gross, max: 5000}", {"total_gross": "-8.79"}, True,
     "Rechnungsbetrag -8,79 € ist höchstens 5.000,00 €"),
    ("{field: total_gross, max: 5000}", {"total_gross": "12,50"}, False,
     "Rechnungsbetrag „12,50“ ist kein gültiger Betrag"),
    ("{field: total_gross, max: 5000}", {"currency": "USD"}, False,
     "Rechnungsbetrag 6.200,00 USD ist nicht höchstens 5.000,00 USD"),
    # compare
    ('{field: amount_due, compare: ">= 5000"}', {}, True,
     "Zahlbetrag 6.200,00 € ist größer oder gleich 5.000,00 €"),
    ('{field: amount_due, compare: "< 5000"}', {}, False,
     "Zahlbetrag 6.200,00 € ist nicht kleiner als 5.000,00 €"),
    ('{field: amount_due, compare: "> 6200"}', {}, False,
     "Zahlbetrag 6.200,00 € ist nicht größer als 6.200,00 €"),
    ('{field: amount_due, compare: "<=6200"}', {}, True,
     "Zahlbetrag 6.200,00 € ist kleiner oder gleich 6.200,00 €"),
    ('{field: amount_due, compare: "== 6200.00"}', {}, True, "Zahlbetrag 6.200,00 € ist gleich 6.200,00 €"),
    ('{field: amount_due, compare: "!= 6200"}', {}, False,
     "Zahlbetrag 6.200,00 € ist nicht ungleich 6.200,00 €"),
    # exists
    ("{field: order_reference, exists: false}", {}, True, "Bestellnummer fehlt, wie verlangt"),
    ("{field: order_reference, exists: true}", {}, False, "Bestellnummer fehlt"),
    ("{field: iban, exists: true}", {}, True, "IBAN ist vorhanden"),
    ("{field: iban, exists: false}", {}, False, "IBAN ist vorhanden, soll aber fehlen"),
    # older_than_days, relative to today (2026-06-15)
    ("{field: issue_date, older_than_days: 60}", {}, True,
     "Rechnungsdatum 01.03.2026 ist 106 Tage alt, älter als 60 Tage"),
    ("{field: issue_date, older_than_days: 106}", {}, False,
     "Rechnungsdatum 01.03.2026 ist 106 Tage alt, nicht älter als 106 Tage"),
    ("{field: issue_date, older_than_days: 0}", {"issue_date": "2026-06-14"}, True,
     "Rechnungsdatum 14.06.2026 ist 1 Tag alt, älter als 0 Tage"),
    ("{field: issue_date, older_than_days: 0}", {"issue_date": "2026-07-01"}, False,
     "Rechnungsdatum 01.07.2026 liegt in der Zukunft, nicht älter als 0 Tage"),
    ("{field: due_date, older_than_days: 30}", {}, False, "Fälligkeitsdatum fehlt"),
    ("{field: issue_date, older_than_days: 30}", {"issue_date": "2026-02-30"}, False,
     "Rechnungsdatum „2026-02-30“ ist kein gültiges Datum"),
    # letters
    ('{field: seller_name, letters: "A-K"}', {}, False,
     "Rechnungssteller „Lebenshilfe Nordstadt gGmbH“ steht unter L, nicht im Bereich A-K"),
    ('{field: seller_name, letters: "l-z"}', {}, True,
     "Rechnungssteller „Lebenshilfe Nordstadt gGmbH“ steht unter L, im Bereich L-Z"),
    ('{field: seller_name, letters: "A-K"}', {"seller_name": "4711"}, False,
     "Rechnungssteller „4711“ hat keinen Anfangsbuchstaben"),
])
def test_operator(tmp_path: Path, when: str, changes: dict, matched: bool, reason: str) -> None:
    assert reasons(tmp_path, when, **changes) == (matched, (reason,))


def test_document_fields_and_values_of_other_types(tmp_path: Path) -> None:
    from decimal import Decimal
    when = "{all: [{field: kind, equals: pdf-text}, {field: source, one_of: [folder, mailbox]}, " \
           "{field: document_type_code, equals: 380}, {field: total_gross, min: 100}, " \
           "{field: issue_date, equals: 2026-03-01}]}"
    matched, _ = reasons(tmp_path, when, total_gross=Decimal("6200.00"), issue_date=date(2026, 3, 1),
                         document_type_code=380)
    assert matched


ALL_ANY = """\
all:
  - field: kind
    equals: pdf-text
  - any:
      - field: seller_vat_id
        equals: "DE100000008"
      - field: seller_name
        contains: "Nordstadt"
  - not:
      field: total_gross
      max: 100
"""


def test_all_any_not_nested(tmp_path: Path) -> None:
    assert reasons(tmp_path, ALL_ANY) == (True, (
        "Eingangsform ist pdf-text",
        "Rechnungssteller „Lebenshilfe Nordstadt gGmbH“ enthält „Nordstadt“",
        "wie verlangt nicht erfüllt: Rechnungsbetrag 6.200,00 € ist nicht höchstens 100,00 €"))


def test_all_stops_at_first_failure(tmp_path: Path) -> None:
    assert reasons(tmp_path, ALL_ANY, kind="scan") == (
        False, ("Eingangsform ist scan, erwartet pdf-text",))


def test_any_lists_every_failed_alternative(tmp_path: Path) -> None:
    assert reasons(tmp_path, ALL_ANY, seller_name="Caritas") == (False, (
        "USt-IdNr. ist DE811234565, erwartet DE100000008",
        "Rechnungssteller „Caritas“ enthält nicht „Nordstadt“"))


def test_not_fails_when_inner_matches(tmp_path: Path) -> None:
    assert reasons(tmp_path, ALL_ANY, total_gross="99.00") == (False, (
        "darf nicht zutreffen, trifft aber zu: Rechnungsbetrag 99,00 € ist höchstens 100,00 €",))


PRIORITIES = """\
rules:
  - id: catch-all
    name: Alle übrigen
    priority: -10
    route_to: schulz
  - id: vat
    name: Lebenshilfe nach USt-IdNr.
    priority: 100
    when: {field: seller_vat_id, equals: "DE811234565"}
    route_to: becker
    labels: [eingliederungshilfe, "träger"]
  - id: name
    name: Lebenshilfe nach Name
    priority: 100
    when: {field: seller_name, regex: "(?i)lebenshilfe"}
    route_to: yilmaz
  - id: big
    name: Große Beträge
    priority: 200
    when: {field: total_gross, min: 10000}
    route_to: schulz
    review_required: true
"""


def test_highest_priority_with_a_match_decides(tmp_path: Path) -> None:
    ruleset = load(tmp_path, PRIORITIES)
    decision = decide(ruleset, {**INVOICE, "seller_name": "Andere GmbH"}, today=TODAY)
    assert (decision.outcome, decision.caseworker, decision.team, decision.rule_id) == \
        ("routed", "becker", "eingliederungshilfe", "vat")
    assert decision.labels == ("eingliederungshilfe", "träger") and not decision.review_required
    assert decision.explanation == \
        "Regel „Lebenshilfe nach USt-IdNr.“ trifft zu. Zuständig ist Anna Becker."
    assert [(t.rule_id, t.matched) for t in decision.trace] == \
        [("big", False), ("vat", True), ("name", False), ("catch-all", False)]
    assert decision.trace[3].reasons == ("nicht geprüft: eine Regel mit höherer Priorität trifft zu",)

    big = decide(ruleset, {**INVOICE, "total_gross": "12000.00"}, today=TODAY)
    assert (big.rule_id, big.caseworker, big.review_required) == ("big", "schulz", True)
    assert big.explanation == ("Regel „Große Beträge“ trifft zu. Zuständig ist Jana Schulz. "
                               "Die Regel verlangt eine Prüfung.")

    rest = decide(ruleset, {"seller_name": "Andere GmbH"}, today=TODAY)
    assert (rest.rule_id, rest.trace[-1].reasons) == \
        ("catch-all", ("Regel ohne Bedingung: gilt für jede Rechnung",))


def test_two_matches_at_the_top_priority_are_ambiguous(tmp_path: Path) -> None:
    decision = decide(load(tmp_path, PRIORITIES), INVOICE, today=TODAY)
    assert decision == Decision(
        "ambiguous", None, None, None, (), True,
        "Mehrere Regeln mit der gleichen Priorität 100 treffen zu („Lebenshilfe nach USt-IdNr.“, "
        "„Lebenshilfe nach Name“); bitte die Zuständigkeit von Hand festlegen.",
        decision.trace)
    assert [t.matched for t in decision.trace] == [False, True, True, False]


def test_no_rule(tmp_path: Path) -> None:
    ruleset = load(tmp_path, PRIORITIES.split("  - id: catch-all")[0] + PRIORITIES.split("route_to: schulz\n", 1)[1])
    decision = decide(ruleset, {"seller_name": "Andere GmbH"}, today=TODAY)
    assert (decision.outcome, decision.caseworker, decision.rule_id, decision.review_required) == \
        ("no_rule", None, None, True)
    assert decision.explanation == "Keine Regel trifft zu; bitte die Zuständigkeit von Hand festlegen."
    assert len(decision.trace) == 3 and not any(t.matched for t in decision.trace)


def test_decision_to_dict_is_json_ready_and_decide_is_pure(tmp_path: Path) -> None:
    ruleset = load(tmp_path, PRIORITIES)
    fields = {**INVOICE, "seller_name": "Andere GmbH"}
    before = dict(fields)
    first = decide(ruleset, fields, today=TODAY)
    assert decide(ruleset, fields, today=TODAY) == first and fields == before
    data = json.loads(json.dumps(first.to_dict(), ensure_ascii=False))
    assert data["outcome"] == "routed" and data["labels"] == ["eingliederungshilfe", "träger"]
    assert data["trace"][1] == {"rule_id": "vat", "name": "Lebenshilfe nach USt-IdNr.",
                                "priority": 100, "matched": True,
                                "reasons": ["USt-IdNr. ist DE811234565"]}
    assert isinstance(first.trace[0], RuleTrace)
    assert first.trace[1] == RuleTrace("vat", "Lebenshilfe nach USt-IdNr.", 100, True,
                                       ("USt-IdNr. ist DE811234565",))
    with pytest.raises(AttributeError):
        first.outcome = "no_rule"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        first.trace[0].matched = True  # type: ignore[misc]


def test_review_above_and_labels(tmp_path: Path) -> None:
    rules = "rules:\n  - id: r\n    name: R\n    route_to: becker\n    labels: [pflege]\n" \
            "    review_above: 5000\n"
    ruleset = load(tmp_path, rules)
    high = decide(ruleset, INVOICE, today=TODAY)
    assert high.review_required and high.labels == ("pflege",)
    assert high.explanation.endswith(
        "Prüfung erforderlich: Betrag 6.200,00 € liegt über 5.000,00 €.")
    low = decide(ruleset, {**INVOICE, "total_gross": "5000.00"}, today=TODAY)
    assert not low.review_required
    due_only = decide(ruleset, {"amount_due": "5000.01"}, today=TODAY)
    assert due_only.review_required
    unknown = decide(ruleset, {"seller_name": "X"}, today=TODAY)
    assert unknown.review_required and "kein Rechnungsbetrag erkannt" in unknown.explanation
