"""The body of an invoice: the table of positions and the totals block in the family's
phrasing (a stack of labelled amounts, a VAT grid, one row, tax included, gross only)."""

from __future__ import annotations

from decimal import Decimal

from samples.layouts import printed
from samples.layouts.content import Content
from samples.layouts.sheet import Sheet
from samples.layouts.style import Family, fmt_quantity, fmt_rate
from samples.model import Line

ROW = 4.6


def _cells(family: Family, content: Content, number: int, item: Line) -> list[str]:
    total = printed.amount(family, content, item.net)
    price = printed.amount(family, content, item.price, currency=False)
    quantity = fmt_quantity(item.quantity, family.amount_fmt)
    day = printed.date(family, item.day)
    return {
        "classic": [str(number), item.text, quantity, item.unit, price, total],
        "ruled": [f"{number:03d}", item.text, quantity, price, total],
        "dated": [day, item.text, quantity, total],
        "simple": [item.text, total],
    }[family.table]


def _columns(sheet: Sheet, family: Family) -> list[tuple[float, str]]:
    """(x, alignment) per column: text columns left, numbers right-aligned."""
    left, right, width = sheet.left, sheet.right, sheet.right - sheet.left
    return {
        "classic": [(left, "left"), (left + 10, "left"), (left + 0.62 * width, "right"),
                    (left + 0.64 * width, "left"), (left + 0.83 * width, "right"),
                    (right, "right")],
        "ruled": [(left, "left"), (left + 14, "left"), (left + 0.66 * width, "right"),
                  (left + 0.82 * width, "right"), (right, "right")],
        "dated": [(left, "left"), (left + 24, "left"), (left + 0.72 * width, "right"),
                  (right, "right")],
        "simple": [(left, "left"), (right, "right")],
    }[family.table]


def items_table(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    columns = _columns(sheet, family)
    heads = list(family.heads)
    if family.currency == "header":
        heads[-1] += " €"
    for (x, align), head in zip(columns, heads, strict=True):
        sheet.text(x, y, head, bold=True, align=align)
    sheet.rule(sheet.left, y + 1.5, sheet.right)
    y += 6
    for number, item in enumerate(content.items, start=1):
        for (x, align), cell in zip(columns, _cells(family, content, number, item), strict=True):
            sheet.text(x, y, cell, align=align)
        if family.table == "ruled":
            sheet.rule(sheet.left, y + 1.5, sheet.right, width=0.2)
        y += ROW
    sheet.rule(sheet.left, y - 2.5, sheet.right)
    return y + 3


def _stack_lines(family: Family, content: Content) -> list[tuple[str, Decimal, bool]]:
    """(label, amount, bold) of a stacked totals block."""
    lines = [(family.net_label, content.net, False)]
    for group in content.vat_groups():
        label = family.tax_label.format(rate=fmt_rate(group.rate, family.amount_fmt))
        lines.append((label, group.tax, False))
    lines.append((family.gross_label, content.gross, True))
    return lines


def _due_lines(family: Family, content: Content) -> list[tuple[str, Decimal, bool]]:
    lines = []
    if content.prepaid:
        lines.append((family.prepaid_label, content.prepaid, False))
    if family.due_label and (content.prepaid or family.totals != "single"):
        lines.append((family.due_label, content.amount_due, True))
    return lines


def _draw_stack(sheet: Sheet, family: Family, content: Content, y: float,
                lines: list[tuple[str, Decimal, bool]]) -> float:
    x = sheet.left + 0.5 * (sheet.right - sheet.left)
    for label, value, bold in lines:
        sheet.text(x, y, label, bold=bold)
        sheet.text(sheet.right, y, printed.amount(family, content, value), bold=bold,
                   align="right")
        y += ROW
    return y


def _vat_grid(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    """A small table: rate, net, tax, gross per VAT rate; the amount due under it."""
    heads = family.tax_label.split("|")  # e.g. "MwSt-Satz|Netto|MwSt|Brutto"
    xs = [sheet.left + 0.4 * (sheet.right - sheet.left) + i * 0.2 * (sheet.right - sheet.left)
          for i in range(4)]
    for x, head in zip(xs, heads, strict=True):
        sheet.text(x, y, head, bold=True, align="right" if x != xs[0] else "left")
    y += ROW
    for group in content.vat_groups():
        values = (group.basis, group.tax, group.basis + group.tax)
        cells = [f"{fmt_rate(group.rate, family.amount_fmt)} %",
                 *(printed.amount(family, content, v) for v in values)]
        for x, cell in zip(xs, cells, strict=True):
            sheet.text(x, y, cell, align="right" if x != xs[0] else "left")
        y += ROW
    y += 2
    return _draw_stack(sheet, family, content, y,
                       [(family.gross_label, content.gross, True)] + _due_lines(family, content))


def _row(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    """Net, tax and gross side by side on one line."""
    parts = [f"{family.net_label} {printed.amount(family, content, content.net)}",
             f"{family.tax_label.format(rate=fmt_rate(content.vat_groups()[0].rate, 'de'))} "
             f"{printed.amount(family, content, content.tax)}",
             f"{family.gross_label} {printed.amount(family, content, content.gross)}"]
    width = (sheet.right - sheet.left) / 3
    for number, part in enumerate(parts):
        sheet.text(sheet.left + number * width, y, part, bold=number == 2)
    return _draw_stack(sheet, family, content, y + ROW + 1, _due_lines(family, content))


def _included(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    """The gross first; the tax it includes below it (taxis, retail)."""
    lines = [(family.gross_label, content.gross, True)]
    for group in content.vat_groups():
        label = family.tax_label.format(rate=fmt_rate(group.rate, family.amount_fmt))
        lines.append((label, group.tax, False))
    if family.net_label:
        lines.append((family.net_label, content.net, False))
    return _draw_stack(sheet, family, content, y, lines + _due_lines(family, content))


def totals(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    if family.totals == "stack":
        y = _draw_stack(sheet, family, content, y,
                        _stack_lines(family, content) + _due_lines(family, content))
    elif family.totals == "single":
        y = _draw_stack(sheet, family, content, y,
                        [(family.gross_label, content.gross, True)] + _due_lines(family, content))
    else:
        y = {"vat_grid": _vat_grid, "row": _row, "included": _included}[family.totals](
            sheet, family, content, y)
    if family.vat == "exempt":
        sheet.text(sheet.left, y + 2, family.exempt_note)
        y += ROW
    return y + 4
