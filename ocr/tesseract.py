"""Tesseract: the words of one page image with boxes and confidences (TSV output).

Tesseract runs through pytesseract as its own process on an uncompressed PGM (or 1-bit PBM)
file we write (a PNG, pytesseract's default for arrays, costs more to write than it saves),
with OpenMP limited to one thread: pages run in parallel instead, and OpenMP threads on a
busy machine only thrash. One run yields the words; the searchable PDF is made from them
and the page image (ocr.searchable), so nothing is read twice.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pytesseract

from ocr.model import ReadError, Word

TESSERACT_TIMEOUT_S = 180
# The options of every page read; bench/ocr.py gives bare Tesseract the same.
OPTIONS = ("--oem", "1", "--psm", "3")
CONFIDENT_WORD = 0.5  # a word read at least this surely counts as read


def tesseract_config(dpi: int) -> str:
    """The command-line options for a page image of `dpi` (PGM and PBM carry none)."""
    return " ".join((*OPTIONS, "--dpi", str(dpi)))


def run_tsv(image: np.ndarray, *, lang: str, dpi: int, binary: bool = False) -> str:
    """Tesseract's TSV for a grayscale page image; a black-and-white one (`binary`) goes as
    a 1-bit PBM: an eighth of the bytes, and Tesseract skips its own thresholding."""
    os.environ["OMP_THREAD_LIMIT"] = "1"  # pytesseract hands Tesseract this environment
    with tempfile.TemporaryDirectory(prefix="rbot-ocr-") as folder:
        page = Path(folder) / ("page.pbm" if binary else "page.pgm")
        if not cv2.imwrite(str(page), image):
            raise ReadError("unreadable", "page image not writable for OCR")
        try:
            return pytesseract.run_and_get_output(
                str(page), extension="tsv", lang=lang, timeout=TESSERACT_TIMEOUT_S,
                config=f"-c tessedit_create_tsv=1 {tesseract_config(dpi)}")
        except RuntimeError:  # pytesseract's "Tesseract process timeout"
            raise ReadError("unreadable", "OCR timed out") from None
        except pytesseract.TesseractError as exc:
            raise ReadError("unreadable", f"OCR failed (tesseract status {exc.status})") from None


def _rows(tsv: str):
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        if row.get("level") == "5" and row.get("text"):
            yield row


def words_from_tsv(tsv: str, page: int) -> tuple[Word, ...]:
    """Words with text; lines numbered within their block across paragraphs."""
    words: list[Word] = []
    line_ids: dict[tuple[int, int, int], int] = {}
    lines_per_block: dict[int, int] = {}
    for row in _rows(tsv):
        text, conf = row["text"].strip(), float(row["conf"])
        if not text or conf < 0:
            continue
        block = int(row["block_num"])
        key = (block, int(row["par_num"]), int(row["line_num"]))
        if key not in line_ids:
            lines_per_block[block] = lines_per_block.get(block, 0) + 1
            line_ids[key] = lines_per_block[block]
        words.append(Word(
            text=text, conf=max(0.0, min(1.0, conf / 100.0)),
            left=int(row["left"]), top=int(row["top"]),
            width=int(row["width"]), height=int(row["height"]),
            page=page, block=block, line=line_ids[key],
        ))
    return tuple(words)


def ocr_words(image: np.ndarray, page: int, *, lang: str, dpi: int,
              binary: bool = False) -> tuple[Word, ...]:
    """The words Tesseract reads on one grayscale page image (page numbers 1-based);
    `binary`: the image holds only black (0) and white (255)."""
    return words_from_tsv(run_tsv(image, lang=lang, dpi=dpi, binary=binary), page)


def words_text(words: tuple[Word, ...]) -> str:
    """Text in Tesseract's reading order: words of a line joined by blanks, lines by newlines,
    blocks by an empty line."""
    blocks: list[str] = []
    lines: list[str] = []
    current: tuple[int, int] | None = None
    for word in words:
        if current is None or (word.block, word.line) != current:
            if current is not None and word.block != current[0]:
                blocks.append("\n".join(lines))
                lines = []
            lines.append(word.text)
            current = (word.block, word.line)
        else:
            lines[-1] += " " + word.text
    if lines:
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
