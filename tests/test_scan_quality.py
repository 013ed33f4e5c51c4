"""The quality gate: pages a person would call blurred, dark, faint, low-resolution, cut off
or blank are refused before OCR with the registry's German reason; legible scans pass."""

import cv2
import numpy as np
import pytest
from PIL import Image

from ocr import quality
from ocr.model import ReadError
from ocr.read import read_document
from tests.ocr_helpers.invoices import degrade, image_pdf, invoice_pdf, render, to_bytes


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


def test_a_page_under_150_dpi_is_refused(page):
    small = page.resize((page.width // 3, page.height // 3), Image.Resampling.LANCZOS)
    assert _refusal(to_bytes([small], "PNG", dpi=100)).detail == (
        "Auflösung zu gering (unter 150 dpi)")


def test_a_scanned_pdf_page_under_150_dpi_is_refused(page):
    small = page.resize((page.width // 3, page.height // 3), Image.Resampling.LANCZOS)
    error = _refusal(image_pdf([small], dpi=100))
    assert error.detail == "Auflösung zu gering (unter 150 dpi)"


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


def test_the_reason_names_the_page_of_a_longer_scan(page):
    blurred = _image(cv2.GaussianBlur(_pixels(page), (0, 0), 4.0))
    error = _refusal(to_bytes([page, blurred], "TIFF"))
    assert error.detail == "Scan unscharf – bitte neu scannen (Seite 2)"
