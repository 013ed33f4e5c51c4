"""Bad input gets a ReadError with the right code, quickly, and never another exception:
hostile XML (XXE, billion laughs), empty, truncated, garbled, encrypted and Office files."""

import contextlib
import io
import random
import time
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from ocr.model import ReadError
from ocr.read import read_document
from tests.ocr_helpers.invoices import image_pdf, invoice_pdf

INVOICE_NS = 'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'


def _code(data: bytes) -> str:
    with pytest.raises(ReadError) as caught:
        read_document(data)
    assert "\n" not in str(caught.value)
    return caught.value.code


def _quick_code(data: bytes) -> str:
    started = time.monotonic()
    code = _code(data)
    assert time.monotonic() - started < 1.0
    return code


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return invoice_pdf()


# --- hostile and broken XML ---------------------------------------------------------------

XXE_FILE = f"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice {INVOICE_NS}><ID>&xxe;</ID></Invoice>""".encode()

XXE_NETWORK = f"""<?xml version="1.0"?>
<!DOCTYPE Invoice SYSTEM "http://198.51.100.7/invoice.dtd">
<Invoice {INVOICE_NS}><ID>1</ID></Invoice>""".encode()

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + f"]>\n<Invoice {INVOICE_NS}><ID>&lol9;</ID></Invoice>"
).encode()


@pytest.mark.parametrize(
    "data",
    [
        XXE_FILE,
        XXE_NETWORK,
        BILLION_LAUGHS,
        XXE_FILE.decode()
        .replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
        .encode("utf-16"),
    ],
    ids=["xxe-file", "xxe-network", "billion-laughs", "doctype-utf16"],
)
def test_doctype_is_refused_as_corrupt(data):
    assert _quick_code(data) == "corrupt"


@pytest.mark.parametrize(
    "data",
    [f"<Invoice {INVOICE_NS}><ID>1</ID>".encode(), b"<?xml version='1.0'?><a><b></a>", b"<<<>>>"],
    ids=["unclosed", "mismatched", "garbage"],
)
def test_malformed_xml_is_corrupt(data):
    assert _quick_code(data) == "corrupt"


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><html><body>Rechnung</body></html>',
        b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>',
        b"\xef\xbb\xbf<note>not an invoice</note>",
    ],
    ids=["html", "ubl-order", "bom-note"],
)
def test_xml_that_is_no_invoice_is_unsupported(data):
    assert _quick_code(data) == "unsupported"


def test_oversized_xml_is_unsupported():
    data = (
        f"<Invoice {INVOICE_NS}><ID>1</ID><!--".encode()
        + b"x" * (21 * 1024 * 1024)
        + b"--></Invoice>"
    )
    assert _quick_code(data) == "unsupported"


# --- files that are no readable documents ---------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \n\t "], ids=["empty", "blank"])
def test_empty_is_unreadable(data):
    with pytest.raises(ReadError, match="empty file") as caught:
        read_document(data)
    assert caught.value.code == "unreadable"


def test_truncated_pdf_is_corrupt(pdf):
    for fraction in (0.2, 0.5, 0.9):
        assert _quick_code(pdf[: int(len(pdf) * fraction)]) == "corrupt"


def test_garbled_pdf_is_corrupt():
    junk = random.Random(4).randbytes(3000)
    assert _quick_code(b"%PDF-1.7\n" + junk + b"\n%%EOF\n") == "corrupt"


def test_damaged_pdfs_raise_only_read_errors(pdf):
    rng = random.Random(11)
    for _ in range(6):
        data = bytearray(pdf)
        for position in rng.sample(range(20, len(pdf) - 50), 40):
            data[position] = rng.randrange(256)
        with contextlib.suppress(ReadError):  # any other exception fails the test
            read_document(bytes(data))


def _encrypted(pdf: bytes, user: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user, owner_password="verwaltung", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_needing_a_user_password_is_encrypted(pdf):
    assert _quick_code(_encrypted(pdf, user="geheim")) == "encrypted"


def test_pdf_with_only_an_owner_password_is_read(pdf):
    reading = read_document(_encrypted(pdf, user=""))
    assert reading.kind == "pdf-text" and "RE-2026-0417" in reading.text


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document>Rechnung</w:document>")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        _docx(),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,  # legacy .doc / .xls
        b"GIF89a\x01\x00\x01\x00" + b"\x00" * 50,
        b"Rechnungsnummer: 4711\nBetrag: 100,00 EUR\n",  # plain text is no document format
        random.Random(2).randbytes(2000),
    ],
    ids=["docx", "ole", "gif", "plain-text", "random"],
)
def test_other_formats_are_unsupported(data):
    assert _quick_code(data) == "unsupported"


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


def test_truncated_image_is_corrupt():
    data = _png(Image.radial_gradient("L").resize((600, 600)))
    assert _quick_code(data[: len(data) // 2]) == "corrupt"


def test_blank_scans_are_unreadable():
    blank = Image.new("L", (1240, 1748), 255)  # A5 at 300 dpi
    assert _code(_png(blank)) == "unreadable"
    assert _code(image_pdf([blank])) == "unreadable"


def test_bad_arguments_are_programming_errors(pdf):
    with pytest.raises(ValueError):
        read_document(pdf, lang="deu; rm -rf")
    with pytest.raises(ValueError):
        read_document(pdf, dpi=5)
