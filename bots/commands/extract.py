"""`run_bot.py extract FILE... --json`: one JSON object per file (the extract contract).

Files are read a few at a time (CHUNK) with ocr.read.read_documents, so the pages of their
scans share one OCR pool and keep every core busy; lines are printed in the order given."""

from __future__ import annotations

import json
from pathlib import Path

from ocr.extract import extract
from ocr.model import FIELD_NAMES, ReadError, Reading
from ocr.read import read_documents

CHUNK = 8  # files read together (their originals are held in memory meanwhile)


def extract_line(path: Path, read: Reading | ReadError | OSError) -> dict:
    """The contract's line for one file, from its reading or why it has none."""
    result = {"file": str(path), "kind": None, "pages": None,
              "fields": dict.fromkeys(FIELD_NAMES), "confidence": {}, "warnings": []}
    if isinstance(read, OSError):
        return result | {"error": f"unreadable: cannot open the file ({read.strerror})"}
    if isinstance(read, ReadError):
        return result | {"error": str(read)}
    extraction = extract(read)
    validation = extraction.extra.get("einvoice_validation")  # e-invoices only
    return result | {
        "kind": read.kind,
        "pages": read.pages,
        "fields": dict(extraction.fields),
        "confidence": {k: round(v, 3) for k, v in extraction.confidence.items()},
        "warnings": list(read.warnings) + list(extraction.warnings),
    } | ({"validation": validation} if validation is not None else {})


def _read_together(paths: list[Path], settings: dict) -> list[Reading | ReadError | OSError]:
    """Each file's reading, ReadError or OSError (it did not open), in order; `settings`:
    read_documents' lang, dpi and max_megapixels."""
    opened: list[bytes | OSError] = []
    for path in paths:
        try:
            opened.append(path.read_bytes())
        except OSError as exc:
            opened.append(exc)
    readings = iter(read_documents([d for d in opened if isinstance(d, bytes)], **settings))
    return [d if isinstance(d, OSError) else next(readings) for d in opened]


def extract_files(paths: list[Path], settings: dict) -> int:
    """Print one JSON line per file in order; exit status 1 when any file could not be read."""
    failed = False
    for start in range(0, len(paths), CHUNK):
        chunk = paths[start:start + CHUNK]
        for path, read in zip(chunk, _read_together(chunk, settings), strict=True):
            line = extract_line(path, read)
            failed |= "error" in line
            print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if failed else 0
