"""Reading invoices: e-invoice XML, embedded ZUGFeRD XML, PDF text layers and scans (OCR).

This package never imports bots/, rules/ or mailbox/. It returns its own small values
(ocr.model): a Reading of the document and an Extraction of the invoice fields.
"""
