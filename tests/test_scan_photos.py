"""Phone photos (bench/photo_set.py's seeded photos of the test invoice, read with real
Tesseract): the EXIF turn honoured, the sheet found and straightened, a shadow evened out, a
messenger's copy scaled up, and the photos a person would refuse refused with their German
reason. And the sparse pages: a nearly empty page is judged on its text lines."""

import io

import cv2
import numpy as np
import pytest
from pdf2image import convert_from_bytes
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from bench.corpus import DEFAULT_CORPUS, truth_rows
from bench.photo_set import photograph
from bench.photos import SEED, render_first_page
from ocr import quality
from ocr.extract import extract
from ocr.illumination import flatten
from ocr.keystone import rectification, straighten_print
from ocr.model import ReadError
from ocr.pages import image_frame
from ocr.photo import find_sheet, straighten
from ocr.read import read_document
from ocr.resolution import letter_dpi, sheet_dpi
from tests.ocr_helpers.invoices import InvoiceSpec, invoice_pdf, to_bytes

EXPECTED = InvoiceSpec().expected()
# Read the same on every CPU (gGmbH is not: tests/test_ocr_readers.py)
STEADY = ("invoice_number", "issue_date", "seller_vat_id", "iban", "total_gross")


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    """The test invoice (A5) rendered at 300 dpi in colour."""
    return np.asarray(convert_from_bytes(invoice_pdf(), dpi=300)[0].convert("RGB"))


def _steady(data: bytes) -> dict:
    fields = extract(read_document(data)).fields
    return {name: fields[name] for name in STEADY}


def _refusal(data: bytes) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_document(data)
    return caught.value


def test_the_exif_turn_is_honoured(page, tmp_path):
    data, _ = photograph(page, 300, "mild", 2, delivery="exif", defect=None)
    stored = Image.open(io.BytesIO(data))
    assert stored.getexif()[0x0112] in (3, 6, 8)  # the pixels lie turned
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    gray, _ = image_frame(path, 0)
    assert gray.shape[0] > gray.shape[1]  # upright: the phone was held upright


@pytest.mark.parametrize("delivery", ["camera", "exif"])
def test_a_phone_photo_is_found_straightened_and_read(page, delivery, tmp_path):
    data, _ = photograph(page, 300, "medium", 11, delivery=delivery, defect=None)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    gray, _ = image_frame(path, 0)
    sheet = find_sheet(gray)
    assert sheet.corners is not None and 0.3 < sheet.share < 0.9
    flat = straighten(gray, sheet.corners)
    assert flat.shape[0] / flat.shape[1] == pytest.approx(2 ** 0.5, rel=0.05)  # A5 upright
    assert _steady(data) == {name: EXPECTED[name] for name in STEADY}


def test_a_messenger_copy_is_scaled_up_and_read(page):
    data, shot = photograph(page, 300, "medium", 4, delivery="messenger", defect=None)
    assert shot.dpi < 120 and len(data) < 400_000
    assert _steady(data) == {name: EXPECTED[name] for name in STEADY}


SMALL_PRINT = "pdf/zfc-v1__ZUGFeRD_1p0_BASIC_Rechnungskorrektur.pdf"


def test_a_messenger_copy_of_small_print_is_read_where_ocr_is_sure_of_it(tmp_path):
    """bench/photos.py's medium photo of a corpus invoice in small print, sent by
    messenger: the sheet has 90 dpi, its letters are 4 pixels high (under 60 dpi by their
    size). It is read, not refused as too coarse, because OCR is sure of most words."""
    rows = truth_rows()
    if rows is None:
        pytest.skip("no corpus")
    invoices = [row for row in rows if row["kind"] == "zugferd-pdf"]
    [(number, row)] = [(n, row) for n, row in enumerate(invoices) if row["file"] == SMALL_PRINT]
    page = render_first_page(DEFAULT_CORPUS / row["file"])
    data, shot = photograph(page, 300, "medium", SEED + 10 * number + 1)
    assert shot.delivery == "messenger" and shot.dpi < 100
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    gray, _ = image_frame(path, 0)
    flat, _ = flatten(straighten(gray, find_sheet(gray).corners), shot.dpi)  # as ocr.page does
    assert letter_dpi(flat) < quality.MIN_DPI <= sheet_dpi(flat)
    fields = extract(read_document(data)).fields
    assert fields["issue_date"] == row["fields"]["issue_date"]
    assert fields["seller_vat_id"] == row["fields"]["seller_vat_id"]


def test_a_scan_is_not_taken_for_a_photo(page):
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    assert find_sheet(gray).corners is None and not find_sheet(gray).photo
    assert rectification(gray) is None  # its print shows no perspective: left as it is


def _slanted(page: np.ndarray) -> np.ndarray:
    """The test invoice photographed at a slant on a white desk (its edges cannot be told
    from the desk): the top further away, the camera turned a little, the light falling
    off to one side."""
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    height, width = gray.shape
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    seen = np.float32([[150 + 0.12 * width, 120], [150 + 0.9 * width, 120 + 0.05 * height],
                       [150 + width, 120 + height], [150, 120 + 0.96 * height]])
    frame = cv2.warpPerspective(gray, cv2.getPerspectiveTransform(corners, seen),
                                (width + 300, height + 240), flags=cv2.INTER_AREA,
                                borderValue=255)
    light = np.linspace(1.0, 0.8, frame.shape[1], dtype=np.float32)[None, :]
    return np.clip(frame * light, 0, 255).astype(np.uint8)


