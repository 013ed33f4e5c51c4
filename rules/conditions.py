"""Conditions: compiled at load time, evaluated per invoice with German reasons.

Every condition has ``evaluate(facts) -> (matched, reasons)`` and a ``key`` that identifies
what it tests (used to find rules that can never decide). ``all`` stops at the first part
that fails and ``any`` at the first that holds, so a reason says just what decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rules.facts import INVALID, MISSING, Facts
from rules.fields import AMOUNT, DATE, TEXT
from rules.german import format_amount, format_date
from rules.patterns import MAX_INPUT_CHARS, Pattern

Result = tuple[bool, tuple[str, ...]]


class Condition:
    __slots__ = ("key", "line")

    def evaluate(self, facts: Facts) -> Result:
        raise NotImplementedError


class Always(Condition):
    """A rule without ``when`` matches every invoice."""

    __slots__ = ()
    REASONS = ("Regel ohne Bedingung: gilt für jede Rechnung",)

    def __init__(self, line: int):
        self.key, self.line = ("always",), line

    def evaluate(self, facts: Facts) -> Result:
        return True, self.REASONS


class AllOf(Condition):
    __slots__ = ("children", "checks")

    def __init__(self, children: Sequence[Condition], line: int):
        self.children = tuple(children)
        self.checks = tuple(child.evaluate for child in self.children)
        self.key, self.line = ("all", frozenset(c.key for c in self.children)), line

    def evaluate(self, facts: Facts) -> Result:
        reasons: tuple[str, ...] = ()
        for check in self.checks:
            matched, why = check(facts)
            if not matched:
                return False, why
            reasons += why
        return True, reasons


class AnyOf(Condition):
    __slots__ = ("children", "checks")

    def __init__(self, children: Sequence[Condition], line: int):
        self.children = tuple(children)
        self.checks = tuple(child.evaluate for child in self.children)
        self.key, self.line = ("any", frozenset(c.key for c in self.children)), line

    def evaluate(self, facts: Facts) -> Result:
        reasons: tuple[str, ...] = ()
        for check in self.checks:
            matched, why = check(facts)
            if matched:
                return True, why
            reasons += why
        return False, reasons


class Not(Condition):
    __slots__ = ("child",)

    def __init__(self, child: Condition, line: int):
        self.child = child
        self.key, self.line = ("not", child.key), line

    def evaluate(self, facts: Facts) -> Result:
        matched, why = self.child.evaluate(facts)
        if matched:
            return False, ("darf nicht zutreffen, trifft aber zu: " + "; ".join(why),)
        return True, ("wie verlangt nicht erfüllt: " + "; ".join(why),)


class Leaf(Condition):
    """A test of one field; ``kind`` says how its value is compared (text, amount, date)."""

    __slots__ = ("field", "label", "kind", "missing")

    def __init__(self, field: str, label: str, kind: str, line: int, params: tuple):
        self.field, self.label, self.kind, self.line = field, label, kind, line
        self.key = (type(self).__name__, field, kind, params)
        self.missing = (f"{label} fehlt",)

    def value(self, facts: Facts) -> tuple[object, tuple[str, ...] | None]:
        """(comparable value, None), or (None, reasons why there is nothing to compare)."""
        value = facts.typed(self.field, self.kind)
        if value is MISSING:
            return None, self.missing
        if value is INVALID:
            what = "gültiger Betrag" if self.kind == AMOUNT else "gültiges Datum"
            return None, (f"{facts.said_quoted[self.field]} ist kein {what}",)
        return value, None

    def show(self, facts: Facts, value: object) -> str:
        """A rule's value as clerks read it."""
        if self.kind == AMOUNT:
            return format_amount(value, facts.currency)  # type: ignore[arg-type]
        if self.kind == DATE:
            return format_date(value)  # type: ignore[arg-type]
        return str(value)


