"""Shared helpers for the rules tests: write YAML to files and load or decide with them."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from rules.engine import decide
from rules.loader import RulesConfigError, load_ruleset
from rules.model import Decision, RuleSet

TODAY = date(2026, 6, 15)

DIRECTORY = """\
caseworkers:
  - id: becker
    name: Anna Becker
    team: eingliederungshilfe
    deputies: [yilmaz]
    absences:
      - {from: 2026-12-21, to: 2027-01-03}
  - id: yilmaz
    name: Mehmet Yilmaz
    team: eingliederungshilfe
  - id: schulz
    name: Jana Schulz
    team: hilfe_zur_pflege
teams:
  - id: eingliederungshilfe
    name: Eingliederungshilfe
    distribution: round_robin
  - id: hilfe_zur_pflege
    name: Hilfe zur Pflege
    distribution: fewest_open
"""

INVOICE = {
    "invoice_number": "RE-4711", "issue_date": "2026-03-01", "due_date": None,
    "buyer_reference": "05315-71-65", "order_reference": None,
    "seller_name": "Lebenshilfe Nordstadt gGmbH", "seller_vat_id": "DE811234565",
    "iban": "DE02120300000000202051", "currency": "EUR",
    "total_net": "5210.08", "total_tax": "989.92", "total_gross": "6200.00",
    "amount_due": "6200.00", "document_type_code": "380", "kind": "pdf-text", "source": "folder",
}


def write(folder: Path, rules: str, directory: str = DIRECTORY) -> tuple[Path, Path]:
    """Write rules.yaml and caseworkers.yaml (dedented) into ``folder``."""
    rules_path, directory_path = folder / "rules.yaml", folder / "caseworkers.yaml"
    rules_path.write_text(textwrap.dedent(rules), encoding="utf-8")
    directory_path.write_text(textwrap.dedent(directory), encoding="utf-8")
    return rules_path, directory_path


def load(folder: Path, rules: str, directory: str = DIRECTORY) -> RuleSet:
    return load_ruleset(*write(folder, rules, directory))


def problems(folder: Path, rules: str, directory: str = DIRECTORY) -> list[str]:
    """The problems as 'file-name:line: message' strings; fails if the files load."""
    try:
        load(folder, rules, directory)
    except RulesConfigError as error:
        return [f"{Path(p.file).name}:{p.line}: {p.message}" for p in error.problems]
    raise AssertionError("the configuration loaded, but problems were expected")


def one_rule(when: str, extra: str = "") -> str:
    """A rules file with one rule 'r' routed to becker, ``when`` indented under it."""
    body = textwrap.indent(textwrap.dedent(when).strip(), " " * 6)
    return f"rules:\n  - id: r\n    name: Regel R\n    when:\n{body}\n    route_to: becker\n{extra}"


def decide_one(folder: Path, when: str, fields: dict, today: date = TODAY) -> Decision:
    return decide(load(folder, one_rule(when)), fields, today=today)
