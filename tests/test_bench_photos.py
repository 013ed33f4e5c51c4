"""A short run of bench/photos.py (the benchmark itself photographs every corpus invoice at
three levels): the test invoice photographed at the mild and medium levels, scored by the
benchmark against a clean render of the same page."""

import io

import numpy as np
from pdf2image import convert_from_bytes
from PIL import Image

from bench.photo_set import photograph
from bench.photos import KEY_FIELDS, Sample, score
from ocr.extract import extract
from ocr.model import ReadError
from ocr.read import read_documents
from tests.ocr_helpers.invoices import InvoiceSpec, invoice_pdf

# gGmbH is read differently on different CPUs (tests/test_ocr_readers.py): not scored here
SCORED = tuple(name for name in KEY_FIELDS if name != "seller_name")


def _row() -> dict:
    fields = {name: value for name, value in InvoiceSpec().expected().items()
              if name in SCORED}
    return {"file": "test-invoice", "group": "test", "fields": fields,
            "visible": dict.fromkeys(fields, True)}


def test_mild_and_medium_photos_reach_the_clean_render():
    page = np.asarray(convert_from_bytes(invoice_pdf(), dpi=300)[0].convert("RGB"))
    clean = io.BytesIO()
    Image.fromarray(page).convert("L").save(clean, "PNG", dpi=(300, 300))
    row = _row()
    samples = [Sample(row, "clean", clean.getvalue())]
    for level in ("mild", "medium"):
        for seed in (21, 22):
            data, shot = photograph(page, 300, level, seed)
            samples.append(Sample(row, level, data, shot))
    readings = read_documents([sample.data for sample in samples], jobs=2)
    results = [r if isinstance(r, ReadError) else extract(r) for r in readings]
    tallies = score(samples, results, [])
    clean_share = tallies["clean"]["all"].right / tallies["clean"]["all"].weight
    assert clean_share == 1.0
    for level in ("mild", "medium"):
        tally = tallies[level]["all"]
        assert tally.right / tally.weight >= 0.95 * clean_share, level
        assert tally.high_right == tally.high  # never wrong at confidence >= 0.9
