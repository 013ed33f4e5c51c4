"""Field extraction from printed text: labels on the line or above the value, columns of
amounts, tax lines, arithmetic, checksums, buyer blocks, and confidence that means something."""

from ocr.extract import extract
from ocr.layout import lines_from_words
from ocr.model import FIELD_NAMES, Reading, Word


def _extract(text: str):
    return extract(Reading(kind="pdf-text", pages=text.count("\f") + 1, text=text))


LETTER = """\
Diakoniestation Am Park gGmbH
Parkweg 3 · 50667 Köln

Landschaftsverband Musterland
Fachbereich 72
50663 Köln
                                                   Köln, 14. April 2026
Rechnung Nr. 2026-1187

Für die ambulante Pflege im März 2026 berechnen wir:
Leistungen laut Nachweis                                  1.780,00 €
Summe netto                                               1.780,00 €
zzgl. 7 % USt                                                56,00 €
zzgl. 19 % USt                                              112,10 €
Rechnungsbetrag                                           1.948,10 €

Zahlungsziel: 14 Tage ohne Abzug.
Bankverbindung: Sparkasse KölnBonn IBAN DE89 3704 0044 0532 0130 00
USt-IdNr. DE136695976 · Leitweg-ID des Empfängers 04011000-12345-03
"""


def test_letter_style_invoice():
    extraction = _extract(LETTER)
    assert dict(extraction.fields) == {
        "invoice_number": "2026-1187",
        "issue_date": "2026-04-14",
        "due_date": "2026-04-28",  # issue date + 14 days
        "buyer_reference": "04011000-12345-03",
        "order_reference": None,
        "seller_name": "Diakoniestation Am Park gGmbH",
        "seller_vat_id": "DE136695976",
        "iban": "DE89370400440532013000",
        "currency": "EUR",
        "total_net": "1780.00",
        "total_tax": "168.10",  # 56,00 + 112,10: two tax lines, no printed total
        "total_gross": "1948.10",
        "amount_due": "1948.10",
    }
    assert set(extraction.fields) == set(FIELD_NAMES)
    confidence = extraction.confidence
    assert (
        confidence["total_gross"] > 0.9
        and "net + tax = gross" in extraction.evidence["total_gross"]
    )
    assert confidence["due_date"] <= 0.5  # computed, not printed
    # the letter's place and date: no field label, but the place the issue date stands
    assert 0.5 < confidence["issue_date"] < 0.9
    assert confidence["amount_due"] < confidence["total_gross"]  # assumed equal


BOXES = """\
                                                   Rechnungsersteller
                                                     Lieferant GmbH                            Rechnungsnummer
                                                     Lieferantenstraße 20                                  471102
                                                                                              Rechnungsdatum
                                                     80333 München                                     05.03.2013

            Warenwert    Nettobetrag       MwSt-Betrag    MwSt-%        Endbetrag
              -5,00         -4,85             -0,92     19,0              -5,77
              -2,90         -2,82             -0,20      7,0              -3,02

              -7,90         -7,67             -1,12    EUR              -8,79
"""


def test_values_under_their_labels_and_column_totals():
    fields = _extract(BOXES).fields
    assert (fields["invoice_number"], fields["issue_date"], fields["seller_name"]) == (
        "471102",
        "2013-03-05",
        "Lieferant GmbH",
    )
    # a column of amounts under its header ends in its total
    assert (fields["total_net"], fields["total_tax"], fields["total_gross"]) == (
        "-7.67",
        "-1.12",
        "-8.79",
    )


BLOCKS = """\
Verkäufer:
Nummer : 12345676
Global Supplies Ltd.
USt.-Id.-Nr. : DE123456789
Käufer/Leistungsempfänger:
Nummer : 75969813
Metallbau Leipzig GmbH & Co. KG
USt.-Id.-Nr. : DE136695976


Rechnung Nr. 47110818 vom 31.10.2018
Zahlbetrag    2.000,00
Erhaltene Anzahlung   500,00
Gesamtbetrag  2.500,00
Rechnungssumme ohne USt.   2.500,00
Steuerbetrag   0,00
IBAN : DE12 1234 4321 9876 00
Wir buchen den Betrag von Ihrem Konto IBAN DE89 3704 0044 0532 0130 00 ab (SEPA-Lastschrift).
"""


