"""Where the totals are labelled: the words before each amount on its line, column headers
over amounts, and labels standing alone above their amount; each named by its role
(ocr.amount_roles) as a label hit the candidate search follows (ocr.candidates)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ocr import parsers
from ocr.amount_roles import is_deduction, roles
from ocr.candidates import BELOW, CURRENCY_CELL, Candidate, LabelHit, column_values
from ocr.german import find_amounts
from ocr.labels import Label
from ocr.layout import Line, cells

AMOUNT_FIELDS = ("total_net", "total_tax", "total_gross", "amount_due")
_PERCENT = re.compile(r"\s?%")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LISTED = re.compile(r"[:,;]")
_SUM_FACTOR = 0.95


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
        if any(c.isalpha() for c in cell) and not CURRENCY_CELL.fullmatch(cell):
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


def column_sums(lines: list[Line], hits: list[LabelHit]) -> list[Candidate]:
    """Under a column header of a total, rows without a total row (a VAT breakdown by rate
    with no sum line): their sum, as a candidate beside the last row's value."""
    found = []
    for hit in hits:
        if not hit.header:
            continue
        run = column_values(lines, hit, parsers.amount)
        values = [Decimal(value[2]) for _, value in run]
        if len(values) >= 2 and values[-1] != sum(values[:-1]):
            line = run[-1][0]
            score = (0.55 + 0.3 * hit.label.weight * BELOW) * _SUM_FACTOR
            found.append(Candidate(hit.label.field, f"{sum(values):.2f}", score,
                                   f"sum of the column '{hit.text}' p{line.page} l{line.index + 1}",
                                   line.page, line.index, False, run[0][1][0]))
    return found
