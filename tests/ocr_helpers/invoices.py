"""Test invoices made in the test run: a reportlab PDF with a text layer, and degraded
raster copies of it (rotated, noisy) as PNG, JPEG, multi-page TIFF and image-only PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass

import img2pdf
import numpy as np
from pdf2image import convert_from_bytes
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas


@dataclass(frozen=True)
class Labels:
    title: str
    number: str
    date: str
    reference: str
    order: str
    net: str
    tax: str
    gross: str
    due: str
    vat_id: str


GERMAN = Labels(
    title="Rechnung",
    number="Rechnungsnummer:",
    date="Rechnungsdatum:",
    reference="Leitweg-ID:",
    order="Ihre Bestellnummer:",
    net="Summe netto",
    tax="USt 19 %",
    gross="Gesamtbetrag",
    due="Zahlbar ohne Abzug bis {due}.",
    vat_id="USt-IdNr.",
)
ENGLISH = Labels(
    title="Invoice",
    number="Invoice number:",
    date="Invoice date:",
    reference="Buyer reference:",
    order="Order number:",
    net="Total net",
    tax="VAT 19 %",
    gross="Total amount",
    due="Payment due by {due}.",
    vat_id="VAT ID",
)


@dataclass(frozen=True)
class InvoiceSpec:
    """What the test invoice says; `expected()` gives the contract fields it should yield."""

    seller: str = "Lebenshilfe Musterstadt gGmbH"
    number: str = "RE-2026-0417"
    date: str = "01.03.2026"
    due: str = "31.03.2026"
    reference: str = "04011000-12345-03"
    order: str = "BST-8812"
    items: tuple[tuple[str, str], ...] = (
        ("Ambulant betreutes Wohnen, Februar 2026", "1.000,00"),
        ("Fahrtkosten", "37,44"),
    )
    net: str = "1.037,44"
    tax: str = "197,11"
    gross: str = "1.234,55"
    iban: str = "DE02 1203 0000 0000 2020 51"
    vat_id: str = "DE136695976"
    labels: Labels = GERMAN

    def expected(self) -> dict[str, str]:
        def iso(day: str) -> str:
            d, m, y = day.split(".")
            return f"{y}-{m}-{d}"

        def amount(text: str) -> str:
            return text.replace(".", "").replace(",", ".")

        return {
            "invoice_number": self.number,
            "issue_date": iso(self.date),
            "due_date": iso(self.due),
            "buyer_reference": self.reference,
            "order_reference": self.order,
            "seller_name": self.seller,
            "seller_vat_id": self.vat_id,
            "iban": self.iban.replace(" ", ""),
            "currency": "EUR",
            "total_net": amount(self.net),
            "total_tax": amount(self.tax),
            "total_gross": amount(self.gross),
            "amount_due": amount(self.gross),
        }


def _letterhead(pdf: canvas.Canvas, spec: InvoiceSpec, height: float) -> None:
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(15 * mm, height - 18 * mm, spec.seller)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(
        15 * mm, height - 23 * mm, "Werkstattweg 5 - 12345 Musterstadt - Tel. 0123 45678"
    )
    pdf.setFont("Helvetica", 9)
    buyer = ("Landschaftsverband Musterland", "Fachbereich Soziales", "50667 Koeln")
    for i, line in enumerate(buyer):
        pdf.drawString(15 * mm, height - (34 + 4.5 * i) * mm, line)


def _info_block(pdf: canvas.Canvas, spec: InvoiceSpec, height: float) -> None:
    labels = spec.labels
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(15 * mm, height - 56 * mm, labels.title)
    pdf.setFont("Helvetica", 9)
    rows = (
        (labels.number, spec.number),
        (labels.date, spec.date),
        (labels.reference, spec.reference),
        (labels.order, spec.order),
    )
    for i, (label, value) in enumerate(rows):
        y = height - (63 + 5 * i) * mm
        pdf.drawString(15 * mm, y, label)
        pdf.drawString(55 * mm, y, value)


def _amounts(pdf: canvas.Canvas, spec: InvoiceSpec, height: float) -> float:
    labels = spec.labels
    y = height - 90 * mm
    pdf.setFont("Helvetica", 9)
    for text, value in spec.items:
        pdf.drawString(15 * mm, y, text)
        pdf.drawRightString(133 * mm, y, f"{value} EUR")
        y -= 5 * mm
    pdf.line(15 * mm, y + 3 * mm, 133 * mm, y + 3 * mm)
    for label, value, bold in (
        (labels.net, spec.net, False),
        (labels.tax, spec.tax, False),
        (labels.gross, spec.gross, True),
    ):
        y -= 5 * mm
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", 9)
        pdf.drawString(75 * mm, y, label)
        pdf.drawRightString(133 * mm, y, f"{value} EUR")
    return y


def _footer(pdf: canvas.Canvas, spec: InvoiceSpec, y: float) -> None:
    pdf.setFont("Helvetica", 9)
    pdf.drawString(15 * mm, y - 10 * mm, spec.labels.due.format(due=spec.due))
    pdf.setFont("Helvetica", 8)
    pdf.drawString(15 * mm, 18 * mm, f"{spec.seller} - Sparkasse Musterstadt - IBAN {spec.iban}")
    pdf.drawString(15 * mm, 14 * mm, f"BIC BYLADEM1001 - {spec.labels.vat_id} {spec.vat_id}")


def invoice_pdf(spec: InvoiceSpec = InvoiceSpec(), *, pages: int = 1) -> bytes:
    """A one-invoice PDF with a real text layer (A5, small so OCR stays quick)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    height = A5[1]
    _letterhead(pdf, spec, height)
    _info_block(pdf, spec, height)
    _footer(pdf, spec, _amounts(pdf, spec, height))
    pdf.showPage()
    for page in range(2, pages + 1):
        pdf.setFont("Helvetica", 10)
        pdf.drawString(
            15 * mm, height - 20 * mm, f"Anlage zur Rechnung {spec.number}, Seite {page}"
        )
        pdf.drawString(
            15 * mm, height - 26 * mm, "Leistungsnachweis: Betreuung an 20 Tagen im Februar 2026"
        )
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def render(pdf: bytes, dpi: int = 300) -> list[Image.Image]:
    """The pages of `pdf` as grayscale images."""
    return convert_from_bytes(pdf, dpi=dpi, grayscale=True)


