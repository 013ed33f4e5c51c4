"""The German validation report for the sender: verdict, scenario, every finding with its
rule, German sentence, official text and place, and the versions of the rules applied - as
HTML and PDF, from `run_bot.py einvoice report FILE` (exit 0 valid, 1 invalid)."""

from __future__ import annotations

import subprocess

from einvoice.report import Report, report_html, report_of, report_pdf
from einvoice.validation import Finding, Validation
from ocr.einvoice_check import check_einvoice
from tests.conftest import SAMPLES, run_bot

UBL = (SAMPLES / "xrechnung-abendrot-2026-0461-ubl.xml").read_bytes()
BROKEN = UBL.replace(b"<cbc:BuyerReference>05999-7210-19</cbc:BuyerReference>", b"").replace(
    b'<cbc:PayableAmount currencyID="EUR">1881.89', b'<cbc:PayableAmount currencyID="EUR">1881.98')
# The rule versions the bot applies to an XRechnung in UBL (einvoice/artefacts/versions.json):
# a new release changes them on purpose, and this test with them.
XRECHNUNG_UBL_RULES = {
    "XML-Schema OASIS UBL": "2.1",
    "EN 16931 – Geschäftsregeln (CEN-Validierungsartefakte)": "1.3.15",
    "XRechnung – Schematron der KoSIT": "2.5.0",
    "Peppol BIS Billing 3 – in die XRechnung übernommene Regeln": "3.0.19",
    "KoSIT-Prüfkonfiguration (Szenarien)": "2026-01-31",
}


def _report(data: bytes, name: str = "rechnung.xml") -> Report:
    invoice, validation = check_einvoice(data)
    return report_of(name, data, validation, invoice)


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def test_the_report_pins_the_versions_of_the_rules_it_names():
    report = _report(UBL)
    assert dict(report.artefact_rows()) == XRECHNUNG_UBL_RULES
    html, text = report_html(report), _pdf_text(report_pdf(report))
    for name, version in XRECHNUNG_UBL_RULES.items():
        assert f"<td>{name}</td><td>{version}</td>" in html
        assert name in text and version in text


def test_an_invalid_invoice_report_names_each_finding_for_the_sender():
    report = _report(BROKEN)
    html, text = report_html(report), _pdf_text(report_pdf(report))
    assert "ungültig" in report.verdict and report.counts == (
        "2 Fehler, keine Warnungen, keine Hinweise")
    for document in (html, text):
        assert "EN16931 XRechnung (UBL Invoice)" in document  # the scenario
        assert "HA-2026-10-0461" in document and "BR-CO-16" in document
        assert "BR-DE-15" in document and "/Invoice/cac:LegalMonetaryTotal" in document
        assert "Der Zahlbetrag (BT-115) ist nicht Bruttobetrag (BT-112)" in document
    assert "Amtlicher Text: <span lang=\"en\">Amount due for payment (BT-115)" in html
    assert 'Das Element "Buyer reference" (BT-10) muss übermittelt werden.' in text


def test_counts_speak_german_plurals():
    def counts(*severities: str) -> str:
        findings = tuple(Finding("R", s, "x") for s in severities)
        return report_of("a.xml", b"", Validation("S", findings)).counts
    assert counts() == "keine Fehler, keine Warnungen, keine Hinweise"
    assert counts("error", "warning", "warning", "information") == (
        "1 Fehler, 2 Warnungen, 1 Hinweis")
    assert counts("error", "error", "information", "information") == (
        "2 Fehler, keine Warnungen, 2 Hinweise")


def test_a_file_without_an_invoice_gets_a_report_that_says_so():
    report = _report(b"%PDF-1.4\nnot a pdf\n%%EOF", "brief.pdf")
    [finding] = report.validation.findings
    assert (finding.rule, finding.severity) == ("KEINE-E-RECHNUNG", "error")
    assert "beschädigt" in finding.message and report.invoice is None
    assert "brief.pdf" in _pdf_text(report_pdf(report))


def test_the_command_writes_html_and_pdf_and_exits_by_the_verdict(tmp_path):
    broken = tmp_path / "rechnung.xml"
    broken.write_bytes(BROKEN)
    result = run_bot("einvoice", "report", str(broken), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and result.stdout.startswith("ungültig (2 Fehler")
    html = (tmp_path / "out" / "rechnung-pruefbericht.html").read_text(encoding="utf-8")
    assert "BR-DE-15" in html
    assert (tmp_path / "out" / "rechnung-pruefbericht.pdf").read_bytes().startswith(b"%PDF")
    valid = run_bot("einvoice", "report", str(SAMPLES / "zugferd-sanitaetshaus-vogt-2026-3402.pdf"),
                    "--out", str(tmp_path / "out"))
    assert valid.returncode == 0 and valid.stdout.startswith("gültig")
