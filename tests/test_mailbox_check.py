"""`run_bot.py check` logs in to each configured mailbox (a real Dovecot on 127.0.0.1)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO
from tests.imap_server import PASSWORD
from tests.test_mailbox_bot import PASSWORD_ENV, configure

pytest_plugins = ["tests.imap_fixtures"]


def _check(config, password: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_ENV}
    if password is not None:
        env[PASSWORD_ENV] = password
    return subprocess.run([sys.executable, str(REPO / "run_bot.py"), "--config", str(config),
                           "check"], cwd=REPO, capture_output=True, text=True, env=env,
                          timeout=120)


def test_check_reports_each_mailbox_login(tmp_path, dovecot):
    config = configure(tmp_path, dovecot)
    good = _check(config, PASSWORD)
    assert "OK    mailbox rechnungseingang" in good.stdout, good.stdout
    wrong = _check(config, "falsch-passwort")
    assert wrong.returncode == 1
    assert "FAIL  mailbox rechnungseingang" in wrong.stdout
    assert "falsch-passwort" not in wrong.stdout + wrong.stderr
    missing = _check(config, None)
    assert f"environment variable {PASSWORD_ENV} is not set" in missing.stdout
