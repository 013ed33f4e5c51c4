"""The YAML routing rules: loading with validation, conditions, and decisions with traces.

This package never imports bots/, ocr/ or mailbox/. It decides on a plain mapping of field
names to values and returns its own Decision.

    rules.loader.load_ruleset(rules_path, caseworkers_path) -> RuleSet   (RulesConfigError)
    rules.engine.decide(ruleset, fields, *, today, open_items=None) -> Decision
    rules.engine.team_counter_key(team_id) -> str      (round_robin's counter in open_items)
    rules.custom_fields.extract_custom_fields(ruleset, text) -> dict[str, str | None]

The language is described for administrators in docs/rules.md.
"""
