"""Sections of a document: the block under a 'Käufer' / 'Rechnungsempfänger' header (values
found there, a VAT ID or a bank account, are the buyer's, not the seller's), and the
heading a label stands under ('Rechnungsdaten' makes 'Nr.:' the invoice number)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ocr.layout import Line, cells
from ocr.vocabulary import DOC, umlaut_tolerant

_DOCUMENT_HEADING = re.compile(DOC, re.IGNORECASE)
_HEADING_LINES = 6
_HEADING_CHARS = 40
_SAME_COLUMN = 3
_VALUE_GAP = 30  # a cell this close right of a label is its value

_BUYER_HEADER = re.compile(
    umlaut_tolerant(r"(?:Käufer|Rechnungsempfänger|Leistungsempfänger|Kunde|Empfänger|Bill\s+to"
                    r"|Buyer|Customer|Client|Acheteur)\b[^:]{0,30}:?"),
    re.IGNORECASE,
)
_HEADER = re.compile(r"[^\d:]{3,50}:")  # a section header alone: "Zahlungsempfänger:"
_ZONE_LINES = 10
_ZONE_WIDTH = 50


@dataclass(frozen=True)
class Zone:
    page: int
    first: int  # line indexes, inclusive
    last: int
    left: int  # columns [left, right)
    right: int

    def holds(self, page: int, index: int, column: int) -> bool:
        return (
            page == self.page
            and self.first <= index <= self.last
            and self.left <= column < self.right
        )


def _zone_end(lines: list[Line], start: int, left: int, right: int) -> int:
    """Index of the last line of a block: it ends before another header in its columns or
    at two blank lines in a row."""
    last = lines[start].index
    blank = 0
    for line in lines[start + 1 : start + 1 + _ZONE_LINES]:
        blank = blank + 1 if not line.text.strip() else 0
        if line.page != lines[start].page or blank >= 2:
            break
        inside = [line.text[s:e] for s, e in cells(line.text) if left <= s < right]
        if len(inside) == 1 and _HEADER.fullmatch(inside[0].strip()):
            break  # the next section ("Zahlungsempfänger:"), not a label with its value
        last = line.index
    return last


def _grid_label(text: str, header: str) -> bool:
    """'Kunde' in a row of labels over a row of values ('Rechnung  Datum  Kunde'): a column
    of a grid, not the heading of the buyer's block."""
    return not header.endswith(":") and len(cells(text)) >= 3 and not any(
        c.isdigit() for c in text)


def buyer_zones(lines: list[Line]) -> list[Zone]:
    """The blocks under buyer headers, as line and column ranges."""
    zones = []
    for position, line in enumerate(lines):
        spans = cells(line.text)
        for number, (start, end) in enumerate(spans):
            header = line.text[start:end].strip()
            if not _BUYER_HEADER.fullmatch(header) or _grid_label(line.text, header):
                continue
            right = spans[number + 1][0] if number + 1 < len(spans) else start + _ZONE_WIDTH
            last = _zone_end(lines, position, start - 2, right)
            if last > line.index:
                zones.append(Zone(line.page, line.index + 1, last, start - 2, right))
    return zones


def _heading_above(lines: list[Line], line_no: int, column: int) -> str | None:
    """The heading of the section a label at `column` stands in: going up its column over
    other 'label: value' lines, the first cell of words alone (no digits, no colon inside)."""
    page = lines[line_no].page
    for line in reversed(lines[max(0, line_no - _HEADING_LINES) : line_no]):
        if line.page != page:
            return None
        spans = cells(line.text)
        here = [n for n, (start, _) in enumerate(spans) if abs(start - column) <= _SAME_COLUMN]
        if not here:
            continue
        start, end = spans[here[0]]
        cell = line.text[start:end]
        beside = here[0] + 1 < len(spans) and spans[here[0] + 1][0] - end <= _VALUE_GAP
        if beside or ": " in cell or any(c.isdigit() for c in cell):
            continue  # another label with its value
        return cell if len(cell) <= _HEADING_CHARS else None
    return None


def in_context(lines: list[Line], line_no: int, column: int, context: str) -> bool:
    """Whether a label at lines[line_no] column `column` stands in a section about
    `context` ("document": headed 'Rechnung', 'Rechnungsdaten', 'Belegangaben' ...)."""
    heading = _heading_above(lines, line_no, column)
    if heading is None or context != "document":
        return False
    return bool(_DOCUMENT_HEADING.search(heading)) and not _BUYER_HEADER.search(heading)
