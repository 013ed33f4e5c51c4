"""IMAP accounts with the standard library's imaplib.

rpaframework's RPA.Email.ImapSmtp does not meet the bot's rules: it speaks implicit TLS only
(no STARTTLS) without a way to pass a verifying SSL context, selects INBOX on login, does not
expose UIDVALIDITY, and its `move_messages` ends with a plain EXPUNGE of the whole folder,
which also removes mail that someone else flagged \\Deleted. So this module talks IMAP itself:

- TLS: implicit or STARTTLS with certificate and host name verified; plain only on loopback.
- Reading never changes a mail (BODY.PEEK), mails flagged \\Deleted are left alone.
- Moving: UID MOVE (RFC 6851) when offered, else UID COPY + UID STORE \\Deleted +
  UID EXPUNGE of that one UID (UIDPLUS, RFC 4315); without either the mail stays where it is.
  CLOSE (which expunges) is never sent; the session ends with LOGOUT.
"""

from __future__ import annotations

import base64
import imaplib
import re
import select
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from mailbox.account import LOOPBACK_HOSTS, AccountSettings
from mailbox.model import MailError, MailLoginRefused, MailUnavailable


class ImapAccount:
    def __init__(self, settings: AccountSettings):
        if settings.tls == "none" and settings.host not in LOOPBACK_HOSTS:
            raise ValueError("IMAP without TLS is only allowed on the loopback interface")
        self.settings = settings
        self._conn: imaplib.IMAP4 | None = None
        self.capabilities: frozenset[str] = frozenset()

    # -- session ------------------------------------------------------------------

    def connect(self) -> str:
        self.close()
        with _guard("connect"):
            conn = self._open()
            self._conn = conn
            try:
                conn.login(self.settings.user, self.settings.password)
            except imaplib.IMAP4.abort:
                raise
            except imaplib.IMAP4.error:
                raise MailLoginRefused("login refused") from None
            _, data = conn.capability()
            self.capabilities = frozenset(_text(data[-1]).upper().split())
            status, _ = conn.select(quote_folder(self.settings.folder))
            if status != "OK":
                raise MailError("folder cannot be opened")
            _, values = conn.response("UIDVALIDITY")
            return _text(values[-1]).strip()

    def _open(self) -> imaplib.IMAP4:
        s = self.settings
        if s.tls == "implicit":
            return imaplib.IMAP4_SSL(s.host, s.port, ssl_context=self._context(),
                                     timeout=s.timeout)
        conn = imaplib.IMAP4(s.host, s.port, timeout=s.timeout)
        if s.tls == "starttls":
            if "STARTTLS" not in conn.capabilities:
                conn.shutdown()
                raise MailUnavailable("server offers no STARTTLS")
            conn.starttls(ssl_context=self._context())
        return conn

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.settings.ca_file)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.logout()
        except (imaplib.IMAP4.error, OSError, EOFError):
            conn.shutdown()

    # -- reading -------------------------------------------------------------------

    def list_ids(self) -> list[str]:
        with _guard("search"):
            data = self._ok(self._session().uid("SEARCH", None, "UNDELETED"))
        return [str(uid) for uid in sorted(int(n) for n in b" ".join(
            d for d in data if isinstance(d, bytes)).split())]

    def fetch(self, mail_id: str) -> bytes | None:
        with _guard("fetch"):
            data = self._ok(self._session().uid("FETCH", mail_id, "(BODY.PEEK[])"))
        for item in data:
            if isinstance(item, tuple) and b"BODY[]" in item[0]:
                return item[1]
        return None

    # -- changing ------------------------------------------------------------------

    def ensure_folder(self, name: str) -> None:
        conn = self._session()
        with _guard("list"):
            _, found = conn.list('""', quote_folder(name))
        if any(item for item in found if item):
            return
        with _guard("create"):
            self._ok(conn.create(quote_folder(name)))
            conn.subscribe(quote_folder(name))

    def move(self, mail_id: str, target: str) -> None:
        conn, folder = self._session(), quote_folder(target)
        with _guard("move"):
            if "MOVE" in self.capabilities:
                self._ok(conn.uid("MOVE", mail_id, folder))
            elif "UIDPLUS" in self.capabilities:
                self._ok(conn.uid("COPY", mail_id, folder))
                self._ok(conn.uid("STORE", mail_id, "+FLAGS.SILENT", r"(\Deleted)"))
                self._ok(conn._simple_command("UID", "EXPUNGE", mail_id))  # this UID only
            else:
                raise MailError("server offers neither MOVE nor UIDPLUS: mail left in place")

    # -- waiting -------------------------------------------------------------------

    def wait_for_news(self, seconds: float, stop: threading.Event) -> None:
        """IMAP IDLE (RFC 2177) when offered, else plain waiting; polling stays the safety
        net (a notification already buffered by the client is only seen at the next poll)."""
        if "IDLE" not in self.capabilities:
            stop.wait(seconds)
            return
        with _guard("idle"):
            _idle(self._session(), seconds, stop)

    # -- helpers -------------------------------------------------------------------

    def _session(self) -> imaplib.IMAP4:
        if self._conn is None:
            raise MailUnavailable("not connected")
        return self._conn

    @staticmethod
    def _ok(response: tuple[str, list]) -> list:
        status, data = response
        if status != "OK":
            raise MailError("command refused")
        return data


def _idle(conn: imaplib.IMAP4, seconds: float, stop: threading.Event) -> None:
    # imaplib has no IDLE before Python 3.14; this uses its tag counter and raw line I/O.
    tag = conn._new_tag()
    conn.send(tag + b" IDLE\r\n")
    if not conn.readline().startswith(b"+"):
        raise MailError("IDLE refused")
    sock, deadline = conn.socket(), time.monotonic() + seconds
    while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
        pending = getattr(sock, "pending", lambda: 0)()
        if not pending and not select.select([sock], [], [], min(left, 0.5))[0]:
            continue
        line = conn.readline()
        if not line or line.startswith(b"* BYE"):
            raise MailUnavailable("server closed the connection")
        if re.match(rb"\* \d+ (EXISTS|RECENT)", line):
            break
    conn.send(b"DONE\r\n")
    while not (line := conn.readline()).startswith(tag):
        if not line or line.startswith(b"* BYE"):
            raise MailUnavailable("server closed the connection")


@contextmanager
def _guard(what: str) -> Iterator[None]:
    """Map imaplib and socket errors to the mailbox errors; messages carry no server text."""
    try:
        yield
    except MailError:
        raise
    except (imaplib.IMAP4.abort, OSError, EOFError) as exc:
        raise MailUnavailable(f"{what}: {type(exc).__name__}") from None
    except imaplib.IMAP4.error:
        raise MailError(f"{what} refused by the server") from None


def quote_folder(name: str) -> str:
    """A folder name as an IMAP quoted string in modified UTF-7 (RFC 3501 5.1.3)."""
    encoded = encode_mutf7(name)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def encode_mutf7(name: str) -> str:
    out, pending = [], []

    def flush() -> None:
        if pending:
            utf16 = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(utf16).decode().rstrip("=").replace("/", ",")
                       + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def _text(value) -> str:
    return value.decode("ascii", errors="replace") if isinstance(value, bytes) else str(value)
