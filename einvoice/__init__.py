"""E-invoices: UBL, CII and ZUGFeRD parsing into one model, the contract fields, validation,
the embedded-XML finder and the readable PDF. Imports no other project package."""
