"""Fields found from a document's structure and from labels composed by concept: labels in
spellings no list holds, numbers under a section heading, values under the labels of a grid,
totals by the role their words give them, the seller as the party printed in several
places, and further candidate sources (hints) that pass the same checks."""

import pytest

from ocr.amount_roles import roles
from ocr.candidates import Candidate
from ocr.extract import extract
from ocr.identifiers import find_ibans
from ocr.model import Reading


def _fields(text: str, sources=()):
    return extract(Reading(kind="pdf-text", pages=1, text=text), sources)


@pytest.mark.parametrize("label", [
    "Rechnungs-Nr.:", "Rg.-Nr.", "RG-Nr.", "Re.-Nr.", "Rechnungsnr.", "Belegnummer",
    "Beleg-Nr.", "Faktura-Nr.", "Abrechnungsnummer", "Gutschrifts-Nr.", "Invoice #",
    "Inv. No.", "Bill No.", "N° de facture :", "Numéro de facture", "Sammelrechnung Nr.",
])
def test_invoice_number_labels_composed_from_document_and_number_words(label):
    assert _fields(f"{label}  RX-2026-0457\n").fields["invoice_number"] == "RX-2026-0457"


@pytest.mark.parametrize("label", ["Kunden-Nr.:", "Steuer-Nr.:", "Berechnungs-Nr.:",
                                   "Telefon-Nr.:", "Auftrags-Nr.:"])
def test_other_numbers_are_no_invoice_number(label):
    assert _fields(f"{label}  RX-2026-0457\n").fields["invoice_number"] is None


def test_a_title_names_its_number_and_the_letter_its_date():
    fields = _fields("RECHNUNG 0457/26\n\nKirchberg, den 03.02.2026\n").fields
    assert (fields["invoice_number"], fields["issue_date"]) == ("0457/26", "2026-02-03")


def test_a_number_word_counts_under_a_heading_about_the_document_only():
    document = "Rechnungsdaten\nNr.:      2026/10/5975\nDatum:    03.02.2026\n"
    customer = "Kundendaten\nNr.:      55120\n"
    assert _fields(document).fields["invoice_number"] == "2026/10/5975"
    assert _fields(document).fields["issue_date"] == "2026-02-03"
    assert _fields(customer).fields["invoice_number"] is None


def test_values_under_the_generic_labels_of_a_grid_but_not_a_tables_column():
    grid = ("    Rechnung          Datum          Kunde\n"
            "    A-104857          12.03.2026     K-55\n")
    table = ("Datum        Leistung          Betrag\n"
             "02.03.2026   Hausbesuch        20,00 €\n"
             "09.03.2026   Hausbesuch        20,00 €\n")
    fields = _fields(grid).fields
    assert (fields["invoice_number"], fields["issue_date"]) == ("A-104857", "2026-03-12")
    assert _fields(table).fields["issue_date"] != "2026-03-02" or (
        _fields(table).confidence["issue_date"] < 0.5)


@pytest.mark.parametrize(("label", "role"), [
    ("Rechnungsendbetrag", "total_gross"), ("Endsumme", "total_gross"),
    ("Gesamt inkl. MwSt.", "total_gross"), ("Total TTC", "total_gross"),
    ("Nettoentgelt", "total_net"), ("Summe ohne USt.", "total_net"), ("Total HT", "total_net"),
    ("+ 19 % USt.", "total_tax"), ("darin enthaltene MwSt. 7 %", "total_tax"),
    ("VAT @ 19%", "total_tax"), ("Versicherungsteuer 19 %", "total_tax"),
    ("Zu zahlender Betrag", "amount_due"), ("Net à payer", "amount_due"),
    ("Nachzahlung", "amount_due"),
])
def test_the_role_of_a_total_follows_from_the_words_it_is_made_of(label, role):
    assert roles(label)[0][0] == role


@pytest.mark.parametrize("label", ["abzgl. Anzahlung", "./. Anteil Pflegekasse",
                                   "Musterhafter", "USt-IdNr.", "Steuernummer", "Wegepauschale"])
def test_deductions_identifiers_and_plain_words_are_no_totals(label):
    assert roles(label) == []


