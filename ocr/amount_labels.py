"""Where the totals are labelled: the words before each amount on its line, column headers
over amounts, and labels standing alone above their amount; each named by its role
(ocr.amount_roles) as a label hit the candidate search follows (ocr.candidates)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ocr.amount_roles import is_deduction, roles
from ocr.candidates import LabelHit
from ocr.german import find_amounts
from ocr.labels import Label
from ocr.layout import Line, cells
from ocr.parsers import CURRENCY_CODES

AMOUNT_FIELDS = ("total_net", "total_tax", "total_gross", "amount_due")
_CURRENCY_CELL = re.compile(rf"(?:{'|'.join(CURRENCY_CODES)}|€|Euro)[\s:.]*", re.IGNORECASE)
_PERCENT = re.compile(r"\s?%")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LISTED = re.compile(r"[:,;]")


@dataclass
class AmountLabels:
    """The label hits of the totals per field, and whether the document deducts anything
    (a prepayment) from its total."""

    hits: dict[str, list[LabelHit]] = field(default_factory=lambda: {f: [] for f in AMOUNT_FIELDS})
    deductions: bool = False


def _amount_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the amounts on a line, rates ('19,00 %') left out."""
    return [(a.start, a.end) for a in find_amounts(text)
            if not _PERCENT.match(text, a.end)]


def _label_cell(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The last cell in text[start:end] holding letters other than a currency; of a cell
    listing several labels with their numbers ("MwSt.-% 19,0, Frachtbetrag:") its end."""
    for cell_start, cell_end in reversed(cells(text[start:end])):
        cell = text[start + cell_start : start + cell_end]
        if any(c.isalpha() for c in cell) and not _CURRENCY_CELL.fullmatch(cell):
            numbers = list(_NUMBER.finditer(cell))
            tail = numbers[-1].end() if numbers else 0
            listed = numbers and (_LISTED.search(cell[: numbers[-1].start()])
                                  or _LISTED.match(cell[tail:].lstrip()))
            if listed and sum(c.isalpha() for c in cell[tail:]) >= 3:
                return start + cell_start + tail, start + cell_end
            return start + cell_start, start + cell_end
    return None


def _hit(found: AmountLabels, line_no: int, text: str, span: tuple[int, int],
         *, header: bool = False) -> None:
    label = text[span[0] : span[1]]
    if is_deduction(label):
        found.deductions = True
    for name, weight in roles(label, header=header):
        pattern = re.compile(re.escape(label))
        found.hits[name].append(LabelHit(Label(name, pattern, weight), line_no, *span, label,
                                         header=header))


def _on_line(found: AmountLabels, line_no: int, text: str, amounts) -> None:
    """Each amount labelled by the last cell of words before it (since the last amount)."""
    previous = 0
    for start, end in amounts:
        span = _label_cell(text, previous, start)
        if span is not None:
            _hit(found, line_no, text, span)
        previous = end


def _headers(found: AmountLabels, line_no: int, text: str) -> None:
    """A line without amounts: a header row of two or more totals (values in the columns
    under them), or one label alone on its line (its value below it)."""
    spans = cells(text)
    labelled = [span for span in spans if roles(text[span[0] : span[1]], header=True)]
    if len(labelled) >= 2 or (len(spans) == 1 and labelled):
        for span in labelled:
            _hit(found, line_no, text, span, header=True)


def amount_labels(lines: list[Line]) -> AmountLabels:
    found = AmountLabels()
    for line_no, line in enumerate(lines):
        amounts = _amount_spans(line.text)
        if amounts:
            _on_line(found, line_no, line.text, amounts)
        elif line.text.strip():
            _headers(found, line_no, line.text)
    return found
