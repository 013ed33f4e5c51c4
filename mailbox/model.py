"""The values mailbox/ hands back: parsed mails and their attachments, and its errors."""

from __future__ import annotations

from dataclasses import dataclass


class MailError(Exception):
    """A mail server refused a command (the connection itself is fine)."""


class MailUnavailable(MailError):
    """The server cannot be reached, the connection broke or TLS failed: retry later."""


class MailLoginRefused(MailError):
    """The server refused the credentials: retry later, an operator must look."""


@dataclass(frozen=True)
class Attachment:
    """One file found in a mail. `name` is for display only, never a path.

    status: "usable" (an invoice document), "rejected" (looked like one but was refused,
    `problem` says why in German) or "ignored" (not an invoice format, e.g. a cover letter)."""

    part: str  # where in the mail: "2", "3.1" (forwarded mail), "2/4" (ZIP entry)
    name: str
    data: bytes
    kind: str | None  # by content: pdf, xml, png, jpeg, tiff, zip, ... or None
    status: str
    problem: str = ""


@dataclass(frozen=True)
class ParsedMail:
    message_id: str | None
    sender: str | None
    to: str | None
    subject: str
    date: str | None
    body_text: str
    body_sha256: str  # of the raw body, line endings normalised: identifies re-deliveries
    attachments: tuple[Attachment, ...]

    @property
    def usable(self) -> tuple[Attachment, ...]:
        return tuple(a for a in self.attachments if a.status == "usable")

    @property
    def rejected(self) -> tuple[Attachment, ...]:
        return tuple(a for a in self.attachments if a.status == "rejected")

    @property
    def ignored(self) -> tuple[Attachment, ...]:
        return tuple(a for a in self.attachments if a.status == "ignored")
