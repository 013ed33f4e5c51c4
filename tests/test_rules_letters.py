"""Letter ranges on names: DIN 5007 variant 1, name prefixes, double names."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.letters import initial_letter, parse_letter_ranges
from tests.test_rules_support import decide_one


@pytest.mark.parametrize(("name", "letter"), [
    ("Becker", "B"),
    ("becker", "B"),
    ("Ärztehaus am Markt", "A"),   # Ä is filed under A (DIN 5007 variant 1)
    ("Öztürk Pflegedienst", "O"),
    ("Übach-Palenberg Sozialstation", "U"),
    ("ßmann", "S"),                # ß is "ss"
    ("Élise Martin", "E"),         # other accents: the base letter
    ("Müller-Lüdenscheidt", "M"),  # a double name goes under its first part
    ("Lüdenscheidt-Müller", "L"),
    ("van Gogh", "G"),
    ("Van Gogh", "G"),
    ("von Weizsäcker", "W"),
    ("von der Heydt", "H"),
    ("Von  der  Leyen", "L"),
    ("van der Valk", "V"),         # after "van der" comes Valk
    ("van de Velde", "V"),
    ("de Maizière", "M"),
    ("zu Guttenberg", "G"),
    ("von Ärzten", "A"),           # prefix skipped, then the umlaut rule
    ("Vondermühl", "V"),           # not a prefix without a space
    ("Dehmel", "D"),
    ("Zuse", "Z"),
    ("Devries", "D"),
    ("von", "V"),                  # a prefix alone is the name
    ("„Haus Sonnenschein“", "H"),  # leading quotes are skipped
    ("4711", None),
    ("", None),
])
def test_initial_letter(name: str, letter: str | None) -> None:
    assert initial_letter(name) == letter


@pytest.mark.parametrize(("spec", "letters"), [
    ("A-K", "ABCDEFGHIJK"),
    ("a-c, m, X-Z", "ABCMXYZ"),
    ("M", "M"),
    (" L - N ", "LMN"),
])
def test_letter_ranges(spec: str, letters: str) -> None:
    assert parse_letter_ranges(spec) == frozenset(letters)


@pytest.mark.parametrize("spec", ["K-A", "Ä-K", "A-", "AB", "", "A-K;L-Z"])
def test_bad_letter_ranges(spec: str) -> None:
    assert parse_letter_ranges(spec) is None


@pytest.mark.parametrize(("name", "matched"), [
    ("Kaiser Pflege", True),       # K is the last letter of A-K: inclusive
    ("Lange Pflege", False),
    ("Ärztehaus", True),
    ("Über den Wolken", False),
    ("van Koppen", True),
    ("von Lindenau", False),
    ("Müller-Lüdenscheidt", False),
    ("Adler-Zimmermann", True),
])
def test_letters_condition(tmp_path: Path, name: str, matched: bool) -> None:
    decision = decide_one(tmp_path, '{field: seller_name, letters: "A-K"}', {"seller_name": name})
    assert decision.trace[0].matched is matched


def test_bad_letters_in_rules_file_is_a_problem(tmp_path: Path) -> None:
    from tests.test_rules_support import one_rule, problems
    found = problems(tmp_path, one_rule('{field: seller_name, letters: "Ä-K"}'))
    assert found == ["rules.yaml:5: 'letters' nimmt Buchstabenbereiche A-Z wie \"A-K\" oder "
                     "\"A-C, M, X-Z\" (Umlaute zählen als ihr Grundbuchstabe)"]
    found = problems(tmp_path, one_rule('{field: total_gross, letters: "A-K"}'))
    assert "„letters“ passt nicht zu „total_gross“" in found[0]
