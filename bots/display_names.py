"""File names as people see them: whatever bytes a folder, a mail or an upload brought, a
name to show is valid UTF-8 text without bidi controls (which show a name reversed) or
control characters (which clear a terminal or forge a table row). A display name is a label,
never a path.

`masked_name` goes further for what operators read in journals (`run --once`, `exceptions
list`): a scan's name often holds a person's name, birth date or IBAN (§ 35 SGB I), so only
its first characters and its extension are shown."""

from __future__ import annotations

import os
import re
import unicodedata

MAX_LENGTH = 200
# Bidi embeddings, overrides and isolates, the marks, and the Arabic letter mark.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                          "\u200e\u200f\u061c")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
MASK_KEEP = 2


def display_name(raw: str | bytes, *, limit: int = MAX_LENGTH) -> str:
    """A name fit to show and to store as text: bytes that are not UTF-8 as `\\xff`, control
    characters as `\\x1b` / `\\u0085`, bidi controls dropped, at most `limit` characters."""
    text = os.fsdecode(raw) if isinstance(raw, bytes) else raw
    out = []
    for char in text:
        code = ord(char)
        if char in BIDI_CONTROLS:
            continue
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:  # any other lone surrogate
            out.append(f"\\u{code:04x}")
        elif unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char not in "\u00ad":
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    name = "".join(out).strip()
    return name if len(name) <= limit else name[: limit - 1] + "…"


def masked_name(raw: str | bytes) -> str:
    """The first characters and the extension of a name ('Ma….pdf'): enough to tell files
    apart in a journal, too little to carry personal data."""
    name = display_name(raw)
    extension = _EXTENSION.search(name)
    suffix = extension.group(0).lower() if extension else ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    if len(stem) <= MASK_KEEP:
        return stem + suffix
    return stem[:MASK_KEEP] + "…" + suffix
