"""The quality gate: pages a person would call blurred, dark, faint, low-resolution, cut off
or blank are refused before OCR with the registry's German reason; legible scans pass."""

import cv2
import numpy as np
import pytest
from PIL import Image

from ocr import quality
from ocr.extract import extract
from ocr.model import ReadError
from ocr.read import read_document
from tests.ocr_helpers.invoices import (
    InvoiceSpec,
    degrade,
    image_pdf,
    invoice_pdf,
    render,
    to_bytes,
)


@pytest.fixture(scope="module")
def page() -> Image.Image:
    """A scanned-looking A5 invoice page at 300 dpi."""
    return degrade(render(invoice_pdf())[0], angle=1.0, noise=6.0)


def _refusal(data: bytes) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_document(data)
    assert caught.value.code == "unreadable"
    return caught.value


def _pixels(page: Image.Image) -> np.ndarray:
    return np.asarray(page, dtype=np.float32)


def _image(pixels: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def test_a_legible_scan_passes(page):
    gray = np.asarray(page)
    assert quality.check(gray, 300) is None
    assert not quality.is_blank(quality.levels(gray))


def test_a_blurred_page_is_refused_with_its_reason(page):
    blurred = _image(cv2.GaussianBlur(_pixels(page), (0, 0), 4.0))
    error = _refusal(to_bytes([blurred], "PNG"))
    assert error.detail == "Scan unscharf – bitte neu scannen"
    assert "blurred" in error.message


def _at_dpi(page: Image.Image, dpi: int) -> Image.Image:
    size = (page.width * dpi // 300, page.height * dpi // 300)
    return page.resize(size, Image.Resampling.LANCZOS)


def test_a_legible_100_dpi_copy_is_scaled_up_and_read(page):
    """A messenger's copy or a coarse scan under 150 dpi whose letters are still legible."""
    expected = InvoiceSpec().expected()
    for data in (to_bytes([_at_dpi(page, 100)], "PNG", dpi=100),
                 image_pdf([_at_dpi(page, 100)], dpi=100)):
        fields = extract(read_document(data)).fields
        assert (fields["invoice_number"], fields["total_gross"]) == (
            expected["invoice_number"], expected["total_gross"])


def test_a_page_whose_letters_are_too_small_to_read_is_refused(page):
    reason = "Auflösung zu gering, Schrift nicht lesbar – bitte mit 300 dpi neu scannen"
    assert _refusal(to_bytes([_at_dpi(page, 40)], "PNG", dpi=40)).detail == reason
    assert _refusal(image_pdf([_at_dpi(page, 40)], dpi=40)).detail == reason


def test_a_cut_off_page_is_refused(page):
    cut = page.crop((0, 0, int(page.width * 0.45), page.height))  # the right side is missing
    assert _refusal(to_bytes([cut], "PNG")).detail == "Seite abgeschnitten"


def test_a_dark_and_a_faint_page_are_refused(page):
    dark = _image(_pixels(page) * 0.3)
    assert _refusal(to_bytes([dark], "PNG")).detail.startswith("Scan zu dunkel")
    faint = _image(200 + _pixels(page) * 0.2)
    assert _refusal(to_bytes([faint], "PNG")).detail.startswith("Scan zu hell")


def test_a_blank_document_is_unreadable_and_its_reason_says_so():
    noise = np.random.default_rng(3).normal(235, 4, (1748, 1240))
    assert _refusal(to_bytes([_image(noise)], "PNG")).detail == (
        "Leere Seite – kein Inhalt erkennbar")


def test_one_weak_page_does_not_refuse_the_pages_that_read_well(page):
    blurred = _image(cv2.GaussianBlur(_pixels(page), (0, 0), 4.0))
    reading = read_document(to_bytes([page, blurred], "TIFF"))
    assert reading.warnings == ("Seite 2 nicht gelesen: Scan unscharf – bitte neu scannen",)
    assert reading.pages == 2 and {word.page for word in reading.words} == {1}
    assert extract(reading).fields["invoice_number"] == InvoiceSpec().number


def test_the_reason_names_the_page_when_no_page_reads_well(page):
    blurred = _image(cv2.GaussianBlur(_pixels(page), (0, 0), 4.0))
    error = _refusal(to_bytes([blurred, blurred], "TIFF"))
    assert error.detail == "Scan unscharf – bitte neu scannen (Seite 1)"
