"""A short run of bench/cpu.py: the CPU seconds of the scan path and of bare Tesseract on
one page, the Tesseract child processes' time included."""

from bench.cpu import bare_cpu, scan_cpu
from tests.ocr_helpers.invoices import invoice_pdf, render, to_bytes


def test_the_cpu_seconds_of_both_include_tesseracts_own():
    jpeg = to_bytes(render(invoice_pdf()), "JPEG")
    scan_s, refused = scan_cpu([jpeg], "deu+eng")
    bare_s = bare_cpu([jpeg], "deu+eng")
    assert refused == 0
    # Tesseract needs about a CPU second for the page; its process is a child of ours, and
    # without its time each would measure a few hundredths (the Python around it)
    assert bare_s > 0.3
    assert scan_s > 0.5 * bare_s  # the scan path's Tesseract is counted too
