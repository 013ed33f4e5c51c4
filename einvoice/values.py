"""Small helpers that read values out of e-invoice XML elements."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lxml import etree

from ocr import normalize


class Finder:
    """Reads texts, decimals and dates below the elements of one document.

    Paths are child steps 'cac:Contact/cbc:Name' (the prefix is ignored: the syntax was
    recognised from the root's namespace, and the local names of one syntax do not clash)
    or '.' for the element itself. One pass over the tree indexes every element's children
    by local name, so each look-up is a few dictionary hits instead of an ElementPath
    search: reading a whole invoice costs a fraction of a millisecond.
    """

    def __init__(self, root: etree._Element):
        children: dict[etree._Element, dict[str, list[etree._Element]]] = {}
        for element in root.iter():
            parent = element.getparent()
            if parent is None:
                continue
            tag = element.tag
            if not isinstance(tag, str):
                continue
            kids = children.get(parent)
            if kids is None:
                kids = children[parent] = {}
            kids.setdefault(tag[tag.rfind("}") + 1:], []).append(element)
        self._children = children

    def nodes(self, element: etree._Element | None, path: str) -> list[etree._Element]:
        if element is None:
            return []
        found = [element]
        for step in _steps(path):
            found = [kid for node in found
                     for kid in self._children.get(node, _EMPTY).get(step, ())]
            if not found:
                break
        return found

    def node(self, element: etree._Element | None, path: str) -> etree._Element | None:
        found = self.nodes(element, path)
        return found[0] if found else None

    def text(self, element: etree._Element | None, path: str) -> str | None:
        """The collapsed text of the first element `path` selects that has any text."""
        for found in self.nodes(element, path):
            value = normalize.collapse(found.text)
            if value:
                return value
        return None

    def texts(self, element: etree._Element | None, path: str) -> tuple[str, ...]:
        values = (normalize.collapse(found.text) for found in self.nodes(element, path))
        return tuple(value for value in values if value)

    def decimal(self, element: etree._Element | None, path: str) -> Decimal | None:
        return to_decimal(self.text(element, path))

    def date(self, element: etree._Element | None, path: str) -> str | None:
        return to_date(self.text(element, path))

    def attr(self, element: etree._Element | None, path: str, name: str) -> str | None:
        found = self.node(element, path)
        return normalize.collapse(found.get(name)) if found is not None else None


_EMPTY: dict[str, list] = {}


@lru_cache(maxsize=1024)
def _steps(path: str) -> tuple[str, ...]:
    """'cac:Contact/cbc:Name' -> ('Contact', 'Name'); '.' -> ()."""
    return tuple(step.rpartition(":")[2] for step in path.split("/") if step != ".")


def to_decimal(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def to_date(text: str | None) -> str | None:
    """UBL 'YYYY-MM-DD' or CII format 102 'YYYYMMDD' to ISO; None otherwise."""
    digits = (text or "").strip().replace("-", "")
    if len(digits) != 8 or not digits.isdigit():
        return None
    return normalize.iso_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def compact(text: str | None) -> str | None:
    """IBAN / VAT ID form: upper case without blanks."""
    return normalize.compact_id(text)
