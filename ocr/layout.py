"""Text lines with character columns, from a text layer or from OCR words.

Field extraction works on these lines for both PDFs and scans: a label and its value stand
on one line, or the value stands below the label in the same column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from ocr.model import Word

_CELL_GAP = re.compile(r"\S+(?: \S+)*")  # runs separated by two or more blanks


@dataclass(frozen=True)
class Box:
    """Where an OCR word stands: its characters text[start:end] on its line and its pixels."""

    start: int
    end: int
    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True)
class Line:
    """One visual line of a page. `confs` holds (start, end, confidence) per OCR word and
    `boxes` each OCR word's place (both empty for text layers)."""

    page: int
    index: int  # 0-based line number within its page
    text: str
    confs: tuple[tuple[int, int, float], ...] = ()
    boxes: tuple[Box, ...] = ()

    def boxes_in(self, start: int, end: int) -> list[Box]:
        """The word boxes of the characters text[start:end]."""
        return [b for b in self.boxes if b.start < end and start < b.end]

    def conf(self, start: int, end: int) -> float | None:
        """The lowest OCR confidence of the words in text[start:end]; None for text layers."""
        inside = [c for s, e, c in self.confs if s < end and start < e]
        return min(inside) if inside else None


def cells(text: str) -> list[tuple[int, int]]:
    """(start, end) of the cells of a layout line: text separated by 2+ blanks."""
    return [m.span() for m in _CELL_GAP.finditer(text)]


def lines_from_text(text: str) -> list[Line]:
    """Lines of a pdftotext -layout text; pages separated by form feeds."""
    lines = []
    for page, page_text in enumerate(text.split("\f"), start=1):
        for index, line in enumerate(page_text.split("\n")):
            lines.append(Line(page, index, line.rstrip().expandtabs()))
    return lines


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped into visual rows: a word joins the row its vertical centre falls in."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.top + w.height / 2):
        centre = word.top + word.height / 2
        row = rows[-1] if rows else None
        if row is not None:
            top = median(w.top for w in row)
            bottom = median(w.top + w.height for w in row)
            if top <= centre <= bottom:
                row.append(word)
                continue
        rows.append([word])
    return [sorted(row, key=lambda w: w.left) for row in rows]


def _char_width(words: list[Word]) -> float:
    widths = [w.width / len(w.text) for w in words if len(w.text) >= 3]
    return max(1.0, median(widths)) if widths else 10.0


def _row_line(row: list[Word], page: int, index: int, char_width: float) -> Line:
    """Words of a phrase one blank apart; after a wider gap a word goes to the column its
    left edge suggests on the page grid, at least two blanks on (a new cell)."""
    local_width = _char_width(row) if any(len(w.text) >= 3 for w in row) else char_width
    text = ""
    confs = []
    boxes = []
    right_edge = None
    for word in row:
        if right_edge is None:
            column = round(word.left / char_width)
        elif word.left - right_edge <= 1.5 * local_width:
            column = len(text) + 1
        else:
            column = max(round(word.left / char_width), len(text) + 2)
        text = text.ljust(column) + word.text
        confs.append((column, column + len(word.text), word.conf))
        boxes.append(Box(column, column + len(word.text), word.left, word.top,
                         word.left + word.width, word.top + word.height))
        right_edge = word.left + word.width
    return Line(page, index, text, tuple(confs), tuple(boxes))


def lines_from_words(words: tuple[Word, ...]) -> list[Line]:
    """Layout lines of OCR words, page by page, top to bottom."""
    lines = []
    for page in sorted({w.page for w in words}):
        page_words = [w for w in words if w.page == page]
        char_width = _char_width(page_words)
        for index, row in enumerate(_rows(page_words)):
            lines.append(_row_line(row, page, index, char_width))
    return lines