def test_seller_and_buyer_blocks():
    extraction = _extract(BLOCKS)
    fields, confidence = extraction.fields, extraction.confidence
    assert fields["seller_name"] == "Global Supplies Ltd."  # not "Nummer"
    # the buyer's VAT ID has valid check digits, the seller's not; the block decides
    assert fields["seller_vat_id"] == "DE123456789"
    assert confidence["seller_vat_id"] < 0.7
    # a printed IBAN that fails mod 97 is reported, but with low confidence; the buyer's
    # account on the direct-debit line is not the seller's
    assert fields["iban"] == "DE1212344321987600" and confidence["iban"] < 0.6
    assert fields["amount_due"] == "2000.00" and fields["total_gross"] == "2500.00"
    assert fields["issue_date"] == "2018-10-31" and fields["invoice_number"] == "47110818"


def test_us_dates_and_english_labels():
    text = """\
Global Supplies Ltd.
Invoice No. INV-5531
Invoice Date   11/03/2017
Due Date       12/03/2017
Paid on        11/17/2017
Order number:  PO-445
Subtotal                1,000.00 USD
VAT 20 %                  200.00 USD
Total amount            1,200.00 USD
Amount due                700.00 USD
"""
    fields = _extract(text).fields
    assert (fields["issue_date"], fields["due_date"]) == ("2017-11-03", "2017-12-03")
    assert (fields["invoice_number"], fields["order_reference"]) == ("INV-5531", "PO-445")
    assert (fields["currency"], fields["total_tax"], fields["amount_due"]) == (
        "USD",
        "200.00",
        "700.00",
    )


def test_inconsistent_totals_stay_uncertain():
    consistent = _extract("Summe netto 100,00 €\nUSt 19 % 19,00 €\nGesamtbetrag 119,00 €\n")
    wrong = _extract("Summe netto 100,00 €\nUSt 19 % 19,00 €\nGesamtbetrag 129,00 €\n")
    assert wrong.fields["total_gross"] == "129.00"
    for name in ("total_net", "total_tax", "total_gross"):
        assert wrong.confidence[name] < consistent.confidence[name]


def test_ocr_lookalikes_in_an_iban_are_repaired_with_less_confidence():
    clean = _extract("IBAN DE02 1203 0000 0000 2020 51\n")
    misread = _extract("IBAN DE02 12O3 OOOO 0000 2020 51\n")
    assert clean.fields["iban"] == misread.fields["iban"] == "DE02120300000000202051"
    assert misread.confidence["iban"] < clean.confidence["iban"]


def test_nothing_found_in_a_letter_without_invoice_data():
    extraction = _extract("Sehr geehrte Damen und Herren,\nanbei erhalten Sie unser Angebot.\n")
    assert dict(extraction.fields) == dict.fromkeys(FIELD_NAMES)
    assert not extraction.confidence and not extraction.evidence


def _word(text: str, left: int, top: int, conf: float = 0.95, height: int = 30) -> Word:
    return Word(text, conf, left, top, 22 * len(text), height, page=1, block=1, line=1)


def test_ocr_words_become_layout_lines():
    words = (
        _word("Gesamtbetrag", 100, 1000),
        _word("1.234,55", 1500, 1004, conf=0.6),  # slightly lower on the same row
        _word("EUR", 1700, 1003),
        _word("Rechnungsnummer:", 100, 500),
        _word("RE-7", 600, 498),
    )
    lines = lines_from_words(words)
    assert [line.text.split() for line in lines] == [
        ["Rechnungsnummer:", "RE-7"],
        ["Gesamtbetrag", "1.234,55", "EUR"],
    ]
    total = lines[1]
    start = total.text.index("1.234,55")
    assert total.conf(start, start + 8) == 0.6
    assert total.text.index("1.234,55") - total.text.index("Gesamtbetrag") > 20  # columns kept


def test_warnings_name_fields_but_never_values():
    text = "Summe netto 100,00 €\nUSt 19 % 19,00 €\nGesamtbetrag 129,00 €\nIBAN: DE12 1234 4321 9876 00\n"
    warnings = _extract(text).warnings
    assert warnings == (
        "iban: printed IBAN fails the mod-97 check",
        "totals: total_net + total_tax != total_gross",
    )
    assert not _extract(LETTER).warnings


def test_labels_whose_umlauts_ocr_lost():
    # a phone photo's OCR drops the dots ("Verkaufer", "Kaufer") or reads "ü" as "ii"
    text = BLOCKS.replace("Verkäufer", "Verkaufer").replace("Käufer", "Kaufer")
    fields = _extract(text).fields
    assert fields["seller_name"] == "Global Supplies Ltd."
    assert fields["seller_vat_id"] == "DE123456789"  # the buyer's block is still the buyer's
    due = _extract("Rechnung Nr. 4711 vom 02.03.2026\nfallig am 16.03.2026\n").fields
    assert due["due_date"] == "2026-03-16"
