"""What the ledger recorded of a document, as the pipeline's values again: the document, its
invoice (a clerk's corrections included) and its decision with the checks it passed."""

from __future__ import annotations

from bots.pipeline.model import Checks, Document, Invoice, Routing
from bots.storage.ledger import DocumentRow
from ocr.model import FIELD_NAMES, Kind


def document_of(row: DocumentRow) -> Document:
    return Document(row.id, row.sha256, row.source, row.original_name, row.store_path,
                    row.received_at)


def recorded_invoice(row: DocumentRow) -> Invoice:
    """The invoice as recorded, or an empty one for a document nothing could be read from."""
    return Invoice.from_dict(row.invoice or {}, fields=FIELD_NAMES,
                             kind=row.kind or Kind.SCAN, pages=row.pages or 1)


def recorded_decision(row: DocumentRow) -> tuple[Invoice, Checks, Routing]:
    """A decided document's invoice, checks and routing, as they were recorded."""
    decision = dict(row.decision or {})
    checks = Checks.from_dict(decision.pop("checks", None))
    return recorded_invoice(row), checks, Routing.from_dict(decision)
