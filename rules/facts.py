"""The invoice fields of one decision, read once and kept in the forms conditions need.

Conditions are evaluated for hundreds of rules per invoice, so everything that depends
only on the invoice is prepared once here: ``texts`` (stripped text, None when blank),
``folded`` (casefolded text of the present fields) and the starts of German reasons,
``said_is`` ("USt-IdNr. ist DE811234565") and ``said_quoted`` ("Rechnungssteller „…“"),
and ``case_probes`` for case-insensitive literal checks (rules.patterns.case_probe);
typed amounts and dates, their German display and initial letters are cached on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from rules.fields import AMOUNT, DATE
from rules.german import format_amount, format_date
from rules.letters import initial_letter
from rules.patterns import case_probe
from rules.values import field_amount, field_date

MISSING = object()  # the field is absent, None or blank
INVALID = object()  # the field is present but not an amount / a date


class Facts:
    """Field values for one call of decide(); conditions read them, never the caller."""

    __slots__ = ("texts", "folded", "said_is", "said_quoted", "case_probes", "today", "currency", "_typed", "_shown",
                 "_letters", "cut_short")

    def __init__(self, fields: Mapping[str, object], today: date, labels: Mapping[str, str]):
        self.texts: dict[str, str | None] = {name: _as_text(value) for name, value in fields.items()}
        present = {name: text for name, text in self.texts.items()
                   if text is not None and name in labels}
        self.folded = {name: text.casefold() for name, text in present.items()}
        self.said_is = {name: f"{labels[name]} ist {text}" for name, text in present.items()}
        self.said_quoted = {name: f"{labels[name]} „{text}“" for name, text in present.items()}
        self.case_probes = {name: case_probe(text) for name, text in present.items()}
        self.today = today
        self.currency = self.texts.get("currency")
        self._typed: dict[tuple[str, str], object] = {}
        self._shown: dict[tuple[str, str], str] = {}
        self._letters: dict[str, str | None] = {}
        self.cut_short = False  # set when a pattern check was cut short

    def typed(self, name: str, kind: str) -> object:
        """The value to compare: casefolded text, Decimal or date; or MISSING / INVALID."""
        key = (name, kind)
        try:
            return self._typed[key]
        except KeyError:
            pass
        text = self.texts.get(name)
        if text is None:
            value: object = MISSING
        elif kind == AMOUNT:
            value = field_amount(text)
        elif kind == DATE:
            value = field_date(text)
        else:
            value = self.folded[name]
        if value is None:
            value = INVALID
        self._typed[key] = value
        return value

    def shown(self, name: str, kind: str) -> str:
        """A present, valid value as clerks read it: '6.200,00 €', '03.01.2027', or the text."""
        key = (name, kind)
        try:
            return self._shown[key]
        except KeyError:
            pass
        if kind == AMOUNT:
            shown = format_amount(self.typed(name, kind), self.currency)
        elif kind == DATE:
            shown = format_date(self.typed(name, kind))
        else:
            shown = self.texts[name]
        self._shown[key] = shown
        return shown

    def letter(self, name: str) -> str | None:
        """The DIN 5007 initial letter of the field's value (see rules.letters)."""
        try:
            return self._letters[name]
        except KeyError:
            pass
        text = self.texts.get(name)
        letter = initial_letter(text) if text is not None else None
        self._letters[name] = letter
        return letter


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text.strip() or None
