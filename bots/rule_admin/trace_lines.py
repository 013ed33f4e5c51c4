"""A decision's rule trace as German lines, for the command line and rule tests."""

from __future__ import annotations


def rule_trace_lines(trace: list[dict], indent: str = "  ") -> list[str]:
    """How each rule fared, one line per rule and one per reason: for a rule that matched,
    the conditions that held; for one that did not, the conditions that failed. Rules not
    checked because a higher priority decided are named together on one line."""
    lines, not_checked = [], []
    for rule in trace:
        reasons = rule.get("reasons") or []
        if not rule.get("matched") and reasons and reasons[0].startswith("nicht geprüft"):
            not_checked.append(rule.get("rule_id") or "?")
            continue
        verdict = "trifft zu" if rule.get("matched") else "trifft nicht zu"
        lines.append(f"{indent}Regel „{rule.get('name') or rule.get('rule_id')}“ "
                     f"({rule.get('rule_id')}, Priorität {rule.get('priority')}) {verdict}"
                     + (":" if reasons else ""))
        lines += [f"{indent}  - {reason}" for reason in reasons]
    if not_checked:
        lines.append(f"{indent}Nicht geprüft, weil eine Regel mit höherer Priorität zutrifft: "
                     + ", ".join(not_checked))
    return lines
