"""Where a field's value stands on its page, as a box relative to the page (0..1, like
ocr.word_boxes). The extraction's evidence names the page and line of a value; the value's
characters on that line are mapped to its words' boxes: a scan's OCR words (pixels of the
page image OCR read, ocr.model.PageFrame) or, for a text layer, the words pdftotext places
on the page (ocr.word_boxes). None wherever the value is not printed recognisably on that
line or its words cannot be told apart: never a box in the wrong place."""

from __future__ import annotations

import re

from ocr.anchors import value_spans
from ocr.german import slash_dates_day_first
from ocr.layout import Box, Line, lines_from_words
from ocr.model import PageFrame, Word
from ocr.word_boxes import WordBox

_TOKEN = re.compile(r"\S+")
_UNITS = 100_000  # relative positions as whole numbers for the layout's OCR words


def value_span(lines: list[Line], line: Line, field: str, value: str) -> tuple[int, int] | None:
    """The first span of `line` that reads as `value` of `field` (`lines`: the document's,
    for its date order)."""
    day_first = slash_dates_day_first("\n".join(each.text for each in lines))
    spans = value_spans(line, field, value, day_first)
    return spans[0] if spans else None


def scan_box(line: Line, span: tuple[int, int], frame: PageFrame) -> WordBox | None:
    """The box of the OCR words of line.text[span] on the page image of `frame`."""
    boxes = line.boxes_in(*span)
    if not boxes or frame.width <= 0 or frame.height <= 0:
        return None
    return _around(boxes, frame.width, frame.height, line.text[slice(*span)])


def text_box(page_lines: list[Line], line: Line, span: tuple[int, int],
             words: list[WordBox]) -> WordBox | None:
    """The box of line.text[span] of a text layer's line among `words`, the positioned words
    of the same page: the row whose words are the line's words, the one at the line's place
    among the page's lines when rows repeat."""
    tokens = [m.span() for m in _TOKEN.finditer(line.text)]
    texts = [line.text[start:end] for start, end in tokens]
    rows = [row for row in lines_from_words(tuple(_as_word(w) for w in words))
            if [row.text[b.start:b.end] for b in row.boxes] == texts]
    if not rows:
        return None
    shown = [each for each in page_lines if each.text.strip()]
    same = [each for each in shown if each.text.split() == texts]
    row = rows[same.index(line)] if len(rows) == len(same) and line in same else None
    if row is None:
        return None
    inside = [box for box, (start, end) in zip(row.boxes, tokens, strict=True)
              if start < span[1] and span[0] < end]
    return _around(inside, _UNITS, _UNITS, line.text[slice(*span)])


def _as_word(word: WordBox) -> Word:
    return Word(word.text, 1.0, round(word.x * _UNITS), round(word.y * _UNITS),
                max(1, round(word.w * _UNITS)), max(1, round(word.h * _UNITS)), 1)


def _around(boxes: list[Box], width: float, height: float, text: str) -> WordBox | None:
    if not boxes:
        return None
    left, top = min(b.left for b in boxes), min(b.top for b in boxes)
    right, bottom = max(b.right for b in boxes), max(b.bottom for b in boxes)
    return WordBox(text, left / width, top / height, (right - left) / width,
                   (bottom - top) / height)
