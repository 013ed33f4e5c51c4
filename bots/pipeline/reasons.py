"""Exception reason codes and what they tell the clerks (German)."""

from __future__ import annotations

REASONS: dict[str, str] = {
    "unreadable": "Dokument nicht lesbar – bitte neu scannen oder als PDF einreichen.",
    "unsupported": "Dateiformat wird nicht unterstützt (erwartet: PDF, XRechnung, ZUGFeRD, "
                   "TIFF, PNG oder JPEG).",
    "corrupt": "Datei ist beschädigt oder unvollständig übertragen – bitte erneut anfordern.",
    "encrypted": "PDF ist passwortgeschützt – bitte eine ungeschützte Fassung anfordern.",
    "no_rule": "Keine Zuständigkeitsregel passt – bitte Sachbearbeitung manuell zuweisen.",
    "ambiguous": "Mehrere Regeln gleicher Priorität passen – Zuständigkeit bitte klären.",
    "no_deputy": "Zuständige Sachbearbeitung und alle Vertretungen sind abwesend.",
    "duplicate": "Diese Rechnung liegt bereits vor (Dublette).",
    "missing_fields": "Pflichtangaben fehlen oder wurden nicht erkannt – bitte prüfen und "
                      "ergänzen.",
    "invalid_einvoice": "E-Rechnung ist formal ungültig (XML-Schema, Rechenregeln der EN 16931 "
                        "oder XRechnung-Regeln) – die Fehler stehen mit Regelnummer im Detail; "
                        "bitte beim Rechnungssteller eine korrigierte E-Rechnung anfordern.",
    "no_attachment": "E-Mail ohne Rechnungsanhang (PDF, XRechnung/ZUGFeRD, TIFF, PNG, JPEG "
                     "oder ZIP) – die E-Mail ist als Original und als PDF-Lesefassung "
                     "aufbewahrt; bitte prüfen und ggf. beim Absender anfordern.",
    "attachment_rejected": "Anhang aus Sicherheitsgründen nicht entpackt (z. B. ZIP-Archiv zu "
                           "groß, zu viele Dateien, passwortgeschützt oder beschädigt) – bitte "
                           "die Rechnung einzeln beim Absender anfordern.",
    "iban_changed": "IBAN weicht von den Stammdaten des Rechnungsstellers ab – mögliche "
                    "Betrugsmasche; Kontoänderung bitte auf bekanntem Weg (Telefon, "
                    "Stammdaten-Akte) bestätigen lassen, bevor die Rechnung weitergeht.",
    "low_confidence": "Zuständigkeitsrelevante Angaben wurden im Scan nur unsicher erkannt – "
                      "bitte prüfen und ggf. korrigieren.",
    "too_large": "Datei ist zu groß oder hat zu viele Seiten – bitte aufteilen oder einzeln "
                 "einreichen.",
    "failed": "Technischer Fehler bei der Verarbeitung – bitte den Betrieb mit der Fehler-ID "
              "informieren.",
}


def explain(reason: str) -> str:
    """The German text for a reason code (the code itself if it is unknown)."""
    return REASONS.get(reason, reason)
