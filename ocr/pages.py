"""Page images of a scan, each made once: one frame of an image file; a scanned PDF page's
own image taken out as it is (a scanner's page is one picture covering the page: decoding
it costs a tenth of rendering it); any other PDF page rendered by poppler at the DPI OCR
needs. And the resolution each page was scanned at."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from pypdf import PdfReader

from ocr.images import declared_dpi
from ocr.model import ReadError
from ocr.preprocess import to_gray
from ocr.render import MAX_MEGAPIXELS, Limits, render_page, run_limited

_EXIF_ORIENTATION = 0x0112
_EXIF_TURNS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
               4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
               6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
               8: Image.Transpose.ROTATE_90}
_DIRECT_ENCODINGS = {"jpeg", "image", "ccitt", "jbig2"}  # what pdfimages -j decodes faithfully
_DIRECT_COLOURS = {"gray", "rgb"}
_COVER_TOLERANCE = 0.02  # the image covers the page when its size matches within 2 %


@dataclass(frozen=True)
class PdfImage:
    page: int
    kind: str  # image | mask | smask | stencil
    width: int
    height: int
    colour: str
    encoding: str
    ppi: int


@dataclass(frozen=True)
class PageGeometry:
    width: float  # points, as shown (crop box)
    height: float
    rotation: int  # /Rotate, degrees clockwise


@dataclass(frozen=True)
class PdfPagePlan:
    scan_dpi: int | None  # what the page's image was scanned at; None: no image
    direct: bool  # the page is its image: take it out instead of rendering


def page_geometry(page) -> PageGeometry:
    """A pypdf page's visible size and turn; an unreadable box or turn rules out taking
    its image as it is (the page is rendered instead)."""
    try:
        box = page.cropbox
        return PageGeometry(float(box.width), float(box.height), int(page.rotation))
    except Exception:  # noqa: BLE001 - pypdf raises many types on garbled page trees
        return PageGeometry(0.0, 0.0, -1)


def pdf_images(path: Path) -> list[PdfImage]:
    """The images of a PDF as `pdfimages -list` reports them (resolution as placed)."""
    try:
        done = run_limited(["pdfimages", "-list", str(path)])
    except ReadError:
        return []
    images = []
    for line in done.stdout.decode("ascii", errors="replace").splitlines():
        # page num type width height color comp bpc enc interp object ID x-ppi y-ppi ...
        cells = line.split()
        if len(cells) < 14 or not cells[0].isdigit():
            continue
        try:
            images.append(PdfImage(int(cells[0]), cells[2], int(cells[3]), int(cells[4]),
                                   cells[5], cells[8], min(int(cells[12]), int(cells[13]))))
        except ValueError:
            continue
    return images


def _covers(image: PdfImage, page: PageGeometry) -> bool:
    if image.ppi <= 0:
        return False
    width, height = image.width * 72 / image.ppi, image.height * 72 / image.ppi
    return (abs(width - page.width) <= _COVER_TOLERANCE * page.width
            and abs(height - page.height) <= _COVER_TOLERANCE * page.height)


def plan_pdf_pages(path: Path, geometry: list[PageGeometry]) -> list[PdfPagePlan]:
    """For each page: its scan resolution, and whether its one image can be taken out."""
    by_page: dict[int, list[PdfImage]] = {}
    for image in pdf_images(path):
        by_page.setdefault(image.page, []).append(image)
    plans = []
    for number, page in enumerate(geometry, start=1):
        images = by_page.get(number, [])
        pictures = [i for i in images if i.kind == "image"]
        largest = max(pictures, key=lambda i: i.width * i.height, default=None)
        direct = (len(images) == 1 and largest is not None and page.rotation % 360 == 0
                  and largest.encoding in _DIRECT_ENCODINGS
                  and largest.colour in _DIRECT_COLOURS and _covers(largest, page))
        plans.append(PdfPagePlan(largest.ppi if largest and largest.ppi > 0 else None, direct))
    return plans


def render_pdf_page(path: Path, page: int, dpi: int,
                    max_megapixels: float = MAX_MEGAPIXELS) -> np.ndarray:
    """One PDF page (1-based) as an 8-bit grayscale array at `dpi`, by the limited renderer
    (ReadError 'too_large' before rendering a page beyond `max_megapixels`)."""
    rendered = render_page(path, page, dpi, limits=Limits(max_megapixels=max_megapixels))
    image = cv2.imdecode(np.frombuffer(rendered, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ReadError("corrupt", f"PDF page {page} not decodable")
    return image


def _jpeg_of_page(path: Path, page: int) -> bytes | None:
    """The JPEG data of a page's one image as stored in the PDF, if it is a JPEG. (The file
    is read where needed, not whole: a reader holds what it read until Python's cycle
    collector comes round, and a page of a long scan must not cost the whole scan.)"""
    try:
        with path.open("rb") as stream:
            resources = PdfReader(stream).pages[page - 1]["/Resources"]
            images = [o.get_object() for o in resources["/XObject"].get_object().values()]
            if len(images) != 1 or images[0].get("/Filter") != "/DCTDecode":
                return None
            return images[0].get_data()  # DCT data are passed through as they are
    except Exception:  # noqa: BLE001 - pypdf raises many types on garbled pages
        return None


def pdf_page_image(path: Path, page: int) -> np.ndarray | None:
    """The one image of a scanned PDF page (1-based) as grayscale, as stored (a JPEG
    decoded straight from the PDF, other encodings taken out by poppler); None when that
    fails (the caller renders the page instead)."""
    jpeg = _jpeg_of_page(path, page)
    if jpeg is not None:
        image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
        if image is not None:
            return image
    with tempfile.TemporaryDirectory(prefix="rbot-page-") as folder:
        command = ["pdfimages", "-j", "-f", str(page), "-l", str(page), str(path),
                   f"{folder}/image"]
        try:
            done = run_limited(command)
        except ReadError:
            return None
        files = sorted(Path(folder).iterdir())
        if done.returncode != 0 or len(files) != 1:
            return None
        return cv2.imread(str(files[0]), cv2.IMREAD_GRAYSCALE)


def _within(size: tuple[int, int], max_megapixels: float, page: int) -> None:
    if size[0] * size[1] > max_megapixels * 1e6:
        raise ReadError("too_large", f"image page {page} too large "
                        f"({size[0] * size[1] / 1e6:.0f} megapixels)",
                        f"Seite {page} ist zu groß (über {max_megapixels:g} Megapixel).")


def _upright(gray: np.ndarray, orientation: int) -> np.ndarray:
    """A grayscale frame turned (and mirrored) as its EXIF orientation tag says."""
    turned = Image.fromarray(gray)
    if orientation in _EXIF_TURNS:
        turned = turned.transpose(_EXIF_TURNS[orientation])
    return np.asarray(turned)


def image_frame(path: Path, index: int,
                max_megapixels: float = MAX_MEGAPIXELS) -> tuple[np.ndarray, int | None]:
    """Frame `index` (0-based) of an image file, upright per EXIF, as grayscale, with the
    resolution it declares (None if none). A JPEG (a phone photo: 12 megapixels in colour)
    is decoded straight to grayscale: a third of the memory and time. ReadError
    'too_large' before decoding a frame beyond `max_megapixels`."""
    try:
        with Image.open(path) as image:
            image.seek(index)
            _within(image.size, max_megapixels, index + 1)
            if image.format == "JPEG":
                image.draft("L", image.size)
            orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
            return _upright(to_gray(image), orientation), declared_dpi(image)
    except ReadError:
        raise
    except Exception as exc:  # Pillow raises many types on broken frames
        raise ReadError("corrupt", f"image frame not decodable ({type(exc).__name__})") from None
