"""The arithmetic of EN 16931 (BR-CO-10 to BR-CO-16): line sums, allowances and charges,
VAT sums and document totals must add up.

Each rule compares the stated amount with the sum, both rounded to two places as the
official Schematron does. A rule whose stated amount is absent is not applicable (the
profiles MINIMUM and BASIC WL carry no lines, for instance).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from einvoice.model import EInvoice, Finding

_CENT = Decimal("0.01")
_ZERO = Decimal(0)


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _german(value: Decimal) -> str:
    text = f"{_round(value):,.2f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _check(rule: str, stated: Decimal | None, expected: Decimal, what: str, how: str
           ) -> Finding | None:
    if stated is None or _round(stated) == _round(expected):
        return None
    return Finding(rule, "error",
                   f"{what} ist {_german(stated)}, {how} ergibt aber {_german(expected)}.")


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((value for value in values if value is not None), _ZERO)


def _line_sum(invoice: EInvoice) -> Decimal | None:
    amounts = [line.net_amount for line in invoice.lines if line.net_amount is not None]
    return _sum(amounts) if amounts else None


def _allowance_rule(invoice: EInvoice, charge: bool) -> Finding | None:
    """BR-CO-11 (allowances, BT-107 = Σ BT-92) and BR-CO-12 (charges, BT-108 = Σ BT-99)."""
    entries = [ac.amount for ac in invoice.allowances_charges if ac.charge == charge]
    stated = invoice.totals.charges if charge else invoice.totals.allowances
    rule, what, item = (("BR-CO-12", "Summe der Zuschläge (BT-108)", "Zuschläge") if charge
                        else ("BR-CO-11", "Summe der Abschläge (BT-107)", "Abschläge"))
    if stated is None:
        if any(amount for amount in entries):
            return Finding(rule, "error", f"{item} auf Belegebene sind angegeben, "
                           f"{what.split(' (')[0]} fehlt.")
        return None
    return _check(rule, stated, _sum(entries), what,
                  f"die Summe der einzelnen {item} auf Belegebene")


def arithmetic_findings(invoice: EInvoice) -> tuple[Finding, ...]:
    """Findings of BR-CO-10 to BR-CO-16 (all errors)."""
    totals = invoice.totals
    lines = _line_sum(invoice)
    allowances = totals.allowances or _ZERO
    charges = totals.charges or _ZERO
    found = [
        _check("BR-CO-10", totals.line_net, lines, "Summe der Positionsbeträge (BT-106)",
               "die Summe der Nettobeträge aller Positionen") if lines is not None else None,
        _allowance_rule(invoice, charge=False),
        _allowance_rule(invoice, charge=True),
    ]
    base = lines if lines is not None else totals.line_net
    if base is not None:
        found.append(_check("BR-CO-13", totals.net, base - allowances + charges,
                            "Gesamtbetrag ohne Umsatzsteuer (BT-109)",
                            "Positionssumme − Abschläge + Zuschläge"))
    if invoice.vat_breakdown:
        found.append(_check("BR-CO-14", totals.tax,
                            _sum(vat.tax_amount for vat in invoice.vat_breakdown),
                            "Umsatzsteuer gesamt (BT-110)",
                            "die Summe der Steuerbeträge je Steuersatz (BT-117)"))
    if totals.net is not None:
        found.append(_check("BR-CO-15", totals.gross, totals.net + (totals.tax or _ZERO),
                            "Gesamtbetrag einschließlich Umsatzsteuer (BT-112)",
                            "Nettobetrag (BT-109) + Umsatzsteuer (BT-110)"))
    if totals.gross is not None and invoice.profile != "minimum":  # MINIMUM lacks BT-113
        found.append(_amount_due_rule(invoice))
    return tuple(finding for finding in found if finding is not None)


def _amount_due_rule(invoice: EInvoice) -> Finding | None:
    """BR-CO-16; in the XRechnung extension BR-DEX-09 adds the third-party payments."""
    totals = invoice.totals
    expected = totals.gross - (totals.prepaid or _ZERO) + (totals.rounding or _ZERO)
    how = "Bruttobetrag (BT-112) − Vorauszahlung (BT-113) + Rundung (BT-114)"
    if totals.third_party_paid is not None and "extension" in (invoice.guideline or ""):
        return _check("BR-DEX-09", totals.due, expected + totals.third_party_paid,
                      "Zahlbetrag (BT-115)", how + " + Zahlungen Dritter (BG-DEX-09)")
    return _check("BR-CO-16", totals.due, expected, "Zahlbetrag (BT-115)", how)
