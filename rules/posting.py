"""A rule's posting attributes (Kontierung): `posting: {account: "5331000", cost_centre: ...}`.

The bots put them into the posting proposal (Buchungsvorschlag) of every invoice the rule
files. Values are text as written: an account "0815" keeps its leading zero.
"""

from __future__ import annotations

from types import MappingProxyType

from rules.problems import ProblemLog, did_you_mean
from rules.schema import mapping_or_none
from rules.yaml_lines import YamlInt

# The attributes a rule may set, with the German column header of the proposal export.
POSTING_LABELS: MappingProxyType[str, str] = MappingProxyType({
    "account": "Sachkonto",
    "cost_centre": "Kostenstelle",
    "cost_object": "Kostenträger",
    "budget_item": "Haushaltsstelle",
    "product": "Produkt",
    "tax_code": "Steuerkennzeichen",
    "posting_text": "Buchungstext",
})
POSTING_KEYS: tuple[str, ...] = tuple(POSTING_LABELS)
_MAX_LENGTH = 60


def parse_posting(value: object, line: int, log: ProblemLog
                  ) -> MappingProxyType[str, str] | None:
    """The `posting:` mapping of a rule (attribute -> text), or None after reporting why not."""
    entry = mapping_or_none(value, line, "'posting'", log)
    if entry is None:
        return None
    posting, ok = {}, True
    for key, raw in entry.items():
        where = entry.line_of(key)
        if key not in POSTING_LABELS:
            log.add(where, f"unbekannte Buchungsangabe „{key}“{did_you_mean(key, POSTING_KEYS)}; "
                    f"erlaubt sind: {', '.join(POSTING_KEYS)}")
            ok = False
            continue
        text = _text(raw)
        if text is None:
            log.add(where, f"die Buchungsangabe „{key}“ muss ein kurzer Text sein wie \"5331000\" "
                    f"(höchstens {_MAX_LENGTH} Zeichen); in Anführungszeichen setzen")
            ok = False
            continue
        posting[key] = text
    for key, key_line in entry.duplicate_keys:
        log.add(key_line, f"die Buchungsangabe „{key}“ steht zweimal da; nur einmal angeben")
        ok = False
    return MappingProxyType(posting) if ok else None


def _text(value: object) -> str | None:
    if isinstance(value, YamlInt):
        value = value.text  # "0815" as written, not 815
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > _MAX_LENGTH:
        return None
    return value.strip()
