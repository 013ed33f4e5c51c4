"""The layout corpus (samples/layouts): a fixed split of families, reproducible invoices, and
ground truth that the printed page really shows."""

from decimal import Decimal

from stdnum import iban
from stdnum.eu import vat

from ocr.pdftext import pdf_text
from samples.layouts.corpus import specimen, specimens
from samples.layouts.families import FAMILIES


def test_the_split_is_fixed_and_no_family_is_in_both_groups():
    tuning = {family.name for family in FAMILIES["tuning"]}
    test = {family.name for family in FAMILIES["test"]}
    assert not tuning & test
    assert len(tuning) == len(FAMILIES["tuning"]) and len(test) == len(FAMILIES["test"])
    assert all(name.startswith("t-") for name in tuning)
    assert all(name.startswith("x-") for name in test)
    trades = {family.trade for family in FAMILIES["test"]}
    assert {"care", "craft", "taxi", "therapy", "utility", "medical"} <= trades


def test_the_same_seed_makes_the_same_invoice():
    family = FAMILIES["test"][0]
    first, again = specimen(family, "test", 3, 11), specimen(family, "test", 3, 11)
    assert first.pdf == again.pdf and first.truth == again.truth
    assert specimen(family, "test", 4, 11).truth != first.truth


def test_the_truth_is_printed_and_checks_out():
    for case in specimens("tuning", 1) + specimens("test", 1):
        truth = case.truth
        text = " ".join(pdf_text(case.pdf).split())
        assert truth["invoice_number"] in text, case.name
        assert iban.is_valid(truth["iban"]), case.name
        assert truth["seller_vat_id"] is None or vat.is_valid(truth["seller_vat_id"])
        net, tax, gross = (Decimal(truth[n]) for n in ("total_net", "total_tax", "total_gross"))
        assert net + tax == gross and Decimal(truth["amount_due"]) <= gross, case.name
