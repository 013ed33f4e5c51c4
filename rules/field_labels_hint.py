"""What an administrator may have meant: the field of a German label used as a field name
('Rechnungsbetrag' -> 'total_gross', the label docs/rules.md shows beside each field)."""

from __future__ import annotations


def field_of_label(word: object, labels: dict[str, str]) -> str | None:
    """The field whose German label `word` is ('Rechnungsbetrag' -> 'total_gross')."""
    if not isinstance(word, str):
        return None
    wanted = "".join(word.split()).casefold()
    return next((field for field, label in labels.items()
                 if "".join(label.split()).casefold() == wanted), None)
