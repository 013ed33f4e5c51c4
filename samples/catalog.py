"""The fictitious sample set: one authority, five known care providers, one unknown provider.

This module is the single source of truth for the samples: the renderers draw these
values, and expected.json is written from them. Every person and organisation is invented.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal as D

from samples.model import (
    Address,
    Buyer,
    Invoice,
    Line,
    ScanStyle,
    Seller,
    iban_de,
    leitweg_id,
    vat_id_de,
)

SEED = 20261102

# --- the authority (buyer) ------------------------------------------------------------

LEITWEG_EINGLIEDERUNGSHILFE = leitweg_id("05999", "7120")  # Dezernat 71, Abteilung 20
LEITWEG_HILFE_ZUR_PFLEGE = leitweg_id("05999", "7210")  # Dezernat 72, Abteilung 10

_AUTHORITY = "Landschaftsverband Musterland"
_POSTBOX = Address("Postfach 10 07 71", "59901", "Musterstadt")

EINGLIEDERUNGSHILFE = Buyer(
    _AUTHORITY, "Dezernat Soziales", "Fachbereich 71.20 – Eingliederungshilfe", _POSTBOX,
    "eingliederungshilfe@lv-musterland.example",
)
HILFE_ZUR_PFLEGE = Buyer(
    _AUTHORITY, "Dezernat Soziales", "Fachbereich 72.10 – Hilfe zur Pflege", _POSTBOX,
    "hilfe-zur-pflege@lv-musterland.example",
)

# --- the care providers (sellers) -------------------------------------------------------

LEBENSHILFE = Seller(
    key="lebenshilfe-nordstadt", name="Lebenshilfe Nordstadt gGmbH",
    tagline="Ambulant unterstütztes Wohnen · Assistenz · Freizeit",
    address=Address("Am Mühlenbach 12", "59823", "Nordstadt"),
    phone="02391 48 07-0", email="rechnung@lh-nordstadt.example",
    web="www.lh-nordstadt.example", contact="Martina Krüger",
    vat_id=vat_id_de("81123456"), tax_number="316/5712/0458",
    iban=iban_de("41450075", "31044711"), bic="WELADED1NST",
    bank="Sparkasse Nordstadt", provider_number="LE-4711",
    register="Amtsgericht Nordstadt HRB 4512", management="Geschäftsführung: Dr. Klaus Renner",
)
DIAKONIE = Seller(
    key="diakonie-lindenberg", name="Diakonie-Sozialstation Lindenberg gGmbH",
    tagline="Ambulante Pflege · Hauswirtschaft · Beratung",
    address=Address("Kirchplatz 3", "59755", "Lindenberg"),
    phone="02932 90 11-20", email="pflege@diakonie-lb.example",
    web="www.diakonie-lb.example", contact="Jürgen Pohl",
    vat_id=vat_id_de("29487531"), tax_number="309/5931/1127",
    iban=iban_de("35060190", "1012345017"), bic="GENODED1DKD",
    bank="Evangelische Bank für Diakonie eG", provider_number="LE-2318",
    register="Amtsgericht Lindenberg HRB 1190", management="Geschäftsführung: Ruth Albrecht",
)
ABENDROT = Seller(
    key="haus-abendrot", name="Seniorenzentrum Haus Abendrot gGmbH",
    tagline="Vollstationäre Pflege · Kurzzeitpflege · Tagespflege",
    address=Address("Rosenweg 41", "59227", "Ahlenfeld"),
    phone="02382 77 30-0", email="rechnung@haus-abendrot.example",
    web="www.haus-abendrot.example", contact="Sabine Ostermann",
    vat_id=vat_id_de("30512874"), tax_number="304/5718/2245",
    iban=iban_de("41250035", "0200457811"), bic="WELADED1AHF",
    bank="Sparkasse Ahlenfeld", provider_number="LE-3090",
    register="Amtsgericht Ahlenfeld HRB 7731", management="Geschäftsführung: Henrik Lambrecht",
)
VOGT = Seller(
    key="sanitaetshaus-vogt", name="Sanitätshaus Vogt GmbH",
    tagline="Orthopädietechnik · Rehatechnik · Pflegehilfsmittel",
    address=Address("Bahnhofstraße 58", "59065", "Hammfeld"),
    phone="02381 30 41 50", email="rechnung@sani-vogt.example",
    web="www.sani-vogt.example", contact="Oliver Vogt",
    vat_id=vat_id_de("12593746"), tax_number="322/5804/3317",
    iban=iban_de("44160014", "6604821300"), bic="GENODEM1HMF",
    bank="Volksbank Hammfeld eG", provider_number="LE-5127",
    register="Amtsgericht Hammfeld HRB 2604", management="Geschäftsführer: Oliver Vogt",
)
ALBERS = Seller(
    key="dolmetscher-albers", name="Kerstin Albers Gebärdensprachdolmetschen",
    tagline="Staatlich geprüfte Gebärdensprachdolmetscherin",
    address=Address("Lindenallee 7", "59494", "Soestburg"),
    phone="02921 66 18 42", email="buero@albers-gsd.example",
    web="www.albers-gsd.example", contact="Kerstin Albers",
    vat_id=vat_id_de("26845319"), tax_number="342/5027/4419",
    iban=iban_de("41450075", "0008821566"), bic="WELADED1NST",
    bank="Sparkasse Nordstadt", provider_number="LE-6604",
    register="", management="Inhaberin: Kerstin Albers",
)
REGENBOGEN = Seller(  # not in vendors.yaml, no rule: the sample for exception no_rule
    key="regenbogen", name="Betreuungsdienst Regenbogen UG (haftungsbeschränkt)",
    tagline="Alltagsbegleitung · Entlastung · Hauswirtschaft",
    address=Address("Uferstraße 19", "59174", "Kamenau"),
    phone="02307 55 19 70", email="info@bd-regenbogen.example",
    web="www.bd-regenbogen.example", contact="Maria Lorenz",
    vat_id=vat_id_de("34120987"), tax_number="316/5940/0831",
    iban=iban_de("44152370", "0041357911"), bic="WELADED1KAM",
    bank="Sparkasse Kamenau", provider_number="",
    register="Amtsgericht Kamenau HRB 9817", management="Geschäftsführung: Maria Lorenz",
)

KNOWN_SELLERS = (LEBENSHILFE, DIAKONIE, ABENDROT, VOGT, ALBERS)

# --- line items -----------------------------------------------------------------------

_QUALIFIED = "Fachleistungsstunde Assistenz, qualifiziert (§ 78 Abs. 2 Nr. 2 SGB IX)"
_RATE_QUALIFIED = D("71.36")


def _assistance_days(year: int, month: int) -> tuple[Line, ...]:
    """One line per day of assistance, as an itemised Fachleistungsstunden invoice lists them."""
    rng = random.Random(SEED + month)
    topics = ["Alltagsbewältigung", "Haushaltsführung", "Begleitung Arzttermin",
              "Behördenangelegenheiten", "Tagesstruktur", "Umgang mit Geld",
              "Begleitung Freizeit", "Krisengespräch"]
    lines, day = [], date(year, month, 1)
    while day.month == month:
        if day.weekday() < 5:
            hours = D(rng.choice(["1.5", "2", "2.5", "3"]))
            topic = rng.choice(topics)
            lines.append(Line(f"Assistenz qualifiziert – {topic}", hours, "HUR",
                              _RATE_QUALIFIED, day=day))
        day += timedelta(days=1)
    return tuple(lines)


def _care_home_month(pflege: str) -> tuple[Line, ...]:
    days = D(31)
    return (
        Line("Pflegevergütung, einrichtungseinheitlicher Eigenanteil " + pflege, days, "DAY",
             D("41.27")),
        Line("Entgelt für Unterkunft", days, "DAY", D("22.18")),
        Line("Entgelt für Verpflegung", days, "DAY", D("10.46")),
        Line("Investitionskosten (§ 82 Abs. 3 SGB XI)", days, "DAY", D("18.73")),
        Line("Ausbildungsumlage", days, "DAY", D("3.95")),
    )


OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))


def _scanned_invoices() -> tuple[Invoice, ...]:
    """The paper invoices the registry scans: PNG, PDF, JPEG and TIFF."""
    eh, hzp = EINGLIEDERUNGSHILFE, HILFE_ZUR_PFLEGE
    return (
        Invoice(
            file="scan-lebenshilfe-2026-0412.png", kind="scan", seller=LEBENSHILFE, buyer=eh,
            number="2026-0412", issue_date=date(2026, 11, 3), due_date=date(2026, 12, 3),
            period=OCTOBER, customer_number="KD-10071", file_reference="71.20-204817",
            beneficiary="Jonas Feldmann, geb. 14.03.1991",
            subject="Ambulant unterstütztes Wohnen (Assistenzleistungen)",
            buyer_reference=LEITWEG_EINGLIEDERUNGSHILFE, caseworker="becker",
            scan=ScanStyle("png", rotation=0.8, seed=SEED + 1),
            lines=(
                Line(_QUALIFIED, D("21.5"), "HUR", _RATE_QUALIFIED),
                Line("Fachleistungsstunde Assistenz, kompensatorisch (§ 78 Abs. 2 Nr. 1 SGB IX)",
                     D("12"), "HUR", D("54.18")),
                Line("Teilnahme Gruppenangebot Freizeit (anteilig)", D("4"), "C62", D("18.40")),
                Line("Fahrtkostenpauschale", D("1"), "LS", D("36.50")),
            ),
        ),
        Invoice(
            file="scan-lebenshilfe-2026-0418.pdf", kind="scan", seller=LEBENSHILFE, buyer=eh,
            number="2026-0418", issue_date=date(2026, 11, 4), due_date=date(2026, 12, 4),
            period=OCTOBER, customer_number="KD-10071", file_reference="71.20-198342",
            beneficiary="Sophie Lindner, geb. 02.07.1985",
            subject="Ambulant unterstütztes Wohnen, Einzelnachweis der Fachleistungsstunden",
            buyer_reference=LEITWEG_EINGLIEDERUNGSHILFE, caseworker="becker",
            scan=ScanStyle("pdf", rotation=-0.6, seed=SEED + 2), expected_pages=2,
            lines=(*_assistance_days(2026, 10),
                   Line("Fahrtkostenpauschale", D("1"), "LS", D("36.50"))),
        ),
        Invoice(
            file="scan-diakonie-2026-1187.jpg", kind="scan", seller=DIAKONIE, buyer=hzp,
            number="SL-2026-1187", issue_date=date(2026, 11, 5), due_date=date(2026, 12, 5),
            period=OCTOBER, customer_number="40021", file_reference="72.10-331275",
            beneficiary="Gertrud Hahn, geb. 09.11.1938",
            subject="Häusliche Pflege (Hilfe zur Pflege, § 64b SGB XII), Pflegegrad 3",
            buyer_reference=LEITWEG_HILFE_ZUR_PFLEGE, caseworker="schneider",
            scan=ScanStyle("jpeg", rotation=-1.2, seed=SEED + 3),
            lines=(
                Line("LK 1 Kleine Morgen-/Abendtoilette", D("31"), "C62", D("21.84")),
                Line("LK 3 Große Morgen-/Abendtoilette", D("31"), "C62", D("34.66")),
                Line("LK 15 Hauswirtschaftliche Versorgung", D("8"), "C62", D("28.12")),
                Line("Hausbesuchspauschale", D("62"), "C62", D("4.26")),
                Line("abzgl. Pflegesachleistung der Pflegekasse (Pflegegrad 3)", D("1"), "LS",
                     D("-1497.00")),
            ),
        ),
        Invoice(
            file="scan-abendrot-2026-0457.tif", kind="scan", seller=ABENDROT, buyer=hzp,
            number="HA-2026-10-0457", issue_date=date(2026, 11, 2), due_date=date(2026, 12, 2),
            period=OCTOBER, customer_number="SZ-884", file_reference="72.10-287641",
            beneficiary="Hildegard Brandt, geb. 30.01.1936",
            subject="Vollstationäre Pflege (Hilfe zur Pflege, § 65 SGB XII), Pflegegrad 4",
            buyer_reference=LEITWEG_HILFE_ZUR_PFLEGE, caseworker="wagner",
            scan=ScanStyle("tiff", rotation=1.3, seed=SEED + 4), attendance_sheet=True,
            expected_pages=2, lines=_care_home_month("(Pflegegrad 4)"),
        ),
    )


def _pdf_invoices() -> tuple[Invoice, ...]:
    """Invoices sent as PDF with a text layer, one with embedded ZUGFeRD XML."""
    eh, hzp = EINGLIEDERUNGSHILFE, HILFE_ZUR_PFLEGE
    return (
        Invoice(
            file="rechnung-diakonie-2026-1203.pdf", kind="pdf-text", seller=DIAKONIE, buyer=hzp,
            number="SL-2026-1203", issue_date=date(2026, 11, 6), due_date=date(2026, 12, 7),
            period=OCTOBER, customer_number="40021", file_reference="72.10-329904",
            beneficiary="Walter Sommer, geb. 27.05.1942",
            subject="Häusliche Pflege (Hilfe zur Pflege, § 64b SGB XII), Pflegegrad 2",
            buyer_reference=LEITWEG_HILFE_ZUR_PFLEGE, caseworker="schneider",
            lines=(
                Line("LK 2 Kleine Morgen-/Abendtoilette mit Baden", D("9"), "C62", D("26.35")),
                Line("LK 1 Kleine Morgen-/Abendtoilette", D("22"), "C62", D("21.84")),
                Line("LK 14 Einkaufen", D("4"), "C62", D("14.06")),
                Line("Hausbesuchspauschale", D("35"), "C62", D("4.26")),
                Line("abzgl. Pflegesachleistung der Pflegekasse (Pflegegrad 2)", D("1"), "LS",
                     D("-796.00")),
            ),
        ),
        Invoice(
            file="rechnung-sanitaetshaus-vogt-2026-3381.pdf", kind="pdf-text", seller=VOGT,
            buyer=eh, number="R-2026-3381", issue_date=date(2026, 11, 9),
            due_date=date(2026, 12, 9), period=(date(2026, 10, 27), date(2026, 10, 27)),
            customer_number="K-77120", file_reference="71.20-215530",
            beneficiary="Lukas Meier, geb. 19.04.2009",
            subject="Hilfsmittelversorgung (§ 84 SGB IX): Rollstuhl mit Zubehör",
            buyer_reference=LEITWEG_EINGLIEDERUNGSHILFE, order_reference="KZ-2026-08815",
            caseworker="neumann",
            lines=(
                Line("Leichtgewicht-Faltrollstuhl „Aktiv 2“ inkl. Trommelbremsen", D("1"),
                     "C62", D("1289.00"), D("7")),
                Line("Antidekubitus-Sitzkissen, Schaum, 42 × 40 cm", D("1"), "C62",
                     D("149.90"), D("19")),
                Line("Anpassung und Einweisung", D("1.5"), "HUR", D("62.00"), D("19")),
                Line("Lieferung frei Haus", D("1"), "LS", D("25.00"), D("19")),
            ),
        ),
        Invoice(
            file="zugferd-sanitaetshaus-vogt-2026-3402.pdf", kind="zugferd", seller=VOGT,
            buyer=eh, number="R-2026-3402", issue_date=date(2026, 11, 10),
            due_date=date(2026, 12, 10), period=(date(2026, 11, 2), date(2026, 11, 2)),
            customer_number="K-77120", file_reference="71.20-219063",
            beneficiary="Ingrid Schäfer, geb. 05.06.1947",
            subject="Hilfsmittelversorgung (§ 84 SGB IX): Mobilitäts- und Badhilfen",
            buyer_reference=LEITWEG_EINGLIEDERUNGSHILFE, order_reference="KZ-2026-09127",
            caseworker="neumann",
            lines=(
                Line("Leichtgewicht-Rollator mit Sitz und Korb", D("1"), "C62", D("189.00"),
                     D("7")),
                Line("Duschhocker, höhenverstellbar", D("1"), "C62", D("79.90"), D("19")),
                Line("Toilettensitzerhöhung mit Armlehnen", D("1"), "C62", D("64.50"), D("19")),
                Line("Einweisung in den Gebrauch", D("0.5"), "HUR", D("62.00"), D("19")),
            ),
        ),
    )


def _xml_invoices() -> tuple[Invoice, ...]:
    """XRechnung e-invoices (UBL and CII) and the invoice no rule assigns."""
    eh, hzp = EINGLIEDERUNGSHILFE, HILFE_ZUR_PFLEGE
    return (
        Invoice(
            file="xrechnung-abendrot-2026-0461-ubl.xml", kind="xrechnung-ubl", seller=ABENDROT,
            buyer=hzp, number="HA-2026-10-0461", issue_date=date(2026, 11, 2),
            due_date=date(2026, 12, 2), period=OCTOBER, customer_number="SZ-884",
            file_reference="72.10-301558", beneficiary="Erich Wolters, geb. 12.08.1934",
            subject="Vollstationäre Pflege (Hilfe zur Pflege, § 65 SGB XII), Pflegegrad 3",
            buyer_reference=LEITWEG_HILFE_ZUR_PFLEGE, caseworker="wagner",
            lines=_care_home_month("(Pflegegrad 3)"),
            prepaid=D("1112.40"),
            prepaid_label="abzgl. vom Bewohner gezahlter Einkommenseinsatz (Altersrente)",
        ),
        Invoice(
            file="xrechnung-dolmetscher-albers-2026-117-cii.xml", kind="xrechnung-cii",
            seller=ALBERS, buyer=eh, number="GD-2026-117", issue_date=date(2026, 11, 6),
            due_date=date(2026, 12, 7), period=(date(2026, 10, 14), date(2026, 10, 21)),
            customer_number="LV-0815", file_reference="71.20-226781",
            beneficiary="Tim Reuter, geb. 23.10.1979",
            subject="Gebärdensprachdolmetschen (§ 82 SGB IX)",
            buyer_reference=LEITWEG_EINGLIEDERUNGSHILFE, order_reference="KZ-2026-09302",
            caseworker="yilmaz",
            lines=(
                Line("Dolmetscheinsatz 14.10.2026, Elterngespräch Förderschule", D("2.5"),
                     "HUR", D("85.00"), D("19")),
                Line("Dolmetscheinsatz 21.10.2026, Facharzttermin", D("1.5"), "HUR",
                     D("85.00"), D("19")),
                Line("Fahrtzeit", D("2"), "HUR", D("42.50"), D("19")),
                Line("Fahrtkosten", D("68"), "KMT", D("0.42"), D("19")),
            ),
        ),
        Invoice(
            file="rechnung-regenbogen-2026-031.pdf", kind="pdf-text", seller=REGENBOGEN,
            buyer=hzp, number="RB-2026-031", issue_date=date(2026, 11, 9),
            due_date=date(2026, 12, 9), period=OCTOBER, customer_number="",
            file_reference="72.10-335120", beneficiary="Margarete Vogel, geb. 17.02.1940",
            subject="Alltagsbegleitung und hauswirtschaftliche Hilfe",
            caseworker=None,
            lines=(
                Line("Alltagsbegleitung", D("13.5"), "HUR", D("32.50")),
                Line("Hauswirtschaftliche Hilfe", D("10"), "HUR", D("29.80")),
            ),
        ),
    )


def _invoices() -> tuple[Invoice, ...]:
    return (*_scanned_invoices(), *_pdf_invoices(), *_xml_invoices())


INVOICES: tuple[Invoice, ...] = _invoices()

# Damaged or unsupported inputs and the exception each must raise.
BAD_FILES: dict[str, str] = {
    "leer.pdf": "unreadable",
    "abgeschnitten.pdf": "corrupt",
    "passwort.pdf": "encrypted",
    "anschreiben.docx": "unsupported",
}
