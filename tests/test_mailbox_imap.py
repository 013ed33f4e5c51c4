"""The IMAP account against a real Dovecot on 127.0.0.1: TLS, reading without side effects,
moving without ever expunging other mail, IDLE, and the errors the bot retries on."""

import threading
import time

import pytest

from mailbox.account import AccountSettings
from mailbox.imap import ImapAccount, encode_mutf7
from mailbox.message import parse_mail
from mailbox.model import MailError, MailLoginRefused, MailUnavailable
from tests import mail_builders as mb
from tests.imap_server import PASSWORD, USER, free_port

pytest_plugins = ["tests.imap_fixtures"]


def settings(server, *, tls="implicit", password=PASSWORD, ca=True, **changes):
    port = server.tls_port if tls == "implicit" else server.port
    values = dict(type="imap", host="127.0.0.1", port=port, user=USER, password=password,
                  tls=tls, ca_file=str(server.certificate.ca_file) if ca else None,
                  timeout=5.0)
    return AccountSettings(**(values | changes))


def connected(server, **kwargs) -> ImapAccount:
    account = ImapAccount(settings(server, **kwargs))
    account.connect()
    return account


@pytest.mark.parametrize("tls", ["implicit", "starttls", "none"])
def test_reads_mail_over_each_transport_without_marking_it_seen(dovecot, tls):
    raw = mb.several_attachments()
    dovecot.append(raw)
    account = ImapAccount(settings(dovecot, tls=tls))
    validity = account.connect()
    try:
        assert validity.isdigit()
        [uid] = account.list_ids()
        fetched = account.fetch(uid)
        assert parse_mail(fetched).attachments == parse_mail(raw).attachments
        assert account.fetch("999") is None
    finally:
        account.close()
    [(flags, _)] = dovecot.messages("INBOX")
    assert b"\\Seen" not in flags


def test_plain_imap_is_refused_for_any_host_but_loopback(dovecot):
    with pytest.raises(ValueError, match="loopback"):
        ImapAccount(settings(dovecot, tls="none", host="mail.example.org"))


def test_an_untrusted_certificate_is_refused(dovecot):
    with pytest.raises(MailUnavailable, match="SSL"):
        connected(dovecot, ca=False)  # the system trust store does not know the test CA
    with pytest.raises(MailUnavailable, match="SSL"):
        connected(dovecot, tls="starttls", ca=False)


def test_wrong_password_is_a_refused_login(dovecot):
    with pytest.raises(MailLoginRefused):
        connected(dovecot, password="falsch")


def test_closed_port_is_unavailable(dovecot):
    with pytest.raises(MailUnavailable):
        connected(dovecot, port=free_port())


def _deleted_and_new(server) -> None:
    server.append(bytes(mb.new_mail("Papierkorb-Kandidat", message_id="<deleted@x>")),
                  flags=r"(\Deleted)")
    server.append(bytes(mb.new_mail("Rechnung", message_id="<new@x>")))


def _move_new_mail(server) -> None:
    account = connected(server)
    try:
        account.ensure_folder("Verarbeitet")
        [uid] = account.list_ids()  # the mail flagged \Deleted by someone else is not listed
        account.move(uid, "Verarbeitet")
    finally:
        account.close()


def test_move_with_imap_move_leaves_mail_flagged_deleted_alone(dovecot):
    _deleted_and_new(dovecot)
    _move_new_mail(dovecot)
    assert dovecot.message_ids("INBOX") == ["<deleted@x>"]
    assert dovecot.message_ids("Verarbeitet") == ["<new@x>"]


def test_move_with_uid_expunge_leaves_mail_flagged_deleted_alone(dovecot_without_move):
    _deleted_and_new(dovecot_without_move)
    _move_new_mail(dovecot_without_move)
    assert dovecot_without_move.message_ids("INBOX") == ["<deleted@x>"]
    [(flags, _)] = dovecot_without_move.messages("INBOX")
    assert b"\\Deleted" in flags
    assert dovecot_without_move.message_ids("Verarbeitet") == ["<new@x>"]


def test_without_move_or_uidplus_the_mail_stays_and_nothing_is_expunged(
        dovecot_without_move_or_uidplus):
    server = dovecot_without_move_or_uidplus
    _deleted_and_new(server)
    with pytest.raises(MailError, match="neither MOVE nor UIDPLUS"):
        _move_new_mail(server)
    assert server.message_ids("INBOX") == ["<deleted@x>", "<new@x>"]


def test_folder_names_with_umlauts_are_created_in_modified_utf7(dovecot):
    dovecot.append(mb.without_attachment())
    account = connected(dovecot)
    try:
        account.ensure_folder("Rechnungen/Geprüft")
        account.ensure_folder("Rechnungen/Geprüft")  # already there: nothing happens
        account.move(account.list_ids()[0], "Rechnungen/Geprüft")
    finally:
        account.close()
    client = dovecot.client()
    _, listing = client.list()
    client.logout()
    assert any(encode_mutf7("Rechnungen/Geprüft").encode() in line for line in listing)
    assert len(dovecot.messages(encode_mutf7("Rechnungen/Geprüft"))) == 1


def test_idle_returns_when_new_mail_arrives_and_when_told_to_stop(dovecot):
    account = connected(dovecot)
    stop = threading.Event()
    try:
        assert "IDLE" in account.capabilities
        timer = threading.Timer(0.5, dovecot.append, args=(mb.without_attachment(),))
        timer.start()
        started = time.monotonic()
        account.wait_for_news(20, stop)
        assert time.monotonic() - started < 5
        timer.join()
        assert len(account.list_ids()) == 1  # the session is usable after IDLE
        threading.Timer(0.3, stop.set).start()
        started = time.monotonic()
        account.wait_for_news(20, stop)
        assert time.monotonic() - started < 3
    finally:
        account.close()


def test_idle_reports_a_server_going_away(dovecot):
    account = connected(dovecot)
    threading.Timer(0.3, dovecot.stop).start()
    try:
        with pytest.raises(MailUnavailable):
            account.wait_for_news(20, threading.Event())
    finally:
        account.close()
