"""Custom fields: declared in rules.yaml, read from invoice text, tested like any field."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.custom_fields import extract_custom_fields
from rules.engine import decide
from tests.test_rules_support import TODAY, load, problems

RULES = """\
custom_fields:
  - name: aktenzeichen
    labels: ["Aktenzeichen", "Az.", "Unser Zeichen"]
    pattern: "\\\\d{2}\\\\.\\\\d{2}-\\\\d{6}"
    normalise: upper
  - name: leistungsberechtigter
    labels: ["Leistungsberechtigte/r", "Klient"]
  - name: kundennummer
    labels: ["Kunden-Nr."]
    pattern: "[\\\\d ]{4,}"
    normalise: digits
rules:
  - id: az-50
    name: Aktenzeichen Amt 50
    when: {field: aktenzeichen, regex: "^50\\\\."}
    route_to: becker
  - id: klient-a-k
    name: Klienten A-K
    priority: -1
    when: {field: leistungsberechtigter, letters: "A-K"}
    route_to: yilmaz
"""

TEXT = """\
Lebenshilfe Nordstadt gGmbH · Am Markt 1 · 12345 Nordstadt
Rechnung Nr. RE-4711
Unser Zeichen: 50.12-004711   Datum: 01.03.2026
Leistungsberechtigte/r:
   von Kamp, Jonas
Kunden-Nr. 12 34 56
"""


def test_extract_after_and_below_the_label(tmp_path: Path) -> None:
    ruleset = load(tmp_path, RULES)
    assert [f.name for f in ruleset.custom_fields] == ["aktenzeichen", "leistungsberechtigter",
                                                       "kundennummer"]
    assert extract_custom_fields(ruleset, TEXT) == {
        "aktenzeichen": "50.12-004711",
        "leistungsberechtigter": "von Kamp, Jonas",
        "kundennummer": "123456",
    }


@pytest.mark.parametrize(("text", "value"), [
    ("Az. 50.12-004711", "50.12-004711"),
    ("AKTENZEICHEN:\n\n  51.00-123456 (bitte angeben)", "51.00-123456"),
    ("Aktenzeichen: siehe unten\n52.01-000001", "52.01-000001"),   # no match on the line: below
    ("Ihr Az. fehlt", None),
    ("Kazoo 50.12-004711", None),                                  # "Az" inside a word is no label
    ("", None),
])
def test_pattern_value(tmp_path: Path, text: str, value: str | None) -> None:
    assert extract_custom_fields(load(tmp_path, RULES), text)["aktenzeichen"] == value


def test_custom_fields_decide_like_any_field(tmp_path: Path) -> None:
    ruleset = load(tmp_path, RULES)
    fields = {"seller_name": "Lebenshilfe", **extract_custom_fields(ruleset, TEXT)}
    decision = decide(ruleset, fields, today=TODAY)
    assert (decision.rule_id, decision.caseworker) == ("az-50", "becker")
    assert decision.trace[0].reasons == ("Aktenzeichen „50.12-004711“ passt zum Muster „^50\\.“",)
    other = decide(ruleset, {**fields, "aktenzeichen": "51.00-000001"}, today=TODAY)
    assert (other.rule_id, other.caseworker) == ("klient-a-k", "yilmaz")
    assert other.trace[1].reasons == (
        "Leistungsberechtigte/r „von Kamp, Jonas“ steht unter K, im Bereich A-K",)
    missing = decide(ruleset, {}, today=TODAY)
    assert missing.trace[0].reasons == ("Aktenzeichen fehlt",)


@pytest.mark.parametrize(("declaration", "expected"), [
    ('  - name: seller_name\n    labels: ["Name"]\n', "der Feldname „seller_name“ ist schon vergeben"),
    ('  - name: einvoice_valid\n    labels: ["gültig"]\n',
     "der Feldname „einvoice_valid“ ist schon vergeben"),
    ('  - name: vendor_id\n    labels: ["Kreditor"]\n', "der Feldname „vendor_id“ ist schon vergeben"),
    ('  - name: Aktenzeichen\n    labels: ["Az."]\n', "darf nur Kleinbuchstaben"),
    ('  - name: az\n', "ein Zusatzfeld braucht 'labels:'"),
    ('  - name: az\n    labels: ["Az."]\n    pattern: "(\\\\d"\n', "das Muster ist fehlerhaft"),
    ('  - name: az\n    labels: ["Az."]\n    normalise: title\n', "normalise „title“ ist unbekannt"),
    ('  - name: az\n    labels: ["Az."]\n    format: x\n', "Zusatzfeld: unbekannter Schlüssel „format“"),
])
def test_declaration_problems(tmp_path: Path, declaration: str, expected: str) -> None:
    found = problems(tmp_path, "custom_fields:\n" + declaration + "rules: []\n")
    assert any(expected in p for p in found), found


def test_unknown_custom_field_in_rule_has_a_hint(tmp_path: Path) -> None:
    rules = RULES.replace("field: aktenzeichen,", "field: aktenzeichn,")
    assert problems(tmp_path, rules) == [
        "rules.yaml:15: unbekanntes Feld „aktenzeichn“ (meinten Sie „aktenzeichen“?); ein "
        "Rechnungsfeld nehmen (siehe docs/rules.md) oder es unter custom_fields anlegen"]
