"""Small hostile PDFs that cost a renderer far more than their size (issue #14): a page with
a huge page box, and drawing objects nested so deep that drawing them never ends. Used by
bench/fuzz_readers.py and the tests of the limited renderer."""

from __future__ import annotations


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (numbered from 1; object 1 is the catalog) with a correct xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (extra, len(content), content)


def huge_page(inches: int = 200) -> bytes:
    """One page `inches` wide and high (200 inches at 300 dpi: 3.6 gigapixels)."""
    side = inches * 72
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>" % (side, side),
        _stream(b"0 0 0 rg 10 10 100 100 re f"),
    ])


def nested_forms(depth: int = 16, fan_out: int = 4) -> bytes:
    """A page drawing a form that draws the next form `fan_out` times, `depth` deep:
    fan_out ** depth rectangles (4 ** 16: four billion) from a few kilobytes."""
    first_form = 5
    forms = []
    for level in range(depth):
        if level == depth - 1:
            content, resources = b"0 0 0 rg 0 0 10 10 re f", b""
        else:
            content = b" ".join(b"q 0.9 0 0 0.9 %d %d cm /F Do Q" % (i, i) for i in range(fan_out))
            resources = b"/Resources << /XObject << /F %d 0 R >> >>" % (first_form + level + 1)
        forms.append(_stream(content, b"/Type /XObject /Subtype /Form /BBox [0 0 600 800] "
                             + resources))
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /F 5 0 R >> >> >>",
        _stream(b"/F Do"),
        *forms,
    ])
