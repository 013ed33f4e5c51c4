"""Find rules that can never decide because another rule matches whenever they do.

``implies(b, a)`` is sound but not complete: when it says True, every invoice matching
``b`` matches ``a``; when it says False, that may still be so (regexes are never compared,
for instance). It understands rules without condition, identical conditions, all/any
structure (a subset of the conjuncts), value lists, amount ranges, 'contains', ages,
letter ranges and 'exists: true'.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rules import conditions as c
from rules.fields import AMOUNT
from rules.model import Rule

_INF = Decimal("Infinity")


def find_shadowed_rules(rules: Iterable[Rule]) -> list[tuple[int, str]]:
    """(line, message) for each rule that can never decide."""
    rules = list(rules)
    position = {id(rule): index for index, rule in enumerate(rules)}
    wanted_by: dict[tuple, list[Rule]] = {}
    for rule in rules:
        for token in _tokens(rule.condition, wanted=True):
            wanted_by.setdefault(token, []).append(rule)
    catch_all = [r for r in rules if isinstance(r.condition, c.Always)]
    found: list[tuple[int, str]] = []
    for b in rules:
        candidates = {id(a): a for token in _tokens(b.condition, wanted=False)
                      for a in wanted_by.get(token, ())}
        candidates.update((id(a), a) for a in catch_all)
        for a in sorted(candidates.values(), key=lambda r: position[id(r)]):
            if a is b or a.priority < b.priority or not implies(b.condition, a.condition):
                continue
            if a.priority > b.priority:
                found.append((b.line, _higher(a, b)))
                break
            if not (implies(a.condition, b.condition) and position[id(a)] > position[id(b)]):
                found.append((b.line, _same(a, b)))
                break
    return found


# Which leaf types can imply a leaf of each type (besides an identical leaf). A rule ``a``
# can only be implied by ``b`` if a token ``b`` offers is one ``a`` wants, which keeps the
# pairwise check fast for hundreds of rules.
_AMOUNT_TESTS = ("Equals", "OneOf", "AmountRange", "Compare")
_IMPLIED_BY = {"OneOf": ("Equals", "OneOf"), "Equals": ("OneOf",), "Contains": ("Contains", "Equals"),
               "OlderThan": ("OlderThan",), "Letters": ("Letters",),
               "AmountRange": _AMOUNT_TESTS, "Compare": _AMOUNT_TESTS}
_ANY_VALUE_TEST = ("Equals", "OneOf", "Contains", "Matches", "AmountRange", "Compare",
                   "OlderThan", "Letters")


def _tokens(condition: c.Condition, wanted: bool) -> set[tuple]:
    """What ``condition`` offers to imply others with (wanted=False) or needs (wanted=True).

    Under ``not`` the direction turns round, so leaves there count both ways."""
    tokens: set[tuple] = set()
    for leaf, negated in _leaves(condition, False):
        kind = type(leaf).__name__
        tokens.add(("key", leaf.key))
        if not wanted or negated:
            tokens.add((leaf.field, kind))
        if wanted or negated:
            if isinstance(leaf, c.Exists):
                implied_by = _ANY_VALUE_TEST if leaf.wanted else ()
            elif leaf.kind == AMOUNT:
                implied_by = _AMOUNT_TESTS
            else:
                implied_by = _IMPLIED_BY.get(kind, ())
            tokens.update((leaf.field, other) for other in implied_by)
    return tokens


def _leaves(condition: c.Condition, negated: bool) -> Iterable[tuple[c.Leaf, bool]]:
    if isinstance(condition, c.Leaf):
        yield condition, negated
    elif isinstance(condition, c.AllOf | c.AnyOf):
        for child in condition.children:
            yield from _leaves(child, negated)
    elif isinstance(condition, c.Not):
        yield from _leaves(condition.child, True)


def _higher(a: Rule, b: Rule) -> str:
    return (f"die Regel „{b.id}“ kann nie entscheiden: die Regel „{a.id}“ (Zeile {a.line}) hat "
            f"einen höheren Rang ({a.priority}) und passt auf jede Rechnung, auf die „{b.id}“ "
            f"passt. „{b.id}“ einen Rang über {a.priority} geben oder die Bedingung von "
            f"„{a.id}“ enger fassen")


def _same(a: Rule, b: Rule) -> str:
    return (f"die Regel „{b.id}“ kann nie entscheiden: immer wenn sie passt, passt auch die "
            f"Regel „{a.id}“ (Zeile {a.line}) mit demselben Rang {a.priority}, das Ergebnis ist "
            f"also mehrdeutig. Einer von beiden einen höheren Rang geben oder die Bedingung von "
            f"„{a.id}“ enger fassen")


def implies(b: c.Condition, a: c.Condition) -> bool:
    """True if every invoice that matches ``b`` matches ``a`` (sound, not complete)."""
    if isinstance(a, c.Always) or a.key == b.key:
        return True
    if isinstance(b, c.Always):
        return False
    if isinstance(a, c.AllOf):
        return all(implies(b, part) for part in a.children)
    if isinstance(b, c.AnyOf):
        return all(implies(part, a) for part in b.children)
    if isinstance(a, c.AnyOf) and any(implies(b, part) for part in a.children):
        return True
    if isinstance(b, c.AllOf):
        return any(implies(part, a) for part in b.children)
    if isinstance(a, c.Not) and isinstance(b, c.Not):
        return implies(a.child, b.child)
    if isinstance(a, c.Leaf) and isinstance(b, c.Leaf):
        return _leaf_implies(b, a)
    return False


def _leaf_implies(b: c.Leaf, a: c.Leaf) -> bool:
    if b.field != a.field:
        return False
    if isinstance(a, c.Exists):
        return a.wanted and not isinstance(b, c.Exists)  # every other test needs a value
    if b.kind != a.kind:
        return False
    if isinstance(a, c.OneOf) and isinstance(b, c.Equals | c.OneOf):
        return _values(b) <= a.expected
    if isinstance(a, c.Equals) and isinstance(b, c.OneOf):
        return b.expected == {a.expected}
    if isinstance(a, c.Contains) and isinstance(b, c.Contains):
        return a.needle in b.needle
    if isinstance(a, c.Contains) and isinstance(b, c.Equals):
        return a.needle in b.expected
    if isinstance(a, c.OlderThan) and isinstance(b, c.OlderThan):
        return b.days >= a.days
    if isinstance(a, c.Letters) and isinstance(b, c.Letters):
        return b.letters <= a.letters
    if b.kind == AMOUNT:
        return _interval_implies(b, a)
    return False


def _values(leaf: c.Equals | c.OneOf) -> frozenset:
    return frozenset({leaf.expected}) if isinstance(leaf, c.Equals) else leaf.expected


def _interval(leaf: c.Leaf) -> tuple[Decimal, bool, Decimal, bool] | None:
    """(low, low included, high, high included) of an amount test, None if not an interval."""
    if isinstance(leaf, c.Equals | c.OneOf):
        values = _values(leaf)
        return min(values), True, max(values), True
    if isinstance(leaf, c.AmountRange):
        low = leaf.minimum if leaf.minimum is not None else -_INF
        high = leaf.maximum if leaf.maximum is not None else _INF
        return low, True, high, True
    if isinstance(leaf, c.Compare):
        bound = leaf.bound
        return {">=": (bound, True, _INF, True), ">": (bound, False, _INF, True),
                "<=": (-_INF, True, bound, True), "<": (-_INF, True, bound, False),
                "=": (bound, True, bound, True)}.get(leaf.operator)
    return None


def _interval_implies(b: c.Leaf, a: c.Leaf) -> bool:
    inner, outer = _interval(b), _interval(a)
    if inner is None or outer is None or isinstance(a, c.OneOf):
        return False
    low_ok = inner[0] > outer[0] or (inner[0] == outer[0] and (outer[1] or not inner[1]))
    high_ok = inner[2] < outer[2] or (inner[2] == outer[2] and (outer[3] or not inner[3]))
    return low_ok and high_ok
