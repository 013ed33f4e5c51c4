"""Custom fields: declared in rules.yaml, read from the invoice text, tested like any field.

A custom field's value is what follows its label on the same line or, if nothing fitting
is there, on the next non-empty line ("below the label"). With a ``pattern`` the value is
the first match of it there; without one it is the rest of that line.
"""

from __future__ import annotations

import functools
import re

import regex

from rules.fields import BUILTIN_FIELDS, RESERVED_NAMES
from rules.model import CustomField, RuleSet
from rules.patterns import TIMEOUT_SECONDS
from rules.problems import ProblemLog, did_you_mean
from rules.schema import check_keys, list_or_none, mapping_or_none, text_or_none
from rules.yaml_lines import LineList

NORMALISERS = ("upper", "lower", "digits", "strip", "none")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_SEPARATORS = " \t:.#-–=|"


def parse_custom_fields(value: object, line: int, log: ProblemLog) -> tuple[CustomField, ...]:
    """The ``custom_fields:`` list of rules.yaml; problems go to ``log``."""
    entries = list_or_none(value, line, "'custom_fields'", log)
    fields: dict[str, CustomField] = {}
    for index, entry in enumerate(entries or []):
        entry = mapping_or_none(entry, entries.line_of(index), "Zusatzfeld", log)
        if entry is None:
            continue
        check_keys(entry, ("name", "labels", "pattern", "normalise"), "Zusatzfeld", log)
        parsed = _parse_one(entry, log)
        if parsed is None:
            continue
        if parsed.name in fields or parsed.name in BUILTIN_FIELDS + RESERVED_NAMES:
            log.add(entry.line_of("name"), f"der Feldname „{parsed.name}“ ist schon vergeben; "
                    "bitte einen anderen wählen")
            continue
        fields[parsed.name] = parsed
    return tuple(fields.values())


def _parse_one(entry, log: ProblemLog) -> CustomField | None:
    name = text_or_none(entry, "name", "Zusatzfeld", log)
    if name is not None and not _NAME.fullmatch(name):
        log.add(entry.line_of("name"), f"der Feldname „{name}“ darf nur Kleinbuchstaben, "
                "Ziffern und '_' enthalten und muss mit einem Buchstaben beginnen")
        name = None
    labels = entry.get("labels")
    if not isinstance(labels, LineList) or not labels or \
            not all(isinstance(x, str) and x.strip() for x in labels):
        log.add(entry.line_of("labels"), "ein Zusatzfeld braucht 'labels:', eine Liste der Wörter, "
                "die vor dem Wert gedruckt stehen, z. B. [\"Aktenzeichen\", \"Az.\"]")
        labels = None
    pattern = _pattern_or_none(entry, log) if "pattern" in entry else None
    normalise = entry.get("normalise", "strip")
    if normalise not in NORMALISERS:
        log.add(entry.line_of("normalise"), f"normalise „{normalise}“ ist unbekannt"
                f"{did_you_mean(normalise, NORMALISERS)}; möglich sind: {', '.join(NORMALISERS)}")
        return None
    if name is None or labels is None or ("pattern" in entry and pattern is None):
        return None
    return CustomField(name, tuple(x.strip() for x in labels), pattern, normalise)


def _pattern_or_none(entry, log: ProblemLog) -> str | None:
    pattern = entry["pattern"]
    if not isinstance(pattern, str) or not pattern:
        log.add(entry.line_of("pattern"), "'pattern' muss ein regulärer Ausdruck in Anführungszeichen sein")
        return None
    try:
        regex.compile(pattern)
    except regex.error as exc:
        log.add(entry.line_of("pattern"), f"das Muster ist fehlerhaft ({exc}); bitte berichtigen, "
                "in doppelten Anführungszeichen jeden Backslash doppelt schreiben")
        return None
    return pattern


def extract_custom_fields(ruleset: RuleSet, text: str) -> dict[str, str | None]:
    """Each declared custom field's value in ``text`` (None when not found)."""
    return {field.name: _extract(field, text) for field in ruleset.custom_fields}


@functools.cache
def _compiled(field: CustomField) -> tuple[regex.Pattern, regex.Pattern | None]:
    """The label finder and the value pattern of a field, compiled once."""
    labels = "|".join(regex.escape(label) for label in sorted(field.labels, key=len, reverse=True))
    label_re = regex.compile(rf"(?<!\w)(?:{labels})(?!\w)", regex.IGNORECASE)
    return label_re, regex.compile(field.pattern) if field.pattern else None


def _extract(field: CustomField, text: str) -> str | None:
    label_re, pattern = _compiled(field)
    lines = text.splitlines()
    for number, line in enumerate(lines):
        for found in label_re.finditer(line, timeout=TIMEOUT_SECONDS):
            candidates = [line[found.end():]] + _next_non_empty(lines, number)
            for candidate in candidates:
                value = _value_in(candidate, pattern)
                if value:
                    return _normalise(value, field.normalise)
    return None


def _next_non_empty(lines: list[str], number: int) -> list[str]:
    for line in lines[number + 1:]:
        if line.strip():
            return [line]
    return []


def _value_in(text: str, pattern: regex.Pattern | None) -> str | None:
    if pattern is None:
        return text.strip(_SEPARATORS) or None
    try:
        match = pattern.search(text, timeout=TIMEOUT_SECONDS)
    except TimeoutError:
        return None
    return match.group(0) if match else None


def _normalise(value: str, how: str) -> str | None:
    if how == "upper":
        value = value.strip().upper()
    elif how == "lower":
        value = value.strip().lower()
    elif how == "digits":
        value = "".join(ch for ch in value if ch in "0123456789")
    elif how == "strip":
        value = value.strip(_SEPARATORS + ",;")
    return value or None
