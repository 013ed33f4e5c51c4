"""Reading invoices: e-invoice XML, embedded ZUGFeRD XML, PDF text layers and scans (OCR).

This package never imports bots/, rules/ or mailbox/. It returns its own small values
(ocr.model): a Reading of the document and an Extraction of the invoice fields.

Public API (import from the modules, nothing is re-exported here):
    ocr.read.read_document(data, *, lang="deu+eng", dpi=300) -> Reading   (raises ReadError)
    ocr.extract.extract(reading) -> Extraction

Inside: read (recognise by content) -> einvoice + xmlsafe (XML), pdf + zugferd + pdftext
(PDFs), images + scan + preprocess + tesseract (OCR); extract -> einvoice_fields (XPath) or
textfields (layout, labels, parsers, german, identifiers, seller, sections, amounts, choose).
"""