def degrade(
    image: Image.Image, angle: float = 1.5, noise: float = 12.0, seed: int = 7
) -> Image.Image:
    """A scanner's view: rotated by `angle` degrees (counter-clockwise) with gray noise."""
    rotated = image.convert("L").rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    pixels = np.asarray(rotated, dtype=np.float32)
    noisy = pixels + np.random.default_rng(seed).normal(0.0, noise, pixels.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), mode="L")


def to_bytes(images: list[Image.Image], fmt: str, dpi: int = 300) -> bytes:
    """PNG / JPEG / bilevel TIFF-G4 (first page) or multi-page TIFF bytes with the
    resolution recorded."""
    buffer = io.BytesIO()
    first, rest = images[0], images[1:]
    if fmt == "TIFF-G4":  # bilevel CCITT group 4 as a fax makes it: dithered gray
        first.convert("1", dither=Image.Dither.FLOYDSTEINBERG).save(
            buffer, "TIFF", compression="group4", dpi=(dpi, dpi)
        )
    elif fmt == "TIFF":
        first.save(
            buffer,
            "TIFF",
            save_all=True,
            append_images=rest,
            dpi=(dpi, dpi),
            compression="tiff_lzw",
        )
    elif fmt == "JPEG":
        first.save(buffer, "JPEG", quality=85, dpi=(dpi, dpi))
    else:
        first.save(buffer, fmt, dpi=(dpi, dpi))
    return buffer.getvalue()


def image_pdf(images: list[Image.Image], dpi: int = 300) -> bytes:
    """A PDF holding only the page images (no text layer), like a scanner makes."""
    return img2pdf.convert([to_bytes([image], "PNG", dpi) for image in images])


def cii_xml(spec: InvoiceSpec = InvoiceSpec(), type_code: str = "380") -> bytes:
    """A small UN/CEFACT CII invoice (XRechnung / ZUGFeRD 2 syntax) saying what `spec` says."""
    fields = spec.expected()
    compact = {key: value.replace("-", "") for key, value in fields.items() if "date" in key}
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
  xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocument>
  <ram:ID>{fields["invoice_number"]}</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">{compact["issue_date"]}</udt:DateTimeString></ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:BuyerReference>{fields["buyer_reference"]}</ram:BuyerReference>
   <ram:SellerTradeParty><ram:Name>{fields["seller_name"]}</ram:Name>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{fields["seller_vat_id"]}</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>{fields["order_reference"]}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode>
    <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{fields["iban"]}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>
   </ram:SpecifiedTradeSettlementPaymentMeans>
   <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format="102">{compact["due_date"]}</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:TaxBasisTotalAmount>{fields["total_net"]}</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">{fields["total_tax"]}</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>{fields["total_gross"]}</ram:GrandTotalAmount>
    <ram:DuePayableAmount>{fields["amount_due"]}</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
""".encode()


def with_attachment(pdf: bytes, name: str, data: bytes, *, as_annotation: bool = False) -> bytes:
    """`pdf` with `data` attached as file `name`: in the EmbeddedFiles name tree, or as a
    file attachment annotation on page 1."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    if as_annotation:
        stream = DecodedStreamObject()
        stream.set_data(data)
        stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
        spec = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Filespec"),
                NameObject("/F"): TextStringObject(name),
                NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(stream)}),
            }
        )
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 30, 30)]),
                NameObject("/FS"): writer._add_object(spec),
            }
        )
        # pypdf has no public call for indirect objects nor a FileAttachment annotation class
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    else:
        writer.add_attachment(name, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
