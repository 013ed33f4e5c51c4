"""Candidate values for a field: found after a printed label, on its line or below it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ocr import proximity, sections
from ocr.labels import BY_FIELD, Label
from ocr.layout import Line, cells
from ocr.parsers import CURRENCY_CODES, SEPARATOR_CHARS

CURRENCY_CELL = re.compile(rf"(?:{'|'.join(CURRENCY_CODES)}|€|Euro)[\s:.]*", re.IGNORECASE)
SAME_LINE = 1.0
NEAR = 0.95  # right of the label, a little lower (OCR words)
BELOW = 0.85
SPECIFIC = 0.9  # labels at least this strong are followed below and to the next line
_BELOW_LINES = 2  # non-empty lines looked at under a label
_COLUMN_LINES = 8  # non-empty lines of a column of amounts
_COLUMN_SLACK = 2


@dataclass(frozen=True)
class Candidate:
    """A possible value of `field` and how much it is believed (0..1)."""

    field: str
    value: str
    score: float
    evidence: str
    page: int = 0
    line: int = 0
    same_line: bool = True  # found on its label's line (not below it)
    column: int = 0  # where the value starts on its line


# A parser looks for a value in text[start:end] and returns (start, end, value) or None.
Parser = Callable[[str, int, int], "tuple[int, int, str] | None"]
# Where the value after a label may end on the label's line: f(text, label_end) -> end.
Reach = Callable[[str, int], int]


@dataclass(frozen=True)
class LabelHit:
    label: Label
    line_no: int  # index into the document's line list
    start: int
    end: int
    text: str
    header: bool = False  # a column header: its value stands below it, however generic


def label_hits(lines: list[Line], field: str) -> list[LabelHit]:
    """Every occurrence of a label of `field` where it counts (its context, the start of a
    cell if anchored); a weak label is dropped where a strong label of another field covers
    it ("Datum" inside "Fälligkeitsdatum"). A label filling a cell of a header row (a line
    of labels only) is marked as a column header."""
    hits = []
    for line_no, line in enumerate(lines):
        on_line: list[LabelHit] = []
        for label in BY_FIELD[field]:
            for match in label.pattern.finditer(line.text):
                if label.context and not sections.in_context(
                        lines, line_no, match.start(), label.context):
                    continue
                if label.anchored and not _starts_cell(line.text, match.start()):
                    continue
                if label.weight < 1.0 and _covered_by_other(line.text, field, match):
                    continue
                header = _fills_header_cell(line.text, match)
                on_line.append(LabelHit(label, line_no, match.start(), match.end(),
                                        match.group(), header))
        hits += _longest(on_line)
    return hits


def _starts_cell(text: str, start: int) -> bool:
    return not text[:start].strip() or text[max(0, start - 2) : start] == "  "


def _fills_header_cell(text: str, match: re.Match) -> bool:
    """The label is a whole cell of a line of two or more cells without digits."""
    spans = cells(text)
    if len(spans) < 2 or any(c.isdigit() for c in text):
        return False
    return any(start == match.start() and text[match.end() : end].strip(" :.") == ""
               for start, end in spans)


def _longest(hits: list[LabelHit]) -> list[LabelHit]:
    """Of overlapping hits on one line keep the longest ('Bestellung Nr.' over 'Bestellung'),
    of equally long ones the strongest."""
    kept: list[LabelHit] = []
    for hit in sorted(hits, key=lambda h: (h.end - h.start, h.label.weight), reverse=True):
        if not any(k.start < hit.end and hit.start < k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def _covered_by_other(text: str, field: str, match: re.Match) -> bool:
    """True when a strong label of another field overlaps `match`; a label spanning a
    value ("Rechnung 0457/26 vom" before a date) covers no word inside it."""
    start, end = match.span()
    return any(
        m.start() < end and start < m.end() and not any(c.isdigit() for c in m.group())
        for other, labels in BY_FIELD.items()
        if other != field
        for label in labels
        if label.weight >= 1.0
        for m in label.pattern.finditer(text)
    )


# What may stand between a label and its value in the label's own cell: separators, a
# remark in brackets, "Nr." ("Gutschrift (Selbst ausgestellte Rechnung) Nr.   471102").
_LABEL_REST = re.compile(
    rf"{SEPARATOR_CHARS}*(?:\([^()]{{0,60}}\){SEPARATOR_CHARS}*)?"
    r"(?:(?:nr|no|nummer|number|n°)\.?[\s:#]*)?",
    re.IGNORECASE,
)


def next_cell_end(text: str, pos: int) -> int:
    """Reach of an identifier or date: the rest of the label's cell if it holds more than
    separators ("Rechnung Nr. 123"), else the next cell ("Rechnungsnummer:   123")."""
    spans = [span for span in cells(text) if span[1] > pos]
    if not spans:
        return len(text)
    first_start, first_end = spans[0]
    if first_start >= pos or not _LABEL_REST.fullmatch(text[pos:first_end]):
        return first_end
    return spans[1][1] if len(spans) > 1 else first_end


def line_end(text: str, pos: int) -> int:
    """Reach of an amount: the whole rest of the line."""
    return len(text)


def _below(
    lines: list[Line], hit: LabelHit, depth: int, *, contiguous: bool
) -> Iterator[tuple[Line, int, int]]:
    """Cells under a label: on each of the next `depth` non-empty lines of its page, the
    first cell that reaches into the label's column. With `contiguous`, a line with nothing
    in that column ends the column."""
    label_line = lines[hit.line_no]
    seen = 0
    for line in lines[hit.line_no + 1 :]:
        if line.page != label_line.page or line.index - label_line.index > 2 * depth:
            return
        if not line.text.strip():
            continue
        seen += 1
        if seen > depth:
            return
        reaching = [(s, e) for s, e in cells(line.text) if e > hit.start - _COLUMN_SLACK]
        if reaching:
            yield line, reaching[0][0], reaching[0][1]
        elif contiguous:
            return


def _first_below(lines: list[Line], hit: LabelHit, parse: Parser):
    for line, start, end in _below(lines, hit, _BELOW_LINES, contiguous=False):
        value = parse(line.text, start, end)
        if value is not None:
            return line, value
    return None


def _column_of_values(lines: list[Line], hit: LabelHit, parse: Parser) -> bool:
    """Two or more values under a header: a column of a table."""
    values = [place for place in _below(lines, hit, _BELOW_LINES, contiguous=True)
              if parse(place[0].text, place[1], place[2]) is not None]
    return len(values) >= 2


def _labelled_row(text: str, start: int) -> bool:
    """A cell of words stands right before text[start:] (a row with a label of its own)."""
    before = [text[s:e] for s, e in cells(text[:start])]
    return bool(before) and sum(c.isalpha() for c in before[-1]) >= 3 and not (
        CURRENCY_CELL.fullmatch(before[-1].strip()))


def column_values(lines: list[Line], hit: LabelHit, parse: Parser) -> list:
    """(line, value) of the run of values under a column header, top down; a row with a
    label of its own ("Gesamtsumme  53,63") ends the run."""
    run = []
    for line, start, end in _below(lines, hit, _COLUMN_LINES, contiguous=True):
        value = parse(line.text, start, end)
        if value is not None and _labelled_row(line.text, start):
            break
        if value is None and run:
            break
        if value is not None:
            run.append((line, value))
    return run


def _column_below(lines: list[Line], hit: LabelHit, parse: Parser):
    """The last value of the run of values under a column header (the column's total)."""
    run = column_values(lines, hit, parse)
    return run[-1] if run else None


def _first_parsed(places, parse: Parser):
    """(line, value) of the first place (line, start, end) where `parse` finds a value."""
    for line, start, end in places:
        value = parse(line.text, start, end)
        if value is not None:
            return line, value
    return None


def labelled(
    lines: list[Line], field: str, parse: Parser, reach: Reach, *, column: bool = False,
    hits: list[LabelHit] | None = None,
) -> list[Candidate]:
    """Candidates for `field`: the value after each of its labels (`hits`, by default those
    of ocr.labels) on the same line, else near it by the OCR words' places (right of it,
    then below it), else below it by character columns: the first value, or with `column`
    the last of a column of values. Generic labels are followed below only as headers."""
    found = []
    for hit in label_hits(lines, field) if hits is None else hits:
        line = lines[hit.line_no]
        value = parse(line.text, hit.end, reach(line.text, hit.end))
        if value is not None:
            found.append(_candidate(field, value, hit, line, SAME_LINE))
            continue
        label = proximity.place_of(line.boxes_in(hit.start, hit.end))
        near = label and not column and not hit.header and _first_parsed(
            proximity.right_of(lines, hit.line_no, label), parse)
        if near:
            found.append(_candidate(field, near[1], hit, near[0], NEAR))
            continue
        if hit.label.context or (hit.label.weight < SPECIFIC and not hit.header):
            continue  # a generic word ("Summe", "Datum") is not followed below
        if hit.header and hit.label.weight < SPECIFIC and _column_of_values(lines, hit, parse):
            continue  # a table's column ("Datum" over the days of service), not one value
        if label and not column:
            below = _first_parsed(proximity.below(lines, hit.line_no, label), parse)
        else:
            below = (_column_below if column else _first_below)(lines, hit, parse)
        below = below or _first_parsed(_wrapped(lines, hit), parse)
        if below is not None:
            found.append(_candidate(field, below[1], hit, below[0], BELOW))
    return found


def _next_to(line: Line, after: Line) -> bool:
    """The next line follows right below (OCR lines: within two line heights)."""
    if not (line.boxes and after.boxes):
        return after.index == line.index + 1
    height = max(b.bottom - b.top for b in line.boxes)
    gap = min(b.top for b in after.boxes) - max(b.bottom for b in line.boxes)
    return gap <= 2 * height


def _wrapped(lines: list[Line], hit: LabelHit) -> Iterator[tuple[Line, int, int]]:
    """A label that ends its line, in running text: the value starts the next line
    ("... auf folgende Bankverbindung: IBAN" / "DE75 1234 ...")."""
    line = lines[hit.line_no]
    if line.text[hit.end :].strip(" :") or hit.line_no + 1 >= len(lines):
        return
    after = lines[hit.line_no + 1]
    if after.page == line.page and after.text.strip() and _next_to(line, after):
        start = len(after.text) - len(after.text.lstrip())
        yield after, start, len(after.text)


def _candidate(
    field: str, value: tuple[int, int, str], hit: LabelHit, line: Line, factor: float
) -> Candidate:
    start, end, text = value
    score = 0.55 + 0.3 * hit.label.weight * factor
    ocr = line.conf(start, end)
    if ocr is not None:
        score *= 0.5 + 0.5 * ocr
    where = {SAME_LINE: "", NEAR: ", right of it", BELOW: ", below"}[factor]
    label = " ".join(hit.text.split())
    evidence = f"label '{label}' p{line.page} l{line.index + 1}{where}"
    return Candidate(
        field, text, score, evidence, line.page, line.index, factor == SAME_LINE, start
    )


def unlabelled(
    field: str, value: str, line: Line, span: tuple[int, int], score: float, what: str
) -> Candidate:
    """A candidate found by its shape alone (an IBAN in the footer), OCR-weighted."""
    ocr = line.conf(*span)
    if ocr is not None:
        score *= 0.5 + 0.5 * ocr
    evidence = f"{what} p{line.page} l{line.index + 1}"
    return Candidate(field, value, score, evidence, line.page, line.index, True, span[0])
