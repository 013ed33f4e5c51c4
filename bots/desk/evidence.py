"""Where a value was read, in words a clerk reads: the extraction's evidence ("label
'Rechnungsnummer' p1 l8; checksum valid") as "Beschriftung „Rechnungsnummer“, Seite 1,
Zeile 8; Prüfziffer stimmt". Parts it does not know are kept as they are."""

from __future__ import annotations

import re

_PLACE = re.compile(r"^(?P<what>.*?) p(?P<page>\d+) l(?P<line>\d+)(?P<where>, right of it|, below)?$")
_LABEL = re.compile(r"^label '(?P<text>.*)'$")
_WHERE = {", right of it": ", rechts daneben", ", below": ", darunter"}
_WORDS = {
    "letterhead": "Briefkopf", "top line": "oberste Zeile", "footer": "Fußzeile",
    "sender line": "Absenderzeile", "address block": "Adressblock",
    "IBAN shape": "Form einer IBAN",
    "IBAN shape (OCR look-alikes repaired)": "Form einer IBAN (verwechselte Zeichen berichtigt)",
    "Leitweg-ID shape": "Form einer Leitweg-ID", "VAT ID shape": "Form einer USt-IdNr.",
    "VAT exemption": "Hinweis auf Steuerbefreiung", "currency label": "Währungsangabe",
    "first date": "erstes Datum im Dokument",
    "net + tax = gross": "Netto + Steuer = Brutto stimmt", "mod 97 valid": "Prüfziffer stimmt",
    "checksum valid": "Prüfziffer stimmt",
    "Leitweg-ID check digits valid": "Prüfziffer der Leitweg-ID stimmt",
    "assumed equal to total_gross": "dem Rechnungsbetrag gleichgesetzt",
    "assumed equal to total_net": "dem Nettobetrag gleichgesetzt",
    "credit note: amount positive": "Gutschrift: Betrag positiv gelesen",
    "vendor master data (vat_id)": "Stammdaten des Rechnungsstellers (USt-IdNr.)",
    "vendor master data (iban)": "Stammdaten des Rechnungsstellers (IBAN)",
}
_COUNTED = (
    (re.compile(r"^(\d+) currency marks$"), "{} Währungszeichen"),
    (re.compile(r"^sum of (\d+) tax lines$"), "Summe aus {} Steuerzeilen"),
)


def evidence_words(evidence: str | None) -> str:
    """The evidence in German; '' for none and for an e-invoice's XPath (no use to a clerk)."""
    if not evidence or evidence.startswith("/"):
        return ""
    return "; ".join(_part(part.strip()) for part in evidence.split(";"))


def evidence_place(evidence: str | None) -> tuple[int, int] | None:
    """(page, line), both from 1, of the first place the evidence names."""
    match = _PLACE.match((evidence or "").split(";")[0].strip())
    return (int(match["page"]), int(match["line"])) if match else None


def _part(part: str) -> str:
    place = _PLACE.match(part)
    if place:
        return (f"{_thing(place['what'])}, Seite {place['page']}, Zeile {place['line']}"
                f"{_WHERE.get(place['where'] or '', '')}")
    if part.startswith("also in "):
        return "auch in: " + ", ".join(_thing(p.strip()) for p in part[8:].split(","))
    for pattern, text in _COUNTED:
        if counted := pattern.match(part):
            return text.format(counted[1])
    return _thing(part)


def _thing(text: str) -> str:
    label = _LABEL.match(text)
    if label:
        return f"Beschriftung „{label['text']}“"
    return _WORDS.get(text, text)
