"""The printed labels that name invoice fields (German first, English, some French).

Each field has labels with a weight: 1.0 when the label names the field unmistakably
("Rechnungsnummer"), less when it is generic ("Datum", "Total"). Patterns are matched
case-insensitively; they must not start or end inside a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    field: str
    pattern: re.Pattern
    weight: float

    @property
    def name(self) -> str:
        return self.pattern.pattern


def _labels(field: str, weight: float, *patterns: str) -> tuple[Label, ...]:
    return tuple(
        Label(field, re.compile(rf"(?<![\w-])(?:{p})(?!\w)", re.IGNORECASE), weight)
        for p in patterns
    )


_NR = r"(?:\s*-?\s*(?:nummer|number|nr\.?|no\.?|n°|#))"
_DE_VAT = r"(?:USt|MwSt|Umsatzsteuer|Mehrwertsteuer|Versicherungs?steuer|Steuer)"
# A document number between a title and its date: "Nr. 4711 ", "(Storno) Nr. RE-1 ".
_NUMBER_BEFORE = (
    r"\s*(?:\([^()]{0,60}\)\s*)?(?:(?:Nr|No|Nummer|N°)\.?\s*:?\s*)?[\w./-]*\d[\w./-]*\s+"
)
_WORD_PREFIX = r"[A-Za-zÄÖÜäöüß]*"  # "Handels", "Miet", "Beitrags" before "rechnung"
_BUYER = r"(?:Ihre|Ihr|Kunden|Käufer|Empfänger|client|customer|buyer|acheteur)"
_NOT_INVOICE = r"(?:Bestell|Auftrag|Kunde|Liefer|Vertrag|Konto|Kassen|zur\b|zum\b)"

INVOICE_NUMBER = _labels(
    "invoice_number",
    1.0,
    rf"{_WORD_PREFIX}rechnungs?{_NR}",
    rf"(?:Rechnungs)?korrektur{_NR}",
    rf"Gutschrift(?:s)?{_NR}",
    r"Re\.?\s?-?\s?Nr\.?",
    # "Rechnung des Versicherers Nr.", not "Rechnung zur Bestellung Nr."
    rf"{_WORD_PREFIX}rechnung(?:\s+(?!{_NOT_INVOICE})[A-Za-zÄÖÜäöüß]+){{1,3}}\s+(?:Nr|No)\.?",
    rf"invoice{_NR}",
    r"invoice\s+number",
    rf"credit\s+note{_NR}",
    r"n°\s+de\s+facture",
    r"num[ée]ro\s+de\s+facture",
    r"facture\s+n°",
    r"avoir\s+n°",
) + _labels("invoice_number", 0.6, r"rechnung", r"invoice", r"facture", r"avoir", r"gutschrift"
) + _labels("invoice_number", 0.9, rf"Beleg{_NR}")

ISSUE_DATE = _labels(
    "issue_date",
    1.0,
    r"Rechnungs\s?-?\s?datum",
    r"Datum\s+der\s+Rechnung",
    r"Beleg\s?-?\s?datum",
    r"Ausstellungsdatum",
    r"Gutschriftsdatum",
    r"invoice\s+date",
    r"date\s+of\s+invoice",
    r"issue\s+date",
    r"date\s+de\s+facture",
    r"date\s+de\s+facturation",
    r"date\s+d'[ée]mission",
    # "Rechnung Nr. 4711 vom", "Invoice No. 4711 dated"
    rf"{_WORD_PREFIX}(?:rechnung|gutschrift|korrektur){_NUMBER_BEFORE}vom",
    rf"(?:invoice|credit\s+note){_NUMBER_BEFORE}(?:dated|of)",
    rf"(?:facture|avoir){_NUMBER_BEFORE}du",
) + _labels("issue_date", 0.6, r"Datum", r"date")

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

ORDER_REFERENCE = _labels(
    "order_reference",
    1.0,
    rf"(?:Ihre\s+)?Bestell(?:ung)?{_NR}",
    r"(?:Ihre\s+)?Bestellung",
    r"Ihr(?:e)?\s+Auftrag(?:snummer|s-?nr\.?)?",
    r"Auftragsnummer",
    # Social welfare: the authority's cost approval is the order the provider bills against.
    rf"Kostenzusage{_NR}?",
    rf"Kostenübernahme(?:erklärung)?{_NR}?",
    rf"Bewilligung{_NR}",
    r"purchase\s+order(?:\s+(?:number|no\.?))?",
    rf"order{_NR}",
    r"order\s+reference",
    rf"PO{_NR}",
    r"n°\s+de\s+commande",
    r"votre\s+commande",
    r"r[ée]f\.?\s+commande",
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

TOTAL_NET = _labels(
    "total_net",
    1.0,
    r"Summe\s+netto",
    r"Netto\s?-?\s?(?:summe|betrag|gesamt)",
    r"Gesamt\s?-?\s?netto(?:betrag)?",
    r"Rechnungs(?:summe|betrag)\s+(?:netto|ohne\s+" + _DE_VAT + r")",
    r"(?:Summe|Gesamtbetrag)\s+(?:ohne|exkl\.?|zzgl\.?)\s+" + _DE_VAT,
    r"total\s+net",
    r"net\s+(?:amount|total)",
    r"total\s+(?:excl\.?|excluding)\s+VAT",
    r"total\s+HT",
    r"montant\s+HT",
) + _labels("total_net", 0.6, r"Netto", r"Zwischensumme", r"Subtotal", r"Warenwert")

TOTAL_TAX = _labels(
    "total_tax",
    1.0,
    rf"Summe\s+{_DE_VAT}",
    rf"{_DE_VAT}\s?-?\s?(?:betrag|summe|gesamt)",
    r"Steuerbetrag",
    rf"Gesamt\s?-?\s?{_DE_VAT}",
    r"total\s+(?:VAT|tax(?:es)?)",
    r"(?:VAT|tax)\s+total",
    r"VAT\s+(?:amount|total)",
    r"tax\s+amount",
    r"total\s+(?:TVA|taxes)",
    r"montant\s+TVA",
) + _labels(
    "total_tax",
    0.8,
    rf"(?:zzgl\.?\s+)?{_DE_VAT}\.?(?!\s?-?\s?(?:Id|Nr|Identifikation))(?:\s*\([A-Z]\))?",
    r"VAT",
    r"TVA",
)

TOTAL_GROSS = _labels(
    "total_gross",
    1.0,
    r"Gesamtbetrag(?!\s+der)",
    r"Rechnungsbetrag",
    r"Rechnungsbeitrag",  # insurers
    r"Bruttobetrag",
    r"Endbetrag",
    r"Bruttosumme",
    r"Gesamtsumme",
    r"Summe\s+brutto",
    r"Brutto\s?-?\s?(?:gesamt|summe)",
    r"Gesamt\s?-?\s?brutto",
    r"Rechnungs(?:summe|betrag)\s+(?:brutto|inkl\.?\s+" + _DE_VAT + r")",
    r"(?:Summe|Gesamtbetrag)\s+(?:inkl\.?|einschl\.?)\s+" + _DE_VAT,
    r"total\s+amount",
    r"grand\s+total",
    r"invoice\s+total",
    r"total\s+(?:incl\.?|including)\s+VAT",
    r"total\s+TTC",
    r"montant\s+TTC",
) + _labels("total_gross", 0.6, r"Rechnungssumme", r"Summe", r"Gesamt", r"Brutto", r"Total")

AMOUNT_DUE = _labels(
    "amount_due",
    1.0,
    r"Zahlbetrag",
    r"zu\s+zahlen(?:der\s+Betrag)?",
    r"fälliger\s+Betrag",
    r"Restbetrag",
    r"offener\s+Betrag",
    r"noch\s+zu\s+zahlen",
    r"amount\s+due",
    r"balance\s+due",
    r"amount\s+payable",
    r"net\s+[àa]\s+payer",
    r"solde\s+[àa]\s+payer",
    r"montant\s+[àa]\s+payer",
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
    "total_net": TOTAL_NET,
    "total_tax": TOTAL_TAX,
    "total_gross": TOTAL_GROSS,
    "amount_due": AMOUNT_DUE,
    "seller_name": SELLER,
}

# A line that speaks of the buyer: its VAT ID or bank account is not the seller's.
BUYER_LINE = re.compile(
    rf"(?<!\w){_BUYER}(?!\w)|Lastschrift|direct\s+debit|abgebucht|pr[ée]l[èe]vement", re.I
)
# Lines about delivery or ordering: their dates are not the invoice date.
OTHER_DATE_LINE = re.compile(
    r"Liefer|Leistungs|Bestell|Auftrag|delivery|order|livraison|commande|Zeitraum|period", re.I
)