def test_a_slanted_page_whose_edges_are_not_seen_is_straightened_by_its_print(page):
    frame = _slanted(page)
    assert find_sheet(frame).corners is None  # no sheet to warp by its corners
    assert rectification(frame) is not None
    straight, warped = straighten_print(frame)
    assert warped and rectification(straight) is None  # no perspective left in the print
    photo = to_bytes([Image.fromarray(frame)], "PNG", dpi=72)  # a phone's resolution
    assert _steady(photo) == {name: EXPECTED[name] for name in STEADY}


def test_a_small_page_in_the_corner_of_a_dark_scanner_lid_is_read(page):
    """An A5 invoice laid into the corner of an A4 platen under a black lid: the sheet runs
    against the frame's edge, but a scanner stated the resolution: no photo, nothing cut."""
    platen = np.full((3508, 2480), 35, np.uint8)
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    platen[: gray.shape[0], : gray.shape[1]] = gray
    assert find_sheet(platen).outside  # alone, it looks like a sheet running out of a photo
    assert _steady(to_bytes([Image.fromarray(platen)], "PNG", dpi=300)) == {
        name: EXPECTED[name] for name in STEADY}


@pytest.mark.parametrize(("defect", "seed", "reasons"), [
    ("outside", 5, {quality.PAGE_INCOMPLETE.reason}),
    ("motion", 6, {quality.MOTION_BLUR.reason}),
    ("far", 10, {quality.PAGE_TOO_SMALL.reason, quality.PHOTO_BLURRED.reason}),
])
def test_a_photo_a_person_would_refuse_is_refused_with_its_german_reason(page, defect, seed,
                                                                        reasons):
    delivery = "messenger" if defect == "far" else "camera"
    data, _ = photograph(page, 300, "hard", seed, defect=defect, delivery=delivery)
    assert _refusal(data).detail in reasons


def test_a_shaken_copy_of_small_print_is_refused_as_shaken_not_as_too_coarse(page):
    """Print at 0.6 of its size on an A4 sheet, photographed shaken and sent by messenger:
    its smeared letters measure too small to read, but the sender has to hear that the
    camera was shaken (a sharper photo would do), not that the resolution is too low."""
    sheet = np.full((3508, 2480, 3), 255, np.uint8)
    small = cv2.resize(page, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)
    sheet[150 : 150 + small.shape[0], 150 : 150 + small.shape[1]] = small
    data, _ = photograph(sheet, 300, "hard", 2, defect="motion", delivery="messenger")
    assert _refusal(data).detail == quality.MOTION_BLUR.reason


def _shaded(page: np.ndarray) -> bytes:
    """A 300-dpi scan of the page (gray paper, grain) lit from one corner: the top left
    lies in deep shade."""
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY).astype(np.float32)
    rows, cols = np.indices(gray.shape, dtype=np.float32)
    light = 0.35 + 0.65 * np.clip((rows + cols) / 1400, 0, 1)
    pixels = (215 - (255 - gray) * 155 / 255) * light
    pixels = cv2.GaussianBlur(pixels, (0, 0), 0.8) + np.random.default_rng(3).normal(0, 6,
                                                                                  gray.shape)
    return to_bytes([Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))], "PNG")


def test_a_shadow_is_evened_out_before_binarisation(page):
    data = _shaded(page)
    gray = np.asarray(Image.open(io.BytesIO(data)))
    flat, flattened = flatten(gray, 300)
    assert flattened and np.percentile(flat[:400, :400], 60) > 235  # the shaded paper: white
    assert flatten(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), 300)[1] is False  # even: as is
    assert _steady(data) == {name: EXPECTED[name] for name in STEADY}


def _sparse_page() -> np.ndarray:
    """A last page with two lines of payment details on white A4, scanned (gray paper,
    blur, grain, JPEG) like bench/ocr.py's scans."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(20 * mm, A4[1] - 30 * mm, "Bitte überweisen Sie den Betrag bis zum "
                   "31.03.2026 auf unser Konto")
    pdf.drawString(20 * mm, A4[1] - 35 * mm, f"IBAN {InvoiceSpec().iban} - BIC BYLADEM1001")
    pdf.showPage()
    pdf.save()
    clean = np.asarray(convert_from_bytes(buffer.getvalue(), dpi=300)[0].convert("L"))
    pixels = 200 - (255 - clean.astype(np.float32)) * 160 / 255  # gray paper, dark ink
    pixels = cv2.GaussianBlur(pixels, (0, 0), 0.3)
    pixels += np.random.default_rng(1).normal(0, 3, pixels.shape)
    _, jpeg = cv2.imencode(".jpg", np.clip(pixels, 0, 255).astype(np.uint8),
                           [cv2.IMWRITE_JPEG_QUALITY, 70])
    return cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE)


def test_a_nearly_empty_page_is_judged_on_its_text_lines():
    gray = _sparse_page()
    found = quality.levels(gray)
    assert not quality.is_blank(found) and found.text_lines >= 1
    assert quality.check(gray, 300, found) is None  # neither "zu hell" nor "unscharf"
    reading = read_document(to_bytes([Image.fromarray(gray)], "PNG"))
    assert extract(reading).fields["iban"] == EXPECTED["iban"]


def test_a_page_without_text_gets_a_german_reason():
    drawing = np.full((1754, 1240), 235, np.uint8)
    for n in range(12):  # a sketch: boxes and strokes, no letters
        cv2.rectangle(drawing, (80 + 60 * n, 100 + 90 * n), (600 + 40 * n, 160 + 90 * n), 30, 6)
    error = _refusal(to_bytes([Image.fromarray(drawing)], "PNG"))
    assert error.detail == quality.NO_TEXT_REASON
