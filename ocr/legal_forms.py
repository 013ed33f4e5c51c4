"""Company names by their legal form ("Lieferant GmbH", "Musterverein e.V.") or an entity
word ("Stiftung Anna Haus"): where such a name ends in a cell of text."""

from __future__ import annotations

import re

# Legal forms that end a company name ("Lieferant GmbH", "Musterverein e.V.").
_SUFFIX_FORMS = (
    r"GmbH\s*&\s*Co\.?(?:\s*KGaA|\s*KG|\s*OHG)?",
    r"gGmbH",
    r"GmbH",
    r"mbH",
    r"gAG",
    r"AG",
    r"KGaA",
    r"KG",
    r"OHG",
    r"GbR",
    r"PartG(?:mbB)?",
    r"e\.\s?V\.",
    r"e\.\s?K\.",
    r"eG",
    r"UG(?:\s*\(haftungsbeschränkt\))?",
    r"SE",
    r"a\.\s?G\.",
    r"Ltd\.?",
    r"Limited",
    r"Inc\.?",
    r"LLC",
    r"LLP",
    r"PLC",
    r"SARL",
    r"SAS",
    r"S\.A\.",
    r"SA",
    r"B\.?V\.",
    r"N\.V\.",
    r"S\.r\.l\.",
)
_SUFFIX = re.compile(rf"(?<![\w-])(?:{'|'.join(_SUFFIX_FORMS)})(?![\w&])", re.IGNORECASE)
# Words that make a name a legal entity wherever they stand ("Stiftung Anna Haus").
_ENTITY_WORDS = re.compile(
    r"(?<!\w)(?:Stiftung|Verein|Genossenschaft|Diakonie|Caritas|Lebenshilfe|Anstalt)", re.IGNORECASE
)
_NAME_SEPARATORS = re.compile(r"\s+[·|•]\s+|\s+[-–]\s+(?=\S*\d)|,\s+(?=\S*\d)")


def name_in(cell: str) -> str | None:
    """The company name a cell holds: up to its last legal form, or the entity phrase
    before any address separator; None without a legal form or entity word."""
    head = _NAME_SEPARATORS.split(cell, maxsplit=1)[0].strip(" ,;:")
    suffixes = list(_SUFFIX.finditer(head))
    if suffixes and head[: suffixes[0].start()].strip():
        name = head[: suffixes[-1].end()]
    elif _ENTITY_WORDS.search(head):
        name = head
    else:
        return None
    name = " ".join(name.split())
    return name if 3 <= len(name) <= 80 and name[0].isalpha() else None


def has_legal_form(text: str) -> bool:
    """Whether `text` holds a legal form after some words ("Lindenhof GmbH")."""
    suffixes = list(_SUFFIX.finditer(text))
    return bool(suffixes) and bool(text[: suffixes[0].start()].strip())


def is_bare_form(text: str) -> bool:
    """`text` is a legal form and nothing else ("GmbH & Co. KG" on a line of its own)."""
    return bool(_SUFFIX.fullmatch(" ".join(text.split())))
