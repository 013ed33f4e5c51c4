"""What a file is, told by its content (magic bytes), never by its name."""

from __future__ import annotations

# Kinds the bot reads as invoices; everything else in a mail is not an invoice document.
INVOICE_KINDS = frozenset({"pdf", "xml", "png", "jpeg", "tiff"})

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office"),  # legacy .doc/.xls/.msg
)


def sniff(data: bytes) -> str | None:
    """pdf, xml, png, jpeg, tiff, zip, gif, office, or None when unknown."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return "xml" if _starts_like_xml(data[:512]) else None


def _starts_like_xml(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<?xml"):
        return True
    if head.lower().startswith((b"<!doctype html", b"<html")):
        return False
    return head.startswith(b"<") and (head[1:2].isalpha() or head.startswith(b"<!--"))
