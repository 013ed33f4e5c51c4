"""Small checks shared by the parsers of rules.yaml and caseworkers.yaml."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rules.problems import ProblemLog, did_you_mean
from rules.yaml_lines import LineDict, LineList

RULE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
DIRECTORY_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
# Ids name folders (the e-file queues): never a name Windows reserves for a device.
WINDOWS_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$",
                                  *(f"com{n}" for n in range(10)),
                                  *(f"lpt{n}" for n in range(10))})


def line_of(value: object, default: int) -> int:
    return getattr(value, "line", default) or default


def check_keys(mapping: LineDict, allowed: Iterable[str], what: str, log: ProblemLog) -> None:
    """Report keys that are not allowed (with a hint) and keys written twice."""
    allowed = tuple(allowed)
    for key in mapping:
        if key not in allowed:
            log.add(mapping.line_of(key),
                    f"{what}: unbekannter Schlüssel „{key}“{did_you_mean(key, allowed)}; "
                    f"erlaubt sind: {', '.join(allowed)}")
    for key, line in mapping.duplicate_keys:
        log.add(line, f"{what}: Schlüssel „{key}“ steht zweimal da; nur einmal angeben")


def mapping_or_none(value: object, line: int, what: str, log: ProblemLog) -> LineDict | None:
    if isinstance(value, LineDict):
        return value
    log.add(line_of(value, line), f"{what}: hier gehören Zeilen der Form 'schlüssel: wert' hin")
    return None


def list_or_none(value: object, line: int, what: str, log: ProblemLog) -> LineList | None:
    if isinstance(value, LineList):
        return value
    log.add(line_of(value, line), f"{what}: hier gehört eine Liste hin, ein Eintrag je Zeile, "
            "beginnend mit '- '")
    return None


def text_or_none(mapping: LineDict, key: str, what: str, log: ProblemLog,
                 required: bool = True) -> str | None:
    """A non-empty string value; reports a missing or non-text value."""
    if key not in mapping:
        if required:
            log.add(mapping.line, f"{what}: „{key}“ fehlt; '{key}: ...' ergänzen")
        return None
    value = mapping[key]
    if isinstance(value, str) and value.strip():
        return value.strip()
    log.add(mapping.line_of(key), f"{what}: „{key}“ muss Text sein; in Anführungszeichen setzen")
    return None


def id_or_none(mapping: LineDict, pattern: re.Pattern[str], what: str,
               log: ProblemLog) -> str | None:
    """The 'id' of an entry, checked against its pattern."""
    value = text_or_none(mapping, "id", what, log)
    if value is None:
        return None
    if not pattern.fullmatch(value):
        allowed = "Kleinbuchstaben, Ziffern und '-'"
        if pattern is DIRECTORY_ID:
            allowed = "Kleinbuchstaben, Ziffern, '-' und '_'"
        log.add(mapping.line_of("id"),
                f"id „{value}“ darf nur {allowed} enthalten und muss mit einem Buchstaben oder "
                "einer Ziffer beginnen")
        return None
    if value in WINDOWS_DEVICE_NAMES:
        log.add(mapping.line_of("id"),
                f"id „{value}“ ist unter Windows ein Gerätename (ein Ordner dieses Namens lässt "
                f"sich auf einer Windows-Freigabe nicht anlegen); bitte eine andere wählen, z. B. "
                f"{value}-1")
        return None
    return value
