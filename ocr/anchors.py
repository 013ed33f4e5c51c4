"""Where a known value is printed, and the words that lead to it (its anchor): what the bot
learns when a clerk types a field, and how it reads the same field on the provider's next
invoice. Pure functions over layout lines (ocr.layout); storing what was learned is the
bots' business."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from ocr import parsers
from ocr.candidates import Candidate, Parser, line_end, next_cell_end
from ocr.german import find_amounts, find_dates, slash_dates_day_first
from ocr.identifiers import find_ibans, find_vat_ids
from ocr.layout import Line, cells
from ocr.parsers import CURRENCY_CODES

AMOUNT_FIELDS = ("total_net", "total_tax", "total_gross", "amount_due")
DATE_FIELDS = ("issue_date", "due_date")
# Fields read after an anchor; the seller's name is known by its printed name instead.
ANCHORED_FIELDS = ("invoice_number", *DATE_FIELDS, "buyer_reference", "order_reference",
                   "seller_vat_id", "iban", *AMOUNT_FIELDS)
NAME_FIELD = "seller_name"
SAME_LINE_SCORE = 0.93
BELOW_SCORE = 0.9
NAME_SCORE = 0.95
_NAME_SIMILARITY = 90  # rapidfuzz partial ratio of a printed name to the learned one (OCR)
_DISTANCE_PENALTY = 0.004  # per line between the anchor's place and where it was learned
# A label's word: letters (with '.', '-', ':'), or a VAT rate ('19', '7,00', '%').
_LABEL_WORD = re.compile(r"[^\W\d_][^\s\d]*|\d{1,2}(?:[,.]\d{1,2})?%?|%")
_CURRENCY = re.compile(rf"{'|'.join(CURRENCY_CODES)}|€|Euro", re.IGNORECASE)
_LABEL_WORDS = 4
_MIN_LETTERS = 3
_ABOVE_LINES = 3
_NEAR_GAP = 12  # blanks between a label and its value on one line; further: a label above wins


@dataclass(frozen=True)
class Anchor:
    """How a field is found on a provider's invoices: after the words `label` on their line
    (or under them, `below`), near line `line` and character column `column` of `page`.
    For the seller's name, `label` is empty and `name` holds the name as printed."""

    field: str
    label: str
    below: bool
    page: int
    line: int
    column: int
    name: str = ""


