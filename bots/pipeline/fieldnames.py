"""German labels of the invoice fields, for everything clerks read (shared with the rules'
explanations, so a field has one name everywhere)."""

from rules.fields import FIELD_LABELS


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)
