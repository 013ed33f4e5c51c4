"""Reading invoices: e-invoice XML, embedded ZUGFeRD XML, PDF text layers and scans (OCR).

This package never imports bots/, rules/ or mailbox/. It returns its own small values
(ocr.model): a Reading of the document and an Extraction of the invoice fields.

Public API (import from the modules, nothing is re-exported here):
    ocr.read.read_document(data, *, lang="deu+eng", dpi=300, jobs=None) -> Reading
        (raises ReadError; a scan the quality gate refuses has its German reason in .detail)
    ocr.read.read_documents(documents, *, lang, dpi, jobs, steps) -> list[Reading | ReadError]
    ocr.extract.extract(reading, sources=()) -> Extraction
        (sources: further candidate sources, f(lines) -> candidates, e.g. learned hints)
    ocr.batch.split_batch(data, *, separator_text, at_blank_pages=False) -> list[Part] | None

Inside: read (recognise by content) -> einvoice + xmlsafe (XML), pdf + zugferd + pdftext
(PDFs), scan (page tasks, one Reading with a searchable PDF) -> pool (worker processes) ->
page (one page start to finish: pages, quality, preprocess + orientation + profiles,
tesseract) -> searchable; extract -> einvoice_fields (XPath) or textfields (layout,
proximity, vocabulary + labels, candidates, parsers, german, identifiers, sections,
seller + addresses + legal_forms, amount_roles + amount_labels + amounts, choose);
batch + separator (stacks cut at separator sheets).
"""
