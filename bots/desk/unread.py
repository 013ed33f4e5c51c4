"""Exceptions whose original the bot could not read — unreadable, corrupt, encrypted,
unsupported, too large, empty — and what a clerk can do with them: request the document
anew (a new scan from the registry, or the document from its sender) with a German text to
copy, reject it with a reason, or, where the desk can show its pages, enter the fields by
hand. An invoice entered by hand is checked, decided and filed like any other, with the
original as it came; the entry is audited and the original is never read again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath

from bots.desk.actions import (
    ReviewError,
    ReviewResult,
    checked_text,
    claim,
    finish,
    normalised_fields,
    open_exception,
)
from bots.desk.formatting import timestamp
from bots.pipeline.context import Context
from bots.pipeline.fieldnames import label
from bots.pipeline.model import Invoice
from bots.pipeline.reasons import Reason
from bots.storage.ledger import DocumentRow
from bots.storage.states import State
from ocr.model import FIELD_NAMES, Kind

MAX_REQUEST = 2000
REGISTRY, SENDER = "registratur", "absender"

# What the sender is told about each reason the content could not be read.
_SENDER_REASONS = {
    Reason.UNREADABLE: "die Datei ist nicht lesbar",
    Reason.CORRUPT: "die Datei ist beschädigt oder wurde unvollständig übertragen",
    Reason.ENCRYPTED: "die PDF-Datei ist mit einem Passwort geschützt",
    Reason.UNSUPPORTED: "das Dateiformat können wir nicht verarbeiten",
    Reason.TOO_LARGE: "die Datei ist zu groß oder hat zu viele Seiten",
    Reason.NO_ATTACHMENT: "Ihrer E-Mail lag keine Rechnung bei",
    Reason.ATTACHMENT_REJECTED: "den Anhang konnten wir aus Sicherheitsgründen nicht öffnen",
}
UNREAD = tuple(_SENDER_REASONS)


@dataclass(frozen=True)
class Request:
    """A request for the document anew: to whom, and the German text to copy."""

    addressee: str  # REGISTRY or SENDER
    heading: str
    text: str


def is_unread(row: DocumentRow) -> bool:
    """An exception with nothing read from its original (and nothing entered by hand)."""
    return row.invoice is None and row.reason in UNREAD


def is_empty(row: DocumentRow) -> bool:
    return row.size == 0


def request_of(ctx: Context, row: DocumentRow) -> Request:
    """A new scan from the registry for a scan folder's unreadable or oversized scan; the
    document from its sender otherwise."""
    scanned = row.source in {folder.source for folder in ctx.config.folders}
    received = timestamp(row.received_at)
    why = _why(row)
    if scanned and (row.reason in (Reason.UNREADABLE, Reason.TOO_LARGE) or is_empty(row)):
        return Request(REGISTRY, "Neuen Scan bei der Registratur anfordern",
                       f"Bitte das Schriftstück „{row.original_name}“ (eingegangen am "
                       f"{received}, Dokument-ID {row.id}) neu scannen und in den "
                       f"Eingangsordner legen. Grund: {why}.")
    return Request(SENDER, "Dokument beim Absender anfordern",
                   "Sehr geehrte Damen und Herren,\n\n"
                   f"Ihre Sendung „{row.original_name}“ vom {received[:10]} können wir nicht "
                   f"bearbeiten: {why}. Bitte senden Sie uns die Rechnung erneut als PDF-Datei "
                   "ohne Passwortschutz oder als E-Rechnung (XRechnung oder ZUGFeRD), jede "
                   "Rechnung einzeln.\n\nMit freundlichen Grüßen")


def _why(row: DocumentRow) -> str:
    suffix = PurePath(row.original_name).suffix
    if is_empty(row):
        return "die Datei ist leer"
    if row.reason == Reason.UNSUPPORTED and suffix:
        return f"das Dateiformat {suffix} können wir nicht verarbeiten"
    return _SENDER_REASONS.get(Reason(row.reason), "die Datei ist nicht lesbar")


def request_anew(ctx: Context, doc_id: str, text: str, *, actor: str,
                 version: int | None = None) -> ReviewResult:
    """Close the exception as requested anew (the text sent is audited); the new scan or
    file arrives as a document of its own."""
    row = open_exception(ctx, doc_id)
    request = request_of(ctx, row)
    sent = checked_text(text, "request_text", required=True, limit=MAX_REQUEST)
    where = "bei der Registratur" if request.addressee == REGISTRY else "beim Absender"
    claim(ctx, row, State.REJECTED, actor=actor, event="requested_anew", version=version,
          detail={"addressee": request.addressee, "text": sent, "previous_reason": row.reason},
          lease=False, reason_detail=f"Neu angefordert {where}")
    return ReviewResult(row.id, State.REJECTED, None, row.reason,
                        f"Neu angefordert {where}. Das Dokument ist geschlossen; das Original "
                        "bleibt gespeichert.")


def enter_by_hand(ctx: Context, doc_id: str, values: Mapping[str, str], *, pages: int,
                  actor: str, version: int | None = None) -> ReviewResult:
    """The fields of an unread original, typed by a clerk from its `pages` shown in the desk;
    then checked, decided and filed like the bot does, with the original as it came."""
    row = open_exception(ctx, doc_id)
    if not is_unread(row):
        raise ReviewError("Die Angaben dieses Dokuments liegen bereits vor; bitte dort "
                          "korrigieren.")
    if pages < 1:
        raise ReviewError("Das Original lässt sich nicht anzeigen: bitte neu anfordern oder "
                          "zurückweisen.")
    fields, errors = normalised_fields(values, {})
    errors |= {name: f"{label(name)}: Pflichtangabe." for name in ctx.config.required_fields
               if not fields.get(name) and name not in errors}
    if errors:
        raise ReviewError("Bitte die markierten Angaben korrigieren.", errors)
    entered = sorted(name for name, value in fields.items() if value)
    invoice = Invoice(kind=row.kind or Kind.SCAN, pages=pages,
                      fields=dict.fromkeys(FIELD_NAMES) | fields,
                      confidence=dict.fromkeys(entered, 1.0),
                      evidence=dict.fromkeys(entered, "von Hand erfasst"), warnings=(),
                      entered_by_hand=True)
    claim(ctx, row, State.EXTRACTED, actor=actor, event="entered_by_hand", version=version,
          detail={"fields": entered, "previous_reason": row.reason},
          invoice_json=invoice.to_dict(), pay_by=invoice.pay_by(), kind=invoice.kind,
          pages=pages)
    return finish(ctx, row.id)  # checked, decided and filed on the entered fields