class Equals(Leaf):
    __slots__ = ("expected", "head", "suffix")

    def __init__(self, field: str, label: str, kind: str, line: int, expected: object, shown: str):
        super().__init__(field, label, kind, line, (expected,))
        self.expected = expected
        self.head = f"{label} ist "
        self.suffix = f", erwartet {shown}" if kind == TEXT else None

    def evaluate(self, facts: Facts) -> Result:
        if self.suffix is not None:  # text: the fast path, most rules test text
            value = facts.folded.get(self.field)
            if value is None:
                return False, self.missing
            said = facts.said_is[self.field]
            return (True, (said,)) if value == self.expected else (False, (said + self.suffix,))
        value, missing = self.value(facts)
        if missing:
            return False, missing
        said = self.head + facts.shown(self.field, self.kind)
        if value == self.expected:
            return True, (said,)
        return False, (f"{said}, erwartet {self.show(facts, self.expected)}",)


class OneOf(Leaf):
    __slots__ = ("expected", "head", "suffix")

    def __init__(self, field: str, label: str, kind: str, line: int,
                 expected: Sequence[object], shown: Sequence[str]):
        super().__init__(field, label, kind, line, (frozenset(expected),))
        self.expected = frozenset(expected)
        self.head = f"{label} ist "
        self.suffix = f", erwartet einen von: {', '.join(shown)}" if kind == TEXT else None

    def evaluate(self, facts: Facts) -> Result:
        value, missing = self.value(facts)
        if missing:
            return False, missing
        said = self.head + facts.shown(self.field, self.kind)
        if value in self.expected:
            return True, (said + ", einer der erwarteten Werte",)
        suffix = self.suffix or ", erwartet einen von: " + ", ".join(
            self.show(facts, v) for v in sorted(self.expected))
        return False, (said + suffix,)


class Contains(Leaf):
    __slots__ = ("needle", "yes", "no")

    def __init__(self, field: str, label: str, line: int, needle: str):
        super().__init__(field, label, TEXT, line, (needle.casefold(),))
        self.needle = needle.casefold()
        self.yes, self.no = f" enthält „{needle}“", f" enthält nicht „{needle}“"

    def evaluate(self, facts: Facts) -> Result:
        value = facts.folded.get(self.field)
        if value is None:
            return False, self.missing
        said = facts.said_quoted[self.field]
        if self.needle in value:
            return True, (said + self.yes,)
        return False, (said + self.no,)


class Matches(Leaf):
    """``regex:``; a search anywhere in the value, as Python's re.search."""

    __slots__ = ("pattern", "search", "literals", "ignore_case", "yes", "no")

    def __init__(self, field: str, label: str, line: int, pattern: Pattern):
        super().__init__(field, label, TEXT, line, (pattern.source,))
        self.pattern = pattern
        self.search = pattern.search if pattern.guarded else pattern.compiled.search
        self.literals, self.ignore_case = pattern.literals, pattern.ignore_case
        self.yes = f" passt zum Muster „{pattern.source}“"
        self.no = f" passt nicht zum Muster „{pattern.source}“"

    def evaluate(self, facts: Facts) -> Result:
        actual = facts.texts.get(self.field)
        if actual is None:
            return False, self.missing
        if self.literals:  # a value without one of them cannot match: no search needed
            probe = facts.case_probes[self.field] if self.ignore_case else actual
            for literal in self.literals:
                if literal not in probe:
                    return False, (facts.said_quoted[self.field] + self.no,)
        if len(actual) > MAX_INPUT_CHARS:
            facts.cut_short = True
            return False, (f"{self.label} ist zu lang für die Musterprüfung "
                           f"(über {MAX_INPUT_CHARS} Zeichen); gilt als nicht passend",)
        try:
            found = self.search(actual)
        except TimeoutError:
            facts.cut_short = True
            return False, (f"Muster „{self.pattern.source}“ für {self.label} brauchte zu lange "
                           "und wurde abgebrochen; gilt als nicht passend",)
        said = facts.said_quoted[self.field]
        return (True, (said + self.yes,)) if found else (False, (said + self.no,))


