"""Counts in German: '1 Dokument', '2 Dokumente', '1.234 Dokumente', 'seit heute'."""

from __future__ import annotations


def number(n: int) -> str:
    """1234 -> '1.234' (a dot groups thousands, as Germans write)."""
    return f"{n:,}".replace(",", ".")


def counted(n: int, one: str, many: str) -> str:
    """'1 Ausnahme', '5 Ausnahmen', '0 Ausnahmen'."""
    return f"{number(n)} {one if n == 1 else many}"


def waiting_since(days: int) -> str:
    """How long something has waited: 'seit heute', 'seit 1 Tag', 'seit 3 Tagen'."""
    return "seit heute" if days <= 0 else f"seit {counted(days, 'Tag', 'Tagen')}"
