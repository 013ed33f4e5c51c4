"""What every kind of mail account offers the mailbox bot, and opening one from settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Protocol

TLS_MODES = ("implicit", "starttls", "none")
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class AccountSettings:
    type: str  # imap | exchange
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    tls: str = "implicit"
    ca_file: str | None = None  # a private CA bundle; default: the system's trust store
    timeout: float = 30.0


class MailAccount(Protocol):
    """One folder of one account. Mail ids are strings (IMAP UIDs, Exchange item ids)."""

    def connect(self) -> str:
        """Log in and open the folder; returns its validity (IMAP UIDVALIDITY): ids are
        unique only together with it. Raises MailUnavailable or MailLoginRefused."""

    def ensure_folder(self, name: str) -> None:
        """Create a target folder if it is missing."""

    def list_ids(self) -> list[str]:
        """The mails in the folder, oldest first, without those flagged for deletion."""

    def fetch(self, mail_id: str) -> bytes | None:
        """The whole mail as RFC 5322 bytes, unchanged (no \\Seen flag); None if it is gone."""

    def move(self, mail_id: str, target: str) -> None:
        """Move one mail to `target` without ever removing any other mail."""

    def wait_for_news(self, seconds: float, stop: threading.Event) -> None:
        """Return after `seconds`, when new mail arrives (IMAP IDLE), or when `stop` is set."""

    def close(self) -> None:
        """Log out (never an implicit expunge); safe to call on a broken connection."""


def open_account(settings: AccountSettings) -> MailAccount:
    if settings.type == "imap":
        from mailbox.imap import ImapAccount
        return ImapAccount(settings)
    if settings.type == "exchange":
        from mailbox.exchange import ExchangeAccount
        return ExchangeAccount(settings)
    raise ValueError(f"unknown account type {settings.type!r}")
