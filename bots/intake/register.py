"""Taking an input: copy it durably into the store, register it in the ledger, and only then
let the caller remove it from where it came from. Every step is idempotent, so a crash between
any two of them loses nothing and registers nothing twice."""

from __future__ import annotations

from dataclasses import dataclass

from bots.display_names import display_name
from bots.storage.ledger import Ledger, Receipt
from bots.storage.store import Store


@dataclass(frozen=True)
class Incoming:
    """Bytes that arrived, with where from. `intake_key` identifies this arrival (not the bytes):
    the same arrival seen again after a crash is resumed, not counted as a duplicate."""

    data: bytes
    source: str
    original_name: str
    intake_key: str
    meta: dict | None = None
    parent_id: str | None = None


def take(incoming: Incoming, ledger: Ledger, store: Store) -> Receipt:
    """The name is recorded as a display name (bytes that are not UTF-8 escaped, control and
    bidi characters removed): a label, never a path."""
    sha, path = store.put(incoming.data)
    return ledger.register(
        sha256=sha,
        intake_key=incoming.intake_key,
        source=incoming.source,
        original_name=display_name(incoming.original_name),
        store_path=str(path),
        size=len(incoming.data),
        meta=incoming.meta,
        parent_id=incoming.parent_id,
    )


def exception_at_intake(ledger: Ledger, sha256: str) -> tuple[str, str] | None:
    """(reason, German detail) when the intake that brought these bytes already knew they
    cannot be an invoice (a mail without an invoice attachment, a refused archive); the
    pipeline then makes the document an exception without reading it."""
    first = next(iter(ledger.intake_metas(sha256)), {})
    preset = first.get("exception")
    return (preset["reason"], preset.get("detail", "")) if preset else None
