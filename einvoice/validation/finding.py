"""What validation finds, and its verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "information")


@dataclass(frozen=True)
class Finding:
    """One finding: the official rule id (e.g. 'BR-CO-10', 'BR-DE-15'; 'XSD' for the XML
    schema), its severity after the scenario's overrides ('error' makes the e-invoice
    invalid), a German sentence for the clerk, the official text as published (English or
    German), where in the invoice (an XPath) and which artefact's rule it is."""

    rule: str
    severity: str
    message: str
    official: str = ""
    location: str = ""
    artefact: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "official": self.official, "location": self.location,
                "artefact": self.artefact}


def _unique(rules) -> list[str]:
    return list(dict.fromkeys(rules))


@dataclass(frozen=True)
class Validation:
    """The verdict on one e-invoice: the scenario that chose the rules, every finding, and
    the versions of the artefacts applied (name -> version)."""

    scenario: str
    findings: tuple[Finding, ...] = ()
    artefacts: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not any(finding.severity == "error" for finding in self.findings)

    @property
    def errors(self) -> list[str]:
        """Rule ids of the fatal findings, each once, in the order found."""
        return _unique(f.rule for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> list[str]:
        """Rule ids of the other findings (warnings and information), each once."""
        return _unique(f.rule for f in self.findings if f.severity != "error")

    def contract(self) -> dict:
        """The `validation` object of `run_bot.py extract --json` (DESIGN.md, Contracts)."""
        return {"valid": self.valid, "errors": self.errors, "warnings": self.warnings,
                "artefacts": dict(self.artefacts)}
