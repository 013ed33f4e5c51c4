"""Names of parties by the shape of their address: the sender line above the address window
("Pflegedienst Lindenhof GmbH · Hauptstr. 5 · 12345 Musterstadt"), the same line in a
footer, and address blocks (a name over a street and a postcode with its town).

A name is what stands before the street: no digits, no bank, no court, no contact data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ocr.layout import Line, cells
from ocr.vocabulary import LETTER

# Separators of a sender line: middle dots, bars, bullets, dashes, commas (OCR reads a
# middle dot as a dot, a colon, a hyphen or a guillemet now and then).
_SEPARATOR = re.compile(r"\s+[·|•»«:\-–—]\s+|\s*[·•|]\s*|,\s+|\s+\.\s+")
_POSTCODE_TOWN = re.compile(rf"^(?:[A-Z]{{1,2}}-)?\d{{4,5}}\s+[{LETTER}]")
_STREET = re.compile(
    rf"(?:stra(?:ß|ss)e|str\.|weg|allee|platz|ring|gasse|damm|ufer|markt|chaussee|pfad"
    rf"|rue|avenue|road|street|postfach)\b.*\d|^[{LETTER}.\- ]+\s\d+\s?[a-z]?$",
    re.IGNORECASE)
_SENDER_PREFIX = re.compile(r"^(?:Abs(?:ender)?\.?:?|Absender:|Exp(?:éditeur)?\.?:?)\s*",
                            re.IGNORECASE)
_NOT_A_NAME = re.compile(
    r"bank|sparkasse|kreditinstitut|girozentrale|amtsgericht|registergericht|gesch[äa]ftsf"
    r"|inhaber|vorstand|steuer\s?-?\s?(?:nr|nummer|id)|ust-?id|telefon|\btel\b|\bfax\b|e-mail|www\.|@|\biban\b|\bbic\b"
    r"|seite|page|rechnung|invoice|facture|postfach", re.IGNORECASE)
_NAME_WORDS = 8
_BLOCK_LINES = 3


@dataclass(frozen=True)
class Found:
    """A name and where it stands: line index into the document's lines, character span."""

    name: str
    line_no: int
    start: int
    end: int


def name_shape(text: str) -> str | None:
    """`text` as a party's name, if it looks like one: letters, a few words, no digits."""
    name = " ".join(_SENDER_PREFIX.sub("", text.strip()).split()).strip(" ,;:-–")
    if not 3 <= len(name) <= 80 or not name[0].isalpha() or any(c.isdigit() for c in name):
        return None
    if len(name.split()) > _NAME_WORDS or _NOT_A_NAME.search(name):
        return None
    return name


def _segments(text: str) -> list[tuple[int, int]]:
    """Spans of the parts of a line between sender-line separators."""
    spans, start = [], 0
    for match in _SEPARATOR.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def sender_names(lines: list[Line]) -> Iterator[Found]:
    """The first part of every line that reads name, (street,) postcode and town."""
    for line_no, line in enumerate(lines):
        for cell_start, cell_end in cells(line.text):
            text = line.text[cell_start:cell_end]
            parts = _segments(text)
            towns = [n for n, (s, e) in enumerate(parts) if _POSTCODE_TOWN.match(text[s:e])]
            if len(parts) < 2 or not towns or towns[0] == 0 or towns[0] > 2:
                continue
            start, end = parts[0]
            name = name_shape(text[start:end])
            if name and not _STREET.search(text[start:end]):
                yield Found(name, line_no, cell_start + start, cell_start + end)


def _column_cell(line: Line, column: int) -> tuple[int, int] | None:
    for start, end in cells(line.text):
        if abs(start - column) <= 2:
            return start, end
    return None


def _is_address_below(lines: list[Line], line_no: int, column: int) -> bool:
    """A street (or none) and then a postcode with its town under lines[line_no]."""
    below = [ln for ln in lines[line_no + 1 : line_no + 1 + _BLOCK_LINES]
             if ln.page == lines[line_no].page]
    for line in below:
        span = _column_cell(line, column)
        if span is None:
            return False
        text = line.text[span[0] : span[1]]
        if _POSTCODE_TOWN.match(text):
            return True
        if not _STREET.search(text):
            return False
    return False


def block_names(lines: list[Line]) -> Iterator[Found]:
    """Names heading an address block: a name over a street over a postcode and town."""
    for line_no, line in enumerate(lines):
        for start, end in cells(line.text):
            name = name_shape(line.text[start:end])
            if name and _is_address_below(lines, line_no, start):
                yield Found(name, line_no, start, end)
