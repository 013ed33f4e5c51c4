"""The YAML routing rules: loading with validation, conditions, and decisions with traces.

This package never imports bots/, ocr/ or mailbox/. It decides on a plain mapping of field
names to values and returns its own Decision.
"""
