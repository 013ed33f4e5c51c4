"""Invoices that come back after filing: sent back by a caseworker as misrouted (return
folders), or refused by the DMS import (its error folder)."""
