"""The bottom of an invoice: notes about the service, payment terms, greeting, and the
footer with the seller's address, bank data and tax identifiers in the family's form."""

from __future__ import annotations

from samples.layouts import printed
from samples.layouts.content import Content
from samples.layouts.sheet import Sheet
from samples.layouts.style import Family

LINE = 4.4


def _bank_lines(family: Family, content: Content) -> list[str]:
    seller = content.seller
    return [line.format(bank=seller.bank, iban=printed.iban(family, content), bic=seller.bic,
                        iban_label=family.iban_label)
            for line in family.bank_lines]


def _tax_lines(family: Family, content: Content) -> list[str]:
    seller, lines = content.seller, []
    if seller.register:
        lines.append(seller.register)
    lines.append(("Inhaber: " if not seller.register else "Geschäftsführer: ") + seller.owner)
    if "tax_number" in family.extras:
        lines.append(f"{printed.phrase(family, 'tax_number')} {seller.tax_number}")
    if family.vat_label and seller.vat_id:
        lines.append(f"{family.vat_label} {printed.vat_id(family, content)}")
    if "ik" in family.extras:
        lines.append(f"{printed.phrase(family, 'ik')} {seller.ik}")
    return lines


def notes(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    """Beneficiary and service period above the table, if the family prints them."""
    for key in ("beneficiary", "period"):
        if key in family.extras:
            value = printed.header_value(family, content, key)
            sheet.text(sheet.left, y, f"{printed.phrase(family, key)} {value}")
            y += LINE
    if "intro" in family.extras:
        sheet.text(sheet.left, y + 1, printed.phrase(family, "intro"))
        y += LINE + 1
    return y + 3


def payment(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    seller = content.seller
    if family.payment:
        text = family.payment.format(
            due=printed.date(family, content.due) if content.due else "",
            days=content.terms_days, iban=printed.iban(family, content), bank=seller.bank,
            bic=seller.bic, number=content.number,
            gross=printed.amount(family, content, content.amount_due))
        for line in text.split("\n"):
            sheet.text(sheet.left, y, line)
            y += LINE
    if family.footer == "block":
        y += 2
        sheet.text(sheet.left, y, printed.phrase(family, "bank") + ":", bold=True)
        for line in _bank_lines(family, content):
            y += LINE
            sheet.text(sheet.left, y, line)
    sheet.text(sheet.left, y + 8, printed.phrase(family, "greeting"))
    return y + 12


def _columns(sheet: Sheet, family: Family, content: Content) -> None:
    seller = content.seller
    first = [seller.name, seller.street, f"{seller.postcode} {seller.city}",
             f"{printed.phrase(family, 'phone')} {seller.phone}"]
    second = [printed.phrase(family, "bank"), *_bank_lines(family, content)]
    columns = [first, second, _tax_lines(family, content)]
    width = (sheet.right - sheet.left) / 3
    top = sheet.height - 30
    sheet.rule(sheet.left, top - 4, sheet.right, width=0.3)
    for number, lines in enumerate(columns):
        for row, line in enumerate(lines):
            sheet.text(sheet.left + number * width, top + row * 3.4, line,
                       size=family.size - 2)


def _line(sheet: Sheet, family: Family, content: Content) -> None:
    seller = content.seller
    rows = [f"{seller.name} · {seller.street} · {seller.postcode} {seller.city} · "
            f"{printed.phrase(family, 'phone')} {seller.phone} · {seller.web}",
            " · ".join(_bank_lines(family, content)),
            " · ".join(_tax_lines(family, content))]
    top = sheet.height - 20
    for row, text in enumerate(rows):
        sheet.text(sheet.width / 2, top + row * 3.6, text, size=family.size - 2.5,
                   align="center")


def _short(sheet: Sheet, family: Family, content: Content) -> None:
    """Footer of a family that prints its bank data in the body: the legal lines only."""
    sheet.text(sheet.width / 2, sheet.height - 14, " · ".join(_tax_lines(family, content)),
               size=family.size - 2.5, align="center")


def footer(sheet: Sheet, family: Family, content: Content) -> None:
    if "page" in family.extras:
        sheet.text(sheet.right, sheet.height - 36, printed.phrase(family, "page"),
                   size=family.size - 1.5, align="right")
    {"columns": _columns, "line": _line, "block": _short, "none": _short}[family.footer](
        sheet, family, content)
