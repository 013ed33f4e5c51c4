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
_REPAIR_FACTOR = 0.9
MAX_VAT_RATE = Decimal("0.3")  # no VAT rate is higher than 30 % of the net


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


def _pools(chosen: dict[str, list[Candidate]]) -> list[list[Candidate]]:
    """The best candidates of net, tax and gross (tax also as sums over tax lines)."""
    nets, taxes, grosses = (
        ranked(chosen.get(name, []), later_first=True)[:_TOP] for name in AMOUNT_FIELDS
    )
    return [nets, taxes + tax_line_sums(chosen.get("total_tax", [])), grosses]


def ocr_slip(read: str, right: str) -> str | None:
    """How an amount as read differs from the right one, if by an OCR slip: a lost or extra
    minus sign, or one digit read as another ('8.19' for '8.79'); else None."""
    if read != right and read.lstrip("-") == right.lstrip("-"):
        return "sign"
    if len(read) != len(right):
        return None
    differ = [(a, b) for a, b in zip(read, right, strict=True) if a != b]
    if len(differ) == 1 and differ[0][0].isdigit() and differ[0][1].isdigit():
        return "digit"
    return None


def _third(index: int, values: tuple[Decimal, Decimal]) -> Decimal:
    """The total at `index` (0 net, 1 tax, 2 gross) from the other two, in order."""
    first, second = values
    return first + second if index == 2 else (second - first if index == 1 else first - second)


def plausible(net: Decimal, tax: Decimal, gross: Decimal) -> bool:
    """Totals of one invoice: all of one sign, neither net nor tax beyond the gross."""
    same_sign = all(v >= 0 for v in (net, tax, gross)) or all(v <= 0 for v in (net, tax, gross))
    return same_sign and abs(net) <= abs(gross) and abs(tax) <= abs(gross)


def _repairs(pools: list[list[Candidate]]):
    """(kept score, triple) for every read third that differs by an OCR slip from what two
    read totals give; the slipped one corrected and scored below what was read."""
    for index in range(3):
        others = [pools[i] for i in range(3) if i != index]
        for first, second in product(*others):
            right = f"{_third(index, (Decimal(first.value), Decimal(second.value))):.2f}"
            for read in pools[index]:
                slip = ocr_slip(read.value, right)
                if slip is None:
                    continue
                score = min(first.score, second.score, read.score) * _REPAIR_FACTOR
                fixed = replace(read, value=right, score=score, evidence=f"{read.evidence}; "
                                f"OCR {slip} slip repaired (net + tax = gross)")
                triple = [first, second]
                triple.insert(index, fixed)
                if plausible(*(Decimal(c.value) for c in triple)):
                    yield first.score + second.score, tuple(triple)


def _repaired(chosen: dict[str, list[Candidate]],
              printed: frozenset[str]) -> tuple[Candidate, ...] | None:
    """When no read net, tax and gross add up: the repair of one OCR slip that the
    arithmetic confirms, if there is only one, or only one whose corrected amount is printed
    elsewhere on the invoice too (a slip in the gross can mostly be read as one in the net
    or the tax as well; with no way to tell, none is made)."""
    repairs = list(_repairs(_pools(chosen)))
    outcomes = {tuple(c.value for c in triple) for _, triple in repairs}
    if len(outcomes) > 1:
        repairs = [r for r in repairs if any(
            "slip repaired" in c.evidence and c.value in printed for c in r[1])]
        outcomes = {tuple(c.value for c in triple) for _, triple in repairs}
    return max(repairs, key=lambda r: r[0])[1] if len(outcomes) == 1 else None


def _adds_up(net: Candidate, tax: Candidate, gross: Candidate) -> bool:
    """net + tax = gross at a VAT rate that exists, net and gross read in two places."""
    values = [Decimal(c.value) for c in (net, tax, gross)]
    if values[0] + values[1] != values[2] or not plausible(*values):
        return False
    if abs(values[1]) > MAX_VAT_RATE * abs(values[0]):
        return False
    return (net.page, net.line) != (gross.page, gross.line) or not net.page


def _consistent(chosen: dict[str, list[Candidate]]) -> tuple[Candidate, ...] | None:
    """The largest (net, tax, gross) with net + tax = gross, if any, and of equal ones the
    best-scored: a totals block sums up the lines above it, which may add up as well (a VAT
    breakdown per rate). Tax may also be a sum over tax lines."""
    nets, taxes, grosses = _pools(chosen)
    best_key, best_triple = None, None
    for net, tax, gross in product(nets, taxes, grosses):
        if _adds_up(net, tax, gross):
            key = (abs(Decimal(gross.value)), net.score + tax.score + gross.score)
            if best_key is None or key > best_key:
                best_key, best_triple = key, (net, tax, gross)
    return best_triple


def _one_field_per_line(result: dict[str, Candidate]) -> None:
    """A line read as both the net and the gross ("Gesamt 74,83") is the gross: the net
    is then computed from the gross and the tax."""
    net, gross = result.get("total_net"), result.get("total_gross")
    if net and gross and net.page and (net.page, net.line) == (gross.page, gross.line):
        del result["total_net"]


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


def choose_totals(candidates: dict[str, list[Candidate]],
                  printed: frozenset[str] = frozenset()) -> dict[str, Candidate]:
    """Net, tax, gross and amount due, consistent where the document allows. `printed`:
    every amount the document shows, to confirm the repair of an OCR slip."""
    pool = candidates
    triple = _consistent(pool)
    if triple:
        result = {c.field: _boost(c) for c in triple}
    elif triple := _repaired(pool, printed):
        result = {c.field: c for c in triple}
    else:
        result = {
            name: c for name in AMOUNT_FIELDS if (c := best(pool.get(name, []), later_first=True))
        }
        _one_field_per_line(result)
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
