"""The printed labels that name invoice fields (German first, English, some French).

Labels of the invoice number and issue date are composed from concepts (ocr.vocabulary):
any document noun with any number word, in any spelling the parts allow, rather than a list
per layout. Each label has a weight: 1.0 when it names the field unmistakably
("Rechnungsnummer", "Rg.-Nr.", "N° de facture"), less when it is generic ("Datum", a
document noun alone as in the title "Rechnung 0457/26"). A label with a `context` counts
only there: "Nr.:" names the invoice number in a section headed by the document
("Rechnungsdaten"). An `anchored` label must start its cell ("vom 03.02.2026", a place and
date "Kirchberg, den 03.02.2026"). Patterns are matched case-insensitively; they must not
start or end inside a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ocr import vocabulary as v


@dataclass(frozen=True)
class Label:
    field: str
    pattern: re.Pattern
    weight: float
    context: str = ""  # "document": only in a section about the document
    anchored: bool = False  # must start a cell

    @property
    def name(self) -> str:
        return self.pattern.pattern


def _labels(field: str, weight: float, *patterns: str, context: str = "",
            anchored: bool = False) -> tuple[Label, ...]:
    return tuple(
        Label(field, re.compile(rf"(?<![\w-])(?:{v.umlaut_tolerant(p)})(?!\w)", re.IGNORECASE),
              weight, context, anchored)
        for p in patterns
    )


_NR = r"(?:\s*-?\s*(?:nummer|number|nr\.?|no\.?|n°|#))"
_DE_VAT = r"(?:USt|MwSt|Umsatzsteuer|Mehrwertsteuer|Versicherungs?steuer|Steuer)"
# A document number between a title and its date: "Nr. 4711 ", "(Storno) Nr. RE-1 ".
_NUMBER_BEFORE = (
    r"\s*(?:\([^()]{0,60}\)\s*)?(?:(?:Nr|No|Nummer|N°)\.?\s*:?\s*)?[\w./-]*\d[\w./-]*\s+"
)
_BUYER = r"(?:Ihre|Ihr|Kunden|Käufer|Empfänger|client|customer|buyer|acheteur)"
_NOT_INVOICE = r"(?:Bestell|Auftrag|Kunde|Liefer|Vertrag|Konto|Kassen|zur\b|zum\b)"
# A place and a date opening a line: "Kirchberg, den", "Strasbourg, le"
_PLACE_DATE = rf"[A-ZÄÖÜ][{v.LETTER}.-]+(?:[ -][A-ZÄÖÜ][{v.LETTER}.-]+)?,\s*(?:den|le)?"

INVOICE_NUMBER = (
    _labels("invoice_number", 1.0, *v.INVOICE_NUMBER_STRONG,
            # "Rechnung des Versicherers Nr.", not "Rechnung zur Bestellung Nr."
            rf"{v.DOC_DE}(?:\s+(?!{_NOT_INVOICE})[{v.LETTER}]+){{1,3}}\s+(?:Nr|No)\.?")
    + _labels("invoice_number", 0.85, *v.INVOICE_NUMBER_GENERIC)
    + _labels("invoice_number", 0.75, v.DOC)  # a title: "Rechnung 0457/26", "Beleg: 4711"
    + _labels("invoice_number", 0.75, v.NUMBER_ALONE, context="document", anchored=True)
    + _labels("invoice_number", 0.6, v.OUR_REFERENCE)
)

ISSUE_DATE = (
    _labels("issue_date", 1.0, *v.ISSUE_DATE_STRONG,
            # "Rechnung Nr. 4711 vom", "Invoice No. 4711 dated"
            rf"{v.DOC}{_NUMBER_BEFORE}(?:vom|dated|of|du)")
    + _labels("issue_date", 0.75, _PLACE_DATE, anchored=True)
    + _labels("issue_date", 0.6, r"Datum", r"date")
    + _labels("issue_date", 0.6, r"vom", r"le", anchored=True)
    + _labels("issue_date", 0.8, r"Datum", r"date", context="document", anchored=True)
)

DUE_DATE = _labels(
    "due_date",
    1.0,
    r"zahlbar\s+bis(?:\s+(?:zum|spätestens))?",
    r"fällig\s+(?:am|bis)",
    r"Fälligkeits(?:datum|tag)",
    r"Fälligkeit",
    r"Zahlungsziel",
    r"(?:zahlbar|zahlen|überweisen|Zahlung)\b[^\n]{0,60}?\bbis(?:\s+(?:zum|spätestens))?",
    r"due\s+date",
    r"(?:payable|pay|paid)\s+(?:by|before|until|no\s+later\s+than)",
    r"(?:au\s+plus\s+tard|avant)\s+le",
    r"[àa]\s+payer\s+(?:avant\s+le|le|au\s+plus\s+tard\s+le)",
    r"payment\s+due(?:\s+(?:by|on))?",
    r"due\s+(?:by|on)",
    r"date\s+d'[ée]ch[ée]ance",
    r"[ée]ch[ée]ance",
)

BUYER_REFERENCE = _labels(
    "buyer_reference",
    1.0,
    r"Leitweg\s?-?\s?ID",
    r"Käuferreferenz",
    r"Referenz\s+des\s+Käufers",
    r"Ihre\s+Referenz",
    r"Ihr\s+Zeichen",
    r"Buyer\s+reference",
    r"Your\s+reference",
    r"Votre\s+r[ée]f[ée]rence",
)

ORDER_REFERENCE = (
    _labels("order_reference", 1.0, *v.ORDER_REFERENCE_STRONG)
    + _labels("order_reference", 1.0, *v.ORDER_REFERENCE_PLAIN, anchored=True)
)

SELLER_VAT_ID = _labels(
    "seller_vat_id",
    1.0,
    r"USt\.?\s?-?\s?Id\.?\s?-?\s?Nr\.?",
    r"USt\.?\s?-?\s?ID",
    r"UStIdNr\.?",
    r"Umsatzsteuer\s?-?\s?Identifikations\s?-?\s?(?:nummer|nr\.?)",
    r"VAT\s+(?:ID|No\.?|number|reg\.?\s*no\.?)",
    r"(?:N°\s+)?TVA(?:\s+intracommunautaire)?",
    r"Steuer\s?-?\s?ID",
)

IBAN = _labels("iban", 1.0, r"IBAN") + _labels("iban", 0.9, r"Bankverbindung")

CURRENCY = _labels(
    "currency",
    1.0,
    r"(?:Rechnungs)?währung",
    r"Beträge\s+in",
    r"currency",
    r"devise",
)

SELLER = _labels(
    "seller_name",
    1.0,
    r"Verkäufer",
    r"Rechnungs\s?-?\s?(?:ersteller|steller|aussteller)",
    r"Lieferant",
    r"Leistungserbringer",
    r"Auftragnehmer",
    r"Seller",
    r"Supplier",
    r"Vendeur",
    r"Fournisseur",
)

BY_FIELD: dict[str, tuple[Label, ...]] = {
    "invoice_number": INVOICE_NUMBER,
    "issue_date": ISSUE_DATE,
    "due_date": DUE_DATE,
    "buyer_reference": BUYER_REFERENCE,
    "order_reference": ORDER_REFERENCE,
    "seller_vat_id": SELLER_VAT_ID,
    "iban": IBAN,
    "currency": CURRENCY,
    "seller_name": SELLER,
}

# A line that speaks of the buyer: its VAT ID or bank account is not the seller's.
BUYER_LINE = re.compile(
    rf"(?<!\w){v.umlaut_tolerant(_BUYER)}(?!\w)|Lastschrift|direct\s+debit|abgebucht|pr[ée]l[èe]vement", re.I
)
# Lines about delivery or ordering: their dates are not the invoice date.
OTHER_DATE_LINE = re.compile(
    r"Liefer|Leistungs|Bestell|Auftrag|delivery|order|livraison|commande|Zeitraum|period", re.I
)
