"""Attachment names for display: decoded, cleaned, never usable as a path.

The bot never writes a file under a name from a mail; it stores content by hash. These names
only label documents for people, so umlauts and spaces stay, while path parts, control
characters, characters Windows forbids and reserved device names go.
"""

from __future__ import annotations

import re
import unicodedata
from email.header import decode_header, make_header

MAX_NAME_LENGTH = 120
_FORBIDDEN = re.compile(r'[<>:"|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words a sender left in a (quoted) parameter value."""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (ValueError, LookupError, UnicodeError):
        return value


def display_name(raw: str | None, fallback: str) -> str:
    """A safe label for a file name from a mail or an archive; `fallback` when none is left."""
    name = unicodedata.normalize("NFC", decode_words(raw or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _FORBIDDEN.sub("_", name).strip().strip(".").strip()
    if not name:
        return fallback
    if name.split(".")[0].strip().upper() in _RESERVED:
        name = "_" + name
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        ext = ext if dot and len(ext) <= 10 else ""
        name = name[: MAX_NAME_LENGTH - len(ext) - 1].rstrip() + ("." + ext if ext else "")
    return name
