"""Tesseract via pytesseract: the words of one page image with boxes and confidences."""

from __future__ import annotations

import os

import numpy as np
import pytesseract

from ocr.model import ReadError, Word

TESSERACT_TIMEOUT_S = 180


def _config(dpi: int) -> str:
    return f"--oem 1 --psm 3 --dpi {dpi}"


def _run(image: np.ndarray, lang: str, dpi: int) -> dict[str, list]:
    # One OpenMP thread per Tesseract: pages run in parallel instead, and OpenMP threads on
    # a busy machine only thrash.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        return pytesseract.image_to_data(
            image,
            lang=lang,
            config=_config(dpi),
            output_type=pytesseract.Output.DICT,
            timeout=TESSERACT_TIMEOUT_S,
        )
    except RuntimeError:  # pytesseract's timeout
        raise ReadError("unreadable", "OCR timed out") from None
    except pytesseract.TesseractError as exc:
        raise ReadError("unreadable", f"OCR failed (tesseract status {exc.status})") from None


def _words(data: dict[str, list], page: int) -> tuple[Word, ...]:
    """Words with text; lines numbered within their block across paragraphs."""
    words: list[Word] = []
    line_ids: dict[tuple[int, int, int], int] = {}
    lines_per_block: dict[int, int] = {}
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        text = text.strip()
        if not text or conf < 0:
            continue
        block = int(data["block_num"][i])
        key = (block, int(data["par_num"][i]), int(data["line_num"][i]))
        if key not in line_ids:
            lines_per_block[block] = lines_per_block.get(block, 0) + 1
            line_ids[key] = lines_per_block[block]
        line = line_ids[key]
        words.append(
            Word(
                text=text,
                conf=max(0.0, min(1.0, conf / 100.0)),
                left=int(data["left"][i]),
                top=int(data["top"][i]),
                width=int(data["width"][i]),
                height=int(data["height"][i]),
                page=page,
                block=block,
                line=line,
            )
        )
    return tuple(words)


def ocr_words(image: np.ndarray, page: int, *, lang: str, dpi: int) -> tuple[Word, ...]:
    """The words Tesseract reads on one grayscale page image (page numbers 1-based)."""
    return _words(_run(image, lang, dpi), page)


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
