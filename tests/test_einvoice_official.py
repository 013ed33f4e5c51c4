"""The bot's verdict on e-invoices is the official rules' verdict: on the corpus and on
invoices made invalid on purpose (seeded mutations of valid UBL, CII and ZUGFeRD PDF
invoices, bench/einvoice_mutations.py), compared file for file with the oracle that runs
the official XSLT directly (bench/einvoice_oracle.py). The full mutation set is the bench's
(`bench/einvoice_mutations.py`); here a few dozen on the shipped samples. The vendored
compiled rules are what scripts/build_einvoice_rules.py makes from the vendored sources."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from bench.corpus import truth_rows
from bench.einvoice_mutations import Case, cases_of, judge
from bench.einvoice_oracle import Oracle
from ocr.read import read_document
from tests.conftest import CORPUS, REPO, SAMPLES

BASES = {"ubl": "xrechnung-abendrot-2026-0461-ubl.xml",
         "cii": "xrechnung-dolmetscher-albers-2026-117-cii.xml",
         "zugferd": "zugferd-sanitaetshaus-vogt-2026-3402.pdf"}


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    return Oracle()


def _mutants() -> list:
    return [pytest.param(case, id=f"{base}-{case.name.split()[1]}")
            for base, name in BASES.items()
            for case in cases_of(name, (SAMPLES / name).read_bytes(), range(1))]


def _published() -> list:
    rows = truth_rows(CORPUS)
    if rows is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"))]
    return [pytest.param(row, id=Path(row["file"]).name) for row in rows
            if row.get("syntax") != "zugferd1"]  # ZUGFeRD 1.0 has no official Schematron


def test_every_syntax_has_its_mutations():
    names = {base: {param.id.split("-", 1)[1] for param in _mutants()
                    if param.id.startswith(base)} for base in BASES}
    assert {"vat-tax-amount", "vat-category-code-line", "country-code", "seller-name",
            "buyer-name", "seller-country", "negative-item-price", "vat-id-without-prefix",
            "specification-missing", "type-code-missing", "amount-due"} <= names["ubl"]
    assert {"standard-to-zero-rated", "standard-to-reverse-charge", "invoice-number-missing",
            "payment-means-code-missing", "lines-missing", "date-format"} <= names["cii"]
    assert len(names["zugferd"]) >= 15 and "exempt-without-reason" in names["ubl"]


@pytest.mark.parametrize("case", _mutants())
def test_a_mutation_breaks_its_rules_and_the_bot_names_exactly_the_official_ones(case, oracle):
    bot_valid, bot_errors, valid, errors = judge(case, oracle)
    assert not valid and case.breaks <= errors  # the mutation does what it says
    assert (bot_valid, bot_errors) == (valid, errors)


@pytest.mark.parametrize("row", _published())
def test_corpus_verdict_and_fatal_rule_ids_are_the_official_ones(row, oracle):
    data = (CORPUS / row["file"]).read_bytes()
    pdf = data.startswith(b"%PDF")
    case = Case(row["file"], data, read_document(data).xml if pdf else None)
    bot_valid, bot_errors, valid, errors = judge(case, oracle)
    assert (bot_valid, bot_errors) == (valid, errors)


def test_vendored_compiled_rules_are_what_the_build_makes_from_the_sources():
    spec = importlib.util.spec_from_file_location(
        "build_einvoice_rules", REPO / "scripts" / "build_einvoice_rules.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    versions = json.loads(build.VERSIONS.read_text(encoding="utf-8"))
    for name, text in build.build(versions).items():
        assert (build.COMPILED / name).read_text(encoding="utf-8") == text, name