def _norm(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def value_spans(line: Line, field: str, value: str, day_first: bool) -> list[tuple[int, int]]:
    """Spans of `line` that read as `value` of `field`."""
    text = line.text
    if field in AMOUNT_FIELDS:
        return [(f.start, f.end) for f in find_amounts(text)
                if f.value.lstrip("-") == value.lstrip("-")]
    if field in DATE_FIELDS:
        return [(f.start, f.end) for f in find_dates(text, day_first=day_first)
                if f.value == value]
    if field == "iban":
        return [(f.start, f.end) for f in find_ibans(text, checked=False) if f.value == value]
    if field == "seller_vat_id":
        return [(f.start, f.end) for f in find_vat_ids(text, find_ibans(text))
                if f.value == value]
    pattern = r"\s*".join(re.escape(part) for part in value.split())
    return [m.span() for m in re.finditer(rf"(?<![\w/-]){pattern}(?![\w/-])", text,
                                           re.IGNORECASE)]


def _words_before(text: str) -> str:
    """The label words at the end of `text`'s last cell of words: letters and rates, no
    other digits ('Beleg-Nr.:', 'USt. 19 %'); a currency standing between is passed over."""
    label: list[str] = []
    for start, end in reversed(cells(text)):
        for word in reversed(text[start:end].split()):
            if not label and _CURRENCY.fullmatch(word.strip("()[]")):
                continue  # 'Gesamt  EUR 119,00', 'Total (EUR)': the currency is no label
            if not _LABEL_WORD.fullmatch(word) or len(label) == _LABEL_WORDS:
                return _enough(label)
            label.insert(0, word)
        if label:
            break
    return _enough(label)


def _enough(words: list[str]) -> str:
    joined = " ".join(words)
    return joined if sum(c.isalpha() for c in joined) >= _MIN_LETTERS else ""


def _label_above(lines: list[Line], line_no: int, start: int) -> tuple[str, int] | None:
    """A cell of label words over the value's column, on one of the lines just above."""
    seen = 0
    for other in range(line_no - 1, -1, -1):
        line = lines[other]
        if line.page != lines[line_no].page or seen == _ABOVE_LINES:
            return None
        if not line.text.strip():
            continue
        seen += 1
        for cell_start, cell_end in cells(line.text):
            if cell_start - 2 <= start < cell_end + 2:
                label = _words_before(line.text[:cell_end])
                return (label, other) if label else None
    return None


def _anchor_at(lines: list[Line], field: str, line_no: int, span: tuple[int, int]
               ) -> Anchor | None:
    line = lines[line_no]
    before = line.text[: span[0]]
    label = _words_before(before)
    near = len(before) - len(before.rstrip()) <= _NEAR_GAP
    above = _label_above(lines, line_no, span[0])
    if label and (near or not above):
        return Anchor(field, label, False, line.page, line.index, span[0])
    if above:
        label, label_no = above
        return Anchor(field, label, True, line.page, lines[label_no].index, span[0])
    return None


def learn_anchor(lines: list[Line], field: str, value: str) -> Anchor | None:
    """Where `value` of `field` stands on these lines and the words that lead to it — only
    an anchor that, read back on the same lines, gives this very value."""
    if field == NAME_FIELD:
        return _learn_name(lines, value)
    if field not in ANCHORED_FIELDS or not value:
        return None
    day_first = slash_dates_day_first("\n".join(line.text for line in lines))
    order = list(enumerate(lines))
    if field in AMOUNT_FIELDS:
        order.reverse()  # totals stand below the items that may show the same amount
    for line_no, line in order:
        for span in value_spans(line, field, value, day_first):
            anchor = _anchor_at(lines, field, line_no, span)
            if anchor and any(c.value.lstrip("-") == value.lstrip("-")
                              for c in read_anchor(lines, anchor)[:1]):
                return anchor
    return None


def _learn_name(lines: list[Line], name: str) -> Anchor | None:
    for line in lines:
        if _name_on(line, name):
            return Anchor(NAME_FIELD, "", False, line.page, line.index, 0, name)
    return None


def _name_on(line: Line, name: str) -> bool:
    wanted, printed = _norm(name), _norm(line.text)
    if len(wanted) < 4 or not printed:
        return False
    return wanted in printed or (len(printed) >= len(wanted) * 0.8
                                 and fuzz.partial_ratio(wanted, printed) >= _NAME_SIMILARITY)


def _label_pattern(label: str) -> re.Pattern:
    """The label's words as printed, blanks and separators between them loosened (OCR)."""
    words = [re.escape(word.rstrip(".:")) for word in label.split()]
    return re.compile(r"(?<!\w)" + r"[\s.:]*".join(words) + r"[.:]?", re.IGNORECASE)


def _parser(field: str, day_first: bool) -> tuple[Parser, Callable[[str, int], int]]:
    if field in AMOUNT_FIELDS:
        return parsers.amount, line_end
    if field in DATE_FIELDS:
        return parsers.date_parser(day_first=day_first), next_cell_end
    if field == "iban":
        return parsers.iban, line_end
    if field == "seller_vat_id":
        return parsers.vat_id, next_cell_end
    if field == "buyer_reference":
        return parsers.reference, next_cell_end
    return parsers.identifier, next_cell_end


def _cells_below(lines: list[Line], line_no: int, start: int
                 ) -> Iterator[tuple[Line, int, int]]:
    seen = 0
    for line in lines[line_no + 1:]:
        if line.page != lines[line_no].page or seen == _ABOVE_LINES:
            return
        if not line.text.strip():
            continue
        seen += 1
        for cell_start, cell_end in cells(line.text):
            if cell_end > start - 2:
                yield line, cell_start, cell_end
                break


def _found(anchor: Anchor, line: Line, value: tuple[int, int, str], score: float,
           label_line: Line) -> Candidate:
    start, end, text = value
    ocr = line.conf(start, end)
    if ocr is not None:
        score *= 0.5 + 0.5 * ocr
    score -= _DISTANCE_PENALTY * min(25, abs(label_line.index - anchor.line))
    where = ", below" if anchor.below else ""
    return Candidate(anchor.field, text, round(score, 3),
                     f"learned anchor '{anchor.label}' p{line.page} l{line.index + 1}{where}",
                     line.page, line.index, not anchor.below, start)


def read_anchor(lines: list[Line], anchor: Anchor) -> list[Candidate]:
    """The field's value after (or under) each place its anchor is printed, the place
    nearest to where it was learned first."""
    if anchor.field == NAME_FIELD:
        return [Candidate(NAME_FIELD, anchor.name, NAME_SCORE, f"learned name p{line.page} "
                          f"l{line.index + 1}", line.page, line.index)
                for line in lines if _name_on(line, anchor.name)][:1]
    day_first = slash_dates_day_first("\n".join(line.text for line in lines))
    parse, reach = _parser(anchor.field, day_first)
    pattern = _label_pattern(anchor.label)
    found = []
    for line_no, line in enumerate(lines):
        if line.page != anchor.page:
            continue
        for match in pattern.finditer(line.text):
            found += _after(lines, line_no, match, anchor, parse, reach)
    return sorted(found, key=lambda c: -c.score)


def _after(lines: list[Line], line_no: int, match: re.Match, anchor: Anchor, parse: Parser,
           reach) -> list[Candidate]:
    line = lines[line_no]
    if not anchor.below:
        value = parse(line.text, match.end(), reach(line.text, match.end()))
        return [_found(anchor, line, value, SAME_LINE_SCORE, line)] if value else []
    for below, start, end in _cells_below(lines, line_no, match.start()):
        value = parse(below.text, start, end)
        if value:
            return [_found(anchor, below, value, BELOW_SCORE, line)]
    return []
