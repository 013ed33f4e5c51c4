"""What an amount on an invoice is — net, tax, gross, amount due, or a deduction — from the
words printed before it on its line or above it as a column header.

By word formation, not by a list of phrasings: German compounds are searched for their
parts ("Rechnungsendbetrag" holds "end" + "betrag", "Nettoentgelt" holds "netto"), and a
label's role follows from the parts it holds: a tax word makes a tax line ("zzgl. 19 %
MwSt.", "darin enthaltene USt.") unless "inkl." with a sum word makes it the gross
("Gesamt inkl. MwSt.") or "ohne"/"exkl." the net; payment words ("zu zahlen", "Zahlbetrag",
"Restbetrag", "Amount due", "Net à payer") the amount due; deductions ("abzgl.", "./.",
"Anzahlung", "Abschläge") are no total at all.
"""

from __future__ import annotations

import re

from ocr.vocabulary import LETTER

_I = re.IGNORECASE
# (compiled pattern, weight): the first role whose pattern the label holds decides, in the
# order of ROLES; a weight below 1 marks a word that names the role less surely.
_DEDUCTION = re.compile(
    r"abzgl|abz[üu]glich|\./\.|anzahlung|abschl[aä]g|vorauszahlung|bereits|bezahlt|gezahlt"
    r"|geleistet|erhalten|prepaid|\bpaid\b|\bless\b|acompte|d[ée]j[àa]|anteil|skonto|rabatt"
    r"|nachlass|discount|remise", _I)
_DUE = re.compile(
    r"zu\s+zahlen|zahl(?:ungs)?betrag|restbetrag|offene[rn]?\s+betrag|noch\s+offen"
    r"|nachzahlung|f[äa]llige[rn]?\s+betrag|amount\s+(?:due|payable)|balance\s+due"
    r"|total\s+due|[àa]\s+payer|reste\s+d[ûu]", _I)
_TAX = re.compile(
    rf"(?:(?<![{LETTER}])(?:mwst|mw\.?\s?-?\s?st|ust|vat|tva|tax(?:es)?|iva)(?![{LETTER}]{{2}})"
    rf"|steuer)\.?(?![{LETTER}]*\.?\s?-?\s?(?:id|nr|nummer|reg|intra|berat))", _I)
_INCLUDING = re.compile(r"inkl|incl|einschl|inklusive|including|\bttc\b", _I)
_EXCLUDING = re.compile(r"\bohne\b|exkl|excl|excluding|\bht\b|hors\s+taxe|before\s+tax", _I)
_NET = re.compile(r"netto|\bnet\b|\bht\b|hors\s+taxe|exkl|excl", _I)
_NET_WEAK = re.compile(r"zwischen\s?-?\s?summe|sub\s?-?\s?total|warenwert|entgelt", _I)
_GROSS = re.compile(
    r"brutto|\bgross\b|\bttc\b|grand\s+total|end\s?-?\s?(?:betrag|summe|preis|beitrag)"
    r"|rechnungs\s?-?\s?(?:betrag|summe|beitrag)|gesamt\s?-?\s?(?:betrag|summe|preis)"
    r"|invoice\s+(?:total|amount)|total\s+amount"
    r"|montant\s+total|inkl|incl|einschl", _I)
_SUM = re.compile(r"(?<!ins)gesamt", _I)  # a sum: the gross, or the net before the tax
_HEAD = re.compile(r"betrag|beitrag|summe|\btotal\b|\bamount\b|\bsum\b|montant", _I)
_RATE = re.compile(r"satz|\brate\b|taux|%\s*$", _I)
_BARE_WORDS = 3  # a bare sum word ("Summe", "Betrag") counts in a short label only


def _tax_role(label: str) -> tuple[str, float]:
    rest = _INCLUDING.sub(" ", _TAX.sub(" ", label))
    if _INCLUDING.search(label) and (_HEAD.search(rest) or _GROSS.search(rest)
                                     or _SUM.search(rest)):
        return "total_gross", 1.0  # "Gesamtbetrag inkl. MwSt.", not "inkl. 7 % MwSt."
    if _EXCLUDING.search(label) or _NET.search(label):
        return "total_net", 1.0  # "Summe ohne USt.", "Netto exkl. MwSt."
    return "total_tax", 1.0


def roles(label: str, *, header: bool = False) -> list[tuple[str, float]]:
    """The fields an amount labelled `label` may be, with a weight each (1.0 sure); empty
    when the label names no total. A `header` labels a column (rates are no amounts)."""
    text = " ".join(label.split())
    if not text or not any(c.isalpha() for c in text) or (header and _RATE.search(text)):
        return []
    if _DEDUCTION.search(text):
        return []
    if _DUE.search(text):
        return [("amount_due", 1.0)]
    if _TAX.search(text):
        return [_tax_role(text)]
    if _NET.search(text):
        return [("total_net", 1.0)]
    if _NET_WEAK.search(text):
        return [("total_net", 0.8)]
    if _GROSS.search(text):
        return [("total_gross", 1.0)]
    if _SUM.search(text):
        return [("total_gross", 0.9), ("total_net", 0.6)]
    if _HEAD.search(text) and len(text.split()) <= _BARE_WORDS and not re.search(r"\d", text):
        return [("total_gross", 0.6), ("total_net", 0.5)]
    return []


def is_deduction(label: str) -> bool:
    """A prepayment, discount or share of others subtracted from the total."""
    return bool(_DEDUCTION.search(label))
