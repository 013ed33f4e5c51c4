"""read_document: recognise a document by its content and read it into a Reading;
read_documents: several at once, the pages of all their scans OCR'd in one process pool."""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from einvoice.errors import EInvoiceError
from einvoice.parse import ParsedInvoice, parse_invoice
from einvoice.zugferd import find_invoice_xml
from ocr.images import image_format
from ocr.model import ReadError, Reading
from ocr.page import PageTask, read_page
from ocr.pages import page_geometry
from ocr.pdf import is_pdf, open_pdf
from ocr.pdftext import has_usable_text, pdf_text
from ocr.pool import run_parallel
from ocr.preprocess import DEFAULT_STEPS
from ocr.render import MAX_MEGAPIXELS
from ocr.scan import MAX_OCR_PAGES, assemble, frame_count, image_tasks, pdf_tasks

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (.doc, .xls)
_LANG = re.compile(r"[a-z_]{3,}(?:\+[a-z_]{3,})*")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
KIND_OF_SYNTAX = {"ubl": "xrechnung-ubl", "cii": "xrechnung-cii", "zugferd1": "xrechnung-cii"}


def looks_like_xml(data: bytes) -> bool:
    head = data[:64]
    for bom in _BOMS:
        if head.startswith(bom):
            return True
    return head.lstrip().startswith(b"<")


def parsed_einvoice(xml: bytes) -> ParsedInvoice:
    """E-invoice XML parsed once (einvoice.parse); ReadError when it cannot be read."""
    try:
        return parse_invoice(xml)
    except EInvoiceError as exc:
        raise ReadError(exc.code, exc.message) from None


def _embedded_invoice(reader) -> tuple[tuple[str, ParsedInvoice] | None, tuple[str, ...]]:
    """The embedded invoice XML, parsed, if it is an invoice, else None and a warning why."""
    try:
        found = find_invoice_xml(reader)
    except Exception as exc:  # garbled attachment structures
        return None, (f"embedded files not readable ({type(exc).__name__})",)
    if found is None:
        return None, ()
    try:
        return (found[0], parsed_einvoice(found[1])), ()
    except ReadError as exc:
        return None, (f"embedded invoice XML refused ({exc.code})",)


def _visible_text(data: bytes) -> tuple[str, tuple[str, ...]]:
    """The text layer beside an e-invoice XML: wanted for comparison, not essential."""
    try:
        return pdf_text(data), ()
    except ReadError as exc:
        return "", (f"text layer not readable ({exc.code})",)


@dataclass(frozen=True)
class _Scan:
    """A scan still to be OCR'd: its page tasks, its page count, warnings so far."""

    tasks: list[PageTask]
    pages: int
    warnings: tuple[str, ...] = ()


def _recognise_pdf(data: bytes, *, path: Path, **page_settings) -> Reading | _Scan:
    """Embedded e-invoice XML first, then the text layer, else a scan to OCR
    (`page_settings`: pdf_tasks' lang, dpi, steps and max_megapixels)."""
    reader = open_pdf(data)
    pages = len(reader.pages)
    embedded, warnings = _embedded_invoice(reader)
    if embedded is not None:
        name, parsed = embedded
        text, text_warnings = _visible_text(data)
        return Reading(kind="zugferd", pages=pages, text=text, xml=parsed.xml, xml_name=name,
                       warnings=text_warnings, einvoice=parsed)
    text = pdf_text(data)
    if has_usable_text(text, pages):
        return Reading(kind="pdf-text", pages=pages, text=text, warnings=warnings)
    path.write_bytes(data)
    geometry = [page_geometry(page) for page in reader.pages[:MAX_OCR_PAGES]]
    return _Scan(pdf_tasks(path, geometry, **page_settings), pages, warnings)



def _recognise(data: bytes, *, lang: str, dpi: int, path: Path, steps: frozenset[str],
               max_megapixels: float) -> Reading | _Scan:
    """What `data` is: read already (XML, text layer) or a scan to OCR. Raises ReadError."""
    if not data or not data.strip():
        raise ReadError("unreadable", "empty file")
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
        raise ReadError("unsupported", "ZIP archive or Office document")
    if is_pdf(data):
        return _recognise_pdf(data, path=path.with_suffix(".pdf"), lang=lang, dpi=dpi,
                              steps=steps, max_megapixels=max_megapixels)
    if image_format(data):
        frames = frame_count(data)
        path.write_bytes(data)
        return _Scan(image_tasks(path, frames, lang=lang, steps=steps,
                                 max_megapixels=max_megapixels), frames)
    if looks_like_xml(data):
        parsed = parsed_einvoice(data)
        return Reading(kind=KIND_OF_SYNTAX[parsed.syntax], pages=0, xml=data, einvoice=parsed)
    raise ReadError("unsupported", "unknown file format")


def _finish(scan: _Scan, results: list) -> Reading | ReadError:
    try:
        reading = assemble(results, scan.pages)
    except ReadError as exc:
        return exc
    return replace(reading, warnings=scan.warnings + reading.warnings)


def read_documents(documents: Sequence[bytes], *, lang: str = "deu+eng", dpi: int = 300,
                   jobs: int | None = None, steps: frozenset[str] = DEFAULT_STEPS,
                   max_megapixels: float = MAX_MEGAPIXELS) -> list[Reading | ReadError]:
    """Read several documents at once, each like read_document; a document that cannot be
    read gets its ReadError in its place. The pages of all scans among them are OCR'd in
    one pool of up to `jobs` processes (default: one per CPU core), so a batch of one-page
    invoices keeps every core busy. `steps`: the preprocessing (bench/ocr.py compares);
    `max_megapixels`: no page image beyond it is rendered or decoded (ReadError 'too_large')."""
    if not _LANG.fullmatch(lang) or not 50 <= dpi <= 1200:
        raise ValueError("lang must be Tesseract languages like 'deu+eng'; dpi 50..1200")
    # Only scans need a folder (page files for the OCR workers); e-invoices never touch disk.
    needs_folder = any(is_pdf(d) or image_format(d) for d in documents)
    scratch = (tempfile.TemporaryDirectory(prefix="rbot-read-") if needs_folder
               else contextlib.nullcontext("unused"))
    with scratch as folder:
        planned: list[Reading | _Scan | ReadError] = []
        for number, data in enumerate(documents):
            try:
                path = Path(folder) / str(number)
                planned.append(_recognise(data, lang=lang, dpi=dpi, path=path, steps=steps,
                                          max_megapixels=max_megapixels))
            except ReadError as exc:
                planned.append(exc)
        scans = [plan for plan in planned if isinstance(plan, _Scan)]
        results = iter(run_parallel(read_page, [t for scan in scans for t in scan.tasks], jobs))
        return [
            _finish(plan, [next(results) for _ in plan.tasks]) if isinstance(plan, _Scan)
            else plan
            for plan in planned
        ]


def read_document(data: bytes, *, lang: str = "deu+eng", dpi: int = 300,
                  jobs: int | None = None, max_megapixels: float = MAX_MEGAPIXELS) -> Reading:
    """Read an invoice document of any supported kind, recognised from its content.

    Scans are read with up to `jobs` OCR processes at once (default: one per CPU core).
    Raises ReadError (never another exception) for empty, corrupt, encrypted, unsupported
    or unreadable input; for a scan the quality gate refuses, its `detail` says why in German.
    """
    [result] = read_documents([data], lang=lang, dpi=dpi, jobs=jobs,
                              max_megapixels=max_megapixels)
    if isinstance(result, ReadError):
        raise result
    return result
