"""`run_bot.py extract FILE... --json`: one JSON object per file (the extract contract)."""

from __future__ import annotations

import json
from pathlib import Path

from ocr.extract import extract
from ocr.model import FIELD_NAMES, ReadError
from ocr.read import read_document


def extract_one(path: Path, settings: dict) -> dict:
    """The contract's line for one file; `settings`: read_document's lang, dpi, max_megapixels."""
    result = {"file": str(path), "kind": None, "pages": None,
              "fields": dict.fromkeys(FIELD_NAMES), "confidence": {}, "warnings": []}
    try:
        data = path.read_bytes()
    except OSError as exc:
        return result | {"error": f"unreadable: cannot open the file ({exc.strerror})"}
    try:
        reading = read_document(data, **settings)
    except ReadError as exc:
        return result | {"error": str(exc)}
    extraction = extract(reading)
    validation = extraction.extra.get("einvoice_validation")  # e-invoices only
    return result | {
        "kind": reading.kind,
        "pages": reading.pages,
        "fields": dict(extraction.fields),
        "confidence": {k: round(v, 3) for k, v in extraction.confidence.items()},
        "warnings": list(reading.warnings) + list(extraction.warnings),
    } | ({"validation": validation} if validation is not None else {})


def extract_files(paths: list[Path], settings: dict) -> int:
    """Print one JSON line per file in order; exit status 1 when any file could not be read."""
    failed = False
    for path in paths:
        line = extract_one(path, settings)
        failed |= "error" in line
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if failed else 0
