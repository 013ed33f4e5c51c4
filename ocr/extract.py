"""extract: the contract fields of a Reading, from its XML or from its text."""

from __future__ import annotations

from collections.abc import Sequence

from einvoice.fields import contract_fields
from einvoice.parse import ParsedInvoice
from einvoice.validation import validate
from einvoice.visible_totals import visible_total_warnings
from ocr.layout import Line, lines_from_text, lines_from_words
from ocr.model import Extraction, Reading
from ocr.textfields import CandidateSource, extract_from_lines


def extract(reading: Reading, sources: Sequence[CandidateSource] = ()) -> Extraction:
    """All FIELD_NAMES (None when not found) with confidence and evidence per found field.

    E-invoices (XRechnung, ZUGFeRD) are read from their XML only; the picture of a ZUGFeRD
    invoice is not the legal invoice. Scans are read from their OCR words, text PDFs from
    the text layer. `sources` add candidates of their own, e.g. hints learned about a
    provider (ocr.textfields.extract_from_lines).
    """
    if reading.einvoice is not None:  # a ZUGFeRD's text layer: compared with the XML's totals
        visible = reading.text if reading.kind == "zugferd" else None
        return einvoice_extraction(reading.einvoice, visible_text=visible,
                                   embedded=reading.kind == "zugferd")
    return extract_from_lines(lines_of(reading), sources)


def lines_of(reading: Reading) -> list[Line]:
    """The layout lines of a scan's OCR words or of a text layer."""
    return lines_from_words(reading.words) if reading.words else lines_from_text(reading.text)


def einvoice_extraction(parsed: ParsedInvoice, *, visible_text: str | None = None,
                        embedded: bool = False) -> Extraction:
    """All contract fields of a parsed e-invoice, confidence 1.0, the XPath as evidence; the
    invoice validated with the official rules (extra: einvoice_valid, einvoice_findings,
    einvoice_validation - the contract's verdict -, einvoice_scenario), credit notes flagged
    (extra: credit_note). `visible_text` is a ZUGFeRD PDF's text layer: totals of the XML
    it does not show become a warning. `embedded`: the XML came out of a PDF."""
    found = contract_fields(parsed.invoice)
    validation = validate(parsed, embedded=embedded)
    warnings = list(found.warnings)
    warnings += [f"{f.rule}: {f.message}" for f in validation.findings
                 if f.severity == "warning"]
    if visible_text is not None:
        warnings += visible_total_warnings(found.fields, visible_text)
    return Extraction(
        fields=found.fields,
        confidence=dict.fromkeys(found.fields, 1.0),
        evidence=found.evidence,
        warnings=tuple(warnings),
        extra={
            "document_type_code": found.document_type_code,
            "syntax": parsed.syntax,
            "credit_note": parsed.invoice.is_credit_note,
            "einvoice_profile": parsed.invoice.guideline,
            "einvoice_valid": validation.valid,
            "einvoice_findings": [f.to_dict() for f in validation.findings],
            "einvoice_validation": validation.contract(),
            "einvoice_scenario": validation.scenario,
        },
    )
