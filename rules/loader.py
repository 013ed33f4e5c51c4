"""Load rules.yaml and caseworkers.yaml into a checked, precompiled RuleSet."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path
from types import MappingProxyType

from rules.condition_parser import FieldCatalog
from rules.custom_fields import parse_custom_fields
from rules.directory import parse_directory
from rules.fields import BUILTIN_FIELDS, FIELD_LABELS, TEXT, field_kind
from rules.model import Caseworker, CustomField, Level, Rule, RuleSet, RuleTrace, Team
from rules.problems import ConfigProblem, ProblemLog, RulesConfigError
from rules.rule_parser import Directory, parse_rules
from rules.schema import check_keys, mapping_or_none
from rules.shadowing import find_shadowed_rules
from rules.yaml_lines import YamlReadError, load_yaml_with_lines

__all__ = ["ConfigProblem", "RuleSet", "RulesConfigError", "load_ruleset"]

NOT_CHECKED = ("nicht geprüft: eine Regel mit höherer Priorität trifft zu",)


def load_ruleset(rules_path: Path, caseworkers_path: Path) -> RuleSet:
    """The rule set; raises RulesConfigError listing every problem in both files."""
    problems: list[ConfigProblem] = []
    directory_log = ProblemLog(str(caseworkers_path), problems)
    rules_log = ProblemLog(str(rules_path), problems)
    caseworkers: dict[str, Caseworker] = {}
    teams: dict[str, Team] = {}
    readable, doc = _read(caseworkers_path, directory_log)
    if readable:
        caseworkers, teams = parse_directory(doc, directory_log)
    directory = Directory(caseworkers, teams, checked=not problems)
    readable, doc = _read(rules_path, rules_log)
    top = mapping_or_none(doc, 1, "Regeldatei", rules_log) if readable else None
    if top is None:
        raise RulesConfigError(problems)
    check_keys(top, ("rules", "custom_fields"), "Regeldatei", rules_log)
    custom_fields: tuple[CustomField, ...] = ()
    if "custom_fields" in top:
        custom_fields = parse_custom_fields(top["custom_fields"], top.line_of("custom_fields"),
                                            rules_log)
    if "rules" not in top:
        rules_log.add(top.line, "in der Regeldatei fehlt die Liste 'rules:'; bitte ergänzen")
        raise RulesConfigError(problems)
    before = len(problems)
    catalog = _catalog(custom_fields)
    rules = parse_rules(top["rules"], top.line_of("rules"), catalog, directory, rules_log)
    if len(problems) == before:
        for line, message in find_shadowed_rules(rules):
            rules_log.add(line, message)
    if problems:
        raise RulesConfigError(problems)
    return build_ruleset(rules, caseworkers, teams, custom_fields, catalog)


def build_ruleset(rules: tuple[Rule, ...], caseworkers: dict[str, Caseworker],
                  teams: dict[str, Team], custom_fields: tuple[CustomField, ...],
                  catalog: FieldCatalog) -> RuleSet:
    """Group the rules by priority, highest first, keeping file order within a priority."""
    ordered = sorted(rules, key=lambda r: -r.priority)
    levels = []
    for priority, group in groupby(ordered, key=lambda r: r.priority):
        members = tuple(group)
        not_checked = tuple(RuleTrace(r.id, r.name, r.priority, False, NOT_CHECKED)
                            for r in members)
        checks = tuple((r, r.condition.evaluate) for r in members)
        levels.append(Level(priority, checks, not_checked))
    labels = MappingProxyType({name: catalog.label(name) for name in catalog.fields})
    return RuleSet(tuple(rules), MappingProxyType(dict(caseworkers)), MappingProxyType(dict(teams)),
                   custom_fields, labels, tuple(levels))


def _read(path: Path, log: ProblemLog) -> tuple[bool, object]:
    """(True, document), or (False, None) after reporting why the file cannot be read."""
    try:
        return True, load_yaml_with_lines(Path(path))
    except YamlReadError as exc:
        log.add(exc.line, exc.message)
        return False, None


def _catalog(custom_fields: tuple[CustomField, ...]) -> FieldCatalog:
    fields = {name: (field_kind(name), FIELD_LABELS[name]) for name in BUILTIN_FIELDS}
    fields.update({f.name: (TEXT, f.labels[0]) for f in custom_fields})
    return FieldCatalog(fields)
