"""German sentences for the clerk for the official rules whose text is English: the core
rules of EN 16931 (BR-01 ...), its calculation and code-list rules (BR-CO-*, BR-CL-*), the
Peppol BIS rules XRechnung takes over and the English XRechnung extension rules.

Each sentence says what the rule requires, with the EN 16931 term numbers (BT, BG) as the
official text has them, so sender and clerk can find the element. The VAT-category rules
(BR-S-*, BR-Z-*, ...) follow one scheme and are made in german.py.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    # Core: what an invoice must contain (EN 16931, 6.4).
    "BR-01": "Die Spezifikationskennung (BT-24) fehlt.",
    "BR-02": "Die Rechnungsnummer (BT-1) fehlt.",
    "BR-03": "Das Rechnungsdatum (BT-2) fehlt.",
    "BR-04": "Der Rechnungstyp (BT-3) fehlt.",
    "BR-05": "Der Währungscode der Rechnung (BT-5) fehlt.",
    "BR-06": "Der Name des Verkäufers (BT-27) fehlt.",
    "BR-07": "Der Name des Käufers (BT-44) fehlt.",
    "BR-08": "Die Postanschrift des Verkäufers (BG-5) fehlt.",
    "BR-09": "In der Anschrift des Verkäufers fehlt der Ländercode (BT-40).",
    "BR-10": "Die Postanschrift des Käufers (BG-8) fehlt.",
    "BR-11": "In der Anschrift des Käufers fehlt der Ländercode (BT-55).",
    "BR-12": "Die Summe der Positionsnettobeträge (BT-106) fehlt.",
    "BR-13": "Der Gesamtbetrag ohne Umsatzsteuer (BT-109) fehlt.",
    "BR-14": "Der Gesamtbetrag einschließlich Umsatzsteuer (BT-112) fehlt.",
    "BR-15": "Der fällige Zahlbetrag (BT-115) fehlt.",
    "BR-16": "Die Rechnung enthält keine Rechnungsposition (BG-25).",
    "BR-17": "Der Name des Zahlungsempfängers (BT-59) fehlt, obwohl ein vom Verkäufer "
             "abweichender Zahlungsempfänger (BG-10) angegeben ist.",
    "BR-18": "Der Name des Steuervertreters (BT-62) fehlt.",
    "BR-19": "Die Postanschrift des Steuervertreters (BG-12) fehlt.",
    "BR-20": "In der Anschrift des Steuervertreters fehlt der Ländercode (BT-69).",
    "BR-21": "Eine Rechnungsposition hat keine Positionsnummer (BT-126).",
    "BR-22": "Eine Rechnungsposition hat keine Menge (BT-129).",
    "BR-23": "Eine Rechnungsposition hat keine Mengeneinheit (BT-130).",
    "BR-24": "Eine Rechnungsposition hat keinen Nettobetrag (BT-131).",
    "BR-25": "Eine Rechnungsposition hat keine Artikelbezeichnung (BT-153).",
    "BR-26": "Eine Rechnungsposition hat keinen Nettopreis (BT-146).",
    "BR-27": "Der Nettopreis eines Artikels (BT-146) ist negativ; er darf nicht negativ sein.",
    "BR-28": "Der Bruttopreis eines Artikels (BT-148) ist negativ; er darf nicht negativ sein.",
    "BR-29": "Das Ende des Abrechnungszeitraums (BT-74) liegt vor seinem Beginn (BT-73).",
    "BR-30": "Das Ende des Abrechnungszeitraums einer Position (BT-135) liegt vor seinem "
             "Beginn (BT-134).",
    "BR-31": "Ein Abschlag auf Belegebene (BG-20) hat keinen Betrag (BT-92).",
    "BR-32": "Ein Abschlag auf Belegebene (BG-20) hat keinen Umsatzsteuer-Kategoriecode (BT-95).",
    "BR-33": "Ein Abschlag auf Belegebene (BG-20) hat weder einen Grund (BT-97) noch einen "
             "Grundcode (BT-98).",
    "BR-36": "Ein Zuschlag auf Belegebene (BG-21) hat keinen Betrag (BT-99).",
    "BR-37": "Ein Zuschlag auf Belegebene (BG-21) hat keinen Umsatzsteuer-Kategoriecode "
             "(BT-102).",
    "BR-38": "Ein Zuschlag auf Belegebene (BG-21) hat weder einen Grund (BT-104) noch einen "
             "Grundcode (BT-105).",
    "BR-41": "Ein Abschlag auf Positionsebene (BG-27) hat keinen Betrag (BT-136).",
    "BR-42": "Ein Abschlag auf Positionsebene (BG-27) hat weder einen Grund (BT-139) noch "
             "einen Grundcode (BT-140).",
    "BR-43": "Ein Zuschlag auf Positionsebene (BG-28) hat keinen Betrag (BT-141).",
    "BR-44": "Ein Zuschlag auf Positionsebene (BG-28) hat weder einen Grund (BT-144) noch "
             "einen Grundcode (BT-145).",
    "BR-45": "In der Umsatzsteueraufschlüsselung (BG-23) fehlt der steuerpflichtige Betrag "
             "(BT-116).",
    "BR-46": "In der Umsatzsteueraufschlüsselung (BG-23) fehlt der Steuerbetrag (BT-117).",
    "BR-47": "In der Umsatzsteueraufschlüsselung (BG-23) fehlt der Kategoriecode (BT-118).",
    "BR-48": "In der Umsatzsteueraufschlüsselung (BG-23) fehlt der Steuersatz (BT-119).",
    "BR-49": "Bei den Zahlungsanweisungen (BG-16) fehlt der Code der Zahlungsart (BT-81).",
    "BR-50": "Für die Überweisung (BG-17) fehlt die Kontokennung (IBAN, BT-84).",
    "BR-51": "Die Rechnung sollte keine vollständige Kartennummer (BT-87) enthalten, höchstens "
             "die ersten sechs und letzten vier Ziffern.",
    "BR-52": "Ein rechnungsbegründendes Dokument (BG-24) hat keine Kennung (BT-122).",
    "BR-53": "Der Umsatzsteuerbetrag in Abrechnungswährung (BT-111) fehlt, obwohl eine "
             "Abrechnungswährung (BT-6) angegeben ist.",
    "BR-54": "Ein Artikelattribut (BG-32) hat keinen Namen (BT-160) oder keinen Wert (BT-161).",
    "BR-55": "Ein Verweis auf eine vorausgegangene Rechnung (BG-3) hat keine Rechnungsnummer "
             "(BT-25).",
    "BR-56": "Der Steuervertreter (BG-11) hat keine Umsatzsteuer-Identifikationsnummer (BT-63).",
    "BR-57": "In der Lieferanschrift (BG-15) fehlt der Ländercode (BT-80).",
    "BR-61": "Für die Überweisung (Zahlungsart 30 oder 58) fehlt die Kontokennung (IBAN, BT-84).",
    "BR-62": "Die elektronische Adresse des Verkäufers (BT-34) hat keine Schema-Kennung.",
    "BR-63": "Die elektronische Adresse des Käufers (BT-49) hat keine Schema-Kennung.",
    "BR-64": "Die Artikelkennung nach Standard (BT-157) hat keine Schema-Kennung.",
    "BR-65": "Die Artikelklassifizierung (BT-158) hat keine Schema-Kennung.",
    # Calculations and conditions (BR-CO).
    "BR-CO-03": "Steuerdatum (BT-7) und Code des Steuerdatums (BT-8) dürfen nicht beide "
                "angegeben sein.",
    "BR-CO-04": "Eine Rechnungsposition hat keinen Umsatzsteuer-Kategoriecode (BT-151).",
    "BR-CO-05": "Grund (BT-97) und Grundcode (BT-98) eines Abschlags passen nicht zueinander.",
    "BR-CO-06": "Grund (BT-104) und Grundcode (BT-105) eines Zuschlags passen nicht zueinander.",
    "BR-CO-07": "Grund (BT-139) und Grundcode (BT-140) eines Positionsabschlags passen nicht "
                "zueinander.",
    "BR-CO-08": "Grund (BT-144) und Grundcode (BT-145) eines Positionszuschlags passen nicht "
                "zueinander.",
    "BR-CO-09": "Eine Umsatzsteuer-Identifikationsnummer (BT-31, BT-48 oder BT-63) beginnt "
                "nicht mit dem Ländercode (z. B. DE).",
    "BR-CO-10": "Die Summe der Positionsnettobeträge (BT-106) stimmt nicht mit der Summe der "
                "einzelnen Positionen (BT-131) überein.",
    "BR-CO-11": "Die Summe der Abschläge auf Belegebene (BT-107) stimmt nicht mit den "
                "einzelnen Abschlägen (BT-92) überein.",
    "BR-CO-12": "Die Summe der Zuschläge auf Belegebene (BT-108) stimmt nicht mit den "
                "einzelnen Zuschlägen (BT-99) überein.",
    "BR-CO-13": "Der Gesamtbetrag ohne Umsatzsteuer (BT-109) ist nicht Positionssumme minus "
                "Abschläge plus Zuschläge.",
    "BR-CO-14": "Die Umsatzsteuer gesamt (BT-110) ist nicht die Summe der Steuerbeträge je "
                "Kategorie (BT-117).",
    "BR-CO-15": "Der Gesamtbetrag einschließlich Umsatzsteuer (BT-112) ist nicht Nettobetrag "
                "(BT-109) plus Umsatzsteuer (BT-110).",
    "BR-CO-16": "Der Zahlbetrag (BT-115) ist nicht Bruttobetrag (BT-112) minus Vorauszahlung "
                "(BT-113) plus Rundung (BT-114).",
    "BR-CO-17": "Ein Steuerbetrag (BT-117) ist nicht steuerpflichtiger Betrag (BT-116) mal "
                "Steuersatz (BT-119), auf zwei Stellen gerundet.",
    "BR-CO-18": "Die Umsatzsteueraufschlüsselung (BG-23) fehlt.",
    "BR-CO-19": "Der Abrechnungszeitraum (BG-14) hat weder Beginn (BT-73) noch Ende (BT-74).",
    "BR-CO-20": "Der Abrechnungszeitraum einer Position (BG-26) hat weder Beginn (BT-134) "
                "noch Ende (BT-135).",
    "BR-CO-21": "Ein Abschlag auf Belegebene (BG-20) hat weder Grund (BT-97) noch Grundcode "
                "(BT-98).",
    "BR-CO-22": "Ein Zuschlag auf Belegebene (BG-21) hat weder Grund (BT-104) noch Grundcode "
                "(BT-105).",
    "BR-CO-23": "Ein Abschlag auf Positionsebene (BG-27) hat weder Grund (BT-139) noch "
                "Grundcode (BT-140).",
    "BR-CO-24": "Ein Zuschlag auf Positionsebene (BG-28) hat weder Grund (BT-144) noch "
                "Grundcode (BT-145).",
    "BR-CO-25": "Bei positivem Zahlbetrag (BT-115) fehlen Fälligkeitsdatum (BT-9) und "
                "Zahlungsbedingungen (BT-20).",
    "BR-CO-26": "Der Verkäufer ist nicht eindeutig benannt: es fehlen Kennung (BT-29), "
                "Registernummer (BT-30) und Umsatzsteuer-Identifikationsnummer (BT-31).",
    "BR-CO-27": "Als Kontokennung (BT-84) ist entweder eine IBAN oder eine eigene Kennung "
                "anzugeben.",
    # Code lists (BR-CL).
    "BR-CL-01": "Der Rechnungstyp (BT-3) ist kein zulässiger Code (UNTDID 1001).",
    "BR-CL-03": "Ein Währungscode (currencyID) ist kein Code nach ISO 4217.",
    "BR-CL-04": "Der Währungscode der Rechnung (BT-5) ist kein Code nach ISO 4217.",
    "BR-CL-05": "Der Code der Abrechnungswährung (BT-6) ist kein Code nach ISO 4217.",
    "BR-CL-06": "Der Code des Steuerdatums (BT-8) ist nicht zulässig (UNTDID 2005).",
    "BR-CL-07": "Die Schema-Kennung einer Objektkennung (BT-18) ist nicht zulässig "
                "(UNTDID 1153).",
    "BR-CL-08": "Der Betreffcode einer Bemerkung (BT-21) ist nicht zulässig (UNCL 4451).",
    "BR-CL-10": "Die Schema-Kennung einer Kennung ist nicht in der Liste ISO 6523 ICD.",
    "BR-CL-11": "Die Schema-Kennung einer Registernummer ist nicht in der Liste ISO 6523 ICD.",
    "BR-CL-13": "Die Schema-Kennung einer Artikelklassifizierung (BT-158) ist nicht zulässig "
                "(UNTDID 7143).",
    "BR-CL-14": "Ein Ländercode ist kein Code nach ISO 3166-1.",
    "BR-CL-15": "Ein Ländercode ist kein Code nach ISO 3166-1.",
    "BR-CL-16": "Der Code der Zahlungsart (BT-81) ist nicht zulässig (UNCL 4461).",
    "BR-CL-17": "Ein Umsatzsteuer-Kategoriecode ist nicht zulässig (UNCL 5305).",
    "BR-CL-18": "Ein Umsatzsteuer-Kategoriecode ist nicht zulässig (UNCL 5305).",
    "BR-CL-19": "Der Grundcode eines Abschlags ist nicht zulässig (UNCL 5189).",
    "BR-CL-20": "Der Grundcode eines Zuschlags ist nicht zulässig (UNCL 7161).",
    "BR-CL-21": "Die Schema-Kennung einer Artikelkennung (BT-157) ist nicht in der Liste "
                "ISO 6523 ICD.",
    "BR-CL-22": "Der Code eines Befreiungsgrundes (BT-121) ist nicht in der Liste CEF VATEX.",
    "BR-CL-23": "Ein Code der Mengeneinheit ist nicht zulässig (UN/ECE Empfehlung 20/21).",
    "BR-CL-24": "Der MIME-Typ einer Anlage (BT-125) ist nicht zulässig.",
    "BR-CL-25": "Die Schema-Kennung einer elektronischen Adresse ist nicht in der Liste "
                "CEF EAS.",
    "BR-CL-26": "Die Schema-Kennung der Lieferortkennung (BT-71) ist nicht in der Liste "
                "ISO 6523 ICD.",
    "BR-B-01": "Die Steuerkategorie „Split payment“ ist nur in italienischen Inlandsrechnungen "
               "zulässig.",
    "BR-B-02": "Eine Rechnung mit „Split payment“ darf keine Positionen oder Ab- und "
               "Zuschläge mit der Kategorie „Normalsatz“ enthalten.",
    # Peppol BIS Billing 3 rules XRechnung takes over.
    "PEPPOL-EN16931-R001": "Die Prozesskennung (BT-23) fehlt.",
    "PEPPOL-EN16931-R005": "Die Abrechnungswährung (BT-6) muss sich von der "
                           "Rechnungswährung (BT-5) unterscheiden.",
    "PEPPOL-EN16931-R008": "Die E-Rechnung enthält leere Elemente.",
    "PEPPOL-EN16931-R010": "Die elektronische Adresse des Käufers (BT-49) fehlt.",
    "PEPPOL-EN16931-R020": "Die elektronische Adresse des Verkäufers (BT-34) fehlt.",
    "PEPPOL-EN16931-R040": "Ein Ab- oder Zuschlagsbetrag ist nicht Basisbetrag mal "
                           "Prozentsatz durch 100.",
    "PEPPOL-EN16931-R041": "Bei einem Prozentsatz für einen Ab- oder Zuschlag fehlt der "
                           "Basisbetrag.",
    "PEPPOL-EN16931-R042": "Bei einem Basisbetrag für einen Ab- oder Zuschlag fehlt der "
                           "Prozentsatz.",
    "PEPPOL-EN16931-R043": "Die Kennzeichnung Ab-/Zuschlag muss „true“ oder „false“ lauten.",
    "PEPPOL-EN16931-R044": "Zuschläge auf Preisebene sind nicht zulässig.",
    "PEPPOL-EN16931-R046": "Der Nettopreis (BT-146) ist nicht Bruttopreis (BT-148) minus "
                           "Preisnachlass (BT-147).",
    "PEPPOL-EN16931-R053": "Es darf nur eine Umsatzsteuersumme in Rechnungswährung geben.",
    "PEPPOL-EN16931-R054": "Es darf nur eine Umsatzsteuersumme in Abrechnungswährung geben.",
    "PEPPOL-EN16931-R055": "Umsatzsteuer gesamt (BT-110) und Umsatzsteuer in "
                           "Abrechnungswährung (BT-111) müssen dasselbe Vorzeichen haben.",
    "PEPPOL-EN16931-R061": "Für die Lastschrift fehlt die Mandatsreferenz (BT-89).",
    "PEPPOL-EN16931-R101": "Ein Dokumentverweis auf Positionsebene darf nur ein Objekt "
                           "bezeichnen.",
    "PEPPOL-EN16931-R110": "Der Beginn des Abrechnungszeitraums einer Position liegt außerhalb "
                           "des Abrechnungszeitraums der Rechnung.",
    "PEPPOL-EN16931-R111": "Das Ende des Abrechnungszeitraums einer Position liegt außerhalb "
                           "des Abrechnungszeitraums der Rechnung.",
    "PEPPOL-EN16931-R120": "Der Nettobetrag einer Position (BT-131) ist nicht Menge mal "
                           "Nettopreis (je Basismenge) plus Zuschläge minus Abschläge.",
    "PEPPOL-EN16931-R121": "Die Basismenge des Preises (BT-149) muss größer als null sein.",
    "PEPPOL-EN16931-R130": "Die Mengeneinheit der Basismenge (BT-150) weicht von der "
                           "Mengeneinheit der Position (BT-130) ab.",
    # English rules of the XRechnung extension.
    "BR-DEX-04": "Die Schema-Kennung einer Kennung ist nicht in der Liste ISO 6523 ICD.",
    "BR-DEX-05": "Die Schema-Kennung einer Registernummer ist nicht in der Liste ISO 6523 ICD.",
    "BR-DEX-06": "Die Schema-Kennung einer Artikelkennung ist nicht in der Liste ISO 6523 ICD.",
    "BR-DEX-07": "Die Schema-Kennung einer elektronischen Adresse ist nicht in der Liste "
                 "CEF EAS.",
    "BR-DEX-08": "Die Schema-Kennung der Lieferortkennung ist nicht in der Liste ISO 6523 ICD.",
    "BR-DEX-09": "Der Zahlbetrag (BT-115) ist nicht Bruttobetrag minus Vorauszahlung plus "
                 "Rundung plus Zahlungen Dritter (BT-DEX-002).",
    "BR-DEX-15": "Die Datei nutzt möglicherweise Unterpositionen; die XRechnung unterstützt "
                 "sie in CII nicht.",
    "CII-DT-097": "Ein Datum im Format 102 muss die Form JJJJMMTT haben (z. B. 20261102).",
}
