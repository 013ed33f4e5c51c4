"""A page writer for generated A4 PDFs on a reportlab canvas: headings, label/value pairs,
tables with repeated heads, paragraphs; wrapping and page breaks. Several times faster than
platypus tables, which matters when every XRechnung is rendered on its way to the e-file
(einvoice.readable_pdf). Text in the PDF base fonts when it is all Windows-1252, else in DejaVu
Sans (embedded)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# A Unicode font when the system has one (names in any script); else the PDF base font.
_FONT_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
               Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"))
_BASE_FONTS = ("Helvetica", "Helvetica-Bold")
_LEFT, _RIGHT, _TOP, _BOTTOM = 18 * mm, A4[0] - 18 * mm, A4[1] - 16 * mm, 18 * mm
WIDTH = _RIGHT - _LEFT
_SIZE, _LEADING = 8.5, 10.5
_GREY, _RULE = HexColor("#e8ebef"), HexColor("#9aa3ad")

@lru_cache(maxsize=1)
def _unicode_fonts() -> tuple[str, str]:
    """(regular, bold): DejaVu Sans if installed, else the PDF base font."""
    if all(path.is_file() for path in _FONT_FILES):
        try:
            pdfmetrics.registerFont(TTFont("EInvSans", str(_FONT_FILES[0])))
            pdfmetrics.registerFont(TTFont("EInvSans-Bold", str(_FONT_FILES[1])))
            return "EInvSans", "EInvSans-Bold"
        except Exception:  # noqa: BLE001 - a broken font file: fall back to the base font
            pass
    return _BASE_FONTS


_ASCII = bytes(range(128))


def fonts_for(xml: bytes) -> tuple[str, str]:
    """The base fonts when every character is in Windows-1252 (they are not embedded, which
    keeps the rendering fast), else a Unicode font. Only the non-ASCII bytes are decoded
    (they are whole UTF-8 characters): XML with attachments runs to megabytes."""
    try:
        xml.translate(None, _ASCII).decode("utf-8").encode("cp1252")
    except UnicodeError:
        return _unicode_fonts()
    return _BASE_FONTS


@lru_cache(maxsize=8)
def _widest(font_name: str) -> float:
    """The widest glyph of a font in em: a string of n characters is at most n times as wide."""
    font = pdfmetrics.getFont(font_name)
    if isinstance(font, TTFont):
        return max(font.face.charWidths.values()) / 1000
    return max(font.widths) / 1000


class PageWriter:
    """Writes text top-down onto A4 pages: headings, label/value pairs, tables, paragraphs."""

    def __init__(self, canvas: Canvas, fonts: tuple[str, str]):
        self.canvas, (self.regular, self.bold) = canvas, fonts
        self.y, self.page = _TOP, 1
        self._start_page()

    def _start_page(self) -> None:
        """The page's pen for rules, and its text collected in reading order (finish_page)."""
        self.canvas.setStrokeColor(_RULE)
        self.canvas.setLineWidth(0.25)
        self._strings: list[tuple[str, float, float, float, str]] = []

    def _draw(self, x: float, y: float, line: str, font: str, size: float = _SIZE,
              right: bool = False) -> None:
        """`line` at (x, y), or ending at x when `right`."""
        if right:
            x -= stringWidth(line, font, size)
        self._strings.append((font, size, x, y, line))

    def _room(self, height: float) -> bool:
        """Start a new page unless `height` fits; True when a new page was started."""
        if self.y - height >= _BOTTOM:
            return False
        self.finish_page()
        self.canvas.showPage()
        self.y, self.page = _TOP, self.page + 1
        self._start_page()
        return True

    def finish_page(self) -> None:
        """Draw the page's text above its shading and rules, in reading order, which screen
        readers and copying follow."""
        self._draw(_RIGHT, 10 * mm, f"Seite {self.page}", self.regular, 7, right=True)
        if self.regular in _BASE_FONTS:
            self._show_in_base_fonts()
        else:
            self._show_in_text_object()

    def _show_in_base_fonts(self) -> None:
        """Each string as PDF text operators (fonts_for made sure it is all Windows-1252, the
        base fonts' WinAnsi encoding); canvas.setFont sets and registers the font. Through
        reportlab's text objects a string costs four times as much: half the rendering."""
        current = None
        for font, size, x, y, line in self._strings:
            if (font, size) != current:
                self.canvas.setFont(font, size)
                current = (font, size)
            self.canvas.addLiteral(
                f"BT 1 0 0 1 {fp_str(x, y)} Tm ({escapePDF(line.encode('cp1252'))}) Tj ET")

    def _show_in_text_object(self) -> None:
        """A Unicode font's strings through a text object, which embeds the glyphs used."""
        text, current = self.canvas.beginText(), None
        for font, size, x, y, line in self._strings:
            if (font, size) != current:
                text.setFont(font, size)
                current = (font, size)
            text.setTextOrigin(x, y)
            text.textLine(line)  # (textOut would measure the string once more)
        self.canvas.drawText(text)

    def wrap(self, text: str | None, width: float, bold: bool = False, size: float = _SIZE
             ) -> list[str]:
        text = text or ""
        font = self.bold if bold else self.regular
        if "\n" not in text and (len(text) * size * _widest(font) <= width
                                 or stringWidth(text, font, size) <= width):
            return [text]  # most values: no or one measurement instead of one per word
        lines = []
        for part in text.splitlines() or [""]:
            lines += simpleSplit(part, font, size, width) or [""]
        return lines

    def text(self, text: str, *, size: float = _SIZE, bold: bool = False,
             gap: float = 0.0) -> None:
        leading = size * 1.25
        for line in self.wrap(text, WIDTH, bold, size):
            self._room(leading)
            self.y -= leading
            self._draw(_LEFT, self.y + 2, line, self.bold if bold else self.regular, size)
        self.y -= gap

    def heading(self, text: str) -> None:
        self._room(40)  # a heading never ends a page
        self.y -= 6
        self.text(text, size=10.5, bold=True, gap=2)

    def pairs(self, rows: Sequence[tuple[str, str | None]], label_width: float) -> None:
        """Label (bold) and value per row, values wrapped; empty values left out."""
        for label, value in rows:
            if not value:
                continue
            labels = self.wrap(label, label_width - 3, bold=True)
            values = self.wrap(value, WIDTH - label_width)
            height = max(len(labels), len(values)) * _LEADING + 3
            self._room(height)
            for offset, line in enumerate(labels):
                self._draw(_LEFT, self.y - (offset + 1) * _LEADING + 2, line, self.bold)
            for offset, line in enumerate(values):
                self._draw(_LEFT + label_width, self.y - (offset + 1) * _LEADING + 2, line,
                           self.regular)
            self.y -= height
            self._rule()

    def table(self, head: Sequence[str], widths: Sequence[float], rows: Sequence[Sequence[str]],
              right: frozenset[int] = frozenset(), bold_last: bool = False) -> None:
        """A table with a grey head row repeated on every page; cells wrap."""
        self._room(2 * _LEADING + 6)
        self._row(head, widths, right, bold=True, shade=True)
        for index, row in enumerate(rows):
            cells = [self.wrap(cell, width - 4) for cell, width in zip(row, widths, strict=True)]
            height = max(len(lines) for lines in cells) * _LEADING + 3
            if self._room(height):
                self._row(head, widths, right, bold=True, shade=True)
            last = bold_last and index == len(rows) - 1
            self._draw_cells(cells, widths, right, bold=last, shade=last, height=height)

    def _row(self, cells, widths, right, *, bold: bool, shade: bool) -> None:
        wrapped = [self.wrap(c, w - 4, bold) for c, w in zip(cells, widths, strict=True)]
        height = max(len(lines) for lines in wrapped) * _LEADING + 3
        self._draw_cells(wrapped, widths, right, bold=bold, shade=shade, height=height)

    def _draw_cells(self, cells, widths, right, *, bold: bool, shade: bool,
                    height: float) -> None:
        canvas = self.canvas
        if shade:
            canvas.setFillColor(_GREY)
            canvas.rect(_LEFT, self.y - height, WIDTH, height, stroke=0, fill=1)
            canvas.setFillColorRGB(0, 0, 0)
        font, x = self.bold if bold else self.regular, _LEFT
        for column, (lines, width) in enumerate(zip(cells, widths, strict=True)):
            aligned_right = column in right
            for offset, line in enumerate(lines):
                self._draw(x + width - 2 if aligned_right else x + 2,
                           self.y - (offset + 1) * _LEADING + 2, line, font,
                           right=aligned_right)
            x += width
        self.y -= height
        self._rule()

    def _rule(self) -> None:
        self.canvas.line(_LEFT, self.y, _RIGHT, self.y)
