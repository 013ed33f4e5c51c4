"""Validation of e-invoices with the official rules: XML schemas, the EN 16931 and
XRechnung Schematron (with the Peppol rules KoSIT merges in) and the Factur-X profiles,
chosen per document by KoSIT's scenarios. See validate.py."""

from einvoice.validation.finding import Finding, Validation
from einvoice.validation.validate import validate

__all__ = ["Finding", "Validation", "validate"]