class AmountRange(Leaf):
    """``min`` and/or ``max``, both inclusive."""

    __slots__ = ("minimum", "maximum")

    def __init__(self, field: str, label: str, line: int,
                 minimum: Decimal | None, maximum: Decimal | None):
        super().__init__(field, label, AMOUNT, line, (minimum, maximum))
        self.minimum, self.maximum = minimum, maximum

    def evaluate(self, facts: Facts) -> Result:
        value, missing = self.value(facts)
        if missing:
            return False, missing
        low, high = self.minimum, self.maximum
        matched = (low is None or value >= low) and (high is None or value <= high)  # type: ignore[operator]
        negation = "" if matched else "nicht "
        actual = facts.shown(self.field, AMOUNT)
        if low is not None and high is not None:
            text = (f"liegt {negation}zwischen {self.show(facts, low)} "
                    f"und {self.show(facts, high)}")
        elif low is not None:
            text = f"ist {negation}mindestens {self.show(facts, low)}"
        else:
            text = f"ist {negation}höchstens {self.show(facts, high)}"
        return matched, (f"{self.label} {actual} {text}",)


COMPARISONS = {
    ">=": ("größer oder gleich", lambda a, b: a >= b),
    "<=": ("kleiner oder gleich", lambda a, b: a <= b),
    ">": ("größer als", lambda a, b: a > b),
    "<": ("kleiner als", lambda a, b: a < b),
    "=": ("gleich", lambda a, b: a == b),
    "!=": ("ungleich", lambda a, b: a != b),
}


class Compare(Leaf):
    """``compare: ">= 5000"``."""

    __slots__ = ("operator", "bound")

    def __init__(self, field: str, label: str, line: int, operator: str, bound: Decimal):
        super().__init__(field, label, AMOUNT, line, (operator, bound))
        self.operator, self.bound = operator, bound

    def evaluate(self, facts: Facts) -> Result:
        value, missing = self.value(facts)
        if missing:
            return False, missing
        words, test = COMPARISONS[self.operator]
        matched = test(value, self.bound)
        negation = "" if matched else "nicht "
        return matched, (f"{self.label} {facts.shown(self.field, AMOUNT)} ist {negation}{words} "
                         f"{self.show(facts, self.bound)}",)


class Exists(Leaf):
    __slots__ = ("wanted",)

    def __init__(self, field: str, label: str, line: int, wanted: bool):
        super().__init__(field, label, TEXT, line, (wanted,))
        self.wanted = wanted

    def evaluate(self, facts: Facts) -> Result:
        present = facts.texts.get(self.field) is not None
        if present:
            return self.wanted, (f"{self.label} ist vorhanden" if self.wanted
                                 else f"{self.label} ist vorhanden, soll aber fehlen",)
        return not self.wanted, (f"{self.label} fehlt" if self.wanted
                                 else f"{self.label} fehlt, wie verlangt",)


class OlderThan(Leaf):
    """``older_than_days: 60``: more than that many days before ``today``."""

    __slots__ = ("days",)

    def __init__(self, field: str, label: str, line: int, days: int):
        super().__init__(field, label, DATE, line, (days,))
        self.days = days

    def evaluate(self, facts: Facts) -> Result:
        value, missing = self.value(facts)
        if missing:
            return False, missing
        age = (facts.today - value).days  # type: ignore[operator]
        matched = age > self.days
        shown = facts.shown(self.field, DATE)
        if age < 0:
            return False, (f"{self.label} {shown} liegt in der Zukunft, "
                           f"nicht älter als {_days(self.days)}",)
        negation = "" if matched else "nicht "
        return matched, (f"{self.label} {shown} ist {_days(age)} alt, "
                         f"{negation}älter als {_days(self.days)}",)


class Letters(Leaf):
    """``letters: "A-K"`` on a name, sorted as DIN 5007 variant 1 (see rules.letters)."""

    __slots__ = ("letters", "shown")

    def __init__(self, field: str, label: str, line: int, letters: frozenset[str], shown: str):
        super().__init__(field, label, TEXT, line, (letters,))
        self.letters, self.shown = letters, shown

    def evaluate(self, facts: Facts) -> Result:
        said = facts.said_quoted.get(self.field)
        if said is None:
            return False, self.missing
        letter = facts.letter(self.field)
        if letter is None:
            return False, (f"{said} hat keinen Anfangsbuchstaben",)
        negation = "" if letter in self.letters else "nicht "
        return letter in self.letters, (
            f"{said} steht unter {letter}, {negation}im Bereich {self.shown}",)


def _days(count: int) -> str:
    return "1 Tag" if count == 1 else f"{count} Tage"
