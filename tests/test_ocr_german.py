"""German (and English) numbers and dates as invoices print them."""

import pytest

from ocr.german import find_amounts, find_dates, parse_amount, parse_date, slash_dates_day_first


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("12.345.678,90 €", "12345678.90"),
        ("-7,67", "-7.67"),
        ("\u2212 12,00", "-12.00"),
        ("7,67-", "-7.67"),
        ("0,00 EUR", "0.00"),
        ("EUR 529,87", "529.87"),
    ],
)
def test_amounts(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "01.03.2026",
        "9,9000",
        "1.000",
        "1.234.56",
        "1,234,56",
        "19 %",
        "DE02 1203 0000 0000 2020 51",
    ],
)
def test_no_amounts_in(text):
    assert find_amounts(text) == []


def test_amounts_in_a_line_in_order():
    line = "Steuerbasisbetrag USt. 19%        198,00        37,62"
    assert [found.value for found in find_amounts(line)] == ["198.00", "37.62"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("01.03.2026", "2026-03-01"),
        ("1.3.26", "2026-03-01"),
        ("1. März 2026", "2026-03-01"),
        ("1. Maerz 2026", "2026-03-01"),
        ("01. Mrz. 2026", "2026-03-01"),
        ("5. Mai 2026", "2026-05-05"),
        ("24. Januar 2014", "2014-01-24"),
        ("2026-03-01", "2026-03-01"),
        ("1 March 2026", "2026-03-01"),
        ("March 1, 2026", "2026-03-01"),
        ("13/11/2017", "2017-11-13"),
        ("31.12.99", "1999-12-31"),
    ],
)
def test_dates(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize(
    "text", ["31.02.2026", "32.01.2026", "1.13.2026", "2026-13-01", "1.234,56"]
)
def test_no_dates_in(text):
    assert find_dates(text) == []


def test_dates_in_a_sentence():
    text = "Zahlbar innerhalb 30 Tagen netto bis 04.04.2013, 3% Skonto innerhalb 10 Tagen bis 15.03.2013"
    assert [found.value for found in find_dates(text)] == ["2013-04-04", "2013-03-15"]


def test_slashed_dates_are_day_first_unless_the_document_shows_otherwise():
    assert slash_dates_day_first("Date 11/03/2017  Due 12/03/2017")
    assert slash_dates_day_first("Date 13/11/2017  paid 11/03/2017")
    us = "Invoice Date 11/03/2017\nPaid 11/17/2017"
    assert not slash_dates_day_first(us)
    assert parse_date("11/03/2017", day_first=False) == "2017-11-03"
