"""Choosing the invoice totals together: net + tax = gross confirms all three."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import combinations, product

from ocr.candidates import Candidate
from ocr.choose import best, ranked

AMOUNT_FIELDS = ("total_net", "total_tax", "total_gross")
_TOP = 6
_MAX_TAX_LINES = 6
_DERIVED_SCORE = 0.5
_ASSUMED_DUE_FACTOR = 0.7


def _boost(candidate: Candidate) -> Candidate:
    """Arithmetic agreement halves the remaining doubt."""
    score = min(0.99, candidate.score + (1 - candidate.score) / 2)
    return replace(candidate, score=score, evidence=candidate.evidence + "; net + tax = gross")


def tax_line_sums(taxes: list[Candidate]) -> list[Candidate]:
    """Sums over two or more tax lines (one per VAT rate) for the net + tax = gross test:
    an invoice with 7 % and 19 % prints two tax amounts and maybe no total."""
    per_line = list({(c.page, c.line): c for c in taxes if c.same_line}.values())[:_MAX_TAX_LINES]
    sums = []
    for size in range(2, len(per_line) + 1):
        for group in combinations(per_line, size):
            total = sum(Decimal(c.value) for c in group)
            score = min(c.score for c in group) * 0.95
            sums.append(Candidate("total_tax", f"{total:.2f}", score, f"sum of {size} tax lines"))
    return sums


def _consistent(chosen: dict[str, list[Candidate]]) -> tuple[Candidate, ...] | None:
    """The best-scored (net, tax, gross) with net + tax = gross, if any; tax may also be a
    sum over tax lines."""
    nets, taxes, grosses = (
        ranked(chosen.get(name, []), later_first=True)[:_TOP] for name in AMOUNT_FIELDS
    )
    taxes += tax_line_sums(chosen.get("total_tax", []))
    best_sum, best_triple = 0.0, None
    for net, tax, gross in product(nets, taxes, grosses):
        if Decimal(net.value) + Decimal(tax.value) == Decimal(gross.value):
            total = net.score + tax.score + gross.score
            if total > best_sum:
                best_sum, best_triple = total, (net, tax, gross)
    return best_triple


def _derive_missing(result: dict[str, Candidate]) -> None:
    """Fill one missing total from the other two (scored low: computed, not read)."""
    missing = [name for name in AMOUNT_FIELDS if name not in result]
    if len(missing) != 1:
        return
    values = {name: Decimal(c.value) for name, c in result.items() if name in AMOUNT_FIELDS}
    name = missing[0]
    if name == "total_gross":
        value, how = values["total_net"] + values["total_tax"], "total_net + total_tax"
    elif name == "total_net":
        value, how = values["total_gross"] - values["total_tax"], "total_gross - total_tax"
    else:
        value, how = values["total_gross"] - values["total_net"], "total_gross - total_net"
    result[name] = Candidate(name, f"{value:.2f}", _DERIVED_SCORE, f"computed {how}")


def choose_totals(candidates: dict[str, list[Candidate]]) -> dict[str, Candidate]:
    """Net, tax, gross and amount due, consistent where the document allows."""
    pool = candidates
    triple = _consistent(pool)
    if triple:
        result = {c.field: _boost(c) for c in triple}
    else:
        result = {
            name: c for name in AMOUNT_FIELDS if (c := best(pool.get(name, []), later_first=True))
        }
        _derive_missing(result)
    due = best(pool.get("amount_due", []), later_first=True)
    if due is None and "total_gross" in result:
        gross = result["total_gross"]
        due = Candidate(
            "amount_due",
            gross.value,
            gross.score * _ASSUMED_DUE_FACTOR,
            "assumed equal to total_gross",
            gross.page,
            gross.line,
        )
    if due is not None:
        result["amount_due"] = due
    return result
