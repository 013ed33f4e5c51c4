"""Exchange (EWS) accounts, as far as they run here without an Exchange server: the real
RPA.Email.Exchange / exchangelib stack against a closed port, against a local HTTPS endpoint
that refuses the credentials (HTTP 401) and against one with an untrusted certificate. Listing,
fetching and moving items need a real EWS server and are not tested here."""

from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bots.config import load_config
from bots.intake.mailbox_bot import MailboxBot
from bots.pipeline.runner import run_once
from bots.wiring import folder_bot_for, open_context
from mailbox.account import AccountSettings, open_account
from mailbox.exchange import ExchangeAccount
from mailbox.model import MailLoginRefused, MailUnavailable
from tests import mail_builders as mb
from tests.conftest import write_bot_config
from tests.imap_server import free_port

pytest_plugins = ["tests.imap_fixtures"]


class _Refusing(BaseHTTPRequestHandler):
    """Answers every EWS request with 401, as Exchange does for wrong credentials."""

    requests: list[str] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).requests.append(self.path)
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="EWS"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture
def ews_endpoint(certificate):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate.cert_file, certificate.key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    _Refusing.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def exchange(port: int) -> ExchangeAccount:
    settings = AccountSettings(type="exchange", host="127.0.0.1", port=port,
                               user="rechnungen@lv.example", password="falsch",
                               folder="INBOX")
    account = open_account(settings)
    assert isinstance(account, ExchangeAccount)
    return account


def test_refused_credentials_are_a_refused_login(ews_endpoint, certificate, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate.ca_file))
    with pytest.raises(MailLoginRefused):
        exchange(ews_endpoint).connect()
    assert _Refusing.requests and set(_Refusing.requests) == {"/EWS/Exchange.asmx"}


def test_untrusted_certificate_is_unavailable(ews_endpoint, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    with pytest.raises(MailUnavailable):
        exchange(ews_endpoint).connect()
    assert _Refusing.requests == []  # no credentials went to an unverified server


def test_closed_port_is_unavailable():
    with pytest.raises(MailUnavailable):
        exchange(free_port()).connect()


def test_exchange_is_https_only():
    with pytest.raises(ValueError, match="HTTPS"):
        ExchangeAccount(AccountSettings(type="exchange", host="127.0.0.1", port=80, user="u",
                                        password="p", tls="none"))


def test_an_unreachable_exchange_account_never_stops_the_folders(tmp_path, ews_endpoint,
                                                                 certificate, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate.ca_file))
    monkeypatch.setenv("RBOT_TEST_EWS_PASSWORD", "falsch")
    config = write_bot_config(tmp_path, settle_seconds=0, extra={"mailboxes": [{
        "name": "ews", "type": "exchange", "host": "127.0.0.1", "port": ews_endpoint,
        "user": "rechnungen@lv.example", "password_env": "RBOT_TEST_EWS_PASSWORD",
        "processed_folder": "INBOX / Verarbeitet", "failed_folder": "INBOX / Fehler",
        "poll_seconds": 30}]})
    (tmp_path / "inbox" / mb.XML_UBL).write_bytes(mb.sample(mb.XML_UBL))
    ctx = open_context(load_config(config))
    try:
        outcomes = run_once(ctx, folder_bot_for(ctx))
        assert [(o.file, o.outcome) for o in outcomes] == [(mb.XML_UBL, "filed")]
        bot = MailboxBot(ctx.config.mailboxes[0], ctx.ledger, ctx.store)
        assert bot.poll() == [] and bot.failures == 1 and bot.next_attempt > 0
    finally:
        ctx.ledger.close()
