"""Open a PDF with pypdf and sort its failures into read error codes."""

from __future__ import annotations

import io

from pypdf import PasswordType, PdfReader

from ocr.model import ReadError

PDF_MAGIC = b"%PDF-"
# The header may follow a little garbage; the end-of-file marker may be followed by some.
_HEADER_WINDOW = 1024
_TRAILER_WINDOW = 2048


def is_pdf(data: bytes) -> bool:
    return PDF_MAGIC in data[:_HEADER_WINDOW]


def open_pdf(data: bytes) -> PdfReader:
    """A PdfReader with at least one page, decrypted if only an owner password is set.

    ReadError('corrupt') for truncated or garbled files, ReadError('encrypted') when a user
    password is needed to open it.
    """
    if b"%%EOF" not in data[-_TRAILER_WINDOW:]:
        raise ReadError("corrupt", "PDF truncated: no end-of-file marker")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ReadError("encrypted", "PDF needs a password to open")
        pages = len(reader.pages)
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many types on garbled input
        raise ReadError("corrupt", f"PDF not parseable ({type(exc).__name__})") from None
    if pages < 1:
        raise ReadError("corrupt", "PDF has no pages")
    return reader
