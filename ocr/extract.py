"""extract: the contract fields of a Reading, from its XML or from its text."""

from __future__ import annotations

from einvoice.fields import extract_einvoice
from ocr.layout import lines_from_text, lines_from_words
from ocr.model import Extraction, Reading
from ocr.textfields import extract_from_lines


def extract(reading: Reading) -> Extraction:
    """All FIELD_NAMES (None when not found) with confidence and evidence per found field.

    E-invoices (XRechnung, ZUGFeRD) are read from their XML only; the picture of a ZUGFeRD
    invoice is not the legal invoice. Scans are read from their OCR words, text PDFs from
    the text layer.
    """
    if reading.xml is not None:  # a ZUGFeRD's text layer: compared with the XML's totals
        visible = reading.text if reading.kind == "zugferd" else None
        return extract_einvoice(reading.xml, visible_text=visible)
    lines = lines_from_words(reading.words) if reading.words else lines_from_text(reading.text)
    return extract_from_lines(lines)
