"""Parsing a mail (.eml bytes) into its text and its attachments, each judged by content.

Attachments of forwarded mails (message/rfc822 parts, or .eml files attached) are found too;
ZIP archives are unpacked within limits; decoration (small inline images of a signature) is
skipped. Part numbers follow IMAP's scheme ("2", "3.1"), so they are stable for the same bytes.
"""

from __future__ import annotations

import email
import email.utils
import hashlib
import re
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser

from mailbox.archives import (
    DEFAULT_LIMITS,
    ArchiveRefused,
    ZipLimits,
    is_office_document,
    unpack_zip,
)
from mailbox.filetypes import INVOICE_KINDS, sniff
from mailbox.model import Attachment, ParsedMail
from mailbox.names import display_name

MAX_DEPTH = 5  # forwarded mails inside forwarded mails
DECORATION_BYTES = 32 * 1024  # inline images referenced by the HTML and smaller: logos
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?")
_MAIL_HEADERS = (b"from:", b"message-id:", b"mime-version:", b"received:", b"return-path:")


def parse_mail(raw: bytes, limits: ZipLimits = DEFAULT_LIMITS) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=policy.default)
    walker = _Walker(limits)
    walker.walk(message, "", 0, plain_known=False)
    return ParsedMail(
        message_id=_header(message, "Message-ID"),
        sender=_address(message, "From"),
        to=_header(message, "To"),
        subject=_header(message, "Subject") or "",
        date=_header(message, "Date"),
        body_text="\n\n".join(walker.texts).strip(),
        body_sha256=body_sha256(raw),
        attachments=tuple(walker.attachments),
    )


def body_sha256(raw: bytes) -> str:
    """Hash of everything after the header block, line endings normalised: the same mail
    delivered twice (other Received headers) has the same body hash."""
    match = re.search(rb"\r?\n\r?\n", raw)
    body = raw[match.end():] if match else b""
    return hashlib.sha256(body.replace(b"\r\n", b"\n").rstrip()).hexdigest()


def looks_like_mail(data: bytes) -> bool:
    """True when `data` starts with an RFC 5322 header block (an .eml file)."""
    if sniff(data) is not None:
        return False
    head = data[:8192].replace(b"\r\n", b"\n")
    block = head.split(b"\n\n", 1)[0].split(b"\n")
    if not block or not _HEADER_LINE.match(block[0]):
        return False
    names = {line.split(b":", 1)[0].lower() + b":" for line in block if _HEADER_LINE.match(line)}
    return any(name in names for name in _MAIL_HEADERS)


class _Walker:
    def __init__(self, limits: ZipLimits):
        self.limits = limits
        self.texts: list[str] = []
        self.attachments: list[Attachment] = []
        self._cids: set[str] = set()

    def walk(self, part: EmailMessage, number: str, depth: int, plain_known: bool) -> None:
        """`plain_known`: an alternative holds a text/plain body, so its HTML is no text."""
        if part.get_content_type() == "message/rfc822" or (
                part.get_content_maintype() == "message" and part.is_multipart()):
            self._forwarded(part, number, depth)
        elif part.is_multipart():
            if part.get_content_type() == "multipart/related":
                self._cids |= _referenced_cids(part)
            children = list(part.iter_parts())
            plain_known = plain_known or (part.get_content_type() == "multipart/alternative"
                                          and any(c.get_content_type() == "text/plain"
                                                  for c in children))
            for index, sub in enumerate(children, 1):
                self.walk(sub, f"{number}.{index}" if number else str(index), depth, plain_known)
        else:
            self._leaf(part, number or "1", depth, plain_known)

    def _forwarded(self, part: EmailMessage, number: str, depth: int) -> None:
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(inner, EmailMessage) and depth < MAX_DEPTH:
            self.walk(inner, number, depth + 1, plain_known=False)

    def _leaf(self, part: EmailMessage, number: str, depth: int, plain_known: bool) -> None:
        filename = _filename(part)
        disposition = part.get_content_disposition()
        if filename is None and disposition != "attachment" and \
                part.get_content_maintype() == "text":
            if not (plain_known and part.get_content_subtype() == "html"):
                self.texts.append(_text_of(part))
            return
        data = _payload(part)
        kind = sniff(data)
        name = display_name(filename, f"Anhang {number}")
        if self._is_decoration(part, kind, data, disposition):
            return
        if kind is None and name.lower().endswith(".eml") and looks_like_mail(data) \
                and depth < MAX_DEPTH:
            inner = email.message_from_bytes(data, policy=policy.default)
            self.walk(inner, number, depth + 1, plain_known=False)
        elif kind == "zip":
            self._archive(number, name, data)
        else:
            status = "usable" if kind in INVOICE_KINDS else "ignored"
            self.attachments.append(Attachment(number, name, data, kind, status))

    def _archive(self, number: str, name: str, data: bytes) -> None:
        if is_office_document(data):
            self.attachments.append(Attachment(number, name, data, "office", "ignored"))
            return
        try:
            entries = unpack_zip(data, self.limits)
        except ArchiveRefused as exc:
            self.attachments.append(Attachment(number, name, data, "zip", "rejected", str(exc)))
            return
        for entry in entries:
            kind = sniff(entry.data)
            status = "usable" if kind in INVOICE_KINDS else "ignored"
            self.attachments.append(Attachment(
                f"{number}/{entry.index}", display_name(entry.name, f"{name} {entry.index}"),
                entry.data, kind, status))

    def _is_decoration(self, part: EmailMessage, kind: str | None, data: bytes,
                       disposition: str | None) -> bool:
        cid = (part.get("Content-ID") or "").strip().strip("<>")
        return (kind in ("png", "jpeg", "gif") and disposition != "attachment"
                and bool(cid) and cid in self._cids and len(data) < DECORATION_BYTES)


def _filename(part: EmailMessage) -> str | None:
    try:
        name = part.get_filename()
    except (ValueError, LookupError, TypeError):
        name = None
    if name is None:
        name = part.get_param("name", header="content-type")
        name = email.utils.collapse_rfc2231_value(name) if name else None
    return str(name) if name else None


def _payload(part: EmailMessage) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except (ValueError, LookupError, TypeError):
        data = None
    return data if isinstance(data, bytes) else b""


def _content_text(part: EmailMessage) -> str:
    try:
        text = part.get_content()
    except (LookupError, ValueError, TypeError):
        text = _payload(part).decode("latin-1")
    return text if isinstance(text, str) else ""


def _text_of(part: EmailMessage) -> str:
    text = _content_text(part)
    return _html_text(text) if part.get_content_subtype() == "html" else text


def _referenced_cids(part: EmailMessage) -> set[str]:
    found = set()
    for sub in part.walk():
        if sub.get_content_type() == "text/html":
            found |= set(re.findall(r"cid:([^\"'>\s)]+)", _content_text(sub)))
    return found


class _HtmlText(HTMLParser):
    _BREAKS = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    text = "".join(parser.parts)
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message[name]
    except (ValueError, LookupError, TypeError, IndexError):
        return None
    return " ".join(str(value).split()) if value is not None else None


def _address(message: EmailMessage, name: str) -> str | None:
    try:
        header = message[name]
        addresses = getattr(header, "addresses", ())
        if addresses and addresses[0].addr_spec:
            return addresses[0].addr_spec
    except (ValueError, LookupError, TypeError, IndexError, AttributeError):
        pass
    return _header(message, name)
