"""Why a document did not get filed: the closed set of reason codes, each with what it tells
the clerks (German) — a long text for the document and a short one for lists."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Exception reasons (a document in the exception queue), and the two reasons a document
    waits without being an exception (EFILE_UNAVAILABLE, RETRY)."""

    UNREADABLE = "unreadable"
    UNSUPPORTED = "unsupported"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    TOO_LARGE = "too_large"
    NO_ATTACHMENT = "no_attachment"
    ATTACHMENT_REJECTED = "attachment_rejected"
    INVALID_EINVOICE = "invalid_einvoice"
    MISSING_FIELDS = "missing_fields"
    IBAN_CHANGED = "iban_changed"
    LOW_CONFIDENCE = "low_confidence"
    DUPLICATE = "duplicate"
    NO_RULE = "no_rule"
    AMBIGUOUS = "ambiguous"
    NO_DEPUTY = "no_deputy"
    FAILED = "failed"
    RETURNED = "returned"  # sent back by the caseworker who received it (bots.returns)
    DMS_REJECTED = "dms_rejected"  # the DMS refused to import it (its error folder)
    EFILE_UNAVAILABLE = "efile_unavailable"
    RETRY = "retry"

    @property
    def text(self) -> str:
        """What the clerk reads about a document with this reason."""
        return _TEXTS[self][1]

    @property
    def short(self) -> str:
        """A few words for lists and tables."""
        return _TEXTS[self][0]


_TEXTS: dict[Reason, tuple[str, str]] = {
    Reason.UNREADABLE: (
        "nicht lesbar",
        "Dokument nicht lesbar – bitte neu scannen oder als PDF einreichen."),
    Reason.UNSUPPORTED: (
        "Format nicht unterstützt",
        "Dateiformat wird nicht unterstützt (erwartet: PDF, XRechnung, ZUGFeRD, TIFF, PNG "
        "oder JPEG)."),
    Reason.CORRUPT: (
        "Datei beschädigt",
        "Datei ist beschädigt oder unvollständig übertragen – bitte erneut anfordern."),
    Reason.ENCRYPTED: (
        "passwortgeschützt",
        "PDF ist passwortgeschützt – bitte eine ungeschützte Fassung anfordern."),
    Reason.TOO_LARGE: (
        "zu groß",
        "Datei ist zu groß oder hat zu viele Seiten – bitte aufteilen oder einzeln "
        "einreichen."),
    Reason.NO_ATTACHMENT: (
        "Mail ohne Anhang",
        "E-Mail ohne Rechnungsanhang (PDF, XRechnung/ZUGFeRD, TIFF, PNG, JPEG oder ZIP) – die "
        "E-Mail ist als Original und als PDF-Lesefassung aufbewahrt; bitte prüfen und ggf. "
        "beim Absender anfordern."),
    Reason.ATTACHMENT_REJECTED: (
        "Anhang abgelehnt",
        "Anhang aus Sicherheitsgründen nicht entpackt (z. B. ZIP-Archiv zu groß, zu viele "
        "Dateien, passwortgeschützt oder beschädigt) – bitte die Rechnung einzeln beim "
        "Absender anfordern."),
    Reason.INVALID_EINVOICE: (
        "E-Rechnung ungültig",
        "E-Rechnung ist nach den amtlichen Prüfregeln ungültig (XML-Schema, EN 16931, "
        "XRechnung, Factur-X) – die Fehler stehen mit Regelnummer im Detail; bitte den "
        "Prüfbericht an den Rechnungssteller senden und eine korrigierte E-Rechnung "
        "anfordern."),
    Reason.MISSING_FIELDS: (
        "Pflichtangaben fehlen",
        "Pflichtangaben fehlen oder wurden nicht erkannt – bitte prüfen und ergänzen."),
    Reason.IBAN_CHANGED: (
        "IBAN geändert",
        "IBAN weicht von den Stammdaten des Rechnungsstellers ab – mögliche Betrugsmasche; "
        "Kontoänderung bitte auf bekanntem Weg (Telefon, Stammdaten-Akte) bestätigen lassen, "
        "bevor die Rechnung weitergeht."),
    Reason.LOW_CONFIDENCE: (
        "unsicher erkannt",
        "Zuständigkeitsrelevante Angaben wurden im Scan nur unsicher erkannt – bitte prüfen "
        "und ggf. korrigieren."),
    Reason.DUPLICATE: (
        "Dublette",
        "Diese Rechnung liegt bereits vor (Dublette)."),
    Reason.NO_RULE: (
        "keine Regel",
        "Keine Zuständigkeitsregel passt – bitte Sachbearbeitung manuell zuweisen."),
    Reason.AMBIGUOUS: (
        "mehrere Regeln",
        "Mehrere Regeln gleicher Priorität passen – Zuständigkeit bitte klären."),
    Reason.NO_DEPUTY: (
        "keine Vertretung",
        "Zuständige Sachbearbeitung und alle Vertretungen sind abwesend."),
    Reason.FAILED: (
        "technischer Fehler",
        "Technischer Fehler bei der Verarbeitung – bitte den Betrieb mit der Fehler-ID "
        "informieren."),
    Reason.RETURNED: (
        "zurückgegeben",
        "Die Sachbearbeitung hat die Rechnung als nicht zuständig zurückgegeben – bitte die "
        "Zuständigkeit prüfen und neu zuweisen; ihre Notiz steht im Detail."),
    Reason.DMS_REJECTED: (
        "DMS-Import abgelehnt",
        "Das Dokumentenmanagementsystem hat den Import abgelehnt – die Meldung des DMS steht "
        "im Detail; nach der Klärung bitte erneut verarbeiten."),
    Reason.EFILE_UNAVAILABLE: (
        "E-Akte nicht erreichbar",
        "Die E-Akte ist gerade nicht erreichbar; der Bot legt die Rechnung später ab."),
    Reason.RETRY: (
        "wird wiederholt",
        "Die Verarbeitung schlug fehl; der Bot versucht es später erneut."),
}


def explain(reason: Reason | str | None) -> str:
    """The German text for a reason code ('' for none); ValueError for a code that is not a
    Reason."""
    return Reason(reason).text if reason else ""
