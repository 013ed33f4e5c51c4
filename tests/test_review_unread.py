"""Exceptions whose original the bot could not read (bots.desk.unread): requested anew with a
German text, or — where the pages can be shown — entered by hand and filed with the original;
audited, and never back in the queue on the next run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from bots.desk import actions as review
from bots.desk import unread
from bots.desk.previews import Previews
from bots.pipeline.runner import run_once
from bots.wiring import folder_bot_for, open_config, open_context
from tests.conftest import SAMPLES
from tests.test_web_support import build_exceptions, efile_copies, ids_by_file

ENTERED = {"invoice_number": "2026-0412", "issue_date": "03.11.2026",
           "seller_name": "Lebenshilfe Nordstadt gGmbH", "seller_vat_id": "DE 811 234 565",
           "iban": "DE67 4145 0075 0031 0447 11", "buyer_reference": "05999-7120-95",
           "total_gross": "2.294,50"}


def blurred_scan(path: Path) -> Path:
    """A sample scan blurred past the quality gate: a person still reads its large print."""
    with Image.open(SAMPLES / "scan-lebenshilfe-2026-0412.png") as image:
        small = image.convert("L").resize((1240, 1754))
    small.filter(ImageFilter.GaussianBlur(5)).save(path)
    return path


@pytest.fixture
def unread_desk(tmp_path: Path):
    files = [blurred_scan(tmp_path / "unscharf.png"), SAMPLES / "leer.pdf",
             SAMPLES / "abgeschnitten.pdf", SAMPLES / "anschreiben.docx"]
    config = build_exceptions(tmp_path, files)
    ctx = open_context(open_config(config))
    yield ctx, ids_by_file(config)
    ctx.ledger.close()


def test_unread_originals_are_requested_anew_in_german_and_stay_closed(unread_desk):
    ctx, ids = unread_desk
    empty, cut, letter = (ctx.ledger.get(ids[n]) for n in
                          ("leer.pdf", "abgeschnitten.pdf", "anschreiben.docx"))
    assert empty.reason_detail == "Die Datei ist leer (0 Byte)."
    scan_request = unread.request_of(ctx, empty)
    assert scan_request.addressee == unread.REGISTRY
    assert "neu scannen" in scan_request.text and "die Datei ist leer" in scan_request.text
    sender = unread.request_of(ctx, cut)
    assert sender.addressee == unread.SENDER
    assert "beschädigt oder wurde unvollständig übertragen" in sender.text
    assert "das Dateiformat .docx können wir nicht" in unread.request_of(ctx, letter).text

    with pytest.raises(review.ReviewError, match="Grund"):
        unread.request_anew(ctx, empty.id, "  ", actor="anna")
    done = unread.request_anew(ctx, empty.id, scan_request.text, actor="anna")
    assert done.message.startswith("Neu angefordert bei der Registratur.")
    audit = ctx.ledger.audit_rows(empty.id)[-1]
    assert (audit["actor"], audit["event"], audit["to_state"]) == \
        ("anna", "requested_anew", "rejected")
    assert audit["detail"]["text"] == scan_request.text
    with pytest.raises(review.ReviewError, match="nicht abgelegt werden"):
        review.assign(ctx, cut.id, "wagner", actor="anna")  # nothing read: nothing to file

    shutil.copy(SAMPLES / "leer.pdf", ctx.config.folders[0].path / "leer.pdf")
    run_once(ctx, folder_bot_for(ctx))  # the same empty file again: not a new exception
    assert ctx.ledger.get(empty.id).state == "rejected"
    assert {r.id for r in ctx.ledger.all_documents() if r.state == "exception"} == \
        {ids["unscharf.png"], cut.id, letter.id}


def test_fields_of_a_blurred_scan_entered_by_hand_are_filed_with_the_original(unread_desk):
    ctx, ids = unread_desk
    doc = ids["unscharf.png"]
    row = ctx.ledger.get(doc)
    assert row.reason == "unreadable" and unread.is_unread(row)
    pages = Previews().page_count(ctx.store, row)
    assert pages == 1
    with pytest.raises(review.ReviewError) as refused:
        unread.enter_by_hand(ctx, doc, {"invoice_number": "2026-0412"}, pages=pages,
                             actor="anna")
    assert refused.value.field_errors["total_gross"] == "Rechnungsbetrag: Pflichtangabe."
    with pytest.raises(review.ReviewError, match="nicht anzeigen"):
        unread.enter_by_hand(ctx, ids["leer.pdf"], ENTERED, pages=0, actor="anna")

    result = unread.enter_by_hand(ctx, doc, ENTERED, pages=pages, actor="anna")
    assert (result.state, result.queue) == ("filed", "hoffmann")  # Becker absent: deputy
    [pdf] = efile_copies(ctx.config.config_file, doc)
    assert pdf.read_bytes().startswith(b"%PDF")
    sidecar = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["fields"]["total_gross"] == "2294.50"
    assert sidecar["evidence"]["invoice_number"] == "von Hand erfasst"
    events = [(a["actor"], a["event"]) for a in ctx.ledger.audit_rows(doc)]
    assert ("anna", "entered_by_hand") in events and events[-1] == ("bot", "filed")

    assert run_once(ctx, folder_bot_for(ctx)) == []  # nothing comes back
    assert ctx.ledger.get(doc).state == "filed"
    assert len(efile_copies(ctx.config.config_file, doc)) == 1
