"""Letter ranges on names ("A-K"), sorted as DIN 5007 variant 1.

DIN 5007 variant 1 files Ä under A, Ö under O, Ü under U and ß as "ss"; other accents fall
back to their base letter (É -> E). Name prefixes ("van", "von", "van der", "von der", "de",
"zu") are skipped, so "von der Heydt" is filed under H; a double name is filed under its
first part (Müller-Lüdenscheidt -> M).
"""

from __future__ import annotations

import re
import unicodedata

NAME_PREFIXES: tuple[str, ...] = ("van der", "von der", "van", "von", "de", "zu")
_PREFIX = re.compile(
    r"(?:" + "|".join(p.replace(" ", r"\s+") for p in NAME_PREFIXES) + r")\s+(?=\w)",
    re.IGNORECASE,
)
_RANGE = re.compile(r"([A-Za-z])(?:\s*-\s*([A-Za-z]))?")


def initial_letter(name: str) -> str | None:
    """The letter A-Z a name is filed under, or None if it has no letter to file it by."""
    rest = _skip_non_letters(name)
    while match := _PREFIX.match(rest):
        rest = _skip_non_letters(rest[match.end():])
    if not rest:
        return None
    base = unicodedata.normalize("NFKD", rest[0])[0].upper()
    if rest[0] == "ß":
        base = "S"
    return base if "A" <= base <= "Z" else None


def _skip_non_letters(text: str) -> str:
    for index, char in enumerate(text):
        if char.isalpha():
            return text[index:]
    return ""


def parse_letter_ranges(spec: str) -> frozenset[str] | None:
    """'A-K' or 'A-C, M, X-Z' -> the set of letters; None if the text is not such a list."""
    letters: set[str] = set()
    for part in spec.split(","):
        match = _RANGE.fullmatch(part.strip())
        if not match:
            return None
        first = match.group(1).upper()
        last = (match.group(2) or first).upper()
        if first > last:
            return None
        letters.update(chr(code) for code in range(ord(first), ord(last) + 1))
    return frozenset(letters)
