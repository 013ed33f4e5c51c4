"""The words invoices are labelled with, by concept and word formation rather than by layout.

A label is composed: a document noun ("Rechnung", "Sammelrechnung", "Beleg", "Gutschrift",
"Invoice", "Facture", or an abbreviation "Re.", "Rg.") joined to a number word ("Nummer",
"Nr.", "No.", "N°", "#") names the invoice number, in any spelling the parts allow:
"Rechnungsnummer", "Rechnungs-Nr.", "Rg.-Nr.", "Belegnummer", "Invoice #", "N° de facture".
Joined to a date word it names the issue date ("Rechnungsdatum", "Beleg-Datum", "Date of
invoice"). Regular-expression fragments, matched case-insensitively.
"""

from __future__ import annotations

LETTER = "A-Za-zÄÖÜäöüßéèàçâêîôû"

# An umlaut OCR read without its dots ("Verkaufer", "Miinchen" in a phone photo) or that
# was typed without it ("Kaeufer"): the label still counts.
_UMLAUTS = {"ä": "(?:ä|a|ae)", "ö": "(?:ö|o|oe)", "ü": "(?:ü|u|ue|ii)",
            "Ä": "(?:Ä|A|Ae)", "Ö": "(?:Ö|O|Oe)", "Ü": "(?:Ü|U|Ue)"}


def umlaut_tolerant(pattern: str) -> str:
    """The pattern with each umlaut outside a character class also matching its plain
    vowel, the vowel with an e, and (for ü) OCR's "ii"."""
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif not in_class and char in _UMLAUTS:
            char = _UMLAUTS[char]
        out.append(char)
    return "".join(out)


# German document nouns, with any compound in front ("Sammel", "Privat", "Schluss"), but
# not the verbs' nouns "Berechnung", "Verrechnung", "Anrechnung" ...
_VERB_PREFIXES = r"(?:be|ver|an|um|zu|mit|gegen|vor|nach|auf|hoch|ein)"
DOC_DE = (
    rf"(?:(?!{_VERB_PREFIXES}rechnung)[{LETTER}]*rechnung|gutschrift|beleg|faktura"
    r"|liquidation|quittung|[a-zäöüß]*korrektur|storno)"
)
DOC_EN = r"(?:invoice|credit\s+note|bill(?!\s+to\b)|receipt)"
DOC_FR = r"(?:facture|avoir|note\s+de\s+cr[ée]dit|facturation)"
DOC = rf"(?:{DOC_DE}|{DOC_EN}|{DOC_FR})"
# Abbreviations stand only before a number or date word: "Re.-Nr.", "Rg.-Datum", "Inv. No."
DOC_ABBREVIATION = r"(?:Re|Rg|Rech|Rechn|Rchg|Inv|Fact)\.?"
# Documents in general: weaker, a document number need not be the invoice's.
DOC_GENERIC = r"(?:Dokument|Document|Vorgang)"

NUMBER = r"(?:nummer|nr\.?|no\.?|number|num[ée]ro|num\.?|n°|nº|#)"
DATE = r"(?:datum|date)"
# Between the parts: a linking s, blanks, hyphens, dots ("Rechnungs-Nr.", "Re.-Nr.").
JOIN = r"s?\s?[-.]?\s?"
# "N° de facture", "number of the invoice"
OF = r"\s+(?:de\s+(?:la\s+)?|of\s+(?:the\s+)?|der\s+|des\s+)?"

INVOICE_NUMBER_STRONG = (
    rf"{DOC}{JOIN}{NUMBER}",
    rf"{DOC_ABBREVIATION}{JOIN}{NUMBER}",
    rf"{NUMBER}{OF}(?:{DOC_FR}|{DOC_EN}|{DOC_DE})",
)
INVOICE_NUMBER_GENERIC = (rf"{DOC_GENERIC}{JOIN}{NUMBER}",)
# A number word alone names the invoice number in a section about the document only.
NUMBER_ALONE = NUMBER

ISSUE_WORDS = (
    r"Ausstellungs\s?-?\s?datum", r"Ausstelldatum", r"ausgestellt\s+am",
    r"Erstellungs\s?-?\s?datum", r"erstellt\s+am", r"issue\s+date", r"date\s+of\s+issue",
    r"issued\s+on", r"date\s+d'[ée]mission", r"[ée]mise?\s+le",
)
ISSUE_DATE_STRONG = (
    rf"{DOC}{JOIN}{DATE}",
    rf"{DOC_ABBREVIATION}{JOIN}{DATE}",
    rf"{DATE}{OF}{DOC}",
    *ISSUE_WORDS,
)
# The seller's own reference ("Unser Zeichen"): in business letters often the invoice number.
OUR_REFERENCE = (r"(?:unser(?:e)?\s*(?:Zeichen|Referenz)|our\s*ref(?:erence|\.)?"
                 r"|notre\s*r[ée]f[ée]rence)")

# What the buyer ordered or approved: the order reference (BT-13). In social welfare the
# authority's cost approval is the order the provider bills against.
ORDER = (r"(?:Bestellung|Bestell|Auftrag|Order|Purchase\s+order|PO|Commande|Kostenzusage"
         r"|Kostenübernahme(?:erklärung)?|Bewilligung)")
_YOUR = r"(?:(?:Ihre?|Your|Votre|Unsere?|Our)\s+)?"
ORDER_REFERENCE_STRONG = (
    rf"{_YOUR}{ORDER}{JOIN}{NUMBER}",
    rf"{_YOUR}{ORDER}\s+reference",
    rf"{NUMBER}{OF}commande",
    r"r[ée]f\.?\s+commande",
)
ORDER_REFERENCE_PLAIN = (rf"{_YOUR}{ORDER}",)
