"""The small immutable values the ocr package returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from einvoice.parse import ParsedInvoice

# EN 16931 contract fields, in the order of the extract JSON (DESIGN.md "Contracts").
FIELD_NAMES: tuple[str, ...] = (
    "invoice_number",  # BT-1
    "issue_date",  # BT-2
    "due_date",  # BT-9
    "buyer_reference",  # BT-10, the Leitweg-ID
    "order_reference",  # BT-13
    "seller_name",  # BT-27
    "seller_vat_id",  # BT-31
    "iban",  # BT-84
    "currency",  # BT-5
    "total_net",  # BT-109
    "total_tax",  # BT-110
    "total_gross",  # BT-112
    "amount_due",  # BT-115
)



class Kind(StrEnum):
    """Document kinds, as the extract JSON names them."""

    SCAN = "scan"  # image or image-only PDF, read by OCR
    PDF_TEXT = "pdf-text"  # a PDF with a text layer
    ZUGFERD = "zugferd"  # a PDF with an embedded ZUGFeRD/Factur-X XML (the XML is the invoice)
    XRECHNUNG_UBL = "xrechnung-ubl"  # a stand-alone e-invoice XML, UBL 2.1
    XRECHNUNG_CII = "xrechnung-cii"  # a stand-alone e-invoice XML, UN/CEFACT CII

    @property
    def is_einvoice(self) -> bool:
        """Its fields come from an e-invoice XML (embedded or stand-alone), never from OCR."""
        return self in (Kind.ZUGFERD, Kind.XRECHNUNG_UBL, Kind.XRECHNUNG_CII)

    @property
    def is_einvoice_xml(self) -> bool:
        """The original is the XML itself (no PDF of its own)."""
        return self in (Kind.XRECHNUNG_UBL, Kind.XRECHNUNG_CII)


KINDS: tuple[Kind, ...] = tuple(Kind)

# Reason codes a reader can fail with; bots/ maps them to German texts for clerks.
READ_ERROR_CODES: tuple[str, ...] = ("unreadable", "unsupported", "corrupt", "encrypted",
                                     "too_large")


class ReadError(Exception):
    """A document that cannot be read. `code` is one of READ_ERROR_CODES.

    The message is one line for operators and must never contain invoice content. `detail`
    is the specific reason in German for the clerks and the registry ("Scan unscharf – bitte
    neu scannen (Seite 2)"), empty when the code's general text says it all.
    """

    def __init__(self, code: str, message: str, detail: str = ""):
        if code not in READ_ERROR_CODES:
            raise ValueError(f"unknown read error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __reduce__(self):  # crosses process boundaries (OCR workers)
        return ReadError, (self.code, self.message, self.detail)


@dataclass(frozen=True)
class Word:
    """One OCR word with its box in pixels of its page image and Tesseract's confidence (0..1)."""

    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    page: int  # 1-based
    block: int = 0
    line: int = 0


@dataclass(frozen=True)
class PageFrame:
    """The page image a scan's words are measured on: its size in pixels and the clockwise
    turn (degrees) OCR gave the scanned page to set it upright."""

    width: int
    height: int
    turn: int = 0


@dataclass(frozen=True)
class Reading:
    """What a document says, before any field is extracted.

    kind: one of KINDS. For e-invoices `xml` holds the invoice XML bytes (for ZUGFeRD the
    embedded file, named `xml_name`) and `einvoice` the XML parsed once, which extraction
    and the readable PDF use; `text` is the text layer or the OCR text, pages
    separated by form feeds; `words` are the OCR words with boxes (scans only), in pixels of
    the upright, straightened page images that `pdf` shows: the searchable PDF of a scan
    (those page images with an invisible text layer from the same OCR pass); `frames` holds
    those images' sizes and turns, one per page read.
    """

    kind: str
    pages: int
    text: str = ""
    words: tuple[Word, ...] = ()
    xml: bytes | None = None
    xml_name: str | None = None
    warnings: tuple[str, ...] = ()
    pdf: bytes | None = field(default=None, repr=False)
    frames: tuple[PageFrame, ...] = ()
    einvoice: ParsedInvoice | None = field(default=None, repr=False, compare=False)


def _frozen(mapping: Mapping | None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Extraction:
    """The contract fields of one invoice with a confidence (0..1) and evidence per field.

    fields: every name of FIELD_NAMES present, None when not found; values normalised as the
    contract says (ISO dates, two-place decimal strings, IBAN/VAT ID upper case, no blanks).
    evidence: where each found field came from (an XPath, "label 'Rechnungsnummer' p1", ...).
    extra: additional facts for checks and rules (e.g. "document_type_code": "381").
    """

    fields: Mapping[str, str | None]
    confidence: Mapping[str, float] = field(default_factory=dict)
    evidence: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self):
        full = {name: self.fields.get(name) for name in FIELD_NAMES}
        full.update({k: v for k, v in self.fields.items() if k not in full})
        object.__setattr__(self, "fields", _frozen(full))
        object.__setattr__(self, "confidence", _frozen(self.confidence))
        object.__setattr__(self, "evidence", _frozen(self.evidence))
        object.__setattr__(self, "extra", _frozen(self.extra))
