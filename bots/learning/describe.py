"""What was learned, in German, for the clerks' command line and the desk page."""

from __future__ import annotations

from bots.pipeline.fieldnames import label
from bots.storage.learned_hints import Hint, Provider

_KEY_NAMES = {"vat": "USt-IdNr.", "iban": "IBAN", "head": "Briefkopf"}


def key_text(key: str) -> str:
    """'vat:DE123' -> 'USt-IdNr. DE123'."""
    kind, _, value = key.partition(":")
    return f"{_KEY_NAMES.get(kind, kind)} {value}"


def place_text(hint: Hint) -> str:
    """Where the field is read: 'nach „Kennz. XQ“ (Seite 1, Zeile 7)'."""
    anchor = hint.anchor
    where = f"Seite {anchor['page']}, Zeile {anchor['line'] + 1}"
    if not anchor.get("label"):
        return f"der Name „{anchor.get('name', '')}“ wie gedruckt ({where})"
    position = "unter" if anchor.get("below") else "nach"
    return f"{position} „{anchor['label']}“ ({where})"


def use_text(hint: Hint) -> str:
    """'3-mal genutzt, 1-mal widerlegt'."""
    text = f"{hint.used}-mal genutzt"
    return f"{text}, {hint.refuted}-mal widerlegt" if hint.refuted else text


def hint_rows(provider: Provider) -> list[list[str]]:
    return [[label(h.field), place_text(h), h.document_id, h.actor, h.learned_at[:10],
             use_text(h)] for h in provider.hints]


def provider_name(provider: Provider) -> str:
    return provider.name or (key_text(provider.keys[0]) if provider.keys else "–")
