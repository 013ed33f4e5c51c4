"""The top of an invoice: letterhead, sender line and address window, then the header
that carries number and date (a title line, label/value lists, a grid, sections)."""

from __future__ import annotations

from samples.layouts import printed
from samples.layouts.content import Content
from samples.layouts.sheet import Sheet
from samples.layouts.style import Family

TAGLINES = {
    "care": "Ambulante Pflege · Betreuung · Beratung",
    "integration": "Assistenz · Wohnen · Teilhabe",
    "housing": "Wohnen und Pflege im Alter",
    "craft": "Meisterbetrieb seit 1987",
    "taxi": "Krankenfahrten · Rollstuhlfahrten · Kurierdienst",
    "therapy": "Praxis für Therapie und Prävention",
    "utility": "Strom · Gas · Wasser · Wärme",
    "medical": "Sanitätshaus · Orthopädie · Rehatechnik",
}


def _address(content: Content) -> str:
    seller = content.seller
    return f"{seller.street} · {seller.postcode} {seller.city} · Tel. {seller.phone}"


def letterhead(sheet: Sheet, family: Family, content: Content) -> None:
    """The seller's name (and a line about it) at the top of the page."""
    name, style, big = content.seller.name, family.letterhead, family.size + 6
    x = {"left": sheet.left, "right": sheet.right, "center": sheet.width / 2}
    if style == "footer_only":
        sheet.text(sheet.left, 18, TAGLINES[family.trade], size=big - 2, bold=True)
        return
    if style == "stacked":
        words = name.split()
        cut = max(1, len(words) // 2)
        sheet.text(sheet.left, 14, " ".join(words[:cut]), size=big, bold=True)
        sheet.text(sheet.left, 20, " ".join(words[cut:]), size=big, bold=True)
        sheet.text(sheet.left, 25, TAGLINES[family.trade], size=family.size - 1)
        return
    align = "center" if style == "center" else style
    sheet.text(x[style], 17, name, size=big, bold=True, align=align)
    sheet.text(x[style], 22.5, TAGLINES[family.trade], size=family.size - 1, align=align)
    if style != "right":
        sheet.text(x[style], 26.5, _address(content), size=family.size - 1.5, align=align)


def address_window(sheet: Sheet, family: Family, content: Content) -> None:
    top = 50 if family.page == "A4" else 36
    if family.sender_line:
        seller = content.seller
        line = family.sender_line.format(name=seller.name, street=seller.street,
                                         postcode=seller.postcode, city=seller.city)
        sheet.text(sheet.left + 2, top - 4, line, size=6.5)
        sheet.rule(sheet.left + 2, top - 3.2, sheet.left + 2 + sheet.width_of(line, size=6.5),
                   width=0.3)
    for number, line in enumerate(content.buyer):
        sheet.text(sheet.left + 2, top + 2 + 4.5 * number, line, size=family.size + 1)


def _rows(family: Family, content: Content) -> list[tuple[str, str]]:
    rows = []
    for label, key in family.fields:
        value = printed.header_value(family, content, key)
        if value:
            rows.append((label, value))
    return rows


def _beside_window(sheet: Sheet, family: Family, content: Content) -> None:
    """A label/value list beside the address window (two columns of the header)."""
    x = sheet.width * 0.57
    value_x = x + max(sheet.width_of(label) for label, _ in _rows(family, content)) + 6
    top = 50 if family.page == "A4" else 36
    for number, (label, value) in enumerate(_rows(family, content)):
        sheet.text(x, top + 2 + 4.4 * number, label)
        sheet.text(value_x, top + 2 + 4.4 * number, value)


def _title(sheet: Sheet, family: Family, content: Content, y: float, grow: float = 5) -> None:
    sheet.text(sheet.left, y, printed.title_text(family, content), size=family.size + grow,
               bold=True)


def _kv_right(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    _beside_window(sheet, family, content)
    _title(sheet, family, content, y)
    return y + 9


def _kv_left(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    """The title, then 'Label: value' lines under it (label and value in one run)."""
    _title(sheet, family, content, y)
    y += 7
    for label, value in _rows(family, content):
        sheet.text(sheet.left, y, f"{label} {value}")
        y += 4.4
    return y + 4


def _grid(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    """A boxed row of labels with each value under its label."""
    _title(sheet, family, content, y)
    y += 5
    rows = _rows(family, content)
    width = (sheet.right - sheet.left) / len(rows)
    for number, (label, value) in enumerate(rows):
        x = sheet.left + number * width
        sheet.box(x, y, width, 11)
        sheet.text(x + 2, y + 4, label, size=family.size - 1.5)
        sheet.text(x + 2, y + 9, value, size=family.size + 0.5, bold=True)
    return y + 19


def _title_line(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    """One title line carries number and date; other fields in a list beside the window."""
    if family.fields:
        _beside_window(sheet, family, content)
    _title(sheet, family, content, y, 4)
    return y + 9


def _section(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    """A headed section ('Rechnungsdaten') listing generic labels ('Nummer:', 'Datum:')."""
    _title(sheet, family, content, y)
    y += 8
    sheet.text(sheet.left, y, family.section_title, bold=True)
    y += 4.6
    label_width = max(sheet.width_of(label) for label, _ in _rows(family, content)) + 4
    for label, value in _rows(family, content):
        sheet.text(sheet.left, y, label)
        sheet.text(sheet.left + label_width, y, value)
        y += 4.4
    return y + 4


def _din(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    """DIN 5008 reference line: small labels in one row, each value under its label; the
    subject line below names the document."""
    rows = _rows(family, content)
    width = (sheet.right - sheet.left) / len(rows)
    for number, (label, value) in enumerate(rows):
        x = sheet.left + number * width
        sheet.text(x, y - 6, label, size=family.size - 2)
        sheet.text(x, y - 1.8, value)
    _title(sheet, family, content, y + 8, 2)
    return y + 15


def _stacked_kv(sheet: Sheet, family: Family, content: Content, y: float) -> float:
    """Beside the address window: each label small, its value under it."""
    x, top = sheet.width * 0.6, (50 if family.page == "A4" else 36) - 2
    for number, (label, value) in enumerate(_rows(family, content)):
        sheet.text(x, top + 8 * number, label, size=family.size - 2)
        sheet.text(x, top + 8 * number + 3.8, value, bold=True)
    _title(sheet, family, content, y)
    return y + 9


HEADERS = {"kv_right": _kv_right, "kv_left": _kv_left, "grid": _grid,
           "title_line": _title_line, "section": _section, "din": _din,
           "stacked_kv": _stacked_kv}


def header(sheet: Sheet, family: Family, content: Content) -> float:
    """Draw the header; the y (mm) where the body may start."""
    y = 98 if family.page == "A4" else 70
    return HEADERS[family.header](sheet, family, content, y)
