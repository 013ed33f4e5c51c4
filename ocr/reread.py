"""Text lines Tesseract's page layout left out, read again.

On a phone photo Tesseract's layout analysis drops whole lines it takes for pictures or
lines: bold values in a boxed header that touch the box's side, a label between two
rules. They are found as print with no word read surely on it, taken out of the page
without the table rules (ocr.table_rules), stacked one under the other on a white page and
read in one more Tesseract run as a block of text; what it reads surely goes back to its
place on the page, in place of the unsure words there.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from ocr.model import Word
from ocr.quality import LETTER_PX_AT_300
from ocr.table_rules import INK, without_rules
from ocr.tesseract import CONFIDENT_WORD, ocr_words

_BLOCK = 900  # block numbers of the words read again start here

Box = tuple[int, int, int, int]  # left, top, right, bottom


def _letter(dpi: int) -> int:
    """Pixels of a typical letter at `dpi`."""
    return max(4, round(LETTER_PX_AT_300 * dpi / 300))


def _unread_ink(image: np.ndarray, words: tuple[Word, ...], letter: int) -> np.ndarray:
    """The print (1) on which no word was read surely."""
    ink = (image < INK).astype(np.uint8)
    pad = letter // 4
    for word in words:
        if word.conf >= CONFIDENT_WORD:
            ink[max(0, word.top - pad) : word.top + word.height + pad,
                max(0, word.left - pad) : word.left + word.width + pad] = 0
    return ink


def dropped_lines(image: np.ndarray, words: tuple[Word, ...], dpi: int) -> list[Box]:
    """Boxes of text lines with print but no sure word: the print joined along its line,
    as high as a line of letters and at least two letters wide."""
    letter = _letter(dpi)
    ink = _unread_ink(image, words, letter)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (letter, max(1, letter // 6)))
    _, _, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(ink, kernel), connectivity=8)
    return [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[1:]
            if 0.5 * letter <= h <= 3 * letter and w >= 2 * letter]


def _stacked(image: np.ndarray, boxes: list[Box], gap: int) -> tuple[np.ndarray, list]:
    """The boxes' contents (with a margin) one under the other on a white page, and where
    each one went: (top on the stack, its box on the page)."""
    height, width = image.shape
    places, top = [], gap
    for left, upper, right, lower in boxes:
        box = (max(0, left - gap // 2), max(0, upper - gap // 4),
               min(width, right + gap // 2), min(height, lower + gap // 4))
        places.append((top, box))
        top += box[3] - box[1] + gap
    stack = np.full((top, max(b[2] - b[0] for _, b in places) + 2 * gap), 255, np.uint8)
    for at, (left, upper, right, lower) in places:
        stack[at : at + lower - upper, gap : gap + right - left] = image[upper:lower, left:right]
    return stack, places


def _placed(found: tuple[Word, ...], places: list, gap: int) -> list[Word]:
    """The words read surely on the stack, moved back to their place on the page."""
    words = []
    for word in found:
        if word.conf < CONFIDENT_WORD or not any(char.isalnum() for char in word.text):
            continue
        centre = word.top + word.height / 2
        for number, (at, (left, upper, _, lower)) in enumerate(places):
            if at <= centre < at + lower - upper:
                words.append(replace(word, left=word.left - gap + left, top=word.top - at + upper,
                                     block=_BLOCK + number, line=1))
                break
    return words


def _inside(word: Word, other: Word) -> bool:
    """The centre of `word` lies in the box of `other`."""
    x, y = word.left + word.width / 2, word.top + word.height / 2
    return other.left <= x <= other.left + other.width and other.top <= y <= other.top + other.height


def read_dropped(image: np.ndarray, words: tuple[Word, ...], page: int, *, lang: str,
                 dpi: int, binary: bool) -> tuple[Word, ...]:
    """The page's words with the lines Tesseract left out read again (unchanged where none
    were left out); an unsure word where a sure one was read again gives way to it."""
    cleaned = without_rules(image, dpi)
    boxes = dropped_lines(cleaned, words, dpi)
    if not boxes:
        return words
    gap = _letter(dpi)
    stack, places = _stacked(cleaned, boxes, gap)
    found = _placed(ocr_words(stack, page, lang=lang, dpi=dpi, binary=binary), places, gap)
    kept = [word for word in words if word.conf >= CONFIDENT_WORD or not any(
        _inside(word, new) or _inside(new, word) for new in found)]
    return (*kept, *found)
