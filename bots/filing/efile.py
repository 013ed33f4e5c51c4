"""The e-file target on the file system: <efile_root>/<queue>/<document_id>.pdf with
<document_id>.json beside it (and .xml for e-invoices), each written atomically and all made
durable together; the JSON sidecar is renamed into place last, so a sidecar means a complete
filing."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import img2pdf
from PIL import Image

from bots.pipeline.model import Checks, Document, Invoice, Routing
from bots.storage.atomic import write_atomic_group
from bots.storage.ledger import now_iso
from einvoice.readable_pdf import render_einvoice_pdf
from ocr.model import Kind


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def pdf_of(original: bytes, invoice: Invoice, searchable: bytes | None = None) -> bytes:
    """The PDF a caseworker opens: a scan's searchable PDF (its pages upright and straight
    with the OCR text layer) when there is one, the original PDF, a scan's images as PDF,
    or a rendering of an XML e-invoice."""
    if searchable is not None:
        return searchable
    if is_pdf(original):
        return original
    if Kind(invoice.kind).is_einvoice_xml:
        return render_einvoice_pdf(original)
    return image_to_pdf(original)


def image_to_pdf(data: bytes) -> bytes:
    """Lossless where img2pdf can; otherwise (alpha channels, odd modes) via Pillow."""
    try:
        return img2pdf.convert(data, rotation=img2pdf.Rotation.ifvalid)
    except (img2pdf.ImageOpenError, img2pdf.AlphaChannelError, ValueError, TypeError):
        pass
    with Image.open(io.BytesIO(data)) as image:
        frames = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frames.append(image.convert("RGB"))
    out = io.BytesIO()
    frames[0].save(out, format="PDF", save_all=True, append_images=frames[1:], resolution=300)
    return out.getvalue()


def sidecar(document: Document, invoice: Invoice, checks: Checks, routing: Routing,
            filed_at: str) -> dict:
    return {
        "document_id": document.id,
        "sha256": document.sha256,
        "source": document.source,
        "original_name": document.original_name,
        "kind": invoice.kind,
        "pages": invoice.pages,
        "fields": invoice.fields,
        "confidence": invoice.confidence,
        "evidence": invoice.evidence,
        "warnings": list(invoice.warnings),
        "document": invoice.document,
        "einvoice": invoice.einvoice,
        "vendor": invoice.vendor,
        "custom_fields": invoice.custom,
        "checks": checks.to_dict(),
        "decision": {"queue": routing.queue, "rule_id": routing.rule_id,
                     "explanation": routing.detail, **routing.decision_dict()},
        "review_required": routing.review_required,
        "labels": list(routing.decision.labels),
        "pay_by": invoice.pay_by(),
        "received_at": document.received_at,
        "filed_at": filed_at,
    }


class EfileUnavailable(Exception):
    """The e-file target cannot be written now (unreachable, full): retry later."""


MIN_FREE_BYTES = 50 * 1024 * 1024  # never fill the target's last 50 MB


def check_free_space(folder: Path, needed: int, reserve: int = MIN_FREE_BYTES) -> None:
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        free = shutil.disk_usage(probe).free
    except OSError as exc:
        raise EfileUnavailable(f"target not reachable ({exc.strerror})") from None
    if free < needed + reserve:
        raise EfileUnavailable(f"target almost full ({free // 2**20} MB free)")


def check_target(folder: Path, needed: int = 0) -> None:
    """Raise EfileUnavailable unless the queue folder can take `needed` bytes now."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EfileUnavailable(f"target not reachable ({exc.strerror})") from None
    check_free_space(Path(folder), needed)


def file_invoice(efile_root: Path, document: Document, original: bytes, xml: bytes | None,
                 invoice: Invoice, checks: Checks, routing: Routing,
                 searchable: bytes | None = None) -> Path:
    """File into the queue's folder; idempotent (re-filing rewrites the same files).
    Raises EfileUnavailable when the target cannot take it now."""
    folder = Path(efile_root) / routing.queue
    pdf_path = folder / f"{document.id}.pdf"
    pdf = pdf_of(original, invoice, searchable)
    meta = json.dumps(sidecar(document, invoice, checks, routing, now_iso()),
                      ensure_ascii=False, indent=2, default=str).encode()
    check_target(folder, len(pdf) + len(xml or b"") + len(meta))
    files = [(pdf_path.name, pdf)] + ([(f"{document.id}.xml", xml)] if xml is not None else [])
    try:
        write_atomic_group(folder, files + [(f"{document.id}.json", meta)])
    except OSError as exc:
        raise EfileUnavailable(f"cannot write the target ({exc.strerror})") from None
    return pdf_path
