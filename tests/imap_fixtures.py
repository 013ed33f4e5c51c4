"""pytest fixtures for the mailbox tests: Dovecot servers on 127.0.0.1 (see imap_server.py).
Test modules load them with `pytest_plugins = ["tests.imap_fixtures"]`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.imap_server import DOVECOT, Certificate, Dovecot, make_certificate

NO_MOVE = "IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE NAMESPACE UIDPLUS CHILDREN"
NO_MOVE_NO_UIDPLUS = "IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE NAMESPACE"


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> Certificate:
    if not Path(DOVECOT).exists() or shutil.which("openssl") is None:
        pytest.fail("dovecot-imapd and openssl are needed: run scripts/setup.sh")
    return make_certificate(tmp_path_factory.mktemp("tls"))


def _served(certificate: Certificate, capabilities: str | None = None):
    server = Dovecot(certificate, capabilities).start()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def dovecot(certificate):
    yield from _served(certificate)


@pytest.fixture
def dovecot_without_move(certificate):
    """A server that offers UIDPLUS but not MOVE: the bot must use UID EXPUNGE."""
    yield from _served(certificate, NO_MOVE)


@pytest.fixture
def dovecot_without_move_or_uidplus(certificate):
    yield from _served(certificate, NO_MOVE_NO_UIDPLUS)
