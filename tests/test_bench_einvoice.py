"""A short run of bench/einvoice.py's end-to-end part (the benchmark itself runs 400+): unique
corpus XML e-invoices through intake and two worker processes, each filed once with its
readable PDF."""


import pytest

from bench.corpus import truth_rows
from bench.einvoice_e2e import end_to_end, with_number
from tests.conftest import CORPUS

pytest_plugins = ["tests.pg_fixtures"]


def _corpus_xmls() -> list[bytes]:
    rows = truth_rows(CORPUS)
    if rows is None:
        pytest.skip(f"no corpus at {CORPUS}")
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


def test_end_to_end_on_a_postgresql_ledger_files_each_invoice_once(tmp_path, pg_cluster):
    result = end_to_end(_corpus_xmls()[:12], 16, 2, tmp_path, server=pg_cluster.url())
    assert result["outcomes"] == {"filed": 16}
    assert result["filed_pdfs"] == 16
    assert not any(tmp_path.iterdir())
    with pg_cluster.admin() as admin:  # its database is gone again
        assert [r[0] for r in admin.execute("SELECT datname FROM pg_database WHERE datname"
                                             " LIKE 'bench_einvoice%'")] == []
