"""Regexes: which run with a timeout, and what a runaway pattern does to a decision."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from rules.engine import decide
from rules.patterns import MAX_INPUT_CHARS, case_probe, compile_pattern, may_backtrack_badly
from tests.test_rules_support import TODAY, load


@pytest.mark.parametrize(("pattern", "risky"), [
    (r"(?i)lebenshilfe\s+nordstadt", False),
    (r"^\d{2}\.\d{2}-\d{6}$", False),
    (r"(?i)caritas.*e\.?\s*v", False),
    (r"Nord(stadt|heim)", False),       # an alternation outside any repetition
    (r"(a+)+$", True),                  # a repetition inside a repetition
    (r"(x{2})+", True),
    (r"(a|aa)+$", True),                # an alternation inside a repetition
    (r".*a.*b.*c", True),               # more than two open-ended repetitions
    (r"\p{L}+", True),                  # syntax only the regex package knows
    (r"(x)?(?(1)a|b)", True),           # a conditional group
])
def test_risky_patterns_are_recognised(pattern: str, risky: bool) -> None:
    assert may_backtrack_badly(pattern) is risky
    assert compile_pattern(pattern).guarded is risky


RUNAWAY = """\
rules:
  - id: runaway
    name: Ausufernd
    priority: 10
    when: {field: seller_name, regex: "^(a|aa)+$"}
    route_to: becker
  - id: rest
    name: Alle übrigen
    route_to: yilmaz
"""


def test_runaway_regex_is_cut_off_and_forces_review(tmp_path: Path) -> None:
    ruleset = load(tmp_path, RUNAWAY)
    start = time.perf_counter()
    decision = decide(ruleset, {"seller_name": "a" * 40 + "b"}, today=TODAY)
    assert time.perf_counter() - start < 1.0
    assert decision.trace[0].reasons == (
        "Muster „^(a|aa)+$“ für Rechnungssteller brauchte zu lange und wurde abgebrochen; "
        "gilt als nicht passend",)
    assert (decision.outcome, decision.caseworker, decision.review_required) == \
        ("routed", "yilmaz", True)
    assert decision.explanation.endswith("Achtung: eine Musterprüfung wurde abgebrochen "
                                         "(Zeitlimit oder zu langer Wert) und gilt als nicht erfüllt.")
    fine = decide(ruleset, {"seller_name": "aaaa"}, today=TODAY)
    assert (fine.rule_id, fine.review_required) == ("runaway", False)


def test_overlong_values_are_not_searched(tmp_path: Path) -> None:
    ruleset = load(tmp_path, RUNAWAY.replace("^(a|aa)+$", "x"))
    decision = decide(ruleset, {"seller_name": "x" * (MAX_INPUT_CHARS + 1)}, today=TODAY)
    assert decision.trace[0].reasons == (
        f"Rechnungssteller ist zu lang für die Musterprüfung (über {MAX_INPUT_CHARS} Zeichen); "
        "gilt als nicht passend",)
    assert decision.review_required


def test_regex_package_syntax_works(tmp_path: Path) -> None:
    ruleset = load(tmp_path, RUNAWAY.replace("^(a|aa)+$", r"^\\p{Lu}\\p{Ll}+ Pflege"))
    assert decide(ruleset, {"seller_name": "Özdemir Pflege"}, today=TODAY).rule_id == "runaway"
    assert decide(ruleset, {"seller_name": "özdemir Pflege"}, today=TODAY).rule_id == "rest"


@pytest.mark.parametrize(("pattern", "literals", "ignore_case"), [
    (r"(?i)lebenshilfe\s+nordstadt", ("lebenshilfe", "nordstadt"), True),
    (r"(?i)Tr(ä|ae)gerverein\s+250\b", ("gerverein", "250"), True),
    (r"(?i)Straße Nord", ("stra", "e nord"), True),   # with (?i) only ASCII characters count
    (r"Nord(stadt|heim)", ("Nord",), False),
    (r"^50\.", ("50.",), False),
    (r"a?bcd", ("bcd",), False),
    (r"ab", (), False),                        # too short to be worth checking
    (r"(a+)+$", (), False),                    # runs on `regex` with a timeout instead
])
def test_required_literals(pattern: str, literals: tuple, ignore_case: bool) -> None:
    compiled = compile_pattern(pattern)
    assert (compiled.literals, compiled.ignore_case) == (literals, ignore_case)


def test_case_probe_covers_every_character_re_matches_to_ascii() -> None:
    """The literal check may only skip a search that could not match: every character
    that `re` matches to a printable ASCII character ignoring case must turn into it."""
    printable_ascii = re.compile(r"(?i)[\x20-\x7e]")
    for code in range(0x110000):
        char = chr(code)
        if printable_ascii.fullmatch(char):
            probe = case_probe(char)
            assert probe.isascii() and re.fullmatch("(?i)" + re.escape(probe), char), hex(code)


@pytest.mark.parametrize(("pattern", "text"), [
    (r"(?i)istanbul pflege", "İSTANBUL PFLEGE"),
    (r"(?i)istanbul pflege", "ıstanbul pflege"),
    (r"(?i)kassel", "\u212aASSEL"),
    (r"(?i)strasse", "ſtraſſe"),
    (r"(?i)lebenshilfe\s+nordstadt", "LEBENSHILFE   NORDSTADT"),
    (r"Nord(stadt|heim)", "Lebenshilfe Nordheim"),
])
def test_literal_check_never_hides_a_match(tmp_path: Path, pattern: str, text: str) -> None:
    assert re.search(pattern, text)
    rules = RUNAWAY.replace('"^(a|aa)+$"', f"'{pattern}'")
    decision = decide(load(tmp_path, rules), {"seller_name": text}, today=TODAY)
    assert decision.rule_id == "runaway"
