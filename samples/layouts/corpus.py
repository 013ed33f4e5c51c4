"""Specimens of the layout corpus: each family's invoices rendered to text PDFs, with their
ground truth. Deterministic: a seed per family and invoice."""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from samples.layouts import feet, heads, tables
from samples.layouts.content import Content, make_content
from samples.layouts.families import FAMILIES
from samples.layouts.sheet import Sheet
from samples.layouts.style import Family


@dataclass(frozen=True)
class Specimen:
    family: str
    group: str  # tuning | test
    number: int
    pdf: bytes
    truth: dict[str, str | None]

    @property
    def name(self) -> str:
        return f"{self.family}-{self.number:03d}"


def render(family: Family, content: Content) -> bytes:
    """The invoice as the family's program prints it: one page, text layer included."""
    sheet = Sheet(family.page, family.font, family.size)
    heads.letterhead(sheet, family, content)
    heads.address_window(sheet, family, content)
    y = heads.header(sheet, family, content)
    y = feet.notes(sheet, family, content, y)
    y = tables.items_table(sheet, family, content, y)
    y = tables.totals(sheet, family, content, y)
    feet.payment(sheet, family, content, y)
    feet.footer(sheet, family, content)
    return sheet.pdf()


def specimen(family: Family, group: str, number: int, seed: int) -> Specimen:
    rng = random.Random(zlib.crc32(f"{seed}/{family.name}/{number}".encode()))
    content = make_content(family, rng, credit_note=rng.random() < family.credit_share)
    return Specimen(family.name, group, number, render(family, content), content.truth())


def provider_specimens(family: Family, group: str, count: int, seed: int = 2026
                       ) -> list[Specimen]:
    """`count` invoices of one provider that bills with `family`'s program: the seller of
    the family's first specimen on every one (learning from corrections, bench/learning.py)."""
    rng = random.Random(zlib.crc32(f"{seed}/{family.name}/provider".encode()))
    seller = make_content(family, rng, credit_note=False).seller
    found = []
    for number in range(count):
        rng = random.Random(zlib.crc32(f"{seed}/{family.name}/{number}".encode()))
        content = make_content(family, rng, rng.random() < family.credit_share, seller)
        found.append(Specimen(family.name, group, number, render(family, content),
                              content.truth()))
    return found


def specimens(group: str, per_family: int, seed: int = 2026,
              names: set[str] | None = None) -> list[Specimen]:
    """`per_family` invoices of every family of `group` ('tuning' or 'test')."""
    return [
        specimen(family, group, number, seed)
        for family in FAMILIES[group]
        if names is None or family.name in names
        for number in range(per_family)
    ]
