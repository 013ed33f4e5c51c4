"""Helpers for the ocr tests: invoices made on the fly, the corpus location."""
