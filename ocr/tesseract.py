"""Tesseract: the words of one page image with boxes and confidences (TSV output).

Tesseract runs as its own process on an uncompressed PGM (or 1-bit PBM) file (writing a PNG
costs more than it saves), with OpenMP limited to one thread: pages run in parallel instead, and
OpenMP threads on a busy machine only thrash.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import tempfile
from pathlib import Path

import cv2
import numpy as np

from ocr.model import ReadError, Word

TESSERACT_TIMEOUT_S = 180
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def tesseract_command(image: Path, out_base: Path, *, lang: str, dpi: int) -> list[str]:
    """The command line that writes `out_base`.tsv for `image` (also used by bench/ocr.py
    for bare Tesseract, so both read pages the same way)."""
    return ["tesseract", str(image), str(out_base), "-l", lang, "--oem", "1", "--psm", "3",
            "--dpi", str(dpi), "tsv"]


def run_tsv(image: np.ndarray, *, lang: str, dpi: int, binary: bool = False) -> str:
    """Tesseract's TSV for a grayscale page image; a black-and-white one (`binary`) goes as
    a 1-bit PBM: an eighth of the bytes, and Tesseract skips its own thresholding."""
    with tempfile.TemporaryDirectory(prefix="rbot-ocr-") as folder:
        page = Path(folder) / ("page.pbm" if binary else "page.pgm")
        if not cv2.imwrite(str(page), image):
            raise ReadError("unreadable", "page image not writable for OCR")
        out = Path(folder) / "page"
        try:
            done = subprocess.run(
                tesseract_command(page, out, lang=lang, dpi=dpi), env=_ENV,
                capture_output=True, timeout=TESSERACT_TIMEOUT_S, check=False,
            )
        except subprocess.TimeoutExpired:
            raise ReadError("unreadable", "OCR timed out") from None
        if done.returncode != 0:
            raise ReadError("unreadable", f"OCR failed (tesseract status {done.returncode})")
        return (out.with_suffix(".tsv")).read_text(encoding="utf-8", errors="replace")


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
