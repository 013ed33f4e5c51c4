"""A German sentence for the clerk for every finding.

The XRechnung rules are published in German: their text is used as it is. For the English
rules (EN 16931, Peppol, Factur-X, the syntax bindings): the sentence of the rule from
german_rules.py; for the VAT-category families (BR-S-01 ... BR-AG-10) a sentence made from
the family's scheme; for the generated syntax and profile rules a translation of their
fixed English patterns; else a generic sentence naming the rule.
"""

from __future__ import annotations

import re

from einvoice.validation.german_rules import RULES

# The VAT categories of the family rules: family -> (its name for the clerk, how its rate
# must be, whether an exemption reason is required (True), forbidden (False)).
VAT_FAMILIES: dict[str, tuple[str, str, bool]] = {
    "S": ("Normalsatz (S)", "größer als 0", False),
    "Z": ("Nullsatz (Z)", "0", False),
    "E": ("steuerbefreit (E)", "0", True),
    "AE": ("Umkehrung der Steuerschuldnerschaft (AE)", "0", True),
    "IC": ("innergemeinschaftliche Lieferung (K)", "0", True),
    "G": ("Ausfuhr außerhalb der EU (G)", "0", True),
    "O": ("nicht steuerbar (O)", "", True),
    "AF": ("IGIC, Kanaren (L)", "0 oder größer", False),
    "AG": ("IPSI, Ceuta und Melilla (M)", "0 oder größer", False),
}
_WHERE = {5: "einer Rechnungsposition (BT-152)", 6: "eines Abschlags auf Belegebene (BT-96)",
          7: "eines Zuschlags auf Belegebene (BT-103)"}
_VAT_RULE = re.compile(r"BR-(S|Z|E|AE|IC|G|O|AF|AG)-(\d\d)$")


def _vat_family(family: str, number: int) -> str | None:
    """The sentence of rule number `number` of a VAT category's family."""
    name, rate, reason_needed = VAT_FAMILIES[family]
    subject = f"Bei der Umsatzsteuerkategorie „{name}“"
    if number == 1:
        return (f"Positionen, Ab- oder Zuschläge haben die Kategorie „{name}“, die "
                "Umsatzsteueraufschlüsselung (BG-23) aber keinen passenden Eintrag.")
    if number in (2, 3, 4):
        if family == "O":
            return f"{subject} darf die Rechnung keine Umsatzsteuer-Identifikationsnummer enthalten."
        return (f"{subject} fehlt die Umsatzsteuer-Identifikationsnummer oder Steuernummer des "
                "Verkäufers (BT-31, BT-32) bzw. seines Steuervertreters (BT-63).")
    if number in _WHERE:
        if family == "O":
            return f"{subject} darf der Steuersatz {_WHERE[number]} nicht angegeben sein."
        return f"{subject} muss der Steuersatz {_WHERE[number]} {rate} sein."
    if number == 8:
        return (f"{subject} stimmt der steuerpflichtige Betrag (BT-116) nicht mit der Summe der "
                "Positionsbeträge abzüglich Abschlägen und zuzüglich Zuschlägen überein.")
    if number == 9:
        if rate in ("0", ""):
            return f"{subject} muss der Steuerbetrag (BT-117) 0 sein."
        return (f"{subject} ist der Steuerbetrag (BT-117) nicht steuerpflichtiger Betrag "
                "(BT-116) mal Steuersatz (BT-119).")
    if number == 10:
        if reason_needed:
            return (f"{subject} fehlt der Befreiungsgrund als Code (BT-121) oder Text "
                    "(BT-120).")
        return f"{subject} darf kein Befreiungsgrund (BT-120, BT-121) angegeben sein."
    if family == "IC" and number == 11:
        return (f"{subject} fehlen das Lieferdatum (BT-72) und der Abrechnungszeitraum "
                "(BG-14).")
    if family == "IC" and number == 12:
        return f"{subject} fehlt das Land der Lieferanschrift (BT-80)."
    if family == "O":
        return f"{subject} darf die Rechnung keine anderen Umsatzsteuerkategorien enthalten."
    return None


# Fixed English patterns of generated rules (syntax bindings, Factur-X profiles).
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I), g) for p, g in (
    (r"^(?:Element )?'?([\w:@-]+)'? (?:should|must|shall) not be (?:present|used)\.?$",
     "Das Element „{0}“ ist hier nicht vorgesehen."),
    (r"^Element '([^']+)' is marked as not used in the given context\.?$",
     "Das Element „{0}“ ist in diesem Profil nicht vorgesehen."),
    (r"^Attribute @?([^' ]+)'? marked as not used in the given context\.?$",
     "Das Attribut „@{0}“ ist in diesem Profil nicht vorgesehen."),
    (r"^Element '([^']+)' must occur exactly (\d+) times\.?$",
     "Das Element „{0}“ muss genau {1}-mal vorkommen."),
    (r"^Element '([^']+)' may occur at maximum (\d+) times\.?$",
     "Das Element „{0}“ darf höchstens {1}-mal vorkommen."),
    (r"^Value of '([^']+)' is not allowed\.?$", "Der Wert von „{0}“ ist nicht zulässig."),
    (r"^(.+?) (?:shall|should|must) (?:occur|exist) maximum once\.?$",
     "„{0}“ darf höchstens einmal vorkommen."),
    (r"^(.+?) must exist exactly once\.?$", "„{0}“ muss genau einmal vorkommen."),
    (r"^A UBL invoice should not include (?:the )?(.+?)\.?$",
     "Eine UBL-Rechnung nach EN 16931 sollte „{0}“ nicht enthalten."),
    (r"^The allowed maximum number of decimals for the (.+?) is 2\.?$",
     "„{0}“ darf höchstens zwei Nachkommastellen haben."),
))
_GERMAN = re.compile(r"\b(muss|müssen|soll|sollte|sollen|darf|dürfen|Das Element|Wenn|"
                     r"Eine Rechnung|ist aus)\b")


def _pattern(official: str) -> str | None:
    for pattern, german in _PATTERNS:
        found = pattern.match(official)
        if found:
            return german.format(*found.groups())
    return None


def german(rule: str, official: str, artefact: str) -> str:
    """The German sentence for a finding of `rule` with the official text `official`."""
    if official and _GERMAN.search(official):
        return official
    known = RULES.get(re.sub(r"-\d+$", "", rule)) if rule.startswith("PEPPOL") else None
    known = RULES.get(rule) or known
    if known:
        return known
    family = _VAT_RULE.match(rule)
    made = _vat_family(family[1], int(family[2])) if family else None
    made = made or _pattern(official)
    if made:
        return made
    where = f" ({artefact})" if artefact else ""
    return f"Die E-Rechnung verletzt die Regel {rule}{where}; siehe den amtlichen Text."
