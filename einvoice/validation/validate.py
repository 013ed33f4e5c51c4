"""Validate an e-invoice as KoSIT's validator does: choose the scenario for the document,
check its XML schema, then - when the schema holds - run the scenario's official Schematron
rules (Saxon-HE), each finding's severity as the rule flags it or the scenario's customLevel
overrides it. Any finding of severity 'error' makes the e-invoice invalid.

How a Schematron finding's severity is read: the flag 'fatal' or 'error' is an error,
'warning' a warning, 'information' information; without a flag a failed assert is an
error and a successful report a warning (the Factur-X profiles report elements their
profile does not use that way, which FeRD's validator shows as a notice).
"""

from __future__ import annotations

from lxml import etree

from einvoice.parse import ParsedInvoice
from einvoice.validation.artefacts import resource_path
from einvoice.validation.finding import Finding, Validation
from einvoice.validation.german import german
from einvoice.validation.saxon import PySaxonApiError, engine
from einvoice.validation.scenarios import Resource, Scenario, scenarios, selector
from einvoice.validation.schema import schema_findings
from einvoice.validation.svrl import Assertion, assertions
from einvoice.validation.zugferd1 import zugferd1_findings

_FLAGS = {"fatal": "error", "error": "error", "warning": "warning",
          "information": "information", "info": "information"}
FACTURX_REPORT = "FX-SCH-REPORT"  # a Factur-X report without an id of its own


def _document(saxon, parsed: ParsedInvoice):
    """The invoice parsed by Saxon: UTF-8 as it is, any other encoding as the text lxml
    read (Saxon parses bytes of other encodings less forgivingly than lxml)."""
    encoding = (parsed.root.getroottree().docinfo.encoding or "UTF-8").upper()
    if encoding in ("UTF-8", "UTF8", "US-ASCII", "ASCII"):
        return saxon.parse_utf8(parsed.xml)
    return saxon.parse_text(etree.tostring(parsed.root, encoding="unicode"))


def _severity(assertion: Assertion, levels: dict[str, str]) -> str:
    level = levels.get(assertion.rule or "")
    if level:
        return _FLAGS.get(level, "error")
    if assertion.flag:
        return _FLAGS.get(assertion.flag.lower(), "error")
    return "warning" if assertion.report else "error"


def _finding(assertion: Assertion, resource: Resource, levels: dict[str, str]) -> Finding:
    rule = assertion.rule or (FACTURX_REPORT if resource.artefact == "Factur-X"
                              else f"{resource.artefact}-REPORT")
    return Finding(rule, _severity(assertion, levels),
                   german(rule, assertion.text, resource.artefact), official=assertion.text,
                   location=assertion.location, artefact=resource.artefact)


def _schematron_findings(parsed, scenario: Scenario, document) -> list[Finding]:
    saxon, found = engine(), []
    for resource in scenario.schematrons:
        try:
            svrl = saxon.transform(resource_path(resource.location), document)
        except PySaxonApiError as exc:  # a rule that cannot be evaluated on this document
            found.append(Finding("SCHEMATRON", "error",
                                 f"Die Prüfung mit den Regeln {resource.name} brach ab.",
                                 official=" ".join(str(exc).split())[:300],
                                 artefact=resource.artefact))
            continue
        found += [_finding(a, resource, scenario.levels)
                  for a in assertions(svrl, parsed.root)]
    return found


def _scenario(document, embedded: bool) -> Scenario:
    """The first scenario whose match holds, in order (the project's fallbacks match every
    UBL and CII invoice and ZUGFeRD 1.0)."""
    return scenarios()[engine().first_match(selector(), document, embedded)]


def validate(parsed: ParsedInvoice, *, embedded: bool = False) -> Validation:
    """The verdict on a parsed e-invoice; `embedded`: its XML came out of a PDF (the
    Factur-X / ZUGFeRD profile rules apply)."""
    saxon = engine()
    with saxon.lock:
        try:
            document = _document(saxon, parsed)
        except PySaxonApiError as exc:  # what lxml read, Saxon's stricter parser refused
            return Validation("–", (Finding(
                "XML", "error", "Die XML-Datei ist für die Prüfung nicht lesbar.",
                official=" ".join(str(exc).split())[:300]),))
        scenario = _scenario(document, embedded)
        findings = list(schema_findings(parsed.root, scenario.schema))
        if not findings:
            findings += _schematron_findings(parsed, scenario, document)
    findings += _project_findings(parsed, scenario)
    return Validation(scenario.name, tuple(findings), scenario.artefacts())


def _project_findings(parsed: ParsedInvoice, scenario: Scenario) -> list[Finding]:
    """The bot's own additions: ZUGFeRD 1.0's sums; for EN 16931 documents without a KoSIT
    scenario, why (an XRechnung version KoSIT's configuration does not check is refused,
    as KoSIT refuses it)."""
    invoice = parsed.invoice
    if parsed.syntax == "zugferd1":
        return list(zugferd1_findings(invoice))
    if not scenario.fallback:
        return []
    guideline = invoice.guideline or ""
    if "xrechnung" in guideline.lower():
        return [Finding(
            "XRECHNUNG-VERSION", "error",
            f"Die Spezifikationskennung (BT-24) „{guideline}“ nennt eine XRechnung-Version, "
            "die nicht mehr angenommen wird; gültig ist XRechnung 3.0 – bitte eine "
            "XRechnung 3.0 anfordern.", location=invoice.sources.get("BT-24", ""),
            artefact="KoSIT-Konfiguration")]
    return [Finding(
        "KEIN-SZENARIO", "information",
        f"Für die Spezifikationskennung (BT-24) „{guideline or 'fehlt'}“ hat die "
        "KoSIT-Konfiguration kein Prüfszenario; geprüft sind das XML-Schema und die Regeln "
        "der EN 16931.", artefact="KoSIT-Konfiguration")]
