"""The limited renderer (issue #14, items 2 and 7): a huge page box is refused before
rendering (the bot) or shown at a resolution within the pixel limit (the desk); nested
drawing objects end at the time limit, leave no process behind, and are rendered once however
many clerks open the page at the same time."""

from __future__ import annotations

import io
import json
import os
import subprocess
import threading
import time

import pytest
from PIL import Image

from bench.hostile_pdfs import huge_page, nested_forms
from bots.desk.previews import Previews
from bots.intake.register import Incoming, take
from bots.storage.ledger import Ledger
from bots.storage.store import Store
from ocr.model import ReadError
from ocr.read import read_document
from ocr.render import Limits, render_page
from tests.conftest import run_bot, write_bot_config


def _renderers() -> list[str]:
    """The renderers this test process started that are still running."""
    found = subprocess.run(["pgrep", "-P", str(os.getpid()), "pdftoppm"], capture_output=True,
                           text=True)
    return found.stdout.split()


def _row(tmp_path, data: bytes):
    ledger, store = Ledger(tmp_path / "l.sqlite3"), Store(tmp_path / "store")
    receipt = take(Incoming(data, "upload", "x.pdf", f"k:{len(data)}"), ledger, store)
    return ledger.get(receipt.document_id), store


def test_a_huge_page_is_refused_before_rendering(tmp_path):
    path = tmp_path / "huge.pdf"
    path.write_bytes(huge_page(200))
    started = time.monotonic()
    with pytest.raises(ReadError) as refused:
        render_page(path, 1, 300)
    assert refused.value.code == "too_large" and "Megapixel" in refused.value.detail
    assert time.monotonic() - started < 5


def test_the_bot_makes_a_huge_page_a_too_large_reading():
    with pytest.raises(ReadError) as refused:
        read_document(huge_page(100), lang="deu", dpi=300)
    assert refused.value.code == "too_large"


def test_nested_drawing_objects_end_at_the_time_limit(tmp_path):
    path = tmp_path / "nested.pdf"
    path.write_bytes(nested_forms())
    started = time.monotonic()
    with pytest.raises(ReadError) as refused:
        render_page(path, 1, 110, fmt="png", limits=Limits(timeout=2))
    assert refused.value.code == "corrupt"
    assert time.monotonic() - started < 6
    assert _renderers() == []


def test_the_desk_renders_a_hostile_page_once_for_four_clerks(tmp_path):
    row, store = _row(tmp_path, nested_forms())
    previews = Previews(limits=Limits(max_megapixels=25, timeout=2))
    assert previews.page_count(store, row) == 1
    answers = []
    clerks = [threading.Thread(target=lambda: answers.append(previews.png(store, row, 1)))
              for _ in range(4)]
    started = time.monotonic()
    for clerk in clerks:
        clerk.start()
    at_once = 0
    while any(clerk.is_alive() for clerk in clerks):
        at_once = max(at_once, len(_renderers()))
        time.sleep(0.1)
    assert answers == [None] * 4
    assert at_once == 1 and time.monotonic() - started < 3.9  # one render of 2 s, not four
    again = time.monotonic()
    assert previews.png(store, row, 1) is None and time.monotonic() - again < 0.5
    assert _renderers() == []


def test_the_desk_shows_a_huge_page_within_the_pixel_limit(tmp_path):
    row, store = _row(tmp_path, huge_page(200))
    png = Previews(limits=Limits(max_megapixels=25, timeout=20)).png(store, row, 1)
    assert png.startswith(b"\x89PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert 20_000_000 < width * height <= 25_000_000


def test_the_configured_pixel_limit_holds_in_the_ocr_workers(tmp_path):
    """limits.max_megapixels, not a built-in 89 MP, decides for every page image: a PDF page
    of 36 MP and a 25 MP picture are refused at 20 MP, before rendering or decoding."""
    picture = io.BytesIO()
    Image.new("1", (5000, 5000), 1).save(picture, "PNG")
    for data in (huge_page(20), picture.getvalue()):
        with pytest.raises(ReadError) as refused:
            read_document(data, lang="deu", dpi=300, max_megapixels=20)
        assert refused.value.code == "too_large" and "20 Megapixel" in refused.value.detail


def test_the_bot_passes_its_pixel_limit_to_the_readers(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.0,
                              extra={"limits": {"max_megapixels": 20}})
    (tmp_path / "inbox" / "gross.pdf").write_bytes(huge_page(20))
    result = run_bot("--config", str(config), "run", "--once", "--json", timeout=120)
    [outcome] = json.loads(result.stdout)
    assert (outcome["outcome"], outcome["reason"]) == ("exception", "too_large")
