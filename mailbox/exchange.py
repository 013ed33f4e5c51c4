"""Exchange (EWS) accounts through rpaframework's RPA.Email.Exchange, behind the same
interface as IMAP.

EWS has no UIDVALIDITY: item ids are unique per mailbox, so the folder validity is the
constant "ews". EWS moves an item server-side in one call (MoveItem); nothing is ever
expunged. Folder names follow RPA's notation below the inbox: "INBOX / Verarbeitet".
Only HTTPS with basic credentials (user + password from the environment); autodiscover off.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from mailbox.account import AccountSettings
from mailbox.model import MailError, MailLoginRefused, MailUnavailable

EWS_VALIDITY = "ews"


class ExchangeAccount:
    def __init__(self, settings: AccountSettings):
        if settings.tls != "implicit":
            raise ValueError("Exchange (EWS) is reached over HTTPS only: use tls: implicit")
        self.settings = settings
        self._lib = None
        self._changekeys: dict[str, str] = {}

    def connect(self) -> str:
        from RPA.Email.Exchange import Exchange

        s = self.settings
        lib = Exchange()
        server = s.host if s.port == 443 else f"{s.host}:{s.port}"
        with _guard("connect"):
            lib.authorize(username=s.user, password=s.password, autodiscover=False,
                          server=server)
            lib.list_messages(folder_name=s.folder, items_only=True)  # reaches the server
        self._lib = lib
        return EWS_VALIDITY

    def ensure_folder(self, name: str) -> None:
        lib = self._session()
        with _guard("folder"):
            try:
                lib.list_messages(folder_name=name, items_only=True)
                return
            except ValueError:  # RPA: "Folder '...' not found"
                pass
            parts = [p for p in name.replace(" // ", " / ").split(" / ") if p]
            parent = parts[-2] if len(parts) > 1 and parts[-2].lower() != "inbox" else None
            lib.create_folder(folder_name=parts[-1], parent_folder=parent)

    def list_ids(self) -> list[str]:
        lib = self._session()
        with _guard("list"):
            items = lib.list_messages(folder_name=self.settings.folder, items_only=True)
            items = items.order_by("datetime_received").only("id", "changekey")
            self._changekeys = {item.id: item.changekey for item in items}
        return list(self._changekeys)

    def fetch(self, mail_id: str) -> bytes | None:
        lib = self._session()
        with _guard("fetch"):
            found = list(lib.account.fetch(ids=[(mail_id, self._changekeys.get(mail_id))],
                                           only_fields=["mime_content"]))
        item = found[0] if found else None
        return getattr(item, "mime_content", None) if not isinstance(item, Exception) else None

    def move(self, mail_id: str, target: str) -> None:
        lib = self._session()
        with _guard("move"):
            lib.move_message({"id": mail_id, "changekey": self._changekeys.get(mail_id)},
                             target)

    def wait_for_news(self, seconds: float, stop: threading.Event) -> None:
        stop.wait(seconds)  # EWS streaming notifications are not used: plain polling

    def close(self) -> None:
        lib, self._lib = self._lib, None
        account = getattr(lib, "account", None)
        if account is not None:
            with suppress(Exception):  # closing a broken session must not fail
                account.protocol.close()

    def _session(self):
        if self._lib is None:
            raise MailUnavailable("not connected")
        return self._lib


@contextmanager
def _guard(what: str) -> Iterator[None]:
    """Map exchangelib and network errors to the mailbox errors (no server text)."""
    from exchangelib.errors import EWSError, TransportError, UnauthorizedError
    from requests.exceptions import RequestException

    try:
        yield
    except MailError:
        raise
    except UnauthorizedError:
        raise MailLoginRefused("login refused") from None
    except (TransportError, RequestException, OSError) as exc:
        raise MailUnavailable(f"{what}: {type(exc).__name__}") from None
    except (EWSError, ValueError) as exc:
        raise MailError(f"{what} refused: {type(exc).__name__}") from None
