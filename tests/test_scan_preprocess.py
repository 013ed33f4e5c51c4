"""Each preprocessing step on images the tests make: orientation, dark borders, binarising,
resolution, and the page image taken out of a scanner's PDF; pages turned by 90 and 180
degrees are read upright."""

import img2pdf
import numpy as np
import pytest
from PIL import Image

from bench.ocr import Degradation
from bench.ocr import degrade as scanner_degrade
from ocr import orientation, preprocess
from ocr.extract import extract
from ocr.pages import PageGeometry, pdf_page_image, plan_pdf_pages
from ocr.read import read_document
from ocr.resolution import image_dpi, letter_dpi, photo_dpi, sheet_dpi
from tests.ocr_helpers.invoices import (
    InvoiceSpec,
    degrade,
    image_pdf,
    invoice_pdf,
    render,
    to_bytes,
)

EXPECTED = InvoiceSpec().expected()


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return degrade(render(invoice_pdf())[0], angle=1.2, noise=8.0)


def _turned(image: Image.Image, degrees: int) -> Image.Image:
    """The page turned clockwise, as a scanner delivers a sheet put in sideways."""
    return image.rotate(-degrees, expand=True)


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_orientation_finds_the_turn_that_makes_the_page_upright(page, degrees):
    gray = np.asarray(_turned(page, degrees))
    prepared = preprocess.prepare(gray, 300)
    assert prepared.turn == (360 - degrees) % 360
    assert prepared.image.shape == np.asarray(page).shape
    assert orientation.up_down_balance(orientation.ink(prepared.image)) > 0.1


def test_without_the_orientation_step_nothing_is_turned(page):
    gray = np.asarray(_turned(page, 180))
    assert preprocess.prepare(gray, 300, frozenset({"deskew"})).turn == 0


@pytest.mark.parametrize("degrees", [90, 180])
def test_a_turned_page_is_read_upright(page, degrees):
    reading = read_document(to_bytes([_turned(page, degrees)], "PNG"))
    fields = extract(reading).fields
    assert [fields[f] for f in ("invoice_number", "total_gross", "iban")] == [
        EXPECTED[f] for f in ("invoice_number", "total_gross", "iban")]
    words = [w for w in reading.words if w.text == "Gesamtbetrag"]
    assert words and words[0].width > 3 * words[0].height  # a horizontal word: upright


def test_dark_scanner_borders_are_painted_in_the_paper_gray(page):
    gray = np.asarray(page).copy()
    gray[:, :60] = 20  # the scanner lid beside the sheet
    gray[-40:, :] = 25
    cleaned, found = preprocess.whiten_borders(gray)
    paper = preprocess.paper_level(gray)
    assert found
    assert abs(int(np.median(cleaned[:, :60])) - paper) < 10
    assert abs(int(np.median(cleaned[-40:, :])) - paper) < 10
    inner = (slice(100, -100), slice(100, -100))
    assert np.array_equal(cleaned[inner], gray[inner])  # the print is untouched


def test_a_page_without_borders_is_left_as_it_is(page):
    gray = np.asarray(page)
    cleaned, found = preprocess.whiten_borders(gray)
    assert not found and cleaned is gray


def test_binarising_leaves_black_print_on_white(page):
    clean = preprocess.prepare(np.asarray(page), 300, frozenset({"binarise"})).ocr
    assert set(np.unique(clean)) == {0, 255}
    assert 0.002 < np.mean(clean == 0) < 0.2


def test_denoising_smooths_grain():
    grain = np.random.default_rng(5).normal(220, 12, (400, 400)).clip(0, 255).astype(np.uint8)
    assert preprocess.denoise(grain, 300).std() < grain.std() / 2


def test_letters_tell_the_resolution_when_the_file_does_not(page):
    gray = np.asarray(page)
    assert letter_dpi(gray) == pytest.approx(300, rel=0.25)
    half = np.asarray(page.resize((page.width // 2, page.height // 2)))
    assert letter_dpi(half) == pytest.approx(150, rel=0.25)
    assert image_dpi(gray, 72) == letter_dpi(gray)  # a photo declared 72 dpi
    assert image_dpi(gray, 300) == 300


def test_a_whole_a4_sheet_gives_its_resolution_where_small_print_would_not(page):
    """Print at half its usual size on an A4 sheet at 300 dpi: the letters alone suggest
    far less, the sheet's size says 300 (a photo's sheet, straightened). The test invoice
    is A5: as a whole sheet its size says too little, and its letters are believed."""
    gray = np.asarray(page)
    small_print = np.full((3508, 2480), 255, np.uint8)
    half = np.asarray(page.resize((page.width // 2, page.height // 2)))
    small_print[: half.shape[0], : half.shape[1]] = half
    assert letter_dpi(small_print) < 0.75 * sheet_dpi(small_print)
    assert sheet_dpi(small_print) == pytest.approx(300, rel=0.02)
    assert photo_dpi(small_print, whole_sheet=True) == sheet_dpi(small_print)
    assert photo_dpi(small_print, whole_sheet=False) == letter_dpi(small_print)
    assert sheet_dpi(small_print[: small_print.shape[1] // 2]) is None  # no A4 shape
    assert photo_dpi(gray, whole_sheet=True) == letter_dpi(gray) > sheet_dpi(gray)


def test_a_scanner_pdf_page_is_taken_out_not_rendered(page, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(image_pdf([page]))
    [plan] = plan_pdf_pages(path, [PageGeometry(page.width * 72 / 300, page.height * 72 / 300, 0)])
    assert plan.direct and plan.scan_dpi == 300
    assert np.array_equal(pdf_page_image(path, 1), np.asarray(page))  # PNG: lossless
    [turned] = plan_pdf_pages(path, [PageGeometry(page.width * 72 / 300,
                                                  page.height * 72 / 300, 90)])
    assert not turned.direct  # a /Rotate page is rendered as shown


def test_a_scan_with_dark_borders_is_not_taken_for_uneven_light():
    """Dividing by the paper's brightness would brighten the lid into a gray frame that
    reads as text lines running sideways: the borders go first, the page is read upright."""
    how = Degradation(angles=(-1.75,), paper=231, ink=27, grain=7.7, blur=1.08, jpeg=70,
                      turn=0, border=68, seed=2063)
    jpeg = scanner_degrade(np.asarray(render(invoice_pdf())[0].convert("L")), how, 0)
    scan = img2pdf.convert([jpeg], layout_fun=img2pdf.get_fixed_dpi_layout_fun((300, 300)))
    reading = read_document(scan)
    fields = extract(reading).fields
    assert [fields[f] for f in ("invoice_number", "total_gross")] == [
        EXPECTED[f] for f in ("invoice_number", "total_gross")]
