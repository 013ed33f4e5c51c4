"""Turn the ``when:`` part of a rule into compiled conditions, reporting every mistake."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rules import conditions as c
from rules.field_labels_hint import field_of_label
from rules.fields import AMOUNT, AMOUNT_FIELDS, DATE, DATE_FIELDS, TEXT, normalise_rule_text
from rules.letters import parse_letter_ranges
from rules.patterns import PatternError, compile_pattern
from rules.problems import ProblemLog, did_you_mean
from rules.schema import line_of
from rules.value_checks import value_problem
from rules.values import AMOUNT_HINT, DATE_HINT, config_amount, config_date
from rules.yaml_lines import LineDict, LineList, YamlInt

OPERATORS = ("equals", "one_of", "contains", "regex", "min", "max", "compare", "exists",
             "older_than_days", "letters")
COMBINATORS = ("all", "any", "not")
_COMPARE = re.compile(r"\s*(>=|<=|==|!=|=|>|<)\s*(\S+)\s*")
_NEEDS_KIND = {"min": AMOUNT, "max": AMOUNT, "compare": AMOUNT,
               "older_than_days": DATE, "letters": TEXT}
_KIND_FIELDS = {AMOUNT: ", ".join(sorted(AMOUNT_FIELDS)), DATE: ", ".join(sorted(DATE_FIELDS)),
                TEXT: "Textfelder wie seller_name"}


class FieldCatalog:
    """The fields conditions may name: kind (text, amount, date) and German label of each."""

    def __init__(self, fields: Mapping[str, tuple[str, str]]):
        self.fields = dict(fields)

    def __contains__(self, name: object) -> bool:
        return name in self.fields

    def kind(self, name: str) -> str:
        return self.fields[name][0]

    def label(self, name: str) -> str:
        return self.fields[name][1]


def parse_condition(node: object, line: int, catalog: FieldCatalog,
                    log: ProblemLog) -> c.Condition | None:
    """A condition, or None after reporting why the node is not one."""
    if not isinstance(node, LineDict) or not node:
        log.add(line_of(node, line), "eine Bedingung besteht aus 'field: ...' mit einem Test "
                "oder aus einem von all:, any:, not:")
        return None
    for key, key_line in node.duplicate_keys:
        log.add(key_line, f"der Schlüssel „{key}“ steht zweimal in einer Bedingung; nur einmal angeben")
    if "field" in node:
        return _parse_leaf(node, catalog, log)
    combinators = [k for k in node if k in COMBINATORS]
    if len(combinators) != 1 or len(node) != 1:
        unknown = [k for k in node if k not in COMBINATORS]
        hint = did_you_mean(unknown[0], COMBINATORS + ("field",)) if unknown else ""
        log.add(node.line, "eine Bedingung braucht 'field:' mit einem Test oder genau eines von "
                f"all:, any:, not:{hint}")
        return None
    return _parse_combinator(combinators[0], node, catalog, log)


def _parse_combinator(name: str, node: LineDict, catalog: FieldCatalog,
                      log: ProblemLog) -> c.Condition | None:
    value, line = node[name], node.line_of(name)
    if name == "not":
        child = parse_condition(value, line, catalog, log)
        return c.Not(child, line) if child is not None else None
    if not isinstance(value, LineList) or not value:
        log.add(line, f"'{name}:' braucht eine Liste von Bedingungen, jede beginnend mit '- '")
        return None
    children = [parse_condition(item, value.line_of(i), catalog, log)
                for i, item in enumerate(value)]
    if any(child is None for child in children):
        return None
    return (c.AllOf if name == "all" else c.AnyOf)(children, line)


def _parse_leaf(node: LineDict, catalog: FieldCatalog, log: ProblemLog) -> c.Condition | None:
    field = node["field"]
    if field not in catalog:
        meant = field_of_label(field, {name: catalog.label(name) for name in catalog.fields})
        hint = (f" („{field}“ ist die Bezeichnung des Feldes „{meant}“: field: {meant} "
                "schreiben)" if meant else did_you_mean(field, catalog.fields))
        log.add(node.line_of("field"), f"unbekanntes Feld „{field}“{hint}; ein Rechnungsfeld "
                "nehmen (siehe docs/rules.md) oder es unter custom_fields anlegen")
        return None
    ops = [k for k in node if k != "field"]
    for op in ops:
        if op not in OPERATORS:
            log.add(node.line_of(op), f"unbekannter Test „{op}“{did_you_mean(op, OPERATORS + COMBINATORS)}; "
                    f"möglich sind: {', '.join(OPERATORS)}")
            return None
    if not ops:
        log.add(node.line, f"die Bedingung zu „{field}“ hat keinen Test; einen ergänzen: {', '.join(OPERATORS)}")
        return None
    if len(ops) > 1 and set(ops) != {"min", "max"}:
        log.add(node.line, f"ein Test je Bedingung (angegeben: {', '.join(ops)}); nur min und max gehen "
                "zusammen. Die Tests in eine Liste 'all:' setzen")
        return None
    kind = catalog.kind(field)
    for op in ops:
        needed = _NEEDS_KIND.get(op)
        if needed and needed != kind:
            log.add(node.line_of(op), f"„{op}“ passt nicht zu „{field}“; es braucht eines dieser Felder: "
                    f"{_KIND_FIELDS[needed]}")
            return None
    return _build_leaf(ops[0], node, field, kind, catalog.label(field), log)


def _build_leaf(op: str, node: LineDict, field: str, kind: str, label: str,
                log: ProblemLog) -> c.Condition | None:
    value, line = node[op], node.line_of(op)
    if op in ("min", "max"):
        bounds = {}
        for key in ("min", "max"):
            if key in node:
                bounds[key] = _amount(node[key], node.line_of(key), log)
                if bounds[key] is None:
                    return None
        if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
            log.add(node.line, "min ist größer als max, so passt nichts; bitte tauschen")
            return None
        return c.AmountRange(field, label, node.line, bounds.get("min"), bounds.get("max"))
    if op == "equals":
        expected = _comparable(value, field, kind, line, log)
        return None if expected is None else c.Equals(field, label, kind, node.line, *expected)
    if op == "one_of":
        if not isinstance(value, LineList) or not value:
            log.add(line, "'one_of' braucht eine Liste von Werten, z. B. one_of: [\"EUR\", \"CHF\"]")
            return None
        items = [_comparable(v, field, kind, value.line_of(i), log) for i, v in enumerate(value)]
        if any(item is None for item in items):
            return None
        return c.OneOf(field, label, kind, node.line, [i[0] for i in items], [i[1] for i in items])
    return _build_text_or_special(op, value, line, node.line, field, label, log)


def _build_text_or_special(op: str, value: object, line: int, node_line: int, field: str,
                           label: str, log: ProblemLog) -> c.Condition | None:
    if op == "exists":
        if isinstance(value, bool):
            return c.Exists(field, label, node_line, value)
        log.add(line, "'exists' nimmt true oder false")
    elif op == "older_than_days":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return c.OlderThan(field, label, node_line, value)
        log.add(line, "'older_than_days' nimmt eine ganze Zahl von Tagen, z. B. older_than_days: 60")
    elif op == "compare":
        match = _COMPARE.fullmatch(value) if isinstance(value, str) else None
        bound = _amount(match.group(2), line, log) if match else None
        if match and bound is not None:
            operator = "=" if match.group(1) == "==" else match.group(1)
            return c.Compare(field, label, node_line, operator, bound)
        if not match:
            log.add(line, "'compare' nimmt einen Vergleich in Anführungszeichen wie \">= 5000\"; "
                    "Vergleiche: >=, <=, >, <, =, !=")
    elif not isinstance(value, str) or not value.strip():
        log.add(line, f"„{op}“ nimmt Text; in Anführungszeichen setzen")
    elif op == "contains":
        return c.Contains(field, label, node_line, value.strip())
    elif op == "regex":
        try:
            return c.Matches(field, label, node_line, compile_pattern(value))
        except PatternError as exc:
            log.add(line, f"das Muster ist fehlerhaft ({exc}); bitte berichtigen, in doppelten "
                    "Anführungszeichen jeden Backslash doppelt schreiben (\"\\\\d\")")
    elif op == "letters":
        letters = parse_letter_ranges(value)
        if letters is not None:
            return c.Letters(field, label, node_line, letters, value.strip().upper())
        log.add(line, "'letters' nimmt Buchstabenbereiche A-Z wie \"A-K\" oder \"A-C, M, X-Z\" "
                "(Umlaute zählen als ihr Grundbuchstabe)")
    return None


def _comparable(value: object, field: str, kind: str, line: int,
                log: ProblemLog) -> tuple[object, str] | None:
    """(value to compare, text to show) for equals/one_of, by the field's kind."""
    if kind == AMOUNT:
        amount = _amount(value, line, log)
        return None if amount is None else (amount, "")
    if kind == DATE:
        day = config_date(value)
        if day is None:
            log.add(line, f"„{value}“ ist kein Datum; {DATE_HINT}")
            return None
        return day, ""
    if isinstance(value, YamlInt):
        value = value.text  # a code such as 380, compared as written
    if not isinstance(value, str):
        log.add(line, f"den Wert „{value}“ in Anführungszeichen schreiben, z. B. \"{value}\", damit er "
                "als Text genau so verglichen wird")
        return None
    shown = normalise_rule_text(field, value)
    if problem := value_problem(field, shown):
        log.add(line, problem)
        return None
    return shown.casefold(), shown


def _amount(value: object, line: int, log: ProblemLog):
    amount = config_amount(value)
    if amount is None:
        log.add(line, f"„{value}“ ist kein Betrag; {AMOUNT_HINT}")
    return amount
