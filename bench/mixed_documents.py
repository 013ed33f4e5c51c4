"""A reproducible mix of inbound documents with the outcome each must reach: variants of the
sample invoices (new invoice numbers, so they are distinct invoices), the sample scans, damaged
and unsupported files, and exact duplicates."""

from __future__ import annotations

import dataclasses
import io
import json
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from samples.catalog import INVOICES
from samples.generate import render

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


@dataclass(frozen=True)
class MixedDocument:
    name: str
    data: bytes
    outcome: str  # filed | exception | duplicate
    expect: str | None  # the caseworker (filed) or the reason (exception)


def _expected_by_file() -> dict[str, dict]:
    files = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))["files"]
    return {entry["file"]: entry for entry in files}


def _expectation(entry: dict) -> tuple[str, str]:
    if entry["outcome"] == "filed":
        return "filed", entry["caseworker"]
    return "exception", entry["reason"]


def _docx(index: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document>Anschreiben {index}</w:document>")
    return out.getvalue()


def mixed_documents(count: int, seed: int = 7, scans: int = 4) -> list[MixedDocument]:
    """`count` documents in a seeded random order (duplicates after their originals)."""
    rng = random.Random(seed)
    expected = _expected_by_file()
    fast = [inv for inv in INVOICES if inv.kind != "scan"]
    scan_files = [inv.file for inv in INVOICES if inv.kind == "scan"][:scans]
    documents = [MixedDocument(f"scan-{i}-{name}", (SAMPLES / "invoices" / name).read_bytes(),
                               *_expectation(expected[name]))
                 for i, name in enumerate(scan_files)]
    truncated = (SAMPLES / "invoices" / fast[0].file)
    bad = max(2, count // 25)
    for i in range(bad):
        if i % 2:
            documents.append(MixedDocument(f"anschreiben-{i}.docx", _docx(i), "exception",
                                           "unsupported"))
        else:
            cut = truncated.read_bytes()[: 4000 + 997 * i]
            documents.append(MixedDocument(f"kaputt-{i}.pdf", cut, "exception", "corrupt"))
    duplicates = max(1, count // 30)
    variants = max(0, count - len(documents) - duplicates)
    for i in range(variants):
        template = fast[i % len(fast)]
        invoice = dataclasses.replace(template, number=f"{template.number}-C{i:04d}")
        data, _ = render(invoice)
        suffix = Path(template.file).suffix
        documents.append(MixedDocument(f"var-{i:04d}-{Path(template.file).stem}{suffix}", data,
                                       *_expectation(expected[template.file])))
    rng.shuffle(documents)
    originals = [d for d in documents if d.outcome == "filed"]
    for i, original in enumerate(rng.sample(originals, min(duplicates, len(originals)))):
        documents.append(MixedDocument(f"kopie-{i}-{original.name}", original.data,
                                       "duplicate", original.expect))
    return documents[:count]
