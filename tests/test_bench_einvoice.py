"""A short run of bench/einvoice.py's end-to-end part (the benchmark itself runs 400+): unique
corpus XML e-invoices through intake and two worker processes, each filed once with its
readable PDF."""

import json

import pytest

from bench.einvoice import end_to_end, with_number
from tests.conftest import CORPUS


def _corpus_xmls() -> list[bytes]:
    truth = CORPUS / "truth.jsonl"
    if not truth.is_file():
        pytest.skip(f"no corpus at {CORPUS}")
    rows = [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [(CORPUS / row["file"]).read_bytes() for row in rows if row["kind"] != "zugferd-pdf"]


def test_with_number_makes_a_new_invoice_of_the_same_content():
    xmls = _corpus_xmls()[:6]
    for xml in xmls:
        changed = with_number(xml, "-B7")
        assert changed != xml and len(changed) == len(xml) + 3


def test_end_to_end_files_every_benchmark_invoice_once_with_its_readable_pdf(tmp_path):
    result = end_to_end(_corpus_xmls()[:12], 16, 2, tmp_path)
    assert result["outcomes"] == {"filed": 16}
    assert result["filed_pdfs"] == 16
    assert result["processing_per_s"] > 0
    assert not any(tmp_path.iterdir())  # the temporary ledger, store and e-file are gone
