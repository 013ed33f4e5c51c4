"""ZUGFeRD 1.0 predates EN 16931 and its rules: besides its XML schema the bot checks the
two sums that hold there as well (as it always has): VAT total and gross total.

Each compares the stated amount with the sum, both rounded to two places as EN 16931's
BR-CO-14 and BR-CO-15 do; a rule whose amounts are absent does not apply.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from einvoice.model import EInvoice
from einvoice.validation.finding import Finding

_CENT = Decimal("0.01")
NOTE = Finding(
    "ZUGFERD-1.0", "information",
    "ZUGFeRD 1.0 (älter als die EN 16931): geprüft sind XML-Schema, Umsatzsteuersumme und "
    "Bruttobetrag.", artefact="ZUGFeRD-1.0")


def _german(value: Decimal) -> str:
    text = f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):,.2f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _check(rule: str, stated: Decimal | None, expected: Decimal, what: str, how: str,
           location: str) -> Finding | None:
    if stated is None or stated.quantize(_CENT, ROUND_HALF_UP) == expected.quantize(
            _CENT, ROUND_HALF_UP):
        return None
    return Finding(rule, "error", f"{what} ist {_german(stated)}, {how} ergibt aber "
                   f"{_german(expected)}.", location=location, artefact="ZUGFeRD-1.0")


def zugferd1_findings(invoice: EInvoice) -> tuple[Finding, ...]:
    totals = invoice.totals
    found = [NOTE]
    if invoice.vat_breakdown:
        tax = sum((vat.tax_amount for vat in invoice.vat_breakdown if vat.tax_amount is not None),
                  Decimal(0))
        found.append(_check("BR-CO-14", totals.tax, tax, "Umsatzsteuer gesamt (BT-110)",
                            "die Summe der Steuerbeträge je Steuersatz (BT-117)",
                            invoice.sources.get("BT-110", "")))
    if totals.net is not None:
        found.append(_check("BR-CO-15", totals.gross, totals.net + (totals.tax or Decimal(0)),
                            "Gesamtbetrag einschließlich Umsatzsteuer (BT-112)",
                            "Nettobetrag (BT-109) + Umsatzsteuer (BT-110)",
                            invoice.sources.get("BT-112", "")))
    return tuple(finding for finding in found if finding is not None)
