"""Every YAML example in docs/rules.md loads, and decides as its '# Probe:' lines say.

Fenced blocks are marked after the language: ```yaml caseworkers (the directory all
examples use), ```yaml example (a rules file; '# Probe[ am DATE]: {fields} -> result'
lines are decided), ```yaml example-error (a rules file that must be refused with each
'# Meldung: ...' text) and ```yaml condition (one condition, loaded inside a rule).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from rules.engine import decide
from rules.loader import RulesConfigError
from tests.test_rules_support import TODAY, load

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
BLOCK = re.compile(r"^```yaml(?: (?P<marker>\S+))?\n(?P<body>.*?)^```", re.M | re.S)
PROBE = re.compile(r"^# Probe(?: am (?P<day>\d{4}-\d{2}-\d{2}))?: (?P<fields>\{.*\}) -> (?P<result>\S+)$",
                   re.M)
NOT_ROUTED = ("no_rule", "ambiguous", "no_deputy")


def blocks() -> list[tuple[int, str | None, str]]:
    text = DOC.read_text(encoding="utf-8")
    return [(text[:m.start()].count("\n") + 1, m.group("marker"), m.group("body"))
            for m in BLOCK.finditer(text)]


def directory() -> str:
    found = [body for _, marker, body in blocks() if marker == "caseworkers"]
    assert len(found) == 1, "docs/rules.md needs exactly one ```yaml caseworkers block"
    return found[0]


def test_every_yaml_block_is_marked_and_there_are_examples() -> None:
    markers = [marker for _, marker, _ in blocks()]
    assert set(markers) <= {"caseworkers", "example", "example-error", "condition"}, markers
    assert markers.count("example") >= 10 and "example-error" in markers


@pytest.mark.parametrize(("line", "body"), [(line, body) for line, marker, body in blocks()
                                             if marker == "example"])
def test_example_loads_and_decides_as_shown(tmp_path: Path, line: int, body: str) -> None:
    ruleset = load(tmp_path, body, directory())
    probes = list(PROBE.finditer(body))
    assert probes, f"the example on line {line} has no '# Probe:' line"
    for probe in probes:
        today = date.fromisoformat(probe.group("day")) if probe.group("day") else TODAY
        fields = yaml.safe_load(probe.group("fields"))
        decision = decide(ruleset, fields, today=today)
        result = probe.group("result")
        got = decision.outcome if result in NOT_ROUTED else decision.caseworker
        assert got == result, f"line {line}: {probe.group(0)}\n{decision.explanation}"
        assert result in NOT_ROUTED or decision.outcome == "routed"


@pytest.mark.parametrize(("line", "body"), [(line, body) for line, marker, body in blocks()
                                             if marker == "example-error"])
def test_error_example_is_refused_as_shown(tmp_path: Path, line: int, body: str) -> None:
    messages = re.findall(r"^# Meldung: (.+)$", body, re.M)
    assert messages, f"the example on line {line} has no '# Meldung:' line"
    with pytest.raises(RulesConfigError) as caught:
        load(tmp_path, body, directory())
    for message in messages:
        assert message in str(caught.value)


@pytest.mark.parametrize(("line", "body"), [(line, body) for line, marker, body in blocks()
                                             if marker == "condition"])
def test_condition_example_loads(tmp_path: Path, line: int, body: str) -> None:
    when = "\n".join("      " + text for text in body.splitlines())
    rules = f"rules:\n  - id: r\n    name: R\n    when:\n{when}\n    route_to: becker\n"
    assert load(tmp_path, rules, directory()).rules[0].condition.field
