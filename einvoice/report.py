"""The validation report of an e-invoice, in German: what the authority sends back to the
sender with its rejection, in the spirit of KoSIT's report - the document, the verdict, the
scenario that chose the rules, every finding (rule, kind, German sentence, official text,
where in the invoice) and the versions of the rules applied.

As HTML (Jinja2, einvoice/templates/validation_report.html) and as PDF (reportlab, with the
page writer of the readable e-invoice).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from einvoice.model import EInvoice
from einvoice.pdf_page_writer import WIDTH, PageWriter, fonts_for
from einvoice.validation import Finding, Validation

KINDS = {"error": ("Fehler", "Fehler"), "warning": ("Warnung", "Warnungen"),
         "information": ("Hinweis", "Hinweise")}
ARTEFACT_NAMES = {
    "EN16931": "EN 16931 – Geschäftsregeln (CEN-Validierungsartefakte)",
    "XRechnung": "XRechnung – Schematron der KoSIT",
    "Peppol-BIS-Billing": "Peppol BIS Billing 3 – in die XRechnung übernommene Regeln",
    "KoSIT-Konfiguration": "KoSIT-Prüfkonfiguration (Szenarien)",
    "UBL": "XML-Schema OASIS UBL",
    "CII": "XML-Schema UN/CEFACT CII",
    "CII-D22B": "XML-Schema UN/CEFACT CII",
    "Factur-X": "Factur-X / ZUGFeRD – Profilregeln",
    "ZUGFeRD-1.0": "XML-Schema ZUGFeRD 1.0",
}
_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(default=True), trim_blocks=True,
                         lstrip_blocks=True)


@dataclass(frozen=True)
class Report:
    """What the report says: the document checked, when, and the verdict."""

    file_name: str
    sha256: str
    checked_at: datetime
    validation: Validation
    invoice: EInvoice | None = None  # None: the file is no readable e-invoice

    @property
    def verdict(self) -> str:
        if self.validation.valid:
            return "Die E-Rechnung ist nach den angewandten amtlichen Regeln gültig."
        return ("Die E-Rechnung ist nach den angewandten amtlichen Regeln ungültig. Bitte "
                "korrigieren Sie die genannten Fehler und senden Sie die Rechnung erneut.")

    @property
    def counts(self) -> str:
        """'2 Fehler, 1 Warnung, keine Hinweise'."""
        parts = []
        for severity, (one, many) in KINDS.items():
            number = sum(1 for f in self.validation.findings if f.severity == severity)
            parts.append(f"keine {many}" if number == 0
                         else f"{number} {one if number == 1 else many}")
        return ", ".join(parts)

    def document_rows(self) -> list[tuple[str, str]]:
        invoice = self.invoice
        rows = [("Datei", self.file_name), ("SHA-256", self.sha256),
                ("Geprüft am", self.checked_at.strftime("%d.%m.%Y, %H:%M Uhr"))]
        if invoice is not None:
            rows += [("Rechnungsnummer (BT-1)", invoice.number or "–"),
                     ("Rechnungsdatum (BT-2)", _german_date(invoice.issue_date)),
                     ("Verkäufer (BT-27)", invoice.seller.name or "–"),
                     ("Spezifikation (BT-24)", invoice.guideline or "–")]
        return rows + [("Prüfszenario", self.validation.scenario)]

    def artefact_rows(self) -> list[tuple[str, str]]:
        return [(f"{ARTEFACT_NAMES.get(name, name)}", version)
                for name, version in self.validation.artefacts.items()]


def _german_date(iso: str | None) -> str:
    try:
        return datetime.strptime(iso or "", "%Y-%m-%d").strftime("%d.%m.%Y")
    except ValueError:
        return "–"


def report_of(file_name: str, data: bytes, validation: Validation,
              invoice: EInvoice | None = None, checked_at: datetime | None = None) -> Report:
    """The report on the file `file_name` with the bytes `data` (the original: an XML, or the
    PDF an XML came out of)."""
    return Report(file_name, hashlib.sha256(data).hexdigest(), checked_at or datetime.now(),
                  validation, invoice)


def kind_of(finding: Finding) -> str:
    return KINDS.get(finding.severity, (finding.severity,))[0]


def report_html(report: Report) -> str:
    return _TEMPLATES.get_template("validation_report.html").render(
        report=report, kind_of=kind_of)


def _path_lines(path: str, width: int = 60) -> str:
    """An XPath broken at its steps into lines of at most about `width` characters."""
    lines, line = [], ""
    for step in path.split("/")[1:]:
        if line and len(line) + len(step) + 1 > width:
            lines.append(line)
            line = ""
        line += "/" + step
    return "\n".join(lines + [line]) if path else ""


def _finding_cell(finding: Finding) -> str:
    text = finding.message
    if finding.official and finding.official != finding.message:
        text += f"\nAmtlicher Text: {finding.official}"
    if finding.location:
        text += "\nFundstelle: " + _path_lines(finding.location)
    return text


def report_pdf(report: Report) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle("Prüfbericht E-Rechnung")
    findings = report.validation.findings
    everything = " ".join([report.file_name, *(v for _, v in report.document_rows()),
                           *(_finding_cell(f) for f in findings)])
    out = PageWriter(canvas, fonts_for(everything.encode("utf-8")))
    out.text("Prüfbericht E-Rechnung", size=16, bold=True, gap=4)
    out.heading("Ergebnis")
    out.text(report.verdict, bold=True, gap=2)
    out.text(f"Befund: {report.counts}.", gap=2)
    out.heading("Geprüftes Dokument")
    out.pairs(report.document_rows(), label_width=WIDTH * 0.3)
    if findings:
        out.heading("Befunde")
        widths = (WIDTH * 0.06, WIDTH * 0.2, WIDTH * 0.12, WIDTH * 0.62)
        out.table(("Nr.", "Regel", "Art", "Beschreibung"), widths,
                  [(str(n), f.rule, kind_of(f), _finding_cell(f))
                   for n, f in enumerate(findings, 1)])
    out.heading("Angewandte Prüfregeln")
    out.pairs(report.artefact_rows(), label_width=WIDTH * 0.7)
    out.text("Erstellt vom Rechnungseingangs-Bot. Die Regeln sind die veröffentlichten "
             "Prüfartefakte der genannten Stellen in den genannten Versionen.", size=7.5)
    out.finish_page()
    canvas.save()
    return buffer.getvalue()