def test_the_largest_consistent_totals_block_wins_over_its_rows():
    text = ("   Satz     Netto       MwSt.      Brutto\n"
            "   7 %      100,00 €    7,00 €     107,00 €\n"
            "   19 %     200,00 €    38,00 €    238,00 €\n\n"
            "             Zahlbetrag               345,00 €\n")
    fields = _fields(text).fields
    assert (fields["total_net"], fields["total_tax"], fields["total_gross"]) == (
        "300.00", "45.00", "345.00")


def test_tax_included_in_the_gross_and_an_exempt_invoice():
    included = "Fahrpreis gesamt      23,88 €\nenthaltene USt. (7 %)   1,56 €\n"
    fields = _fields(included).fields
    assert (fields["total_gross"], fields["total_tax"], fields["total_net"]) == (
        "23.88", "1.56", "22.32")
    exempt = _fields("Zu zahlender Betrag   340,55 €\nUmsatzsteuerfrei nach § 4 Nr. 16 UStG.\n")
    assert (exempt.fields["total_gross"], exempt.fields["total_tax"]) == ("340.55", "0.00")


SENDER = """\
Häusliche
Krankenpflege Koch
Ambulante Pflege · Betreuung · Beratung

 Abs.: Pflegedienst Koch GmbH, Am Markt 3, 42103 Talheim

 Stadt Ahlenfeld
 Sozialamt
 Rathausplatz 1
 59227 Ahlenfeld

Rechnung Nr. 4711 vom 03.02.2026
Gesamtbetrag          100,00 €

Pflegedienst Koch GmbH          Bankverbindung
Am Markt 3                      Volksbank Talheim eG
42103 Talheim                   IBAN DE02 1203 0000 0000 2020 51
"""


def test_the_seller_is_the_party_printed_in_several_places_never_its_bank_or_the_buyer():
    extraction = _fields(SENDER)
    assert extraction.fields["seller_name"] == "Pflegedienst Koch GmbH"
    assert extraction.confidence["seller_name"] >= 0.8  # sender line and footer agree


def test_an_iban_whose_country_ocr_parted_from_its_check_digits():
    found = find_ibans("IBAN DE 28 5206 0410 0323 2651 93   Steuernummer")
    assert [i.value for i in found] == ["DE28520604100323265193"]


def _hint(field: str, value: str, score: float):
    def source(lines):
        return [Candidate(field, value, score, "learned hint")]
    return source


def test_a_further_source_competes_with_the_labels():
    text = "Rechnung 0457/26\nIBAN DE02 1203 0000 0000 2020 51\n"
    assert _fields(text).fields["invoice_number"] == "0457/26"
    hinted = _fields(text, [_hint("invoice_number", "R-0457", 0.95)])
    assert hinted.fields["invoice_number"] == "R-0457"
    assert hinted.evidence["invoice_number"] == "learned hint"


def test_a_hint_its_checksum_refutes_is_dropped_not_obeyed():
    text = "IBAN DE02 1203 0000 0000 2020 51\n"
    hinted = _fields(text, [_hint("iban", "DE02120300000000202099", 0.99)])
    assert hinted.fields["iban"] == "DE02120300000000202051"


def test_a_title_with_number_and_date_names_both():
    fields = _fields("Rechnung 2026.0457 vom 03.02.26\n").fields
    assert (fields["invoice_number"], fields["issue_date"]) == ("2026.0457", "2026-02-03")


def test_an_iban_in_running_text_after_words_that_look_like_digits():
    # "tt" reads as look-alikes of "77": the shape search must not swallow the IBAN
    found = find_ibans("Betrag bitte auf Konto DE47520604100352819975 überweisen")
    assert [i.value for i in found] == ["DE47520604100352819975"]


def test_brutto_after_an_amount_starts_the_next_total_not_the_same():
    """'Brutto'/'Netto' after a label are passed over ('Summe netto 100,00'); after an amount
    they are the next total's label: the tax stays the tax."""
    fields = _fields("Rechnung Nr. 4711 vom 03.02.2026\n\n"
                     "Netto 100,00 EUR    MwSt. 19 % 19,00 EUR    Brutto 119,00 EUR\n").fields
    assert (fields["total_net"], fields["total_tax"], fields["total_gross"]) == (
        "100.00", "19.00", "119.00")
