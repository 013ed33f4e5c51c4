"""Read and check the ``rules:`` list of rules.yaml."""

from __future__ import annotations

from collections.abc import Mapping

from rules.condition_parser import FieldCatalog, parse_condition
from rules.conditions import Always
from rules.model import Caseworker, Rule, Team
from rules.posting import parse_posting
from rules.problems import ProblemLog, did_you_mean
from rules.schema import (
    RULE_ID,
    check_keys,
    id_or_none,
    list_or_none,
    mapping_or_none,
    text_or_none,
)
from rules.values import AMOUNT_HINT, config_amount
from rules.yaml_lines import LineDict, LineList

RULE_KEYS = ("id", "name", "priority", "when", "route_to", "route_to_team", "labels",
             "review_required", "review_above", "posting")


class Directory:
    """What routes may point to; ``checked`` is False when the directory itself had problems,
    so unknown ids are not reported twice."""

    def __init__(self, caseworkers: Mapping[str, Caseworker], teams: Mapping[str, Team],
                 checked: bool):
        self.caseworkers, self.teams, self.checked = caseworkers, teams, checked


def parse_rules(value: object, line: int, catalog: FieldCatalog, directory: Directory,
                log: ProblemLog) -> tuple[Rule, ...]:
    entries = list_or_none(value, line, "'rules'", log)
    rules: dict[str, Rule] = {}
    for index, entry in enumerate(entries or []):
        rule = _parse_rule(entry, entries.line_of(index), catalog, directory, log)
        if rule is None:
            continue
        if rule.id in rules:
            log.add(rule.line, f"die Regel-ID „{rule.id}“ hat schon die Regel in Zeile "
                    f"{rules[rule.id].line}; jede Regel braucht ihre eigene ID")
            continue
        rules[rule.id] = rule
    return tuple(rules.values())


def _parse_rule(entry: object, line: int, catalog: FieldCatalog, directory: Directory,
                log: ProblemLog) -> Rule | None:
    entry = mapping_or_none(entry, line, "Regel", log)
    if entry is None:
        return None
    check_keys(entry, RULE_KEYS, "Regel", log)
    rule_id = id_or_none(entry, RULE_ID, "a rule", log)
    name = text_or_none(entry, "name", "Regel", log)
    priority = entry.get("priority", 0)
    if isinstance(priority, bool) or not isinstance(priority, int):
        log.add(entry.line_of("priority"), "'priority' muss eine ganze Zahl sein, z. B. 100")
        priority = None
    if "when" in entry:
        condition = parse_condition(entry["when"], entry.line_of("when"), catalog, log)
    else:
        condition = Always(entry.line)
    route = _parse_route(entry, directory, log)
    labels = _parse_labels(entry, log)
    review_required = entry.get("review_required", False)
    if not isinstance(review_required, bool):
        log.add(entry.line_of("review_required"), "'review_required' nimmt true oder false")
    review_above = None
    if "review_above" in entry:
        review_above = config_amount(entry["review_above"])
        if review_above is None:
            log.add(entry.line_of("review_above"),
                    f"„{entry['review_above']}“ ist kein Betrag; {AMOUNT_HINT}")
    posting = parse_posting(entry["posting"], entry.line_of("posting"), log) \
        if "posting" in entry else {}
    if None in (rule_id, name, priority, condition, route, labels, posting) or \
            not isinstance(review_required, bool) or ("review_above" in entry and review_above is None):
        return None
    return Rule(rule_id, name, int(priority), condition, route[0], route[1], labels,
                review_required, review_above, entry.line, posting)


def _parse_route(entry: LineDict, directory: Directory,
                 log: ProblemLog) -> tuple[str | None, str | None] | None:
    has_person, has_team = "route_to" in entry, "route_to_team" in entry
    if has_person == has_team:
        log.add(entry.line, "eine Regel braucht genau eines von 'route_to: <ID der Sachbearbeitung>' und "
                "'route_to_team: <Team-ID>'" + ("" if has_person else "; bitte eines ergänzen"))
        return None
    key = "route_to" if has_person else "route_to_team"
    target = text_or_none(entry, key, "Regel", log)
    if target is None:
        return None
    known = directory.caseworkers if has_person else directory.teams
    what = "die Sachbearbeitung" if has_person else "das Team"
    if directory.checked and target not in known:
        log.add(entry.line_of(key), f"{what} „{target}“ steht nicht im Verzeichnis der "
                f"Sachbearbeitung{did_you_mean(target, known)}; dort ergänzen oder die ID "
                "berichtigen")
        return None
    if directory.checked and not has_person and not directory.teams[target].members:
        log.add(entry.line_of(key), f"das Team „{target}“ hat keine Mitglieder; Mitglieder eintragen "
                "('team: ...' bei einer Sachbearbeitung) oder anders zuweisen")
        return None
    return (target, None) if has_person else (None, target)


def _parse_labels(entry: LineDict, log: ProblemLog) -> tuple[str, ...] | None:
    if "labels" not in entry:
        return ()
    labels = entry["labels"]
    if isinstance(labels, LineList) and all(isinstance(x, str) and x.strip() for x in labels):
        return tuple(x.strip() for x in labels)
    log.add(entry.line_of("labels"), "'labels' nimmt eine Liste von Wörtern in Anführungszeichen, z. B. [\"eilig\"]")
    return None
