"""The mailbox bot: reads each configured mail folder, takes every mail's documents into the
ledger and only then moves the mail to the processed (or failed) folder.

Exactly once: a mail is identified by (account, folder, UIDVALIDITY, UID) and, across those,
by Message-ID with its body; its row in the ledger is written after all its documents, and the
move comes last. A crash anywhere re-reads the mail at the next start and registers nothing
twice. A server that cannot be reached or refuses the login is logged (mailbox name and error
kind only) and retried with backoff; in `watch` each mailbox has its own thread, so the
folders are served meanwhile.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

import structlog

from bots.config import BotConfig, MailboxConfig
from bots.faults import fault_point
from bots.intake.mail import MailOrigin, take_mail
from bots.logs import where_raised
from bots.storage.ledger import Ledger, Receipt
from bots.storage.mail_ledger import SeenMails
from bots.storage.store import Store
from mailbox.account import AccountSettings, MailAccount, open_account
from mailbox.model import MailError, MailLoginRefused, MailUnavailable

log = structlog.get_logger("mailbox_bot")

MAX_BACKOFF_FACTOR = 15  # retry delays double from poll_seconds up to 15 x poll_seconds


class MailboxBot:
    def __init__(self, config: MailboxConfig, ledger: Ledger, store: Store, *,
                 opener: Callable[[AccountSettings], MailAccount] = open_account,
                 clock: Callable[[], float] = time.monotonic):
        self.config = config
        self.ledger = ledger
        self.store = store
        self.seen = SeenMails(ledger)
        self.opener = opener
        self.clock = clock
        self.failures = 0
        self.next_attempt = 0.0
        self._account: MailAccount | None = None
        self._validity = ""

    # -- one pass -----------------------------------------------------------------

    def poll(self) -> list[Receipt]:
        """Read the folder once. Never raises: failures are logged and retried later."""
        if self.clock() < self.next_attempt:
            return []
        receipts: list[Receipt] = []
        try:
            account = self._connected()
            for uid in account.list_ids():
                receipts += self._handle_one(account, uid)
        except Exception as exc:  # noqa: BLE001 - mail errors, and bugs: never end the thread
            self._failed(exc)
        else:
            self.failures = 0
        return receipts

    def _handle_one(self, account: MailAccount, uid: str) -> list[Receipt]:
        """One mail; a mail the server refuses to move stays (logged) and the others go on."""
        try:
            return self._handle(account, uid)
        except MailUnavailable:
            raise
        except MailError as exc:
            log.warning("mail_not_moved", mailbox=self.config.name, uid=uid, error=str(exc))
            return []

    def _handle(self, account: MailAccount, uid: str) -> list[Receipt]:
        origin = self._origin(uid)
        record = self.seen.get(origin.key)
        receipts: tuple[Receipt, ...] = ()
        if record is None:
            raw = account.fetch(uid)
            if raw is None:  # removed by someone else meanwhile
                return []
            taken = take_mail(raw, origin, self.ledger, self.store, self.seen)
            record, receipts = taken.record, taken.receipts
            log.info("mail_taken", mailbox=self.config.name, uid=uid, outcome=record.outcome,
                     documents=len(record.documents), duplicate_mail=bool(record.duplicate_of))
            fault_point("after_mail_registered")
        target = (self.config.processed_folder if record.outcome == "processed"
                  else self.config.failed_folder)
        account.move(uid, target)
        self.seen.moved(origin.key)
        log.info("mail_moved", mailbox=self.config.name, uid=uid, outcome=record.outcome)
        return list(receipts)

    def _origin(self, uid: str) -> MailOrigin:
        c = self.config
        return MailOrigin(key=f"{c.type}:{c.name}:{c.folder}:{self._validity}:{uid}",
                          account=c.name, folder=c.folder, uidvalidity=self._validity,
                          uid=uid, source=c.source)

    # -- connection ------------------------------------------------------------------

    def _connected(self) -> MailAccount:
        if self._account is not None:
            return self._account
        account = self.opener(self._settings())
        try:
            validity = account.connect()
            for folder in (self.config.processed_folder, self.config.failed_folder):
                account.ensure_folder(folder)
        except BaseException:
            account.close()
            raise
        self._account, self._validity = account, validity
        log.info("mailbox_connected", mailbox=self.config.name, recovered_after=self.failures)
        return account

    def _settings(self) -> AccountSettings:
        return account_settings(self.config)

    def _failed(self, exc: Exception) -> None:
        self.close()
        self.failures += 1
        poll = self.config.poll_seconds
        delay = min(poll * 2 ** (self.failures - 1), poll * MAX_BACKOFF_FACTOR)
        self.next_attempt = self.clock() + delay
        event = {MailUnavailable: "mailbox_unavailable",
                 MailLoginRefused: "mailbox_login_refused"}.get(type(exc), "mailbox_failed")
        detail = str(exc) if isinstance(exc, MailError) else where_raised(exc)
        log.warning(event, mailbox=self.config.name, error_type=type(exc).__name__,
                    error=detail, attempt=self.failures, retry_in=round(delay, 1))

    def close(self) -> None:
        account, self._account = self._account, None
        if account is not None:
            account.close()

    # -- serving ---------------------------------------------------------------------

    def serve(self, stop: threading.Event) -> None:
        """Poll every poll_seconds (sooner when IMAP IDLE reports new mail) until `stop`."""
        log.info("mailbox_watch_started", mailbox=self.config.name)
        try:
            while not stop.is_set():
                self.poll()
                self._wait(stop)
        finally:
            self.close()

    def _wait(self, stop: threading.Event) -> None:
        if self._account is None:
            stop.wait(max(0.0, self.next_attempt - self.clock()) or self.config.poll_seconds)
            return
        try:
            self._account.wait_for_news(self.config.poll_seconds, stop)
        except MailError as exc:
            self._failed(exc)


def account_settings(c: MailboxConfig) -> AccountSettings:
    """The account's settings with its password from the environment (never from YAML)."""
    password = os.environ.get(c.password_env)
    if not password:
        raise MailLoginRefused(f"environment variable {c.password_env} is not set")
    return AccountSettings(type=c.type, host=c.host, port=c.port, user=c.user,
                           password=password, folder=c.folder, tls=c.tls,
                           ca_file=str(c.ca_file) if c.ca_file else None)


def check_login(config: MailboxConfig, opener=open_account) -> None:
    """Connect and log in once, for `run_bot.py check`; raises MailError on failure."""
    account = opener(account_settings(config))
    try:
        account.connect()
    finally:
        account.close()


def read_mailboxes_once(config: BotConfig, ledger: Ledger, store: Store) -> list[Receipt]:
    """`run --once`: read each mailbox one time (an unreachable one is logged and skipped)."""
    receipts: list[Receipt] = []
    for mailbox in config.mailboxes:
        bot = MailboxBot(mailbox, ledger, store)
        try:
            receipts += bot.poll()
        finally:
            bot.close()
    return receipts


def start_mailbox_threads(config: BotConfig, stop: threading.Event) -> list[threading.Thread]:
    """`watch`: one thread per mailbox, each with its own ledger connection."""
    threads = []
    for mailbox in config.mailboxes:
        thread = threading.Thread(target=_serve, args=(config, mailbox, stop),
                                  name=f"mailbox-{mailbox.name}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads


def _serve(config: BotConfig, mailbox: MailboxConfig, stop: threading.Event) -> None:
    ledger = Ledger(config.ledger)
    try:
        MailboxBot(mailbox, ledger, Store(config.store)).serve(stop)
    finally:
        ledger.close()
