"""Batch scans: a stack of invoices scanned into one file is cut at separator sheets (or,
if configured, at blank pages) into one document per invoice, each linked to the batch in
the ledger; born-digital PDFs are never cut."""

from __future__ import annotations

import io
import json

import cv2
import numpy as np
import pytest
from pypdf import PdfReader

from bots.pipeline import batch_read
from bots.pipeline.runner import take_all_present
from bots.pipeline.work import process_leased
from bots.storage.ledger import document_id_for
from bots.storage.store import sha256_of
from bots.wiring import folder_bot_for, open_config, open_context
from ocr.batch import split_batch
from ocr.pages import pdf_page_image
from tests.conftest import write_bot_config
from tests.ocr_helpers.batches import blank_page, invoice_pages, jpeg, scanner_pdf, separator_page
from tests.ocr_helpers.invoices import invoice_pdf

SEPARATOR = "RBOT-TRENNBLATT"


@pytest.fixture(scope="module")
def invoices():
    return [invoice_pages("RE-2026-0501"), invoice_pages("RE-2026-0502", pages=2, seed=3),
            invoice_pages("RE-2026-0503", seed=5)]


@pytest.fixture(scope="module")
def batch(invoices) -> bytes:
    """Invoice 1, separator, invoice 2 (two pages), separator, invoice 3."""
    sheet = separator_page()
    first, second, third = invoices
    return scanner_pdf([*first, sheet, *second, sheet, *third])


def test_a_three_invoice_batch_is_cut_at_its_separator_sheets(batch, invoices, tmp_path):
    parts = split_batch(batch, separator_text=SEPARATOR)
    assert [p.pages for p in parts] == [(1,), (3, 4), (6,)]
    assert all(p.suffix == ".pdf" for p in parts)
    path = tmp_path / "part.pdf"
    for part, pages in zip(parts, invoices, strict=True):
        assert len(PdfReader(io.BytesIO(part.data)).pages) == len(pages)
        path.write_bytes(part.data)  # the pages as scanned, not rendered again
        scanned = cv2.imdecode(np.frombuffer(jpeg(pages[0]), np.uint8), cv2.IMREAD_GRAYSCALE)
        assert np.array_equal(pdf_page_image(path, 1), scanned)


def test_another_separator_text_cuts_nothing(batch):
    assert split_batch(batch, separator_text="ANDERER-CODE") is None


def test_blank_pages_cut_only_when_configured(invoices):
    first, _, third = invoices
    stack = scanner_pdf([*first, blank_page(first[0]), *third])
    assert split_batch(stack, separator_text=SEPARATOR) is None
    parts = split_batch(stack, separator_text=SEPARATOR, at_blank_pages=True)
    assert [p.pages for p in parts] == [(1,), (3,)]


def test_a_born_digital_pdf_is_never_cut():
    assert split_batch(invoice_pdf(pages=3), separator_text=SEPARATOR) is None


def test_the_folder_bot_files_each_invoice_of_a_batch_on_its_own(batch, tmp_path):
    batch_read._ahead.clear()  # readings other tests' clerk corrections kept in this process
    config = write_bot_config(tmp_path, settle_seconds=0.0)
    ctx = open_context(open_config(config))
    (tmp_path / "inbox" / "stapel.pdf").write_bytes(batch)
    receipts = take_all_present(folder_bot_for(ctx), max_wait=5)

    batch_id = document_id_for(sha256_of(batch))
    rows = [ctx.ledger.get(r.document_id) for r in receipts]
    assert [r.original_name for r in rows] == [
        f"stapel – Teil {n} von 3.pdf" for n in (1, 2, 3)]
    assert {r.parent_id for r in rows} == {batch_id}
    assert ctx.store.read(sha256_of(batch)) == batch  # the batch itself is kept
    with ctx.ledger.transaction() as db:
        metas = [json.loads(m) for (m,) in db.execute(
            "SELECT meta_json FROM receipts ORDER BY id").fetchall()]
    assert [m["batch"]["pages"] for m in metas] == [[1], [3, 4], [6]]
    assert {m["batch"]["id"] for m in metas} == {batch_id}

    first = process_leased(ctx, rows[0].id)  # reads its two siblings in the same pass
    assert set(batch_read._ahead) == {rows[1].sha256, rows[2].sha256}
    outcomes = [first] + [process_leased(ctx, r.id) for r in rows[1:]]
    assert [(o.outcome, o.caseworker) for o in outcomes] == [("filed", "becker")] * 3
    assert batch_read._ahead == {}
    numbers = [ctx.ledger.get(r.id).invoice["fields"]["invoice_number"] for r in rows]
    assert numbers == ["RE-2026-0501", "RE-2026-0502", "RE-2026-0503"]
    filed = PdfReader(ctx.ledger.get(rows[1].id).filed_path)
    assert len(filed.pages) == 2 and "RE-2026-0502" in filed.pages[0].extract_text()
