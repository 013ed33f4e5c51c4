"""The one error of the e-invoice package: XML that cannot be read as an e-invoice.

`code` is a reason code the callers know ("corrupt": not well-formed, hostile or unparseable;
"unsupported": too large or no UBL, CII or ZUGFeRD invoice); `message` is one line for
operators that never carries invoice content. ocr/ maps it to its ReadError.
"""

from __future__ import annotations

CODES: tuple[str, ...] = ("corrupt", "unsupported")


class EInvoiceError(Exception):
    def __init__(self, code: str, message: str):
        if code not in CODES:
            raise ValueError(f"unknown e-invoice error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __reduce__(self):  # crosses process boundaries (validation workers)
        return EInvoiceError, (self.code, self.message)
