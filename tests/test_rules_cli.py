"""`run_bot.py rules check|test`: the shipped rule tests pass and cover every shipped rule;
a failing case is reported in plain words with exit 1; a malformed tests file with file:line;
and what caseworkers and clerks read: the review mark, explanations in `exceptions show`."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from bots.rule_admin.examples import RuleCase, load_cases, run_case
from bots.rule_admin.queues import queue_of
from bots.storage.ledger import Ledger
from rules.loader import RulesConfigError, load_ruleset
from tests.conftest import REPO, SAMPLES, run_bot, write_bot_config
from tests.test_rules_docs import DOC, blocks, directory
from tests.test_rules_support import DIRECTORY, write

RULES = REPO / "config" / "rules.yaml"
CASEWORKERS = REPO / "config" / "caseworkers.yaml"
TESTS = REPO / "config" / "rules.tests.yaml"
TODAY = date(2026, 6, 15)


def _shipped():
    ruleset = load_ruleset(RULES, CASEWORKERS)
    return ruleset, load_cases(TESTS, ruleset)


def test_shipped_rule_tests_pass_on_the_command_line(tmp_path: Path) -> None:
    result = run_bot("--config", str(write_bot_config(tmp_path)), "rules", "test", timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    ruleset, cases = _shipped()
    assert result.stdout.count("\n  ok ") == len(cases) >= 15
    assert f"{len(cases)} Regeltests: alle bestanden." in result.stdout
    assert "FEHLER" not in result.stdout


def test_shipped_rule_tests_pin_their_day_so_a_real_absence_changes_nothing(tmp_path: Path):
    """Anna Becker and Jan Wagner absent from yesterday for ten days (a real holiday entered
    in the directory): the shipped tests decide on their file's `today`, and still pass."""
    data = yaml.safe_load(CASEWORKERS.read_text(encoding="utf-8"))
    for person in data["caseworkers"]:
        if person["id"] in ("becker", "wagner"):
            person.setdefault("absences", []).append(
                {"from": date.today() - timedelta(days=1), "to": date.today() + timedelta(days=10)})
    directory = tmp_path / "caseworkers.yaml"
    directory.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
    result = run_bot("--config", str(write_bot_config(tmp_path)), "rules", "test",
                     "--caseworkers", str(directory), timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    ruleset, cases = _shipped()
    assert all(case.today for case in cases)
    four_eyes = [r for r in (run_case(ruleset, case, TODAY) for case in cases)
                 if r.decision.rule_id == "vogt-ab-5000-euro"]  # "prüft die Teamleitung"
    assert four_eyes and all(r.decision.review_required for r in four_eyes)


def test_shipped_tests_cover_every_rule_the_sample_providers_and_a_deputy() -> None:
    ruleset, cases = _shipped()
    results = [run_case(ruleset, case, TODAY) for case in cases]
    assert all(r.passed for r in results), [r.failures for r in results if not r.passed]
    deciding = {r.decision.rule_id for r in results}
    assert deciding >= {rule.id for rule in ruleset.rules}
    assert {"no_rule", "team:eingliederungshilfe", "team:hilfe-zur-pflege"} <= {r.queue for r in
                                                                                results}
    deputies = [r for r in results if r.case.today and "vertreten durch" in
                r.decision.explanation]
    assert {r.queue for r in deputies} >= {"hoffmann", "wagner"}
    vat_ids = {r.case.fields.get("seller_vat_id") for r in results}
    assert {"DE811234565", "DE294875315", "DE305128747", "DE125937461", "DE268453192",
            "DE341209871"} <= vat_ids  # every provider of samples/


def test_a_failing_case_is_reported_in_plain_words_with_exit_1(tmp_path: Path) -> None:
    changed = tmp_path / "rules.yaml"
    changed.write_text(RULES.read_text(encoding="utf-8").replace(
        "route_to: wagner", "route_to: schneider"), encoding="utf-8")
    result = run_bot("--config", str(write_bot_config(tmp_path)), "rules", "test",
                     "--rules", str(changed), timeout=60)
    assert result.returncode == 1, result.stderr
    line = 1 + TESTS.read_text(encoding="utf-8").splitlines().index(
        '  - name: "Haus Abendrot, XRechnung (UBL)"')
    assert f"  FEHLER  Zeile {line}: Haus Abendrot, XRechnung (UBL)\n" in result.stdout
    assert "erwartet wagner, ergibt schneider" in result.stdout
    assert "Zuständig ist Petra Schneider." in result.stdout
    assert "(haus-abendrot, Priorität 100) trifft zu:" in result.stdout
    assert "17 Regeltests: 16 bestanden, 1 fehlgeschlagen." in result.stdout


def test_malformed_tests_file_lists_every_problem_with_file_and_line(tmp_path: Path) -> None:
    rules, directory = write(tmp_path, """\
        rules:
          - id: lebenshilfe
            name: Lebenshilfe
            when: {field: seller_vat_id, equals: "DE811234565"}
            route_to: becker
        """)
    tests = tmp_path / "rules.tests.yaml"
    tests.write_text(textwrap.dedent("""\
        tests:
          - name: Tippfehler im Feld
            invoice: {seller_vat: "DE811234565"}
            expect: becker
          - name: Betrag deutsch geschrieben
            invoice: {total_gross: "5.000,00"}
            expect: beker
          - name: Team ohne Präfix
            invoice: {seller_name: X}
            expect: eingliederungshilfe
            rule: lebenshilfee
          - name: Datum
            invoice: {issue_date: 01.03.2026}
            today: morgen
            review: vielleicht
            expected: becker
          - invoice: {}
        """), encoding="utf-8")
    with pytest.raises(RulesConfigError) as caught:
        load_cases(tests, load_ruleset(rules, directory))
    found = [f"{Path(p.file).name}:{p.line}: {p.message}" for p in caught.value.problems]
    expected = [
        "rules.tests.yaml:3: unbekanntes Feld „seller_vat“ (meinten Sie „seller_vat_id“?)",
        "rules.tests.yaml:6: total_gross: Beträge mit Punkt",
        "rules.tests.yaml:7: expect „beker“ ist kein Ziel dieser Regeln (meinten Sie „becker“?)",
        "rules.tests.yaml:10: expect „eingliederungshilfe“ ist kein Ziel dieser Regeln (für ein "
        "Team \"team:eingliederungshilfe\" schreiben)",
        "rules.tests.yaml:11: die Regel „lebenshilfee“ gibt es nicht (meinten Sie "
        "„lebenshilfe“?)",
        "rules.tests.yaml:12: Test: „expect“ fehlt",
        "rules.tests.yaml:13: issue_date: Daten als JJJJ-MM-TT schreiben",
        "rules.tests.yaml:14: today: Daten als JJJJ-MM-TT schreiben",
        "rules.tests.yaml:15: 'review' nimmt true oder false",
        "rules.tests.yaml:16: Test: unbekannter Schlüssel „expected“",
        "rules.tests.yaml:17: Test: „name“ fehlt",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in found), (start, found)


@pytest.mark.parametrize(("text", "line", "message"), [
    ("tests:\n  - name: [x\n", 3, "kein gültiges YAML"),
    ("- name: x\n", 1, "Testdatei: hier gehören Zeilen"),
    ("tests: []\n", 1, "'tests' ist leer"),
    ("checks:\n  - name: x\n", 1, "Testdatei: unbekannter Schlüssel „checks“"),
])
def test_a_tests_file_that_is_no_list_of_tests(tmp_path: Path, text: str, line: int,
                                               message: str) -> None:
    rules, directory = write(tmp_path, "rules:\n  - {id: r, name: R, route_to: becker}\n")
    tests = tmp_path / "t.yaml"
    tests.write_text(text, encoding="utf-8")
    with pytest.raises(RulesConfigError) as caught:
        load_cases(tests, load_ruleset(rules, directory))
    assert any(p.line == line and message in p.message for p in caught.value.problems), \
        caught.value.problems


def test_malformed_tests_file_on_the_command_line_is_exit_2_with_file_line(tmp_path):
    tests = tmp_path / "rules.tests.yaml"
    tests.write_text("tests:\n  - name: x\n    invoice: {seller_vat: DE1}\n    expect: becker\n",
                     encoding="utf-8")
    result = run_bot("--config", str(write_bot_config(tmp_path)), "rules", "test", "--tests",
                     str(tests), timeout=60)
    assert result.returncode == 2
    assert f"{tests}:3: unbekanntes Feld „seller_vat“" in result.stderr


CUSTOM_RULES = """\
    custom_fields:
      - name: aktenzeichen
        labels: ["Aktenzeichen", "Az."]
        pattern: "\\\\d{2}\\\\.\\\\d{2}-\\\\d{6}"
    rules:
      - id: amt-50
        name: "Aktenzeichen des Amtes 50"
        priority: 10
        when: {field: aktenzeichen, regex: "^50\\\\."}
        route_to: becker
        labels: [amt-50]
        review_above: 5000
      - id: pflege-team
        name: "Hilfe zur Pflege"
        when: {field: buyer_reference, equals: "05315-71-65"}
        route_to_team: hilfe_zur_pflege
    """


@pytest.mark.parametrize(("invoice", "today", "expect", "review", "passed"), [
    ({"aktenzeichen": "50.12-004711", "total_gross": 6200}, None, "becker", True, True),
    ({"aktenzeichen": "50.12-004711", "total_gross": 6200}, None, "becker", False, False),
    ({"aktenzeichen": "50.12-004711", "total_gross": "80.00"}, None, "becker", False, True),
    ({"aktenzeichen": "50.12-004711"}, "2026-12-24", "yilmaz", None, True),  # deputy
    ({"aktenzeichen": "51.12-004711"}, None, "no_rule", None, True),
    ({"buyer_reference": "05315-71-65"}, None, "team:hilfe_zur_pflege", None, True),
    ({"buyer_reference": "05315-71-65"}, None, "schulz", None, False),
])
def test_cases_with_custom_fields_review_and_teams(tmp_path, invoice, today, expect, review,
                                                   passed) -> None:
    ruleset = load_ruleset(*write(tmp_path, CUSTOM_RULES, DIRECTORY))
    lines = ["tests:", "  - name: Beispiel", f"    invoice: {invoice!r}", f"    expect: {expect}"]
    lines += [f"    today: {today}"] if today else []
    lines += [f"    review: {str(review).lower()}"] if review is not None else []
    tests = tmp_path / "rules.tests.yaml"
    tests.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [case] = load_cases(tests, ruleset)
    result = run_case(ruleset, case, TODAY)
    assert result.passed == passed, result.failures
    if review is not None and not passed:
        assert "erwartet keine Prüfung vor der Zahlung, ergibt eine" in result.failures


def test_queue_of_names_teams_and_outcomes(tmp_path: Path) -> None:
    ruleset = load_ruleset(*write(tmp_path, CUSTOM_RULES, DIRECTORY))
    case = RuleCase(1, "x", {"buyer_reference": "05315-71-65"}, None, "team:hilfe_zur_pflege")
    result = run_case(ruleset, case, TODAY)
    assert result.decision.caseworker == "schulz"  # the member; the queue is the team
    assert queue_of(result.decision, ruleset) == "team:hilfe_zur_pflege"


def test_rules_check_says_ok_or_lists_problems(tmp_path: Path) -> None:
    config = write_bot_config(tmp_path)
    ok = run_bot("--config", str(config), "rules", "check", timeout=60)
    assert ok.returncode == 0 and ok.stdout.startswith("In Ordnung:"), ok.stderr
    broken = tmp_path / "rules.yaml"
    broken.write_text("rules:\n  - id: x\n    name: X\n    route_to: nobody\n", encoding="utf-8")
    bad = run_bot("--config", str(config), "rules", "check", "--rules", str(broken), timeout=60)
    assert bad.returncode == 2
    assert f"{broken}:4: " in bad.stderr and "nobody" in bad.stderr
    labelled = tmp_path / "labelled.yaml"  # the German label docs/rules.md shows
    labelled.write_text(RULES.read_text(encoding="utf-8").replace(
        "field: total_gross", "field: Rechnungsbetrag"), encoding="utf-8")
    bad = run_bot("--config", str(config), "rules", "check", "--rules", str(labelled), timeout=60)
    assert bad.returncode == 2
    assert "unbekanntes Feld „Rechnungsbetrag“ („Rechnungsbetrag“ ist die Bezeichnung des " \
           "Feldes „total_gross“: field: total_gross schreiben)" in bad.stderr
    assert bad.stderr.startswith("Fehler: die Regeln sind fehlerhaft:")


def test_rules_check_checks_values_as_their_fields_are_checked(tmp_path: Path) -> None:
    """A VAT ID, IBAN or Leitweg-ID whose check digits are wrong is a typing mistake in a
    rule (no correct invoice carries it): refused with file:line, in German, with the
    pattern to write when invoices really carry it."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(textwrap.dedent("""\
        rules:
          - id: vat
            name: Falsche USt-IdNr.
            when: {field: seller_vat_id, equals: "DE811234567"}
            route_to: becker
          - id: iban
            name: Falsche IBAN
            when: {field: iban, one_of: ["DE67414500750031044711", "DE67 4145 0075 0031 0447 12"]}
            route_to: becker
          - id: leitweg
            name: Falsche Leitweg-ID
            when: {field: buyer_reference, equals: "05999-7120-96"}
            route_to: becker
        """), encoding="utf-8")
    bad = run_bot("--config", str(write_bot_config(tmp_path)), "rules", "check", "--rules",
                  str(rules), timeout=60)
    assert bad.returncode == 2
    problems = [line for line in bad.stderr.splitlines() if line.startswith(str(rules))]
    assert problems == [
        f"{rules}:4: „DE811234567“ ist keine gültige USt-IdNr. (die Prüfziffer stimmt nicht "
        "oder die Form passt nicht) – vertippt? Tragen die Rechnungen wirklich diese Nummer, "
        'schreiben Sie sie als Muster: regex: "^DE811234567$"',
        f"{rules}:8: „DE67414500750031044712“ ist keine gültige IBAN (die Prüfziffer stimmt "
        "nicht oder die Form passt nicht) – vertippt? Tragen die Rechnungen wirklich diese "
        'Nummer, schreiben Sie sie als Muster: regex: "^DE67414500750031044712$"',
        f"{rules}:12: „05999-7120-96“ ist keine gültige Leitweg-ID (die Prüfziffer stimmt "
        "nicht oder die Form passt nicht) – vertippt? Tragen die Rechnungen wirklich diese "
        'Nummer, schreiben Sie sie als Muster: regex: "^05999-7120-96$"',
    ]


# -- what caseworkers and clerks read: the review mark and the explanations ---------------------

def _config_with_review_and_an_absence(tmp_path: Path) -> Path:
    """Albers' invoices above 500 € need a review; Jan Wagner is away today without deputy."""
    rules, caseworkers = tmp_path / "rules.yaml", tmp_path / "caseworkers.yaml"
    rules.write_text(RULES.read_text(encoding="utf-8").replace(
        "    route_to: yilmaz\n", "    route_to: yilmaz\n    labels: [dolmetschen]\n"
                                 "    review_above: 500\n").replace(
        "    route_to: wagner\n", "    route_to: wagner\n    labels: [pflege]\n"),
        encoding="utf-8")
    today = date.today()
    caseworkers.write_text(CASEWORKERS.read_text(encoding="utf-8").replace(
        "    team: hilfe-zur-pflege\n\n  - id: neumann",
        f"    team: hilfe-zur-pflege\n    absences:\n      - {{from: {today}, to: {today}}}\n"
        "\n  - id: neumann"), encoding="utf-8")
    return write_bot_config(tmp_path, settle_seconds=0.2,
                            extra={"rules": str(rules), "caseworkers": str(caseworkers)})


def test_review_required_is_filed_with_the_mark_and_exceptions_explain_each_rule(tmp_path):
    config = _config_with_review_and_an_absence(tmp_path)
    for name in ("xrechnung-dolmetscher-albers-2026-117-cii.xml",
                 "xrechnung-abendrot-2026-0461-ubl.xml", "rechnung-regenbogen-2026-031.pdf"):
        (tmp_path / "inbox" / name).write_bytes((SAMPLES / name).read_bytes())
    result = run_bot("--config", str(config), "run", "--once", "--json", "--full-names",
                     timeout=120)
    assert result.returncode == 0, result.stderr
    outcomes = {o["file"]: o for o in json.loads(result.stdout)}
    albers = outcomes["xrechnung-dolmetscher-albers-2026-117-cii.xml"]
    assert (albers["outcome"], albers["caseworker"]) == ("filed", "yilmaz")

    # filed into the queue anyway, marked in the sidecar and in the ledger
    sidecar = json.loads(
        (tmp_path / "var" / "efile" / "yilmaz" / f"{albers['document_id']}.json").read_text())
    decision = sidecar["decision"]
    assert decision["review_required"] is True and decision["labels"] == ["dolmetschen"]
    assert sidecar["review_required"] is True and sidecar["labels"] == ["dolmetschen"]
    assert "Prüfung erforderlich: Betrag 539,74 € liegt über 500,00 €." in \
        decision["explanation"]
    ledger = Ledger(tmp_path / "var" / "ledger.sqlite3")
    row = ledger.get(albers["document_id"])
    assert row.state == "filed" and row.decision["decision"]["review_required"] is True
    decided = [a for a in ledger.audit_rows(row.id) if a["event"] == "decided"]
    assert decided[0]["detail"] == {"rule_id": "dolmetscher-albers", "queue": "yilmaz",
                                    "review_required": True, "labels": ["dolmetschen"]}

    # no rule: every rule with the conditions that failed
    regenbogen = outcomes["rechnung-regenbogen-2026-031.pdf"]
    shown = run_bot("--config", str(config), "exceptions", "show",
                    regenbogen["document_id"][:6], timeout=60).stdout  # the id's start will do
    assert shown.startswith(f"Ausnahme {regenbogen['document_id']} – keine Regel (no_rule)\n")
    assert "Uhr  Bot  eingegangen\n" in shown and "Art: PDF mit Textebene," in shown
    assert "Regeln (höchste Priorität zuerst):" in shown
    assert ("  Regel „Lebenshilfe Nordstadt: ambulant unterstütztes Wohnen "
            "(Eingliederungshilfe)“ (lebenshilfe-nordstadt, Priorität 100) trifft nicht zu:\n"
            "    - USt-IdNr. ist DE341209871, erwartet DE811234565\n") in shown
    assert "(leitweg-eingliederungshilfe, Priorität 10) trifft nicht zu:\n" \
           "    - Leitweg-ID fehlt" in shown

    # no deputy: the deciding rule, its labels and the absence
    abendrot = outcomes["xrechnung-abendrot-2026-0461-ubl.xml"]
    assert abendrot["reason"] == "no_deputy"
    shown = run_bot("--config", str(config), "exceptions", "show", abendrot["document_id"],
                    timeout=60).stdout
    assert f"Jan Wagner ist abwesend bis {date.today():%d.%m.%Y}, und keine Vertretung ist " \
           "anwesend." in shown
    assert "Entscheidende Regel: haus-abendrot\nKennzeichen: pflege\n" in shown
    assert "(haus-abendrot, Priorität 100) trifft zu:\n    - USt-IdNr. ist DE305128747" in shown
    assert "Nicht geprüft, weil eine Regel mit höherer Priorität zutrifft: " \
           "leitweg-eingliederungshilfe, leitweg-hilfe-zur-pflege" in shown


def test_the_rule_tests_example_of_docs_rules_md_passes(tmp_path: Path) -> None:
    [example] = re.findall(r"^```yml rules-tests\n(.*?)^```", DOC.read_text(encoding="utf-8"),
                           re.M | re.S)
    first_rules = next(body for _, marker, body in blocks() if marker == "example")
    ruleset = load_ruleset(*write(tmp_path, first_rules, directory()))
    tests = tmp_path / "rules.tests.yaml"
    tests.write_text(example, encoding="utf-8")
    results = [run_case(ruleset, case, TODAY) for case in load_cases(tests, ruleset)]
    assert len(results) == 4 and all(r.passed for r in results), [r.failures for r in results]
