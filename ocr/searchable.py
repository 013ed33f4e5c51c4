"""The searchable PDF of a scan: each page image as OCR read it (upright, straight) with an
invisible text layer made from the same OCR pass's words and boxes, so the words sit on
their pictures. Nothing is read a second time.

Written directly (a PDF of JPEG images and text is a few objects): the JPEG data goes in
as it is, never decoded, so thirty pages cost a fraction of a second and little memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth

from ocr.model import Word

_FONT = "Helvetica"  # a standard font: nothing to embed; WinAnsi covers German
_BASELINE = 0.8  # the baseline at this share of a word box's height (descenders below)


@dataclass(frozen=True)
class PageImage:
    jpeg: str  # path of the page's grayscale JPEG file
    width: int  # pixels
    height: int
    dpi: int
    words: tuple[Word, ...] = ()


def _literal(text: str) -> bytes:
    """A PDF string in WinAnsi; characters it lacks become '?'."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _text_layer(words: Iterable[Word], scale: float, height: float) -> bytes:
    """Invisible text (render mode 3), each word stretched over its box."""
    ops = [b"BT 3 Tr"]
    for word in words:
        text = word.text.encode("cp1252", errors="replace").decode("cp1252")
        size = max(1.0, word.height * scale)
        natural = stringWidth(text, _FONT, size)
        stretch = 100.0 * word.width * scale / natural if natural else 100.0
        x = word.left * scale
        y = height - (word.top + _BASELINE * word.height) * scale
        ops.append(b"/F1 %.2f Tf %.2f Tz 1 0 0 1 %.2f %.2f Tm %s Tj"
                   % (size, stretch, x, y, _literal(word.text)))
    ops.append(b"ET")
    return b"\n".join(ops)


class _Writer:
    """Numbered PDF objects, then the cross-reference table."""

    def __init__(self):
        self.objects: list[bytes] = []

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def stream(self, dictionary: bytes, data: bytes) -> int:
        return self.add(b"<< %s /Length %d >>\nstream\n%s\nendstream"
                        % (dictionary, len(data), data))

    def output(self, root: int) -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(self.objects) + 1, root, xref)
        return bytes(out)


def searchable_pdf(pages: Iterable[PageImage]) -> bytes:
    writer = _Writer()
    font = writer.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /%s "
                      b"/Encoding /WinAnsiEncoding >>" % _FONT.encode())
    tree = writer.add(b"")  # the page tree, filled in when the pages are known
    kids = []
    for page in pages:
        scale = 72.0 / page.dpi
        width, height = page.width * scale, page.height * scale
        image = writer.stream(
            b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /DCTDecode" % (page.width, page.height),
            Path(page.jpeg).read_bytes(),
        )
        drawing = b"q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q\n" % (width, height)
        content = writer.stream(b"/Filter /FlateDecode", zlib.compress(
            drawing + _text_layer(page.words, scale, height)))
        kids.append(writer.add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
            b"/Resources << /XObject << /Im1 %d 0 R >> /Font << /F1 %d 0 R >> >> >>"
            % (tree, width, height, content, image, font)))
    writer.objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))
    root = writer.add(b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    return writer.output(root)
